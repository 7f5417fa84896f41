"""Access records: grants of rights, contact invitations and reseller storefront users.

Right names are plain strings here, as in :class:`~hostbill_core.model.contacts.Contact`;
their vocabulary and every rule about them belong to :mod:`hostbill_core.permissions`.
Instants are aware datetimes in UTC.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NewType

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import aware_instant, email, identifier, version_number
from hostbill_core.model.ids import ClientId, ContactId, ServiceId

__all__ = [
    "Grant",
    "Invitation",
    "InvitationId",
    "InvitationStatus",
    "StorefrontUser",
    "StorefrontUserId",
    "StorefrontUserStatus",
]

InvitationId = NewType("InvitationId", str)
StorefrontUserId = NewType("StorefrontUserId", str)


def _sorted_unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def _optional_instant(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        aware_instant(instance, attribute, value)


def _filled(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, value, "a non-empty text is required")


@attrs.frozen
class Grant:
    """One right given to a contact, possibly limited to some services and to a time.

    Attributes:
        right: the right's name (a :class:`hostbill_core.permissions.Right` value).
        service_ids: the services it is limited to, sorted and unique; empty means the
            whole account.
        expires_at: the instant it stops applying (exclusive), or None for never.
        granted_by: who gave it, as an actor reference such as ``"contact:k1"``.
    """

    right: str = attrs.field(validator=identifier)
    service_ids: tuple[ServiceId, ...] = attrs.field(default=(), converter=_sorted_unique)
    expires_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    granted_by: str = ""

    def active_at(self, at: datetime) -> bool:
        """True while ``at`` is before ``expires_at`` (a grant without expiry never lapses)."""
        return self.expires_at is None or at < self.expires_at


class InvitationStatus(enum.Enum):
    """pending → sent → accepted, rejected or expired (a sent invitation lapses)."""

    PENDING = "pending"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


@attrs.frozen
class Invitation:
    """An invitation for someone to become a contact of a client, with the access offered.

    Attributes:
        invited_by: the actor reference of the inviter (``"owner:c1"``, ``"contact:k1"``).
        rights: the account-wide rights offered, sorted and unique.
        grants: the limited or expiring grants offered.
        sent_at: when it was (last) sent; ``expires_at`` is counted from it.
        answered_at: when it was accepted, rejected or marked expired.
        contact_id: the contact created when it was accepted.
    """

    id: InvitationId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    email: str = attrs.field(validator=email)
    invited_by: str = attrs.field(validator=identifier)
    created_at: datetime = attrs.field(validator=aware_instant)
    rights: tuple[str, ...] = attrs.field(default=(), converter=_sorted_unique)
    grants: tuple[Grant, ...] = ()
    status: InvitationStatus = InvitationStatus.PENDING
    sent_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    expires_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    answered_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    contact_id: ContactId | None = None
    version: int = attrs.field(default=0, validator=version_number)


class StorefrontUserStatus(enum.Enum):
    """activation pending → active ↔ deactivated."""

    ACTIVATION_PENDING = "activation_pending"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


@attrs.frozen
class StorefrontUser:
    """A login of a reseller's end customer on the reseller's storefront.

    Every detail is required, as the activation email needs them all.

    Attributes:
        client_id: the reseller's customer the user belongs to.
        date_format: how the storefront shows dates to this user, e.g. ``"DD/MM/YYYY"``.
        activation_sent_at: when the activation link was last sent.
        activated_at: when the user first activated the login.
    """

    id: StorefrontUserId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    first_name: str = attrs.field(validator=_filled)
    last_name: str = attrs.field(validator=_filled)
    email: str = attrs.field(validator=email)
    language: str = attrs.field(validator=_filled)
    date_format: str = attrs.field(validator=_filled)
    created_at: datetime = attrs.field(validator=aware_instant)
    status: StorefrontUserStatus = StorefrontUserStatus.ACTIVATION_PENDING
    activation_sent_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    activated_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    version: int = attrs.field(default=0, validator=version_number)
