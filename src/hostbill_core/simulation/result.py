"""What a simulation returns: the timeline of what it did, and summaries read from the store.

The timeline lists what this run did, day by day: invoices issued, payments received,
suspensions, cancellations, emails, and the scenario's own events. A rerun on the same
database does nothing new, so its timeline is empty and :attr:`SimulationResult.added` is 0.

The summary is read from the store at the end, so it describes the whole simulated history
and a rerun's summary equals the first run's:

- revenue per month and currency: ``invoiced`` is the total of the invoices issued that month
  (cancelled ones left out), ``collected`` the payments received that month;
- the monthly run rate per currency of the active services on the last day (every price
  normalised to one month exactly, rounded once, ROUND_HALF_UP: see
  :func:`~hostbill_core.invoicing.statistics.monthly_run_rate`);
- invoices issued, services suspended and terminated (or cancelled) on the last day, what is
  outstanding per currency, and each client's credit balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

import attrs
from moneyed import Money

from hostbill_core.invoicing.statistics import RecurringCharge, monthly_run_rate
from hostbill_core.model import (
    Client,
    CreditEntry,
    Invoice,
    InvoiceStatus,
    Payment,
    PricePlan,
    Service,
    ServiceStatus,
)
from hostbill_core.money import sum_money
from hostbill_core.ports import UnitOfWork

__all__ = ["MonthRevenue", "SimulationResult", "Summary", "TimelineEntry", "summarise"]


@attrs.frozen
class TimelineEntry:
    """One thing that happened on a simulated day.

    Attributes:
        on: the day.
        kind: a dotted name: ``invoice.issued``, ``payment.received``, ``service.suspended``,
            ``service.cancelled``, ``email.sent``, ``order.placed`` ...
        client_id: the client concerned.
        subject: the invoice number, service id, order id ... it is about.
        amount: the amount, when there is one.
        detail: what happened, in words.
    """

    on: date
    kind: str
    client_id: str
    subject: str
    amount: Money | None = None
    detail: str = ""


@attrs.frozen
class MonthRevenue:
    """One month's revenue in one currency: invoiced (issued that month) and collected."""

    month: str
    currency: str
    invoiced: Money
    collected: Money


def _frozen(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(unsafe_hash=False)
class Summary:
    """The state of the simulated shop at the end, and its history by month.

    Attributes:
        clients: how many clients there are.
        services: services by status name (``active``, ``suspended``, ``cancelled`` ...).
        invoices_issued: how many invoices were issued (any status but draft).
        revenue: per month and currency, in month then currency order.
        run_rate: the monthly run rate per currency.
        outstanding: unpaid balances per currency.
        credit_balances: the non-zero credit balance of each client, by client id.
    """

    clients: int
    services: Mapping[str, int] = attrs.field(converter=_frozen)
    invoices_issued: int = 0
    revenue: tuple[MonthRevenue, ...] = ()
    run_rate: Mapping[str, Money] = attrs.field(factory=dict, converter=_frozen)
    outstanding: Mapping[str, Money] = attrs.field(factory=dict, converter=_frozen)
    credit_balances: Mapping[str, Money] = attrs.field(factory=dict, converter=_frozen)

    @property
    def suspended(self) -> int:
        """Services suspended on the last day."""
        return self.services.get(ServiceStatus.SUSPENDED.value, 0)

    @property
    def terminated(self) -> int:
        """Services terminated or cancelled by the last day."""
        ended = (ServiceStatus.TERMINATED.value, ServiceStatus.CANCELLED.value)
        return sum(self.services.get(status, 0) for status in ended)


@attrs.frozen
class ClientError:
    """A client whose billing failed on a day (nothing of it was stored that day)."""

    on: date
    client_id: str
    error: str


@attrs.frozen(unsafe_hash=False)
class SimulationResult:
    """A simulation's outcome.

    Attributes:
        name: the scenario's name.
        start, until: the first and last day simulated.
        timeline: what this run did, in day order.
        summary: the shop as stored at the end.
        added: how many records this run added to the store (0 on a rerun).
        errors: clients whose billing failed on some day, with the error.
    """

    name: str
    start: date
    until: date
    timeline: tuple[TimelineEntry, ...]
    summary: Summary
    added: int
    errors: tuple[ClientError, ...] = ()

    def count(self, kind: str) -> int:
        """How many timeline entries are of ``kind``."""
        return sum(1 for entry in self.timeline if entry.kind == kind)


def summarise(uow: UnitOfWork) -> Summary:
    """Read the shop's summary from the store (everything, through one unit of work)."""
    clients: dict[str, Client] = {c.id: c for c in uow.clients.list()}
    services = uow.services.list()
    invoices = [i for i in uow.invoices.list() if i.status is not InvoiceStatus.DRAFT]
    statuses: dict[str, int] = defaultdict(int)
    for service in services:
        statuses[service.status.value] += 1
    plans: dict[str, PricePlan] = {p.id: p for p in uow.plans.list()}
    return Summary(
        len(clients),
        dict(sorted(statuses.items())),
        sum(1 for i in invoices if i.issued_on is not None),
        _revenue(invoices, uow.payments.list()),
        _run_rate(services, clients, plans),
        _outstanding(invoices),
        _balances(uow.credit.list(), clients),
    )


def _revenue(invoices: Iterable[Invoice], payments: Iterable[Payment]) -> tuple[MonthRevenue, ...]:
    invoiced: dict[tuple[str, str], list[Money]] = defaultdict(list)
    collected: dict[tuple[str, str], list[Money]] = defaultdict(list)
    for invoice in invoices:
        if invoice.issued_on is not None and invoice.status is not InvoiceStatus.CANCELLED:
            invoiced[invoice.issued_on.strftime("%Y-%m"), invoice.currency].append(invoice.total)
    for payment in payments:
        month = payment.received_at.strftime("%Y-%m")
        collected[month, payment.amount.currency.code].append(payment.amount)
    return tuple(
        MonthRevenue(
            month,
            code,
            sum_money(invoiced[month, code], code),
            sum_money(collected[month, code], code),
        )
        for month, code in sorted(invoiced.keys() | collected.keys())
    )


def _run_rate(
    services: Iterable[Service], clients: Mapping[str, Client], plans: Mapping[str, PricePlan]
) -> dict[str, Money]:
    charges: dict[str, list[RecurringCharge]] = defaultdict(list)
    for service in services:
        client, plan = clients.get(service.client_id), plans.get(service.plan_id)
        if client is None or plan is None:
            continue
        price = service.price_override
        if price is None:
            entry = plan.entry(service.cycle, client.currency)
            price = entry.price if entry is not None else None
        if price is not None:
            active = service.status is ServiceStatus.ACTIVE
            charges[price.currency.code].append(
                RecurringCharge(service.id, price, service.cycle, active)
            )
    return {code: monthly_run_rate(found, code) for code, found in sorted(charges.items())}


def _outstanding(invoices: Iterable[Invoice]) -> dict[str, Money]:
    due: dict[str, list[Money]] = defaultdict(list)
    for invoice in invoices:
        if invoice.status in (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS):
            due[invoice.currency].append(invoice.balance_due)
    return {code: sum_money(amounts, code) for code, amounts in sorted(due.items())}


def _balances(entries: Iterable[CreditEntry], clients: Mapping[str, Client]) -> dict[str, Money]:
    by_client: dict[str, list[Money]] = defaultdict(list)
    for entry in entries:
        client = clients.get(entry.client_id)
        if client is not None and entry.amount.currency.code == client.currency:
            by_client[entry.client_id].append(entry.amount)
    balances = {
        id: sum_money(amounts, clients[id].currency) for id, amounts in sorted(by_client.items())
    }
    return {id: balance for id, balance in balances.items() if balance.amount != 0}
