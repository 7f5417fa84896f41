"""Who acts: the master account owner, one of its contacts, or a staff member.

An owner or a contact is bound to one client and can never act on another's resources.
Staff serve every client, within the privileges they were given.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import attrs

from hostbill_core.model.checks import aware_instant, identifier
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ClientId

__all__ = [
    "Actor",
    "ActorKind",
    "ContactActor",
    "OwnerActor",
    "StaffActor",
    "StaffPrivilege",
]


class ActorKind(enum.Enum):
    """The three kinds of actor."""

    OWNER = "owner"
    CONTACT = "contact"
    STAFF = "staff"


class StaffPrivilege(enum.Enum):
    """What a staff member may do on client accounts (the admin side)."""

    VIEW_CLIENTS = "clients.view"
    EDIT_CLIENTS = "clients.edit"
    CLIENT_LIFECYCLE = "clients.lifecycle"
    MANAGE_SERVICES = "services.manage"
    VIEW_SERVICE_PASSWORDS = "services.passwords"
    MANAGE_BILLING = "billing.manage"
    MANAGE_PAYMENT_METHODS = "payment_methods.manage"
    SUPPORT = "support"
    AFFILIATES = "affiliates"


@attrs.frozen
class OwnerActor:
    """The master account owner of a client: every client-area right on its own account."""

    client_id: ClientId = attrs.field(validator=identifier)

    @property
    def kind(self) -> ActorKind:
        """Always :attr:`ActorKind.OWNER`."""
        return ActorKind.OWNER

    @property
    def ref(self) -> str:
        """The reference stored in grants and logs, ``"owner:<client id>"``."""
        return f"owner:{self.client_id}"


@attrs.frozen
class ContactActor:
    """A contact (sub-account) acting with the rights and grants stored on it."""

    contact: Contact

    @property
    def kind(self) -> ActorKind:
        """Always :attr:`ActorKind.CONTACT`."""
        return ActorKind.CONTACT

    @property
    def client_id(self) -> ClientId:
        """The client the contact belongs to."""
        return self.contact.client_id

    @property
    def ref(self) -> str:
        """The reference stored in grants and logs, ``"contact:<contact id>"``."""
        return f"contact:{self.contact.id}"


def _optional_instant(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        aware_instant(instance, attribute, value)


@attrs.frozen
class StaffActor:
    """A staff member of the hosting business.

    Attributes:
        privileges: what the member may do, on any client.
        password_confirmed_at: when the member last re-entered the password; sensitive
            actions (changing card details) need it within the re-authentication window.
    """

    staff_id: str = attrs.field(validator=identifier)
    privileges: frozenset[StaffPrivilege] = frozenset()
    password_confirmed_at: datetime | None = attrs.field(default=None, validator=_optional_instant)

    @property
    def kind(self) -> ActorKind:
        """Always :attr:`ActorKind.STAFF`."""
        return ActorKind.STAFF

    @property
    def ref(self) -> str:
        """The reference stored in grants and logs, ``"staff:<staff id>"``."""
        return f"staff:{self.staff_id}"


Actor = OwnerActor | ContactActor | StaffActor
"""Any actor :func:`hostbill_core.permissions.decide` accepts."""
