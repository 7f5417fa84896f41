"""Clients: the accounts a hosting business bills, with their details and setting overrides."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model.changes import ProfileChange
from hostbill_core.model.checks import (
    calendar_date,
    code,
    email,
    emails,
    identifier,
    optional_calendar_date,
    version_number,
)
from hostbill_core.model.ids import ClientId, ContactId

__all__ = [
    "AccountType",
    "Address",
    "Client",
    "ClientSettings",
    "ClientStatus",
    "ContactDetails",
    "PaymentMethod",
]


class AccountType(enum.Enum):
    """Whether the client is a person or an organisation (tax rules differ)."""

    PRIVATE = "private"
    ORGANISATION = "organisation"


class ClientStatus(enum.Enum):
    """A client account's state. ``DELETED`` is a soft delete: records are kept."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    CLOSED = "closed"
    ARCHIVED = "archived"
    DELETED = "deleted"


class PaymentMethod(enum.Enum):
    """How a client pays: not at all, against an invoice, or by card."""

    FREE = "free"
    INVOICE = "invoice"
    CARD = "card"


def _country(value: str) -> str:
    if value and (len(value) != 2 or not value.isalpha() or not value.isupper()):
        raise ValidationError("country", value, "an ISO 3166 alpha-2 code such as 'DE', or ''")
    return value


@attrs.frozen
class Address:
    """A postal address; ``country`` is an ISO 3166 alpha-2 code (or empty when unknown)."""

    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = attrs.field(default="", converter=_country)


@attrs.frozen
class ContactDetails:
    """A person's or company's name, email, phone and address."""

    name: str
    email: str = attrs.field(validator=email)
    company: str = ""
    phone: str = ""
    address: Address = Address()


def _optional_days(
    _instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValidationError(attribute.name, value, "a number of days, 0 or more, or None")


@attrs.frozen
class ClientSettings:
    """Per-client overrides of the business's settings; ``None`` means "use the default".

    Attributes:
        invoice_lead_days: days before a due date that its invoice is issued.
        auto_apply_credit: apply the credit balance to new invoices automatically.
        continue_invoicing_when_unpaid: issue the next renewal while one is unpaid.
        order_approval_required: every order waits for approval.
        allow_negative_credit: the credit balance may go below zero.
    """

    invoice_lead_days: int | None = attrs.field(default=None, validator=_optional_days)
    auto_apply_credit: bool | None = None
    continue_invoicing_when_unpaid: bool | None = None
    order_approval_required: bool | None = None
    allow_negative_credit: bool | None = None


@attrs.frozen
class Client:
    """A client account (the owner of services, invoices, credit and contacts).

    Attributes:
        id: the client's identifier.
        details: the owner's name, email, company, phone and address.
        currency: ISO 4217 code every amount of this client is billed in.
        active_from: the first calendar day the account is billed.
        active_until: the last day it is billed (inclusive), or None.
        billing_contact_id: the contact whose details are used for card and gateway payments.
        invoice_recipients: extra addresses that receive every invoice.
        invoice_note: a note printed on every invoice.
        affiliate_id: the affiliate who referred the client.
        changes: the profile change log, oldest first.
        version: the stored version (0 until first saved); see the ports.
    """

    id: ClientId = attrs.field(validator=identifier)
    details: ContactDetails
    currency: str = attrs.field(converter=code)
    active_from: date = attrs.field(validator=calendar_date)
    account_type: AccountType = AccountType.PRIVATE
    status: ClientStatus = ClientStatus.ACTIVE
    group: str = ""
    language: str = "en"
    billing_contact_id: ContactId | None = None
    tax_exempt: bool = False
    vat_number: str = ""
    payment_method: PaymentMethod = PaymentMethod.INVOICE
    active_until: date | None = attrs.field(default=None, validator=optional_calendar_date)
    invoice_recipients: tuple[str, ...] = attrs.field(default=(), validator=emails)
    invoice_note: str = ""
    affiliate_id: str | None = None
    settings: ClientSettings = ClientSettings()
    version: int = attrs.field(default=0, validator=version_number)
    changes: tuple[ProfileChange, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.active_until is not None and self.active_until < self.active_from:
            raise ValidationError(
                "active_until",
                self.active_until,
                f"must not be before active_from ({self.active_from.isoformat()})",
            )
