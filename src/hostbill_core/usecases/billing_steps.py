"""Reminders and expiry steps of one client's billing day, each checked against the service now.

An event proposed for a due date the service has passed (a payment, or credit earlier in the
same run, renewed it) does nothing: payment stops the sequence. Otherwise a reminder becomes
a ``renewal.reminder`` event; an expiry step suspends or cancels the service through the
renewal engine's state machine, locks the client out of the client area, and sends its email
templates as ``renewal.expiry_email`` events. Each carried-out event's key is remembered, so
no rerun repeats it.
"""

from __future__ import annotations

from hostbill_core.model import ServiceStatus
from hostbill_core.renewal import EventKind, ExpiryAction, LifecycleEvent, apply_expiry_actions
from hostbill_core.usecases.billing_report import ActionKind, BillingEvent
from hostbill_core.usecases.billing_work import ClientWork

__all__ = ["carry_out"]

_LIVE = (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)
_STATUS_ACTIONS = {
    ServiceStatus.SUSPENDED: (ActionKind.SUSPEND, "service.suspended"),
    ServiceStatus.CANCELLED: (ActionKind.CANCEL, "service.cancelled"),
}


def carry_out(work: ClientWork, event: LifecycleEvent) -> None:
    """Carry out one reminder, due-date or expiry event of ``work``'s client."""
    service = work.services[event.service_id]
    if service.status not in _LIVE or event.due_date < service.next_due_date:
        return
    if event.kind is EventKind.REMINDER:
        key = event.key  # built once: each record of the event names it
        _emit(work, event, key, "renewal.reminder", event.explanation)
        work.done.add(key)
    elif event.kind is EventKind.EXPIRY and event.due_date == service.next_due_date:
        key = event.key
        _expire(work, event, key)
        work.done.add(key)


def _emit(
    work: ClientWork, event: LifecycleEvent, key: str, name: str, text: str, *, template: str = ""
) -> None:
    # ``key`` is the event's key; the emitted event's key adds its name (and template).
    key = f"{key}:{name}:{template}" if template else f"{key}:{name}"
    work.emit(BillingEvent(name, work.client.id, event.service_id, key, event.on, template, text))


def _expire(work: ClientWork, event: LifecycleEvent, key: str) -> None:
    service = work.services[event.service_id]
    after = apply_expiry_actions(service, event)
    if after.status is not service.status:
        work.services[service.id] = after
        kind, name = _STATUS_ACTIONS[after.status]
        text = f"{event.explanation}: {service.status.value} → {after.status.value}"
        work.act(kind, service.id, key, text)
        _emit(work, event, key, name, text)
    if ExpiryAction.LOCKOUT in event.actions and not work.locked_out:
        work.locked_out = True
        text = f"{event.explanation}: client {work.client.id} locked out until paid"
        work.act(ActionKind.LOCKOUT, work.client.id, key, text)
        _emit(work, event, key, "client.locked_out", text)
    if ExpiryAction.SEND_TEMPLATE in event.actions:
        for template in event.templates:
            _emit(work, event, key, "renewal.expiry_email", event.explanation, template=template)
