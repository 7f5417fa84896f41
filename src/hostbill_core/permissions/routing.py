"""Email routing: who receives an email of a category, and who is copied on a ticket.

The owner always receives the client's email. A contact receives an email of a category
when it is active, subscribed to the category (``Contact.email_preferences``) and holds the
right to see what the email is about: a contact without ``view_invoices`` never receives an
invoice, whatever its preferences say. Ticket replies go to the owner and to the contact who
opened the ticket (while it may still see tickets); other contacts are not emailed, though
those holding ``tickets`` may read the ticket in the client area.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model.clients import Client
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ContactId, ServiceId
from hostbill_core.permissions.decisions import check_instant
from hostbill_core.permissions.holdings import holding_for
from hostbill_core.permissions.rights import Right

__all__ = [
    "Account",
    "EmailCategory",
    "Recipient",
    "Routing",
    "recipients",
    "ticket_recipients",
]


class EmailCategory(enum.Enum):
    """The categories a contact subscribes to; stored by value in ``email_preferences``."""

    GENERAL = "general"
    INVOICES = "invoices"
    SUPPORT = "support"
    SERVICES = "services"
    DOMAINS = "domains"
    AFFILIATE = "affiliate"
    MARKETING = "marketing"

    @property
    def right(self) -> Right | None:
        """The right a contact needs to receive this category (None: none needed)."""
        return _NEEDS.get(self)


_NEEDS = {
    EmailCategory.INVOICES: Right.VIEW_INVOICES,
    EmailCategory.SUPPORT: Right.TICKETS,
    EmailCategory.SERVICES: Right.VIEW_SERVICES,
    EmailCategory.DOMAINS: Right.VIEW_DOMAINS,
    EmailCategory.AFFILIATE: Right.AFFILIATE,
}


@attrs.frozen
class Account:
    """A client with its contacts, as one aggregate.

    Raises:
        ValidationError: a contact of another client.
    """

    client: Client
    contacts: tuple[Contact, ...] = ()

    def __attrs_post_init__(self) -> None:
        for i, contact in enumerate(self.contacts):
            if contact.client_id != self.client.id:
                raise ValidationError(
                    f"contacts[{i}].client_id",
                    contact.client_id,
                    f"every contact belongs to client {self.client.id}",
                )


@attrs.frozen
class Recipient:
    """One address an email goes to, and why.

    Attributes:
        contact_id: the contact, or None for the owner or an extra invoice address.
    """

    email: str
    name: str
    reason: str
    contact_id: ContactId | None = None


@attrs.frozen
class Routing:
    """The recipients of an email, and the contacts left out with the reason."""

    recipients: tuple[Recipient, ...]
    left_out: tuple[str, ...] = ()

    @property
    def emails(self) -> tuple[str, ...]:
        """The addresses, in order."""
        return tuple(r.email for r in self.recipients)


def _owner(client: Client) -> Recipient:
    return Recipient(client.details.email, client.details.name, "the account owner")


def _add(found: list[Recipient], recipient: Recipient) -> None:
    if all(r.email.casefold() != recipient.email.casefold() for r in found):
        found.append(recipient)


def _blocker(
    contact: Contact, category: EmailCategory, at: datetime, service_id: ServiceId | None
) -> str | None:
    if not contact.active:
        return "is disabled"
    if category.value not in contact.email_preferences:
        return f"is not subscribed to {category.value}"
    right = category.right
    if right is not None and holding_for(contact, right, service_id, at) is None:
        where = f" for service {service_id}" if service_id else ""
        return f"does not hold {right.value}{where}"
    return None


def recipients(
    account: Account, category: EmailCategory, at: datetime, service_id: ServiceId | None = None
) -> Routing:
    """Who receives an email of ``category`` for ``account`` at ``at``.

    Args:
        account: the client and its contacts.
        category: the email's category.
        at: the instant the email is sent (expired grants no longer count).
        service_id: the service the email is about, for service and domain emails; a
            contact whose grant is limited to other services is left out.

    Returns:
        The owner first, then the extra invoice addresses (invoices only), then each
        qualifying contact in the order given; an address appears once.
    """
    check_instant(at)
    found = [_owner(account.client)]
    if category is EmailCategory.INVOICES:
        for address in account.client.invoice_recipients:
            _add(found, Recipient(address, address, "an extra invoice address of the client"))
    left_out: list[str] = []
    for contact in account.contacts:
        blocker = _blocker(contact, category, at, service_id)
        if blocker is None:
            reason = f"subscribed to {category.value}"
            _add(found, Recipient(contact.details.email, contact.details.name, reason, contact.id))
        else:
            left_out.append(f"contact {contact.id} {blocker}")
    return Routing(tuple(found), tuple(left_out))


def ticket_recipients(account: Account, opened_by: ContactId | None, at: datetime) -> Routing:
    """Who is emailed a reply on a ticket: the owner, and the contact who opened it.

    Args:
        account: the client and its contacts.
        opened_by: the contact who opened the ticket, or None when the owner did.
        at: the instant of the reply.

    Returns:
        The owner, then the opening contact if it is still active and holds ``tickets``;
        every other contact is left out (they may read the ticket in the client area).
    """
    check_instant(at)
    found = [_owner(account.client)]
    left_out: list[str] = []
    for contact in account.contacts:
        if contact.id != opened_by:
            left_out.append(f"contact {contact.id} did not open the ticket")
        elif not contact.active:
            left_out.append(f"contact {contact.id} opened the ticket but is disabled")
        elif holding_for(contact, Right.TICKETS, None, at) is None:
            left_out.append(f"contact {contact.id} opened the ticket but no longer holds tickets")
        else:
            reason = "opened the ticket"
            _add(found, Recipient(contact.details.email, contact.details.name, reason, contact.id))
    return Routing(tuple(found), tuple(left_out))
