"""Profile edits with a change log and the fields a business locks.

The caller passes the client as it wants it (the stored one changed with ``attrs.evolve``);
the use case compares it with the stored client field by field and decides each change:

- profile fields (name, company, phone, address, language, account type, VAT number, billing
  contact) need ``profile.edit``: the owner, a contact with ``modify_profile``, staff;
- the login email (``details.email``) is the owner's own: ``profile.owner_login``;
- the payment method needs ``payment_method.manage`` (staff must have confirmed their password);
- account settings (group, tax exemption, invoice settings, dates, affiliate, per-client
  settings) are staff work: ``profile.admin_edit``;
- id, currency, status, version and the log itself are not edited here.

Fields the business locked (``locked_fields``) cannot be changed by the owner or a contact;
staff still can. Every change is appended to ``Client.changes``: field, old and new value as
text, who, when.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import attrs

from hostbill_core.errors import PermissionDeniedError, ValidationError
from hostbill_core.model import Client, ContactId
from hostbill_core.model.changes import ProfileChange
from hostbill_core.permissions import (
    Action,
    Actor,
    Decision,
    Resource,
    ResourceKind,
    StaffActor,
    decide,
)
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.client_records import emit

__all__ = [
    "LOCKABLE_FIELDS",
    "ProfileResult",
    "ProfileUpdate",
    "field_values",
    "update_profile",
]

_ADDRESS = ("line1", "line2", "city", "state", "postcode", "country")
_PROFILE = frozenset(
    {"details.name", "details.company", "details.phone"}
    | {f"details.address.{part}" for part in _ADDRESS}
    | {"language", "account_type", "vat_number", "billing_contact_id"}
)
_ACTION_OF: dict[str, Action] = {
    **dict.fromkeys(_PROFILE, Action.PROFILE_EDIT),
    "details.email": Action.OWNER_LOGIN_EDIT,
    "payment_method": Action.PAYMENT_METHOD_MANAGE,
}
_NOT_HERE = {
    "id": "a client's id never changes",
    "currency": "change the currency with its own use case (amounts are recalculated)",
    "status": "use close, archive or soft delete",
}
_SKIPPED = ("changes", "version")

LOCKABLE_FIELDS: frozenset[str] = frozenset(_ACTION_OF)
"""The fields a business may lock against its clients (and their contacts)."""


@attrs.frozen
class ProfileUpdate:
    """A wanted profile: ``proposed`` is the stored client with the changes applied.

    Attributes:
        locked_fields: the business's locked fields (see :data:`LOCKABLE_FIELDS`).
    """

    actor: Actor
    proposed: Client
    at: datetime
    locked_fields: frozenset[str] = frozenset()


@attrs.frozen
class ProfileResult:
    """The client as stored, the changes logged by this update, and a summary."""

    client: Client
    changes: tuple[ProfileChange, ...]
    explanation: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def field_values(item: Any, prefix: str = "") -> dict[str, Any]:
    """Every field of an attrs value by dotted path, nested attrs values flattened.

    >>> from hostbill_core.model import ContactDetails
    >>> field_values(ContactDetails("Ann", "ann@example.com"))["address.country"]
    ''
    """
    values: dict[str, Any] = {}
    for field in attrs.fields(type(item)):
        if not prefix and field.name in _SKIPPED:
            continue
        value = getattr(item, field.name)
        path = f"{prefix}{field.name}"
        if attrs.has(type(value)):
            values.update(field_values(value, f"{path}."))
        else:
            values[path] = value
    return values


def _changes(stored: Client, proposed: Client, actor: str, at: datetime) -> list[ProfileChange]:
    before, after = field_values(stored), field_values(proposed)
    return [
        ProfileChange(path, _text(before[path]), _text(after[path]), actor, at)
        for path in before
        if before[path] != after[path]
    ]


def _resource(client: Client, action: Action) -> Resource:
    kind = ResourceKind.PAYMENT_METHOD if action is Action.PAYMENT_METHOD_MANAGE else None
    return Resource(kind or ResourceKind.PROFILE, client.id)


def _check(request: ProfileUpdate, stored: Client, change: ProfileChange) -> None:
    if change.field in _NOT_HERE:
        raise ValidationError(change.field, change.new, _NOT_HERE[change.field])
    action = _ACTION_OF.get(change.field, Action.PROFILE_ADMIN_EDIT)
    decision = decide(request.actor, action, _resource(stored, action), request.at).enforce()
    if change.field in request.locked_fields and not isinstance(request.actor, StaffActor):
        reason = f"{change.field} is locked by the business: ask staff to change it"
        raise PermissionDeniedError(_refused(decision, reason), reason)


def _refused(decision: Decision, reason: str) -> Decision:
    return attrs.evolve(decision, allowed=False, reason=reason)


def _check_billing_contact(work: UnitOfWork, client: Client) -> None:
    contact_id: ContactId | None = client.billing_contact_id
    if contact_id is None:
        return
    contact = work.contacts.find(contact_id)
    if contact is None or contact.client_id != client.id:
        raise ValidationError("billing_contact_id", contact_id, f"not a contact of {client.id}")


def update_profile(
    request: ProfileUpdate, uow: UnitOfWorkFactory, events: EventSink | None = None
) -> ProfileResult:
    """Apply the profile changes the actor may make, log them, save; all or nothing.

    Raises:
        ValidationError: a field that is not edited here, an unknown locked field, a billing
            contact of another client.
        PermissionDeniedError: a change the actor may not make (with the decision), or a
            locked field changed by the owner or a contact.
        ConflictError: ``proposed`` was built from a stale version.
        NotFoundError: no such client.
    """
    unknown = sorted(request.locked_fields - LOCKABLE_FIELDS)
    if unknown:
        raise ValidationError(
            "locked_fields", unknown, "lockable: " + ", ".join(sorted(LOCKABLE_FIELDS))
        )
    with uow() as work:
        stored = work.clients.get(request.proposed.id)
        changes = _changes(stored, request.proposed, request.actor.ref, request.at)
        for change in changes:
            _check(request, stored, change)
        if not changes:
            return ProfileResult(stored, (), f"client {stored.id}: nothing changed")
        _check_billing_contact(work, request.proposed)
        logged = attrs.evolve(request.proposed, changes=(*stored.changes, *changes))
        client = work.clients.save(logged)
        work.commit()
    explanation = (
        f"client {client.id}: "
        + "; ".join(f"{c.field} {c.old!r} → {c.new!r}" for c in changes)
        + f" by {request.actor.ref}"
    )
    emit(events, "client.profile_changed", client.id, explanation)
    return ProfileResult(client, tuple(changes), explanation)
