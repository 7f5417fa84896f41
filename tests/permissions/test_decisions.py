from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import PermissionDeniedError, ValidationError
from hostbill_core.permissions import (
    BILLING_DEPARTMENT,
    FULL_ACCESS,
    RULES,
    WEB_DEVELOPER,
    Action,
    Area,
    ContactActor,
    OwnerActor,
    Resource,
    ResourceKind,
    Right,
    StaffActor,
    StaffPrivilege,
    closure,
    decide,
)

from .builders import AT, C1, C2, as_contact, contact, grant

INVOICE = Resource(ResourceKind.INVOICE, C1, "inv-1")
SERVICE_1 = Resource(ResourceKind.SERVICE, C1, "s1")
SERVICE_2 = Resource(ResourceKind.SERVICE, C1, "s2")
TICKET = Resource(ResourceKind.TICKET, C1)
ORDERS = Resource(ResourceKind.ORDER, C1)
CARDS = Resource(ResourceKind.PAYMENT_METHOD, C1, "card-1")


def test_billing_department_pays_invoices_and_orders_but_sees_no_services():
    billing = as_contact("k1", rights=tuple(BILLING_DEPARTMENT.rights))
    assert decide(billing, Action.INVOICE_PAY, INVOICE, AT).allowed
    assert decide(billing, Action.INVOICE_VIEW, INVOICE, AT).allowed
    assert decide(billing, Action.ORDER_PLACE, ORDERS, AT).allowed
    refused = decide(billing, Action.SERVICE_VIEW, SERVICE_1, AT)
    assert not refused.allowed
    assert refused.reason == "contact:k1 does not hold the right view_services"
    assert refused.right is Right.VIEW_SERVICES
    # The portal explains where the contact may go instead of dead-ending.
    assert refused.areas == (Area.INVOICES, Area.ORDERS)
    assert not decide(billing, Action.TICKET_OPEN, TICKET, AT).allowed


def test_web_developer_sees_services_and_tickets_but_no_billing():
    developer = as_contact("k2", rights=tuple(WEB_DEVELOPER.rights))
    assert decide(developer, Action.SERVICE_VIEW, SERVICE_1, AT).allowed
    assert decide(developer, Action.TICKET_OPEN, TICKET, AT).allowed
    assert decide(developer, Action.TICKET_REPLY, TICKET, AT).allowed
    for action, resource in [
        (Action.INVOICE_VIEW, INVOICE),
        (Action.ORDER_PLACE, ORDERS),
        (Action.PAYMENT_METHOD_VIEW, CARDS),
        (Action.PROFILE_EDIT, Resource(ResourceKind.PROFILE, C1)),
        (Action.SERVICE_VIEW_PASSWORD, SERVICE_1),
    ]:
        decision = decide(developer, action, resource, AT)
        assert not decision.allowed, action
        assert decision.areas == (Area.SERVICES, Area.TICKETS)


def test_an_expired_grant_no_longer_counts():
    # Granted view_invoices for 48 hours from AT: it applies until AT+48h (exclusive).
    temp = as_contact("k3", grants=(grant(Right.VIEW_INVOICES, hours=48, granted_by="owner:c1"),))
    before = decide(temp, Action.INVOICE_VIEW, INVOICE, AT + timedelta(hours=47, minutes=59))
    assert before.allowed
    assert before.reason == (
        "contact:k3 holds view_invoices (grant by owner:c1 until 2024-05-03T12:00:00+00:00)"
    )
    at_expiry = decide(temp, Action.INVOICE_VIEW, INVOICE, AT + timedelta(hours=48))
    assert not at_expiry.allowed
    assert (
        at_expiry.reason
        == "contact:k3's grant of view_invoices expired at 2024-05-03T12:00:00+00:00"
    )
    assert at_expiry.areas == ()


def test_a_per_service_grant_applies_to_its_services_only():
    scoped = as_contact("k4", grants=(grant(Right.MANAGE_SERVICES, ("s1",)),))
    assert decide(scoped, Action.SERVICE_MANAGE, SERVICE_1, AT).allowed
    # manage_services implies view_services, with the same scope.
    assert decide(scoped, Action.SERVICE_VIEW, SERVICE_1, AT).allowed
    refused = decide(scoped, Action.SERVICE_MANAGE, SERVICE_2, AT)
    assert not refused.allowed
    assert refused.reason == "contact:k4 holds manage_services only for s1, not service s2"
    assert refused.areas == (Area.SERVICES,)


def test_domains_are_scoped_by_their_service_id():
    scoped = as_contact("k4", grants=(grant(Right.MANAGE_DOMAINS, ("d1",)),))
    assert decide(scoped, Action.DOMAIN_MANAGE, Resource(ResourceKind.DOMAIN, C1, "d1"), AT).allowed
    listing = decide(scoped, Action.DOMAIN_VIEW, Resource(ResourceKind.DOMAIN, C1), AT)
    assert not listing.allowed
    assert listing.reason == "contact:k4 holds view_domains only for d1, not the whole account"


def test_staff_changing_card_details_must_confirm_the_password():
    privileges = frozenset({StaffPrivilege.MANAGE_PAYMENT_METHODS})
    unconfirmed = StaffActor("ann", privileges)
    decision = decide(unconfirmed, Action.PAYMENT_METHOD_MANAGE, CARDS, AT)
    assert (decision.allowed, decision.needs_reauth) == (False, True)
    assert decision.reason == (
        "payment_method.manage needs the password confirmed within 5 minutes: confirm it and retry"
    )
    # Confirmed 4 minutes ago: inside the 5-minute window.
    fresh = StaffActor("ann", privileges, AT - timedelta(minutes=4))
    decision = decide(fresh, Action.PAYMENT_METHOD_MANAGE, CARDS, AT)
    assert (decision.allowed, decision.needs_reauth) == (True, True)
    # Confirmed 5 minutes 1 second ago: outside it.
    stale = StaffActor("ann", privileges, AT - timedelta(minutes=5, seconds=1))
    assert not decide(stale, Action.PAYMENT_METHOD_MANAGE, CARDS, AT).allowed
    # A confirmation stamped after the request does not count.
    future = StaffActor("ann", privileges, AT + timedelta(seconds=1))
    assert not decide(future, Action.PAYMENT_METHOD_MANAGE, CARDS, AT).allowed


def test_staff_need_the_privilege_and_may_act_on_any_client():
    billing = StaffActor("bob", frozenset({StaffPrivilege.MANAGE_BILLING}))
    other_client_invoice = Resource(ResourceKind.INVOICE, C2, "inv-9")
    assert decide(billing, Action.INVOICE_PAY, other_client_invoice, AT).allowed
    refused = decide(billing, Action.PAYMENT_METHOD_MANAGE, CARDS, AT)
    assert (refused.allowed, refused.needs_reauth) == (False, False)
    assert refused.reason == "staff:bob lacks the staff privilege payment_methods.manage"
    # Areas where billing.manage lets it act: pay, accept quotes, order, add funds.
    assert refused.areas == (Area.INVOICES, Area.QUOTES, Area.ORDERS, Area.CREDIT)


def test_staff_do_client_lifecycle_work_the_owner_may_not():
    resource = Resource(ResourceKind.CLIENT, C1)
    staff = StaffActor("eve", frozenset({StaffPrivilege.CLIENT_LIFECYCLE}))
    owner = OwnerActor(C1)
    for action in (Action.CLIENT_MERGE, Action.CLIENT_ANONYMISE, Action.CLIENT_DELETE):
        assert decide(staff, action, resource, AT).allowed
        assert decide(owner, action, resource, AT).reason == (
            f"{action.value} is staff work; ask the business's staff"
        )
    assert decide(owner, Action.CLIENT_EXPORT, resource, AT).allowed


def test_the_owner_may_do_every_client_area_action_on_its_own_account():
    owner = OwnerActor(C1)
    for action, rule in RULES.items():
        if rule.owner:
            decision = decide(owner, action, Resource(rule.kind, C1, "x"), AT)
            assert decision.allowed, action
            assert decision.areas == tuple(Area)


def test_nobody_but_staff_crosses_to_another_client():
    owner = OwnerActor(C1)
    decision = decide(owner, Action.INVOICE_VIEW, Resource(ResourceKind.INVOICE, C2, "i"), AT)
    assert not decision.allowed
    assert (
        decision.reason == "the invoice belongs to another client; owner:c1 acts only on client c1"
    )
    everything = as_contact("k1", rights=tuple(FULL_ACCESS.rights))
    assert not decide(everything, Action.TICKET_VIEW, Resource(ResourceKind.TICKET, C2), AT).allowed


def test_only_the_owner_or_staff_change_the_owners_login():
    everything = as_contact("k1", rights=tuple(FULL_ACCESS.rights))
    profile = Resource(ResourceKind.PROFILE, C1)
    assert decide(everything, Action.PROFILE_EDIT, profile, AT).allowed
    refused = decide(everything, Action.OWNER_LOGIN_EDIT, profile, AT)
    assert (
        refused.reason
        == "only the account owner or staff may do this; no right lets a contact do it"
    )
    assert decide(OwnerActor(C1), Action.OWNER_LOGIN_EDIT, profile, AT).allowed


def test_an_action_on_the_wrong_kind_of_resource_is_denied():
    decision = decide(OwnerActor(C1), Action.INVOICE_PAY, SERVICE_1, AT)
    assert not decision.allowed
    assert decision.reason == "invoice.pay applies to a resource of kind invoice, not service"


def test_a_disabled_contact_may_do_nothing():
    disabled = as_contact("k1", rights=tuple(FULL_ACCESS.rights), active=False)
    decision = decide(disabled, Action.TICKET_VIEW, TICKET, AT)
    assert decision.reason == "contact:k1 is disabled and may do nothing"
    assert decision.areas == ()


def test_unknown_stored_right_names_allow_nothing():
    odd = ContactActor(attrs.evolve(contact("k1"), rights=("superuser",)))
    assert not any(decide(odd, a, Resource(RULES[a].kind, C1), AT).allowed for a in Action)


def test_naive_instant_is_refused():
    with pytest.raises(ValidationError) as caught:
        decide(OwnerActor(C1), Action.INVOICE_VIEW, INVOICE, datetime(2024, 5, 1))
    assert caught.value.field == "at"


def test_enforce_raises_with_the_decision():
    decision = decide(as_contact("k1"), Action.INVOICE_VIEW, INVOICE, AT)
    with pytest.raises(PermissionDeniedError) as caught:
        decision.enforce()
    assert caught.value.decision is decision
    assert caught.value.reason == "contact:k1 does not hold the right view_invoices"
    owner_decision = decide(OwnerActor(C1), Action.INVOICE_VIEW, INVOICE, AT)
    assert owner_decision.enforce() is owner_decision


def test_deny_by_default_a_contact_without_rights_may_do_nothing():
    bare = as_contact("k1")
    for action, rule in RULES.items():
        assert not decide(bare, action, Resource(rule.kind, C1, "s1"), AT).allowed, action


rights_st = st.frozensets(st.sampled_from(Right))
services_st = st.lists(st.sampled_from(["s1", "s2", "s3"]), max_size=2, unique=True).map(tuple)
grant_st = st.builds(
    lambda r, s, h: grant(r, s if r.per_service else (), h),
    st.sampled_from(Right),
    services_st,
    st.none() | st.integers(-48, 48).filter(bool),
)


@given(
    rights=rights_st,
    grants=st.lists(grant_st, max_size=3),
    action=st.sampled_from(Action),
    target=st.tuples(st.sampled_from([C1, C2]), st.sampled_from([None, "s1", "s2", "s3"])),
    minutes=st.integers(-3000, 3000),
)
def test_an_allowed_contact_holds_the_right_for_its_own_client(
    rights, grants, action, target, minutes
):
    client, resource_id = target
    actor = as_contact("k1", rights=tuple(rights), grants=tuple(grants))
    at = AT + timedelta(minutes=minutes)
    rule = RULES[action]
    decision = decide(actor, action, Resource(rule.kind, client, resource_id), at)
    if decision.allowed:
        assert client == C1
        assert rule.right is not None
        scoped = rule.kind in (ResourceKind.SERVICE, ResourceKind.DOMAIN)
        givers = {
            g.right
            for g in grants
            if g.active_at(at) and (not g.service_ids or (scoped and resource_id in g.service_ids))
        }
        held = closure(rights) | closure(Right(name) for name in givers)
        assert rule.right in held
    assert set(decision.areas) <= {r.area for r in closure(rights)} | {
        r.area for g in grants if g.active_at(at) for r in closure([Right(g.right)])
    }
