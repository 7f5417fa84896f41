"""The policy decision: may this actor do this action on this resource at this instant.

:func:`decide` denies by default and always says why. It checks, in order: the action
applies to this kind of resource; an owner or contact acts only on its own client; the
owner may do every client-area action; a contact needs the action's right, held
account-wide or by a grant that is still active and covers the service; staff need the
action's privilege and, for sensitive actions, a recent password confirmation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from hostbill_core.errors import PermissionDeniedError, ValidationError
from hostbill_core.model.ids import ServiceId
from hostbill_core.permissions.actions import RULES, Action, Resource, ResourceKind, Rule
from hostbill_core.permissions.actors import Actor, ContactActor, OwnerActor, StaffActor
from hostbill_core.permissions.holdings import Holding, areas_at, holding_for
from hostbill_core.permissions.rights import Area, Right, closure

__all__ = ["REAUTHENTICATION_WINDOW", "Decision", "areas_of", "check_instant", "decide"]

REAUTHENTICATION_WINDOW = timedelta(minutes=5)
"""How long a staff member's password confirmation counts for sensitive actions."""

_SCOPED_KINDS = frozenset({ResourceKind.SERVICE, ResourceKind.DOMAIN})
_ALL_AREAS = tuple(Area)
_STAFF_AREAS = frozenset(
    (rule.privilege, rule.right.area) for rule in RULES.values() if rule.right is not None
)
# For each right, the stored names that give it (itself and every right implying it).
_GIVERS = {r: frozenset(g.value for g in Right if r in closure([g])) for r in Right}


@attrs.frozen
class Decision:
    """The answer of :func:`decide`.

    Attributes:
        allowed: True only when every rule is met.
        reason: why, in words a user can read.
        areas: the client-area sections the actor may use, so a portal can point
            somewhere useful instead of dead-ending.
        needs_reauth: the action needs a fresh password confirmation; with ``allowed``
            False it is what is missing (confirm the password, then ask again).
        action: the action asked about.
        right: the right a contact needs for it, if any.
    """

    allowed: bool
    reason: str
    areas: tuple[Area, ...]
    needs_reauth: bool
    action: Action
    right: Right | None = None

    def enforce(self) -> Decision:
        """Return the decision when allowed.

        Raises:
            PermissionDeniedError: carrying this decision and its reason.
        """
        if not self.allowed:
            raise PermissionDeniedError(self, self.reason)
        return self


def check_instant(at: datetime, field: str = "at") -> None:
    """An instant is an aware datetime.

    Raises:
        ValidationError: a naive datetime or not a datetime.
    """
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError(field, at, "an aware datetime, e.g. tzinfo=UTC")


def areas_of(actor: Actor, at: datetime) -> tuple[Area, ...]:
    """The client-area sections ``actor`` may open at ``at``, in :class:`Area` order."""
    if isinstance(actor, OwnerActor):
        return _ALL_AREAS
    if isinstance(actor, ContactActor):
        return areas_at(actor.contact, at)
    opened = {a for p, a in _STAFF_AREAS if p in actor.privileges}
    return tuple(a for a in Area if a in opened)


def decide(actor: Actor, action: Action, resource: Resource, at: datetime) -> Decision:
    """Decide whether ``actor`` may do ``action`` on ``resource`` at the instant ``at``.

    Args:
        actor: an owner, a contact or a staff member.
        action: what is asked.
        resource: what it is asked on; its ``client_id`` must be the actor's own unless
            the actor is staff.
        at: the instant of the request, an aware datetime (grants that expired at or
            before it no longer count).

    Returns:
        A :class:`Decision`; denied unless a rule allows it.

    Raises:
        ValidationError: ``at`` is naive.
    """
    check_instant(at)
    rule = RULES[action]
    areas = areas_of(actor, at)

    def answer(allowed: bool, reason: str, reauth: bool = False) -> Decision:
        return Decision(allowed, reason, areas, reauth, action, rule.right)

    if resource.kind is not rule.kind:
        return answer(
            False,
            f"{action.value} applies to a resource of kind {rule.kind.value}, "
            f"not {resource.kind.value}",
        )
    if isinstance(actor, StaffActor):
        return answer(*_staff(actor, action, rule, at))
    if resource.client_id != actor.client_id:
        return answer(
            False,
            f"the {resource.kind.value} belongs to another client; "
            f"{actor.ref} acts only on client {actor.client_id}",
        )
    if isinstance(actor, OwnerActor):
        if rule.owner:
            return answer(True, "the master account owner may do everything on its account")
        return answer(False, f"{action.value} is staff work; ask the business's staff")
    return answer(*_contact(actor, rule, resource, at))


def _staff(actor: StaffActor, action: Action, rule: Rule, at: datetime) -> tuple[bool, str, bool]:
    if rule.privilege not in actor.privileges:
        return False, f"{actor.ref} lacks the staff privilege {rule.privilege.value}", False
    if not rule.staff_reauth:
        return True, f"{actor.ref} holds the staff privilege {rule.privilege.value}", False
    confirmed = actor.password_confirmed_at
    if confirmed is None or not confirmed <= at <= confirmed + REAUTHENTICATION_WINDOW:
        minutes = REAUTHENTICATION_WINDOW.total_seconds() / 60
        return (
            False,
            f"{action.value} needs the password confirmed within {minutes:g} "
            "minutes: confirm it and retry",
            True,
        )
    return True, f"{actor.ref} holds {rule.privilege.value} and confirmed the password", True


def _contact(
    actor: ContactActor,
    rule: Rule,
    resource: Resource,
    at: datetime,
) -> tuple[bool, str]:
    who = actor.ref
    if not actor.contact.active:
        return False, f"{who} is disabled and may do nothing"
    if rule.right is None:
        doers = "the account owner or staff" if rule.owner else "staff"
        return False, f"only {doers} may do this; no right lets a contact do it"
    service = ServiceId(resource.id) if resource.kind in _SCOPED_KINDS and resource.id else None
    holding = holding_for(actor.contact, rule.right, service, at)
    if holding is not None:
        return True, f"{who} holds {rule.right.value} ({_describe(holding)})"
    return False, _missing(actor, rule.right, service, at)


def _describe(holding: Holding) -> str:
    parts = [holding.source]
    if holding.service_ids is not None:
        parts.append("for " + ", ".join(sorted(holding.service_ids)))
    if holding.expires_at is not None:
        parts.append("until " + holding.expires_at.isoformat())
    return " ".join(parts)


def _gives(name: str, right: Right) -> bool:
    return name in _GIVERS[right]


def _missing(actor: ContactActor, right: Right, service: ServiceId | None, at: datetime) -> str:
    who = actor.ref
    lapsed = [g for g in actor.contact.grants if _gives(g.right, right) and not g.active_at(at)]
    if lapsed and lapsed[0].expires_at is not None:
        return f"{who}'s grant of {right.value} expired at {lapsed[0].expires_at.isoformat()}"
    scoped = sorted(
        s
        for g in actor.contact.grants
        if _gives(g.right, right) and g.active_at(at)
        for s in g.service_ids
    )
    if scoped:
        target = f"service {service}" if service else "the whole account"
        return f"{who} holds {right.value} only for {', '.join(scoped)}, not {target}"
    return f"{who} does not hold the right {right.value}"
