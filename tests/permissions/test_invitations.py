from datetime import timedelta

import pytest

from hostbill_core.errors import InvalidTransitionError, PermissionDeniedError, ValidationError
from hostbill_core.model.access import InvitationId, InvitationStatus
from hostbill_core.model.clients import ContactDetails
from hostbill_core.model.ids import ContactId
from hostbill_core.permissions import (
    DEFAULT_VALIDITY,
    Access,
    ContactActor,
    NewInvitation,
    OwnerActor,
    Right,
    accept,
    expire,
    invite,
    reject,
    send,
    status_at,
)

from .builders import AT, C1, contact, grant

DETAILS = ContactDetails(name="Ivy", email="ivy@example.com")
OWNER = OwnerActor(C1)
TICKETS_ONLY = Access({Right.TICKETS})


def request(access: Access = TICKETS_ONLY) -> NewInvitation:
    return NewInvitation(InvitationId("inv-1"), C1, "ivy@example.com", access)


def sent(access: Access = TICKETS_ONLY, inviter=OWNER):
    return send(invite(inviter, request(access), AT), AT)


def test_an_invitation_is_pending_then_sent_for_seven_days():
    pending = invite(OWNER, request(), AT)
    assert (pending.status, pending.invited_by, pending.rights) == (
        InvitationStatus.PENDING,
        "owner:c1",
        ("tickets",),
    )
    out = send(pending, AT)
    assert out.status is InvitationStatus.SENT
    assert out.expires_at == AT + timedelta(days=7)
    assert timedelta(days=7) == DEFAULT_VALIDITY


def test_accepted_within_seven_days_it_creates_the_contact():
    day_six = AT + timedelta(days=6, hours=23)
    done = accept(sent(), OWNER, ContactId("k7"), DETAILS, day_six)
    assert done.invitation.status is InvitationStatus.ACCEPTED
    assert done.invitation.contact_id == "k7"
    assert (done.contact.client_id, done.contact.rights) == (C1, ("tickets",))
    assert done.dropped == ()
    assert done.explanation == "contact k7 created with tickets and 0 grant(s)"


def test_after_seven_days_it_reads_as_expired_and_cannot_be_accepted():
    invitation = sent()
    week = AT + timedelta(days=7)
    assert status_at(invitation, week - timedelta(seconds=1)) is InvitationStatus.SENT
    assert status_at(invitation, week) is InvitationStatus.EXPIRED
    with pytest.raises(InvalidTransitionError) as caught:
        accept(invitation, OWNER, ContactId("k7"), DETAILS, week)
    assert (caught.value.current, caught.value.target) == ("expired", "accepted")
    recorded = expire(invitation, week)
    assert (recorded.status, recorded.answered_at) == (InvitationStatus.EXPIRED, week)


def test_expire_before_the_time_is_up_is_refused():
    with pytest.raises(InvalidTransitionError):
        expire(sent(), AT + timedelta(days=1))
    with pytest.raises(InvalidTransitionError):
        expire(invite(OWNER, request(), AT), AT + timedelta(days=30))


def test_a_rejected_invitation_cannot_be_accepted():
    rejected = reject(sent(), AT + timedelta(hours=1))
    assert rejected.status is InvitationStatus.REJECTED
    with pytest.raises(InvalidTransitionError) as caught:
        accept(rejected, OWNER, ContactId("k7"), DETAILS, AT + timedelta(hours=2))
    assert caught.value.allowed == ()


def test_a_pending_invitation_cannot_be_answered():
    pending = invite(OWNER, request(), AT)
    with pytest.raises(InvalidTransitionError) as caught:
        reject(pending, AT)
    assert caught.value.allowed == ("sent",)


def test_sending_again_restarts_the_seven_days():
    again = send(sent(), AT + timedelta(days=5))
    assert again.expires_at == AT + timedelta(days=12)


def test_a_lapsed_invitation_cannot_be_sent_again():
    with pytest.raises(InvalidTransitionError):
        send(sent(), AT + timedelta(days=8))


def test_validity_must_be_positive():
    with pytest.raises(ValidationError) as caught:
        send(invite(OWNER, request(), AT), AT, timedelta(0))
    assert caught.value.field == "valid_for"


def test_what_the_inviter_lost_before_acceptance_is_dropped():
    scoped = grant(Right.VIEW_SERVICES, ("s1",), hours=100)
    manager = ContactActor(
        contact("m1", rights=(Right.MANAGE_CONTACTS, Right.TICKETS), grants=(scoped,))
    )
    invitation = sent(Access({Right.TICKETS}, (scoped,)), manager)
    # Between invitation and acceptance the inviter lost tickets and its service grant.
    later = ContactActor(contact("m1", rights=(Right.MANAGE_CONTACTS,)))
    done = accept(invitation, later, ContactId("k7"), DETAILS, AT + timedelta(days=1))
    assert done.contact.rights == ()
    assert done.contact.grants == ()
    assert done.dropped == ("tickets", "grant of view_services")
    assert "no longer holds them" in done.explanation


def test_an_inviter_who_no_longer_exists_gives_nothing():
    done = accept(sent(), None, ContactId("k7"), DETAILS, AT + timedelta(days=1))
    assert done.contact.rights == ()
    assert done.dropped == ("tickets",)


def test_acceptance_checks_the_inviter_is_the_one_who_invited():
    other = ContactActor(contact("m2", rights=(Right.MANAGE_CONTACTS, Right.TICKETS)))
    with pytest.raises(ValidationError) as caught:
        accept(sent(), other, ContactId("k7"), DETAILS, AT)
    assert caught.value.field == "inviter"


def test_an_invitation_offers_only_what_the_inviter_holds():
    manager = ContactActor(contact("m1", rights=(Right.MANAGE_CONTACTS,)))
    with pytest.raises(PermissionDeniedError):
        invite(manager, request(Access({Right.TICKETS})), AT)
    helper = ContactActor(contact("k1", rights=(Right.TICKETS,)))
    with pytest.raises(PermissionDeniedError):
        invite(helper, request(), AT)
