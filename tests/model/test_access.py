from datetime import UTC, datetime, timedelta

import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.model.access import Grant, Invitation, InvitationId
from hostbill_core.model.ids import ClientId, ServiceId

AT = datetime(2024, 5, 1, 12, tzinfo=UTC)


def test_a_grant_applies_until_its_expiry_exclusive():
    grant = Grant("tickets", expires_at=AT)
    assert grant.active_at(AT - timedelta(microseconds=1))
    assert not grant.active_at(AT)
    assert Grant("tickets").active_at(AT + timedelta(days=3650))


def test_grant_services_are_sorted_and_unique():
    grant = Grant("view_services", (ServiceId("s2"), ServiceId("s1"), ServiceId("s2")))
    assert grant.service_ids == ("s1", "s2")


def test_a_grant_refuses_a_naive_expiry():
    with pytest.raises(ValidationError) as caught:
        Grant("tickets", expires_at=datetime(2024, 5, 1))
    assert caught.value.field == "expires_at"


def test_a_grant_needs_a_right_name():
    with pytest.raises(ValidationError) as caught:
        Grant("")
    assert caught.value.field == "right"


def test_an_invitation_needs_an_email_address():
    with pytest.raises(ValidationError) as caught:
        Invitation(InvitationId("i1"), ClientId("c1"), "not-an-email", "owner:c1", AT)
    assert caught.value.field == "email"


def test_access_records_round_trip_through_the_converter():
    from hostbill_core.model import Client, Contact, ContactDetails
    from hostbill_core.model.access import StorefrontUser, StorefrontUserId
    from hostbill_core.model.changes import ProfileChange
    from hostbill_core.serialization import make_converter

    converter = make_converter()
    details = ContactDetails("Kim", "kim@example.com")
    grant = Grant("view_services", (ServiceId("s1"),), AT, "owner:c1")
    contact = Contact("k1", "c1", details, rights=("tickets",), grants=(grant,))
    change = ProfileChange("details.name", "Kim", "Kim Lee", "owner:c1", AT)
    client = Client("c1", details, "EUR", AT.date(), changes=(change,))
    invitation = Invitation(
        InvitationId("i1"),
        ClientId("c1"),
        "ivy@example.com",
        "owner:c1",
        AT,
        grants=(grant,),
        sent_at=AT,
        expires_at=AT + timedelta(days=7),
    )
    user = StorefrontUser(
        StorefrontUserId("u1"),
        ClientId("c1"),
        "Uma",
        "Lee",
        "uma@example.com",
        "en",
        "DD/MM/YYYY",
        AT,
    )
    for item in (contact, client, invitation, user):
        assert converter.structure(converter.unstructure(item), type(item)) == item
