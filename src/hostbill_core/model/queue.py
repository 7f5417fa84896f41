"""Queued invoice items: one-off charges a staff member queues for a client's next invoice.

HostBill calls them "queued invoice items": they wait on the client's profile and are put on
the next invoice issued to the client. Each holds a natural key, unique across the queue and
every invoice line, so it is never queued or invoiced twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NewType

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    aware_instant,
    calendar_date,
    check_currency,
    code,
    identifier,
    version_number,
)
from hostbill_core.model.ids import ClientId, ServiceId
from hostbill_core.model.invoices import LineKind, TaxAmount
from hostbill_core.money import to_minor

__all__ = ["QueuedItem", "QueuedItemId"]

QueuedItemId = NewType("QueuedItemId", str)


def _optional_instant(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        aware_instant(instance, attribute, value)


def _rounded(field: str, money: Money) -> None:
    try:
        to_minor(money)
    except ValidationError:
        raise ValidationError(field, money, "round it to the currency's minor unit first") from None


@attrs.frozen
class QueuedItem:
    """One item waiting for the client's next invoice.

    Attributes:
        id: the queued item's id.
        client_id: the client to bill.
        currency: ISO 4217 code of ``amount`` and every tax; the client's currency
            (``usecases.queue.queue_item`` refuses another: it could join no invoice).
        due_date: the earliest invoice due date it may go on: it joins the first invoice of
            the client in its currency due on or after this date.
        description: the line text the client reads.
        amount: the net amount, rounded to the minor unit; negative for a discount.
        key: its natural key, unique across the queue and every invoice line.
        kind: what it is (a manual charge unless told).
        service_id: the client's service it is about, if any.
        period: the half-open service period it bills, if any.
        taxes: the taxes on ``amount``, each rounded.
        explanation: how the amount was arrived at.
        queued_at: when it was queued (aware, UTC).
        actor: who queued it.

    Raises:
        ValidationError: an empty key, an amount or tax finer than the minor unit, a naive
            instant.
        CurrencyMismatchError: the amount or a tax in another currency.
    """

    id: QueuedItemId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    currency: str = attrs.field(converter=code)
    due_date: date = attrs.field(validator=calendar_date)
    description: str
    amount: Money
    key: str = attrs.field(validator=identifier)
    kind: LineKind = LineKind.MANUAL
    service_id: ServiceId | None = None
    period: Period | None = None
    taxes: tuple[TaxAmount, ...] = ()
    explanation: str = ""
    queued_at: datetime | None = attrs.field(default=None, validator=_optional_instant)
    actor: str = ""
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        check_currency("amount", self.amount, self.currency)
        _rounded("amount", self.amount)
        for i, tax in enumerate(self.taxes):
            check_currency(f"taxes[{i}]", tax.amount, self.currency)
            _rounded(f"taxes[{i}]", tax.amount)
