"""Billable items and the per-client queue they wait in until they are invoiced.

A :class:`BillableItem` is one thing to bill (a renewal, a setup fee, a plan change, an
accepted quote line, a manual one-off charge), already priced and rounded by the engine that
produced it. Its ``key`` is a natural key: the same key is never queued twice and never
invoiced twice, so a billing run can propose everything it sees and re-running it adds
nothing.

>>> from datetime import date
>>> from hostbill_core.money import to_money
>>> item = BillableItem(
...     client_id="c1", currency="USD", due_date=date(2026, 3, 1), description="Hosting",
...     amount=to_money("10.00", "USD"), kind=LineKind.RENEWAL,
...     key=natural_key(LineKind.RENEWAL, "s1", Period(date(2026, 3, 1), date(2026, 4, 1))))
>>> item.key
'renewal/s1/2026-03-01..2026-04-01'
>>> update = enqueue(BillableQueue("c1"), (item, item))
>>> len(update.queue.items), update.skipped
(1, ('renewal/s1/2026-03-01..2026-04-01',))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import ConflictError, ValidationError
from hostbill_core.model.checks import calendar_date, check_currency, code, identifier
from hostbill_core.model.ids import ClientId, ContactId, ServiceGroupId, ServiceId
from hostbill_core.model.invoices import InvoiceLine, LineKind, TaxAmount
from hostbill_core.money import sum_money, to_minor

__all__ = [
    "BillableItem",
    "BillableQueue",
    "LineKind",
    "Period",
    "QueueTake",
    "QueueUpdate",
    "enqueue",
    "natural_key",
    "take_due",
]


def natural_key(kind: LineKind, subject: str, period: Period | None = None) -> str:
    """Return the natural key of a billable item: ``kind/subject[/start..end]``.

    Args:
        kind: what produces the item (renewal, setup fee …).
        subject: what it is about: a service id, ``"quote-q1-2"``, a manual charge's id.
        period: the half-open service period it bills, if any.

    Raises:
        ValidationError: an empty subject, or one containing ``/``.

    >>> from datetime import date
    >>> natural_key(LineKind.SETUP, "s1")
    'setup/s1'
    """
    if not subject or "/" in subject:
        raise ValidationError("subject", subject, "a non-empty id without '/'")
    key = f"{kind.value}/{subject}"
    if period is not None:
        key += f"/{period.start.isoformat()}..{period.end.isoformat()}"
    return key


def _rounded(field: str, money: Money) -> int:
    try:
        return to_minor(money)
    except ValidationError:
        raise ValidationError(
            field, money, f"round it to the minor unit of {money.currency.code} first"
        ) from None


def _key(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(attribute.name, value, "a natural key is a non-empty string")


@attrs.frozen
class BillableItem:
    """One priced thing to bill a client, waiting to become an invoice line.

    Attributes:
        client_id: the client billed.
        currency: ISO 4217 code of ``amount`` and every tax.
        due_date: the date the item is due (the invoice's due date comes from it).
        description: the line text the client reads.
        amount: the net amount, already rounded to the minor unit by its producer;
            negative for a discount or a credit line.
        kind: what produced it.
        key: its natural key (see :func:`natural_key`), unique across queue and invoices.
        service_id: the service it bills, if any.
        group_id: the client service group of that service, if any.
        period: the half-open service period it bills, if any.
        taxes: the taxes on ``amount``, each already rounded (pricing engine).
        explanation: how the amount was derived, in words.
        billing_contact_id: the contact the invoice goes to, when not the client.
        minor_total: :attr:`total` as a whole number of minor units (derived, not an
            argument; grouping sums it instead of Money values).

    Raises:
        ValidationError: an amount or tax finer than the minor unit, an empty key.
        CurrencyMismatchError: the amount or a tax in another currency.
    """

    client_id: ClientId = attrs.field(validator=identifier)
    currency: str = attrs.field(converter=code)
    due_date: date = attrs.field(validator=calendar_date)
    description: str
    amount: Money
    kind: LineKind
    key: str = attrs.field(validator=_key)
    service_id: ServiceId | None = None
    group_id: ServiceGroupId | None = None
    period: Period | None = None
    taxes: tuple[TaxAmount, ...] = ()
    explanation: str = ""
    billing_contact_id: ContactId | None = None
    minor_total: int = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        check_currency("amount", self.amount, self.currency)
        units = _rounded("amount", self.amount)
        for i, tax in enumerate(self.taxes):
            check_currency(f"taxes[{i}]", tax.amount, self.currency)
            units += _rounded(f"taxes[{i}]", tax.amount)
        object.__setattr__(self, "minor_total", units)

    @property
    def total(self) -> Money:
        """The net amount plus every tax, exactly."""
        return sum_money((self.amount, *(t.amount for t in self.taxes)), self.currency)

    def to_line(self, *, grouped: bool = True) -> InvoiceLine:
        """Return the invoice line for this item.

        Args:
            grouped: False drops the service group (a group hidden on invoices).
        """
        return InvoiceLine(
            description=self.description,
            amount=self.amount,
            kind=self.kind,
            key=self.key,
            service_id=self.service_id,
            group_id=self.group_id if grouped else None,
            period=self.period,
            taxes=self.taxes,
            explanation=self.explanation,
        )


@attrs.frozen
class BillableQueue:
    """The items queued for one client's next invoices (HostBill's "queued invoice items").

    Raises:
        ValidationError: an item of another client, or two items with one key.
    """

    client_id: ClientId = attrs.field(validator=identifier)
    items: tuple[BillableItem, ...] = ()

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            if item.client_id != self.client_id:
                raise ValidationError(f"items[{i}].client_id", item.client_id, "another client")
            if item.key in seen:
                raise ValidationError(f"items[{i}].key", item.key, "a key is queued once")
            seen.add(item.key)

    @property
    def keys(self) -> frozenset[str]:
        """The natural keys of the queued items."""
        return frozenset(item.key for item in self.items)


@attrs.frozen
class QueueUpdate:
    """What :func:`enqueue` did: the new queue, the items added and the keys skipped."""

    queue: BillableQueue
    added: tuple[BillableItem, ...]
    skipped: tuple[str, ...]
    explanation: str


def enqueue(
    queue: BillableQueue,
    items: Iterable[BillableItem],
    invoiced_keys: Collection[str] = frozenset(),
) -> QueueUpdate:
    """Add the items whose key is neither queued nor invoiced; skip the others.

    Re-proposing an identical item is not an error (a billing run re-proposes everything);
    proposing a different item under a queued key is.

    Args:
        queue: the client's queue.
        items: proposed items, in order.
        invoiced_keys: the natural keys already on the client's invoices.

    Raises:
        ConflictError: an item differs from the queued item holding its key.
        ValidationError: an item of another client.
    """
    queued = {item.key: item for item in queue.items}
    added: list[BillableItem] = []
    skipped: list[str] = []
    for item in items:
        held = queued.get(item.key)
        if held is not None and held != item:
            raise ConflictError(
                "billable item", item.key, "another item is queued under this key: remove it first"
            )
        if held is not None or item.key in invoiced_keys:
            skipped.append(item.key)
            continue
        queued[item.key] = item
        added.append(item)
    new_queue = BillableQueue(queue.client_id, (*queue.items, *added))
    explanation = (
        f"{len(added)} item(s) queued, {len(skipped)} skipped (key already queued or invoiced)"
    )
    return QueueUpdate(new_queue, tuple(added), tuple(skipped), explanation)


@attrs.frozen
class QueueTake:
    """The items due by a date, taken out of the queue, and the queue that remains."""

    due: tuple[BillableItem, ...]
    queue: BillableQueue
    explanation: str


def take_due(queue: BillableQueue, through: date) -> QueueTake:
    """Take every queued item due on or before ``through`` (invoice lead days already added).

    >>> from datetime import date
    >>> take_due(BillableQueue("c1"), date(2026, 1, 1)).explanation
    '0 item(s) due on or before 2026-01-01, 0 left queued'
    """
    due = tuple(item for item in queue.items if item.due_date <= through)
    rest = tuple(item for item in queue.items if item.due_date > through)
    explanation = (
        f"{len(due)} item(s) due on or before {through.isoformat()}, {len(rest)} left queued"
    )
    return QueueTake(due, BillableQueue(queue.client_id, rest), explanation)
