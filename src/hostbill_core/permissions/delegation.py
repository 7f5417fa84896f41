"""Delegation without escalation: creating, editing and removing contacts.

The rules, for an actor that may manage contacts (the owner, a contact holding
``manage_contacts``, staff with ``clients.edit``):

- it may give only what it holds itself: every right or grant it adds must be covered by its
  own holdings, over the same services and for at least as long;
- a contact may edit or remove only contacts whose access it covers entirely, so it can never
  reshape someone more powerful; it may edit itself, but never raise its own rights;
- nobody edits the owner through contacts: the owner is not a contact, and the owner's login
  is the owner's (:attr:`~hostbill_core.permissions.Action.OWNER_LOGIN_EDIT`).

Every function is pure: it returns the new contact or raises
:class:`~hostbill_core.errors.PermissionDeniedError` with a decision saying what was missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from hostbill_core.errors import PermissionDeniedError, ValidationError
from hostbill_core.model.access import Grant
from hostbill_core.model.clients import ContactDetails
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ClientId, ContactId
from hostbill_core.permissions.actions import Action, Resource, ResourceKind
from hostbill_core.permissions.actors import Actor, ContactActor
from hostbill_core.permissions.decisions import Decision, areas_of, check_instant, decide
from hostbill_core.permissions.holdings import (
    Holding,
    covers,
    holdings,
    holdings_of_contact,
)
from hostbill_core.permissions.rights import Right, parse_right, parse_rights

__all__ = [
    "Access",
    "ContactEdit",
    "NewContact",
    "check_grantable",
    "create_contact",
    "edit_contact",
    "remove_contact",
]


def _rights(values: Iterable[Right]) -> frozenset[Right]:
    return frozenset(values)


@attrs.frozen
class Access:
    """Rights and grants given to a contact (or offered by an invitation).

    Attributes:
        rights: account-wide rights without expiry.
        grants: rights limited to listed services and/or ending at an instant.
    """

    rights: frozenset[Right] = attrs.field(default=frozenset(), converter=_rights)
    grants: tuple[Grant, ...] = ()

    @classmethod
    def of(cls, contact: Contact) -> Access:
        """The access stored on ``contact``.

        Raises:
            ValidationError: a stored right name that is not a right.
        """
        return cls(parse_rights(contact.rights), contact.grants)

    @property
    def names(self) -> tuple[str, ...]:
        """The account-wide rights as sorted strings, the form ``Contact.rights`` stores."""
        return tuple(sorted(r.value for r in self.rights))

    def validate(self, at: datetime, kept: Access | None = None) -> None:
        """Check every grant: a known right, scoped only if per-service, not already over.

        Grants in ``kept`` (already on the contact) may have lapsed: they are not new.

        Raises:
            ValidationError: naming the grant and what is wrong with it.
        """
        old = () if kept is None else kept.grants
        for i, grant in enumerate(self.grants):
            right = parse_right(grant.right, f"grants[{i}].right")
            if grant.service_ids and not right.per_service:
                raise ValidationError(
                    f"grants[{i}].service_ids",
                    grant.service_ids,
                    f"{right.value} applies to the whole account; only service and domain "
                    "rights may be limited to services",
                )
            if grant not in old and grant.expires_at is not None and grant.expires_at <= at:
                raise ValidationError(
                    f"grants[{i}].expires_at", grant.expires_at, f"must be after {at.isoformat()}"
                )


@attrs.frozen
class NewContact:
    """A request to create a contact of ``client_id`` with ``access``."""

    id: ContactId
    client_id: ClientId
    details: ContactDetails
    access: Access = Access()
    email_preferences: tuple[str, ...] = ()


@attrs.frozen
class ContactEdit:
    """A change to a contact; a field left None is kept as it is."""

    details: ContactDetails | None = None
    access: Access | None = None
    email_preferences: tuple[str, ...] | None = None
    active: bool | None = None


def _deny(actor: Actor, action: Action, reason: str, at: datetime) -> PermissionDeniedError:
    areas = areas_of(actor, at)
    decision = Decision(False, reason, areas, False, action, Right.MANAGE_CONTACTS)
    return PermissionDeniedError(decision, reason)


def _offers(access: Access) -> Iterable[tuple[Right, Grant | None]]:
    for right in sorted(access.rights, key=lambda r: r.value):
        yield right, None
    for grant in access.grants:
        yield Right(grant.right), grant


def check_grantable(
    actor: Actor, access: Access, at: datetime, action: Action, kept: Access = Access()
) -> None:
    """Check that ``actor`` holds everything ``access`` adds to ``kept``.

    Args:
        actor: who gives the access.
        access: the access the contact will have.
        at: the instant of the change.
        action: the action being done, for the decision in the error.
        kept: the access the contact already has (it is not given again).

    Raises:
        PermissionDeniedError: listing every right the actor does not hold as asked.
    """
    held = holdings(actor, at)
    missing: list[str] = []
    for right, grant in _offers(access):
        if grant is None:
            if right not in kept.rights and not covers(held, right, None, None):
                missing.append(right.value)
        elif grant not in kept.grants:
            scope = frozenset(grant.service_ids) if grant.service_ids else None
            if not covers(held, right, scope, grant.expires_at):
                missing.append(_grant_text(right, grant))
    if missing:
        raise _deny(
            actor,
            action,
            f"{actor.ref} may only grant what it holds itself; it does "
            f"not hold {'; '.join(missing)}",
            at,
        )


def _grant_text(right: Right, grant: Grant) -> str:
    text = right.value
    if grant.service_ids:
        text += " for " + ", ".join(grant.service_ids)
    if grant.expires_at is not None:
        text += " until " + grant.expires_at.isoformat()
    return text + " as asked"


def _stamp(access: Access, kept: Access, actor: Actor) -> tuple[Grant, ...]:
    return tuple(
        g if g in kept.grants else attrs.evolve(g, granted_by=actor.ref) for g in access.grants
    )


def create_contact(actor: Actor, request: NewContact, at: datetime) -> Contact:
    """Create a contact on behalf of ``actor``, who must be able to give its access.

    Returns:
        The new contact; grants carry ``granted_by=actor.ref``.

    Raises:
        PermissionDeniedError: the actor may not manage contacts of this client, or does
            not hold a right it tries to give.
        ValidationError: a naive ``at`` or a malformed grant.
    """
    check_instant(at)
    resource = Resource(ResourceKind.CONTACT, request.client_id)
    decide(actor, Action.CONTACT_CREATE, resource, at).enforce()
    request.access.validate(at)
    check_grantable(actor, request.access, at, Action.CONTACT_CREATE)
    return Contact(
        id=request.id,
        client_id=request.client_id,
        details=request.details,
        rights=request.access.names,
        grants=_stamp(request.access, Access(), actor),
        email_preferences=request.email_preferences,
    )


def _require_cover(actor: Actor, target: Contact, action: Action, at: datetime) -> None:
    """A contact may act on another contact only when it covers all of that one's access."""
    if not isinstance(actor, ContactActor) or actor.contact.id == target.id:
        return
    own = holdings(actor, at)
    theirs = holdings_of_contact(attrs.evolve(target, active=True), at)
    beyond = sorted({h.right.value for h in theirs if not _covered(own, h)})
    if beyond:
        raise _deny(
            actor,
            action,
            f"contact {target.id} holds access {actor.ref} does not: "
            f"{', '.join(beyond)}; only the owner or a contact holding it may do that",
            at,
        )


def _covered(own: tuple[Holding, ...], holding: Holding) -> bool:
    return covers(own, holding.right, holding.service_ids, holding.expires_at)


def edit_contact(actor: Actor, target: Contact, edit: ContactEdit, at: datetime) -> Contact:
    """Apply ``edit`` to ``target`` on behalf of ``actor``.

    Returns:
        The edited contact (same version: the repository bumps it when saving).

    Raises:
        PermissionDeniedError: the actor may not manage contacts, ``target`` holds access
            the actor does not, or the edit gives what the actor does not hold (for a
            contact editing itself: would raise its own rights).
        ValidationError: a naive ``at`` or a malformed grant.
    """
    check_instant(at)
    resource = Resource(ResourceKind.CONTACT, target.client_id, target.id)
    decide(actor, Action.CONTACT_EDIT, resource, at).enforce()
    _require_cover(actor, target, Action.CONTACT_EDIT, at)
    kept = Access.of(target)
    access = kept if edit.access is None else edit.access
    access.validate(at, kept)
    try:
        check_grantable(actor, access, at, Action.CONTACT_EDIT, kept)
    except PermissionDeniedError as error:
        if isinstance(actor, ContactActor) and actor.contact.id == target.id:
            reason = f"a contact may never raise its own rights ({error.reason})"
            raise _deny(actor, Action.CONTACT_EDIT, reason, at) from error
        raise
    return attrs.evolve(
        target,
        details=target.details if edit.details is None else edit.details,
        rights=access.names,
        grants=_stamp(access, kept, actor),
        email_preferences=(
            target.email_preferences if edit.email_preferences is None else edit.email_preferences
        ),
        active=target.active if edit.active is None else edit.active,
    )


def remove_contact(actor: Actor, target: Contact, at: datetime) -> Decision:
    """Check that ``actor`` may remove ``target``; the caller then deletes it.

    Returns:
        The allowing decision.

    Raises:
        PermissionDeniedError: the actor may not manage contacts of this client, or
            ``target`` holds access the actor does not.
    """
    resource = Resource(ResourceKind.CONTACT, target.client_id, target.id)
    decision = decide(actor, Action.CONTACT_REMOVE, resource, at).enforce()
    _require_cover(actor, target, Action.CONTACT_REMOVE, at)
    return decision
