from datetime import timedelta

import attrs
import pytest

from hostbill_core.errors import PermissionDeniedError, ValidationError
from hostbill_core.model.clients import ContactDetails
from hostbill_core.model.ids import ContactId
from hostbill_core.permissions import (
    BILLING_DEPARTMENT,
    Access,
    Action,
    Area,
    ContactActor,
    ContactEdit,
    NewContact,
    OwnerActor,
    Right,
    StaffActor,
    StaffPrivilege,
    create_contact,
    edit_contact,
    remove_contact,
)

from .builders import AT, C1, C2, contact, grant

DETAILS = ContactDetails(name="Dana", email="dana@example.com")
MANAGER = ContactActor(contact("m1", rights=(Right.MANAGE_CONTACTS, Right.TICKETS)))


def new(access: Access, client=C1) -> NewContact:
    return NewContact(ContactId("k9"), client, DETAILS, access)


def test_the_owner_creates_a_billing_contact_from_the_template():
    created = create_contact(OwnerActor(C1), new(Access(BILLING_DEPARTMENT.rights)), AT)
    assert created.rights == ("pay_invoices", "place_orders", "view_invoices")
    assert created.client_id == C1


def test_new_grants_are_stamped_with_the_granter():
    offered = grant(Right.VIEW_SERVICES, ("s1",), hours=24, granted_by="someone else")
    created = create_contact(OwnerActor(C1), new(Access(grants=(offered,))), AT)
    assert created.grants == (attrs.evolve(offered, granted_by="owner:c1"),)


def test_a_manager_gives_what_it_holds():
    created = create_contact(MANAGER, new(Access({Right.TICKETS})), AT)
    assert created.rights == ("tickets",)


def test_a_manager_may_not_give_what_it_does_not_hold():
    with pytest.raises(PermissionDeniedError) as caught:
        create_contact(MANAGER, new(Access({Right.TICKETS, Right.PAY_INVOICES})), AT)
    assert caught.value.reason == (
        "contact:m1 may only grant what it holds itself; it does not hold pay_invoices"
    )
    assert caught.value.decision.areas == (Area.CONTACTS, Area.TICKETS)
    assert caught.value.decision.action is Action.CONTACT_CREATE


def test_a_grant_may_not_outlive_or_outreach_the_granters_own():
    # The manager may manage services s1 and s2 for 24 hours.
    own = grant(Right.MANAGE_SERVICES, ("s1", "s2"), hours=24)
    manager = ContactActor(contact("m1", rights=(Right.MANAGE_CONTACTS,), grants=(own,)))
    narrower = grant(Right.MANAGE_SERVICES, ("s1",), hours=12)
    assert create_contact(manager, new(Access(grants=(narrower,))), AT).grants[0].service_ids == (
        "s1",
    )
    for too_much, text in [
        (grant(Right.MANAGE_SERVICES, ("s1",), hours=25), "manage_services for s1 until"),
        (grant(Right.MANAGE_SERVICES, ("s1", "s3"), hours=1), "manage_services for s1, s3 until"),
        (grant(Right.MANAGE_SERVICES, (), hours=1), "manage_services until"),
        (grant(Right.MANAGE_SERVICES, ("s1",)), "manage_services for s1 as asked"),
    ]:
        with pytest.raises(PermissionDeniedError) as caught:
            create_contact(manager, new(Access(grants=(too_much,))), AT)
        assert text in caught.value.reason


def test_a_contact_without_manage_contacts_may_not_create_contacts():
    helper = ContactActor(contact("k1", rights=(Right.TICKETS,)))
    with pytest.raises(PermissionDeniedError) as caught:
        create_contact(helper, new(Access()), AT)
    assert caught.value.reason == "contact:k1 does not hold the right manage_contacts"


def test_nobody_creates_contacts_on_another_client():
    with pytest.raises(PermissionDeniedError):
        create_contact(OwnerActor(C1), new(Access(), client=C2), AT)


def test_staff_with_clients_edit_give_anything_on_any_client():
    staff = StaffActor("ann", frozenset({StaffPrivilege.EDIT_CLIENTS}))
    created = create_contact(staff, new(Access(frozenset(Right)), client=C2), AT)
    assert len(created.rights) == len(Right)


def test_a_manager_edits_a_contact_it_covers():
    target = contact("k1", rights=(Right.TICKETS,))
    edited = edit_contact(MANAGER, target, ContactEdit(access=Access(), active=False), AT)
    assert (edited.rights, edited.active) == ((), False)


def test_a_manager_may_not_touch_a_contact_holding_more():
    target = contact("k1", rights=(Right.TICKETS, Right.VIEW_INVOICES))
    with pytest.raises(PermissionDeniedError) as caught:
        edit_contact(MANAGER, target, ContactEdit(details=DETAILS), AT)
    assert caught.value.reason == (
        "contact k1 holds access contact:m1 does not: view_invoices; only the owner or a "
        "contact holding it may do that"
    )
    with pytest.raises(PermissionDeniedError):
        remove_contact(MANAGER, target, AT)


def test_a_disabled_superior_may_not_be_reactivated_by_a_lesser_manager():
    target = contact("k1", rights=(Right.PAY_INVOICES,), active=False)
    with pytest.raises(PermissionDeniedError):
        edit_contact(MANAGER, target, ContactEdit(active=True), AT)


def test_a_contact_never_raises_its_own_rights():
    me = MANAGER.contact
    raised = Access({Right.MANAGE_CONTACTS, Right.TICKETS, Right.QUOTES})
    with pytest.raises(PermissionDeniedError) as caught:
        edit_contact(MANAGER, me, ContactEdit(access=raised), AT)
    assert caught.value.reason.startswith("a contact may never raise its own rights")
    lowered = edit_contact(MANAGER, me, ContactEdit(access=Access({Right.MANAGE_CONTACTS})), AT)
    assert lowered.rights == ("manage_contacts",)


def test_an_edit_keeps_grants_it_does_not_change():
    kept = grant(Right.VIEW_INVOICES, hours=10, granted_by="owner:c1")
    target = contact("k1", grants=(kept,))
    added = grant(Right.VIEW_DOMAINS, ("d1",), hours=5)
    access = Access(grants=(kept, added))
    edited = edit_contact(OwnerActor(C1), target, ContactEdit(access=access), AT)
    assert edited.grants == (kept, attrs.evolve(added, granted_by="owner:c1"))


def test_an_edit_without_access_changes_only_what_it_names():
    target = contact("k1", rights=(Right.TICKETS,), prefs=("support",))
    edited = edit_contact(OwnerActor(C1), target, ContactEdit(email_preferences=("general",)), AT)
    assert (edited.rights, edited.email_preferences, edited.details) == (
        ("tickets",),
        ("general",),
        target.details,
    )


def test_remove_returns_the_allowing_decision():
    decision = remove_contact(MANAGER, contact("k1", rights=(Right.TICKETS,)), AT)
    assert decision.allowed
    assert decision.action is Action.CONTACT_REMOVE


def test_a_contact_may_remove_itself():
    assert remove_contact(MANAGER, MANAGER.contact, AT).allowed


def test_only_service_rights_may_be_limited_to_services():
    scoped = grant(Right.VIEW_INVOICES, ("s1",))
    with pytest.raises(ValidationError) as caught:
        create_contact(OwnerActor(C1), new(Access(grants=(scoped,))), AT)
    assert caught.value.field == "grants[0].service_ids"


def test_a_grant_that_is_already_over_is_refused():
    over = attrs.evolve(grant(Right.TICKETS), expires_at=AT)
    with pytest.raises(ValidationError) as caught:
        create_contact(OwnerActor(C1), new(Access(grants=(over,))), AT)
    assert caught.value.field == "grants[0].expires_at"


def test_a_grant_of_an_unknown_right_is_refused():
    odd = attrs.evolve(grant(Right.TICKETS), right="root")
    with pytest.raises(ValidationError) as caught:
        create_contact(OwnerActor(C1), new(Access(grants=(odd,))), AT)
    assert caught.value.field == "grants[0].right"


def test_a_stored_unknown_right_is_refused_when_editing():
    target = attrs.evolve(contact("k1"), rights=("root",))
    with pytest.raises(ValidationError):
        edit_contact(OwnerActor(C1), target, ContactEdit(details=DETAILS), AT)


def test_an_expired_grant_of_the_editor_does_not_count():
    own = grant(Right.TICKETS, hours=1)
    manager = ContactActor(contact("m1", rights=(Right.MANAGE_CONTACTS,), grants=(own,)))
    later = AT + timedelta(hours=2)
    with pytest.raises(PermissionDeniedError):
        create_contact(manager, new(Access({Right.TICKETS})), later)


def test_a_lapsed_grant_does_not_block_editing_the_contact():
    lapsed = grant(Right.TICKETS, hours=1)
    target = contact("k1", grants=(lapsed,))
    later = AT + timedelta(hours=2)
    edited = edit_contact(OwnerActor(C1), target, ContactEdit(details=DETAILS), later)
    assert (edited.details, edited.grants) == (DETAILS, (lapsed,))
