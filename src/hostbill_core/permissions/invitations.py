"""Invitations: pending → sent → accepted, rejected or expired.

An invitation offers access under the same rule as creating a contact: the inviter may offer
only what it holds. It lapses ``valid_for`` after it was (last) sent, 7 days by default;
:func:`status_at` reads a lapsed one as expired before anyone marks it. On acceptance the
offer is checked again against what the inviter holds *then*: anything the inviter has lost
in the meantime is dropped, so waiting never turns into escalation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.model.access import Grant, Invitation, InvitationId, InvitationStatus
from hostbill_core.model.clients import ContactDetails
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ClientId, ContactId
from hostbill_core.permissions.actions import Action, Resource, ResourceKind
from hostbill_core.permissions.actors import Actor
from hostbill_core.permissions.decisions import check_instant, decide
from hostbill_core.permissions.delegation import Access, check_grantable
from hostbill_core.permissions.holdings import covers, holdings
from hostbill_core.permissions.rights import Right, parse_rights

__all__ = [
    "DEFAULT_VALIDITY",
    "Acceptance",
    "NewInvitation",
    "accept",
    "expire",
    "invite",
    "reject",
    "send",
    "status_at",
]

DEFAULT_VALIDITY = timedelta(days=7)
"""How long a sent invitation may be answered."""

_S = InvitationStatus
_MOVES: dict[InvitationStatus, tuple[InvitationStatus, ...]] = {
    _S.PENDING: (_S.SENT,),
    _S.SENT: (_S.SENT, _S.ACCEPTED, _S.REJECTED, _S.EXPIRED),
    _S.ACCEPTED: (),
    _S.REJECTED: (),
    _S.EXPIRED: (),
}


@attrs.frozen
class NewInvitation:
    """A request to invite ``email`` to become a contact of ``client_id`` with ``access``."""

    id: InvitationId
    client_id: ClientId
    email: str
    access: Access = Access()


@attrs.frozen
class Acceptance:
    """The result of :func:`accept`: the closed invitation and the new contact.

    Attributes:
        dropped: what the offer held that the inviter no longer holds, and so was not given.
        explanation: what was given and what was dropped, in words.
    """

    invitation: Invitation
    contact: Contact
    dropped: tuple[str, ...]
    explanation: str


def status_at(invitation: Invitation, at: datetime) -> InvitationStatus:
    """The status at ``at``: a sent invitation whose time is up reads as expired."""
    check_instant(at)
    lapsed = invitation.expires_at is not None and at >= invitation.expires_at
    if invitation.status is _S.SENT and lapsed:
        return _S.EXPIRED
    return invitation.status


def _move(invitation: Invitation, target: InvitationStatus, at: datetime) -> None:
    current = status_at(invitation, at)
    if target not in _MOVES[current]:
        raise InvalidTransitionError(
            "invitation", current.value, target.value, tuple(s.value for s in _MOVES[current])
        )


def invite(actor: Actor, request: NewInvitation, at: datetime) -> Invitation:
    """Create a pending invitation on behalf of ``actor``.

    Raises:
        PermissionDeniedError: the actor may not add contacts to this client, or offers
            what it does not hold.
        ValidationError: a naive ``at``, a malformed grant or email.
    """
    check_instant(at)
    decide(
        actor, Action.CONTACT_CREATE, Resource(ResourceKind.CONTACT, request.client_id), at
    ).enforce()
    request.access.validate(at)
    check_grantable(actor, request.access, at, Action.CONTACT_CREATE)
    grants = tuple(attrs.evolve(g, granted_by=actor.ref) for g in request.access.grants)
    return Invitation(
        id=request.id,
        client_id=request.client_id,
        email=request.email,
        invited_by=actor.ref,
        created_at=at,
        rights=request.access.names,
        grants=grants,
    )


def send(
    invitation: Invitation, at: datetime, valid_for: timedelta = DEFAULT_VALIDITY
) -> Invitation:
    """Mark the invitation sent (or sent again) at ``at``; it lapses ``valid_for`` later.

    Raises:
        InvalidTransitionError: it was answered or has lapsed (invite again instead).
        ValidationError: ``valid_for`` is not positive.
    """
    if valid_for <= timedelta(0):
        raise ValidationError("valid_for", valid_for, "a positive duration, e.g. 7 days")
    _move(invitation, _S.SENT, at)
    return attrs.evolve(invitation, status=_S.SENT, sent_at=at, expires_at=at + valid_for)


def reject(invitation: Invitation, at: datetime) -> Invitation:
    """The invitee declines.

    Raises:
        InvalidTransitionError: not sent, already answered, or lapsed.
    """
    _move(invitation, _S.REJECTED, at)
    return attrs.evolve(invitation, status=_S.REJECTED, answered_at=at)


def expire(invitation: Invitation, at: datetime) -> Invitation:
    """Record that a sent invitation has lapsed (``at`` is at or after ``expires_at``).

    Raises:
        InvalidTransitionError: it has not lapsed, or was never sent, or was answered.
    """
    if status_at(invitation, at) is not _S.EXPIRED or invitation.status is not _S.SENT:
        current = invitation.status.value
        allowed = tuple(s.value for s in _MOVES[invitation.status] if s is not _S.EXPIRED)
        raise InvalidTransitionError("invitation", current, _S.EXPIRED.value, allowed)
    return attrs.evolve(invitation, status=_S.EXPIRED, answered_at=at)


def accept(
    invitation: Invitation,
    inviter: Actor | None,
    contact_id: ContactId,
    details: ContactDetails,
    at: datetime,
) -> Acceptance:
    """The invitee accepts; the new contact gets what the inviter still holds of the offer.

    Args:
        invitation: a sent invitation that has not lapsed.
        inviter: the inviter as it is at ``at``, or None if it no longer exists (then
            nothing of the offer is given).
        contact_id: the id of the contact to create.
        details: the invitee's name, email and address.
        at: the instant of acceptance.

    Raises:
        InvalidTransitionError: not sent, already answered, or lapsed.
        ValidationError: ``inviter`` is not the actor who invited.
    """
    _move(invitation, _S.ACCEPTED, at)
    if inviter is not None and inviter.ref != invitation.invited_by:
        raise ValidationError("inviter", inviter.ref, f"the inviter was {invitation.invited_by}")
    offer = Access(parse_rights(invitation.rights), invitation.grants)
    given, dropped = _still_held(inviter, offer, at)
    contact = Contact(
        id=contact_id,
        client_id=invitation.client_id,
        details=details,
        rights=given.names,
        grants=given.grants,
    )
    closed = attrs.evolve(invitation, status=_S.ACCEPTED, answered_at=at, contact_id=contact_id)
    text = f"contact {contact_id} created with {', '.join(given.names) or 'no rights'}"
    text += f" and {len(given.grants)} grant(s)"
    if dropped:
        text += f"; dropped, as {invitation.invited_by} no longer holds them: {', '.join(dropped)}"
    return Acceptance(closed, contact, dropped, text)


def _still_held(
    inviter: Actor | None, offer: Access, at: datetime
) -> tuple[Access, tuple[str, ...]]:
    held = holdings(inviter, at) if inviter is not None else ()
    rights = [r for r in offer.rights if covers(held, r, None, None)]
    grants: list[Grant] = []
    for g in offer.grants:
        scope = frozenset(g.service_ids) if g.service_ids else None
        if g.active_at(at) and covers(held, Right(g.right), scope, g.expires_at):
            grants.append(g)
    dropped = sorted(r.value for r in offer.rights if r not in rights)
    dropped += sorted(f"grant of {g.right}" for g in offer.grants if g not in grants)
    return Access(rights, tuple(grants)), tuple(dropped)
