"""The service state machine: which status a service may move to, and the moves themselves.

=============  =========================================  ==============================
from           to                                         named move
=============  =========================================  ==============================
pending        active, cancelled, fraud                   activate, cancel, mark_fraud
active         suspended, terminated, cancelled, fraud    suspend, terminate, cancel, …
suspended      active, terminated, cancelled, fraud       unsuspend, terminate, cancel, …
fraud          pending, cancelled, terminated             clear_fraud, cancel, terminate
terminated     (none: final)
cancelled      (none: final)
=============  =========================================  ==============================

Terminated and cancelled are final: nothing leaves them, and they are never renewed. A fraud
service may be cleared back to pending (the review found no fraud), cancelled or terminated.
Moving to the status a service already has is not a transition and is refused too, so a
repeated command is visible instead of silently doing nothing twice.

>>> from datetime import date
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.model import Service, ServiceId, ClientId, ProductId, PlanId
>>> s = Service(ServiceId("s1"), ClientId("c1"), ProductId("p1"), PlanId("m"), MONTHLY,
...             date(2024, 1, 1), date(2024, 2, 1))
>>> suspend(s).status
<ServiceStatus.SUSPENDED: 'suspended'>
>>> terminate(terminate(s))
Traceback (most recent call last):
...
hostbill_core.errors.InvalidTransitionError: service cannot go from terminated to terminated; ...
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.model.services import Service, ServiceStatus, with_status

__all__ = [
    "TRANSITIONS",
    "activate",
    "allowed_targets",
    "cancel",
    "clear_fraud",
    "mark_fraud",
    "suspend",
    "terminate",
    "transition",
    "unsuspend",
]

_S = ServiceStatus

TRANSITIONS: Mapping[ServiceStatus, frozenset[ServiceStatus]] = MappingProxyType(
    {
        _S.PENDING: frozenset({_S.ACTIVE, _S.CANCELLED, _S.FRAUD}),
        _S.ACTIVE: frozenset({_S.SUSPENDED, _S.TERMINATED, _S.CANCELLED, _S.FRAUD}),
        _S.SUSPENDED: frozenset({_S.ACTIVE, _S.TERMINATED, _S.CANCELLED, _S.FRAUD}),
        _S.FRAUD: frozenset({_S.PENDING, _S.CANCELLED, _S.TERMINATED}),
        _S.TERMINATED: frozenset(),
        _S.CANCELLED: frozenset(),
    }
)
"""The allowed moves: each status mapped to the statuses reachable from it in one step."""

_ORDER = tuple(ServiceStatus)


def allowed_targets(status: ServiceStatus) -> tuple[ServiceStatus, ...]:
    """The statuses reachable from ``status`` in one move, in declaration order."""
    reachable = TRANSITIONS[status]
    return tuple(s for s in _ORDER if s in reachable)


def transition(service: Service, target: ServiceStatus) -> Service:
    """Move ``service`` to ``target`` and return the changed copy.

    Raises:
        InvalidTransitionError: ``target`` is not reachable from the service's status
            (``kind="service"``; ``allowed`` lists the statuses that are).
    """
    if target not in TRANSITIONS[service.status]:
        allowed = tuple(s.value for s in allowed_targets(service.status))
        raise InvalidTransitionError("service", service.status.value, target.value, allowed)
    return with_status(service, target)


def activate(service: Service) -> Service:
    """Pending → active (provisioned, or its first invoice paid)."""
    return _from(service, (_S.PENDING,), _S.ACTIVE)


def suspend(service: Service) -> Service:
    """Active → suspended (overdue, or an expiry step's "disable")."""
    return _from(service, (_S.ACTIVE,), _S.SUSPENDED)


def unsuspend(service: Service) -> Service:
    """Suspended → active (paid up, or lifted by staff)."""
    return _from(service, (_S.SUSPENDED,), _S.ACTIVE)


def terminate(service: Service) -> Service:
    """Active, suspended or fraud → terminated (final: removed from the server)."""
    return _from(service, (_S.ACTIVE, _S.SUSPENDED, _S.FRAUD), _S.TERMINATED)


def cancel(service: Service) -> Service:
    """Pending, active, suspended or fraud → cancelled (final: the client will not renew)."""
    return _from(service, (_S.PENDING, _S.ACTIVE, _S.SUSPENDED, _S.FRAUD), _S.CANCELLED)


def mark_fraud(service: Service) -> Service:
    """Pending, active or suspended → fraud (held for review)."""
    return _from(service, (_S.PENDING, _S.ACTIVE, _S.SUSPENDED), _S.FRAUD)


def clear_fraud(service: Service) -> Service:
    """Fraud → pending (the review found no fraud; the order proceeds)."""
    return _from(service, (_S.FRAUD,), _S.PENDING)


def _from(service: Service, sources: tuple[ServiceStatus, ...], target: ServiceStatus) -> Service:
    # Each named move is one edge of TRANSITIONS; a source outside it is refused the same way.
    if service.status not in sources:
        allowed = tuple(s.value for s in allowed_targets(service.status))
        raise InvalidTransitionError("service", service.status.value, target.value, allowed)
    return transition(service, target)
