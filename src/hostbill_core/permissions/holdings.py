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
from hostbill_core.permissions.rights import Area, Right, closure

__all__ = ["Holding", "areas_at", "covers", "holding_for", "holdings", "holdings_of_contact"]


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
# A stored name → the rights it gives (itself and the ones it implies); unknown names give none.
_GIVES: dict[str, tuple[Right, ...]] = {
    r.value: tuple(sorted(closure([r]), key=lambda x: x.value)) for r in Right
}
_PLAIN = {r: Holding(r) for r in Right}
_AREA_OF = {r.value: r.area.value for r in Right}
_AREA_ORDER = tuple((a, a.value) for a in Area)


def _grant_holdings(grant: Grant) -> tuple[Holding, ...]:
    scope = frozenset(grant.service_ids) if grant.service_ids else None
    source = f"grant by {grant.granted_by}" if grant.granted_by else "grant"
    return tuple(Holding(r, scope, grant.expires_at, source) for r in _GIVES.get(grant.right, ()))


def holdings_of_contact(contact: Contact, at: datetime) -> tuple[Holding, ...]:
    """A contact's holdings at ``at``; none at all while the contact is disabled."""
    if not contact.active:
        return ()
    plain = {r: _PLAIN[r] for name in contact.rights for r in _GIVES.get(name, ())}
    held = list(plain.values())
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


def areas_at(contact: Contact, at: datetime) -> tuple[Area, ...]:
    """The client-area sections a contact's rights open at ``at``, in :class:`Area` order."""
    if not contact.active:
        return ()
    names = [*contact.rights, *(g.right for g in contact.grants if g.active_at(at))]
    opened = {_AREA_OF[name] for name in names if name in _AREA_OF}
    return tuple(area for area, value in _AREA_ORDER if value in opened)


def holding_for(
    contact: Contact, right: Right, service_id: ServiceId | None, at: datetime
) -> Holding | None:
    """The holding that lets ``contact`` use ``right`` on ``service_id`` at ``at``, or None.

    An account-wide right comes first; a grant counts while active and when it is for the
    whole account or lists ``service_id`` (None asks for the whole account).
    """
    if not contact.active:
        return None
    if any(right in _GIVES.get(name, ()) for name in contact.rights):
        return _PLAIN[right]
    for grant in contact.grants:
        if right not in _GIVES.get(grant.right, ()) or not grant.active_at(at):
            continue
        if not grant.service_ids or (service_id is not None and service_id in grant.service_ids):
            return next(h for h in _grant_holdings(grant) if h.right is right)
    return None
