from datetime import timedelta

import attrs
import pytest

from hostbill_core.errors import ConflictError, PermissionDeniedError, ValidationError
from hostbill_core.model import ClientStatus, PaymentMethod
from hostbill_core.model.changes import ProfileChange
from hostbill_core.permissions import ContactActor, Right, StaffActor, StaffPrivilege
from hostbill_core.usecases.profile import LOCKABLE_FIELDS, ProfileUpdate, update_profile

from ..permissions.builders import contact
from .shop import AT, OWNER, STAFF, seed


def stored(uow, cid="c1"):
    with uow() as work:
        return work.clients.get(cid)


def moved_to_hamburg(client):
    address = attrs.evolve(client.details.address, city="Hamburg")
    return attrs.evolve(
        client, details=attrs.evolve(client.details, name="Carla C.", address=address)
    )


def test_each_changed_field_is_logged_with_who_and_when(uow):
    seed(uow, ("c1", "EUR"))
    result = update_profile(ProfileUpdate(OWNER, moved_to_hamburg(stored(uow)), AT), uow)
    assert result.changes == (
        ProfileChange("details.name", "Carla Client", "Carla C.", "owner:c1", AT),
        ProfileChange("details.address.city", "Berlin", "Hamburg", "owner:c1", AT),
    )
    assert stored(uow).changes == result.changes
    assert stored(uow).version == 2
    assert result.explanation == (
        "client c1: details.name 'Carla Client' → 'Carla C.'; details.address.city 'Berlin' → "
        "'Hamburg' by owner:c1"
    )


def test_the_log_accumulates(uow):
    seed(uow, ("c1", "EUR"))
    update_profile(ProfileUpdate(OWNER, moved_to_hamburg(stored(uow)), AT), uow)
    later = AT + timedelta(days=1)
    update_profile(ProfileUpdate(OWNER, attrs.evolve(stored(uow), language="de"), later), uow)
    assert [c.field for c in stored(uow).changes] == [
        "details.name",
        "details.address.city",
        "language",
    ]


def test_a_contact_with_modify_profile_edits_the_profile_but_not_the_owners_login(uow):
    seed(uow, ("c1", "EUR"))
    editor = ContactActor(contact("k7", "c1", rights=(Right.MODIFY_PROFILE,)))
    phone = attrs.evolve(stored(uow).details, phone="+49 40 999")
    result = update_profile(
        ProfileUpdate(editor, attrs.evolve(stored(uow), details=phone), AT), uow
    )
    assert result.changes[0].actor == "contact:k7"
    login = attrs.evolve(stored(uow).details, email="new@example.com")
    with pytest.raises(PermissionDeniedError) as caught:
        update_profile(ProfileUpdate(editor, attrs.evolve(stored(uow), details=login), AT), uow)
    assert caught.value.reason == (
        "only the account owner or staff may do this; no right lets a contact do it"
    )


def test_a_contact_without_modify_profile_edits_nothing(uow):
    seed(uow, ("c1", "EUR"))
    helper = ContactActor(contact("k8", "c1", rights=(Right.TICKETS,)))
    with pytest.raises(PermissionDeniedError):
        update_profile(ProfileUpdate(helper, moved_to_hamburg(stored(uow)), AT), uow)
    assert stored(uow).version == 1


def test_a_locked_field_is_changed_by_staff_only(uow):
    seed(uow, ("c1", "EUR"))
    locked = frozenset({"vat_number"})
    wanted = attrs.evolve(stored(uow), vat_number="DE999")
    with pytest.raises(PermissionDeniedError) as caught:
        update_profile(ProfileUpdate(OWNER, wanted, AT, locked), uow)
    assert caught.value.reason == "vat_number is locked by the business: ask staff to change it"
    assert not caught.value.decision.allowed
    result = update_profile(ProfileUpdate(STAFF, wanted, AT, locked), uow)
    assert result.changes == (ProfileChange("vat_number", "DE123", "DE999", "staff:eve", AT),)


def test_unlocked_fields_stay_open_beside_locked_ones(uow):
    seed(uow, ("c1", "EUR"))
    locked = frozenset({"vat_number", "details.email"})
    result = update_profile(ProfileUpdate(OWNER, moved_to_hamburg(stored(uow)), AT, locked), uow)
    assert len(result.changes) == 2


def test_staff_changing_the_payment_method_must_confirm_the_password(uow):
    seed(uow, ("c1", "EUR"))
    wanted = attrs.evolve(stored(uow), payment_method=PaymentMethod.CARD)
    billing = frozenset({StaffPrivilege.MANAGE_PAYMENT_METHODS})
    with pytest.raises(PermissionDeniedError) as caught:
        update_profile(ProfileUpdate(StaffActor("ann", billing), wanted, AT), uow)
    assert caught.value.decision.needs_reauth
    confirmed = StaffActor("ann", billing, AT - timedelta(minutes=1))
    result = update_profile(ProfileUpdate(confirmed, wanted, AT), uow)
    assert result.changes == (ProfileChange("payment_method", "invoice", "card", "staff:ann", AT),)


def test_account_settings_are_staff_work(uow):
    seed(uow, ("c1", "EUR"))
    wanted = attrs.evolve(stored(uow), group="vip", tax_exempt=True)
    with pytest.raises(PermissionDeniedError) as caught:
        update_profile(ProfileUpdate(OWNER, wanted, AT), uow)
    assert caught.value.reason == "profile.admin_edit is staff work; ask the business's staff"
    result = update_profile(ProfileUpdate(STAFF, wanted, AT), uow)
    assert [(c.field, c.new) for c in result.changes] == [("group", "vip"), ("tax_exempt", "true")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "USD"}, "currency"),
        ({"status": ClientStatus.CLOSED}, "status"),
    ],
)
def test_currency_and_status_have_their_own_use_cases(uow, change, field):
    seed(uow, ("c1", "EUR"))
    with pytest.raises(ValidationError) as caught:
        update_profile(ProfileUpdate(STAFF, attrs.evolve(stored(uow), **change), AT), uow)
    assert caught.value.field == field


def test_unknown_locked_fields_are_refused(uow):
    seed(uow, ("c1", "EUR"))
    with pytest.raises(ValidationError) as caught:
        update_profile(ProfileUpdate(OWNER, stored(uow), AT, frozenset({"shoe_size"})), uow)
    assert caught.value.field == "locked_fields"
    assert "details.email" in LOCKABLE_FIELDS


def test_a_stale_profile_is_refused(uow):
    seed(uow, ("c1", "EUR"))
    old = stored(uow)
    update_profile(ProfileUpdate(OWNER, attrs.evolve(old, language="de"), AT), uow)
    with pytest.raises(ConflictError):
        update_profile(ProfileUpdate(OWNER, attrs.evolve(old, language="fr"), AT), uow)
    assert stored(uow).language == "de"


def test_the_billing_contact_must_be_the_clients_own(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    with pytest.raises(ValidationError) as caught:
        update_profile(
            ProfileUpdate(OWNER, attrs.evolve(stored(uow), billing_contact_id="c2-k1"), AT), uow
        )
    assert caught.value.field == "billing_contact_id"
    result = update_profile(
        ProfileUpdate(OWNER, attrs.evolve(stored(uow), billing_contact_id="c1-k1"), AT), uow
    )
    assert result.client.billing_contact_id == "c1-k1"


def test_nothing_changed_saves_nothing(uow):
    seed(uow, ("c1", "EUR"))
    result = update_profile(ProfileUpdate(OWNER, stored(uow), AT), uow)
    assert (result.changes, result.explanation) == ((), "client c1: nothing changed")
    assert stored(uow).version == 1
