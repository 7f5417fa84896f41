"""What an actor holds at an instant: each right with its service scope and expiry.

A contact's holdings are its account-wide ``rights`` plus every grant still active, each
widened by the rights it implies (:func:`~hostbill_core.permissions.rights.closure`). An
owner or a staff member holds every right on the whole account, without expiry. Stored
names that are not rights are ignored: nothing unknown is ever allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from hostbill_core.model.access import Grant
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ServiceId
from hostbill_core.permissions.actors import Actor, ContactActor
from hostbill_core.permissions.rights import Right, closure

__all__ = ["Holding", "covers", "find_holding", "holdings", "holdings_of_contact"]


@attrs.frozen
class Holding:
    """One right held, where and until when.

    Attributes:
        service_ids: the services it applies to, or None for the whole account.
        expires_at: the instant it lapses (exclusive), or None for never.
        source: where it comes from, in words (``"account-wide right"``, ``"grant by …"``).
    """

    right: Right
    service_ids: frozenset[ServiceId] | None = None
    expires_at: datetime | None = None
    source: str = "account-wide right"


_EVERYTHING = tuple(Holding(r, source="the owner's own account") for r in Right)


def _known(name: str) -> Right | None:
    try:
        return Right(name)
    except ValueError:
        return None


def _grant_holdings(grant: Grant) -> Iterable[Holding]:
    right = _known(grant.right)
    if right is None:
        return ()
    scope = frozenset(grant.service_ids) if grant.service_ids else None
    source = f"grant by {grant.granted_by}" if grant.granted_by else "grant"
    return (Holding(r, scope, grant.expires_at, source) for r in closure([right]))


def holdings_of_contact(contact: Contact, at: datetime) -> tuple[Holding, ...]:
    """A contact's holdings at ``at``; none at all while the contact is disabled."""
    if not contact.active:
        return ()
    plain = closure(r for r in map(_known, contact.rights) if r is not None)
    held = [Holding(r) for r in sorted(plain, key=lambda r: r.value)]
    for grant in contact.grants:
        if grant.active_at(at):
            held.extend(_grant_holdings(grant))
    return tuple(held)


def holdings(actor: Actor, at: datetime) -> tuple[Holding, ...]:
    """Every right ``actor`` holds at ``at``, with scope and expiry."""
    if isinstance(actor, ContactActor):
        return holdings_of_contact(actor.contact, at)
    return _EVERYTHING


def _lasts(holding: Holding, until: datetime | None) -> bool:
    if holding.expires_at is None:
        return True
    return until is not None and until <= holding.expires_at


def covers(
    held: Iterable[Holding],
    right: Right,
    service_ids: frozenset[ServiceId] | None,
    until: datetime | None,
) -> bool:
    """True when ``held`` includes ``right`` over ``service_ids`` for as long as ``until``.

    ``service_ids`` None means the whole account, ``until`` None means forever. Each listed
    service may be covered by a different holding.
    """
    lasting = [h for h in held if h.right is right and _lasts(h, until)]
    if service_ids is None:
        return any(h.service_ids is None for h in lasting)
    return all(
        any(h.service_ids is None or s in h.service_ids for h in lasting) for s in service_ids
    )


def find_holding(
    held: Iterable[Holding], right: Right, service_id: ServiceId | None
) -> Holding | None:
    """The first holding of ``right`` that applies to ``service_id`` (None: account-wide)."""
    for holding in held:
        if holding.right is not right:
            continue
        if holding.service_ids is None or (
            service_id is not None and service_id in holding.service_ids
        ):
            return holding
    return None
