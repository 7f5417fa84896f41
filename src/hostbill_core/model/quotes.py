"""Custom work quotes: priced lines a client may accept before they expire."""

from __future__ import annotations

import enum
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    calendar_date,
    check_currency,
    code,
    identifier,
    version_number,
)
from hostbill_core.model.ids import ClientId, InvoiceId, QuoteId
from hostbill_core.money import sum_money

__all__ = ["Quote", "QuoteLine", "QuoteStatus"]


class QuoteStatus(enum.Enum):
    """draft → sent → accepted (invoiced) or expired."""

    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


@attrs.frozen
class QuoteLine:
    """A line of custom work: a description and its amount."""

    description: str
    amount: Money


@attrs.frozen
class Quote:
    """A quote for custom work, valid until ``expires_on`` (inclusive).

    Raises:
        ValidationError: ``expires_on`` before ``created_on``.
        CurrencyMismatchError: a line in another currency.
    """

    id: QuoteId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    currency: str = attrs.field(converter=code)
    created_on: date = attrs.field(validator=calendar_date)
    expires_on: date = attrs.field(validator=calendar_date)
    lines: tuple[QuoteLine, ...] = ()
    status: QuoteStatus = QuoteStatus.DRAFT
    invoice_id: InvoiceId | None = None
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        if self.expires_on < self.created_on:
            raise ValidationError("expires_on", self.expires_on, "must not be before created_on")
        for i, line in enumerate(self.lines):
            check_currency(f"lines[{i}].amount", line.amount, self.currency)

    @property
    def total(self) -> Money:
        """The exact sum of the lines."""
        return sum_money((line.amount for line in self.lines), self.currency)
