"""The simulated shop: its ports, its payment queue, its timeline, and the payments it makes.

A :class:`Shop` holds what the simulation needs between days: the store, its ports (the
scenario's exchange rates in a :class:`~hostbill_core.adapters.rates.RateTable`, a
:class:`~hostbill_core.adapters.clock.SimulatedClock` set to the day being run, the fraud
ports), the queue of payments the payer profiles drew, and the timeline and errors of the
run (end-of-period cancellations wait in the store, as requests).
Every step it takes is safe to repeat on the same day: it checks what is stored first (a
payment under ``pay-<invoice>``, an open invoice) and does nothing when it was done.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from functools import partial

import attrs

from hostbill_core.adapters.clock import SimulatedClock
from hostbill_core.adapters.rates import RateTable
from hostbill_core.errors import HostbillError
from hostbill_core.fraud import FraudPorts
from hostbill_core.fraud.fakes import InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.fraud.ports import PastOrder
from hostbill_core.model import (
    CreditEntryId,
    InvoiceId,
    InvoiceStatus,
    Payment,
    PaymentId,
)
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.simulation.payers import payment_day
from hostbill_core.simulation.result import ClientError, TimelineEntry
from hostbill_core.simulation.scenario import PayerProfile, Scenario
from hostbill_core.usecases import BillingEvent, IssuedInvoice
from hostbill_core.usecases.pay_invoice import PaymentOutcome, pay_invoice
from hostbill_core.usecases.payments import PayInvoices

__all__ = ["CLOCK_HOUR", "OPEN", "Shop", "instant"]

#: Invoice states a payment may still settle.
OPEN = (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS)

#: The hour (UTC) the shop's clock reads on each simulated day: a use case that asks the
#: clock sees the day at 09:00, the hour the handlers date currency changes and credits.
CLOCK_HOUR = 9


def instant(day: date, hour: int = 12) -> datetime:
    """The simulated instant of ``day`` at ``hour``:00 UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@attrs.define
class Shop:
    """The simulated shop over one store.

    Attributes:
        scenario: the scenario run.
        new_uow: opens units of work on the store.
        payers: each client's payer profile, by client id.
        timeline: what was done, in order (appended to).
        errors: what was refused, in order (appended to).
    """

    scenario: Scenario
    new_uow: UnitOfWorkFactory
    payers: dict[str, PayerProfile]
    timeline: list[TimelineEntry] = attrs.Factory(list)
    errors: list[ClientError] = attrs.Factory(list)
    _payments: list[tuple[date, str, str]] = attrs.Factory(list)  # (day, invoice id, client)
    _rates: RateTable = attrs.field(init=False)
    _clock: SimulatedClock = attrs.field(init=False)
    _history: InMemoryOrderHistory = attrs.field(init=False, factory=InMemoryOrderHistory)

    def __attrs_post_init__(self) -> None:
        self._rates = RateTable(self.scenario.rates)
        self._clock = SimulatedClock(instant(self.scenario.start, CLOCK_HOUR))

    @property
    def rates(self) -> RateTable:
        """The scenario's exchange rates as a rates port."""
        return self._rates

    @property
    def clock(self) -> SimulatedClock:
        """The clock port the use cases read: the day being simulated, at :data:`CLOCK_HOUR`."""
        return self._clock

    def begin(self, day: date) -> None:
        """Set the clock to ``day`` at :data:`CLOCK_HOUR`, before anything of the day is done."""
        self._clock.set_to(instant(day, CLOCK_HOUR))

    @property
    def fraud(self) -> FraudPorts:
        """The fraud ports: no GeoIP data, and the history of the orders placed so far."""
        return FraudPorts(InMemoryGeoIP(), self._history)

    @property
    def history(self) -> InMemoryOrderHistory:
        """The order history the fraud checks read (fed with every order placed)."""
        return self._history

    def note(self, entry: TimelineEntry) -> None:
        """Add ``entry`` to the timeline."""
        self.timeline.append(entry)

    def guard(self, day: date, client: str, action: Callable[[], None]) -> None:
        """Run ``action``; a refusal becomes an error of ``day`` for ``client``."""
        try:
            action()
        except HostbillError as error:
            self.errors.append(ClientError(day, client, f"{type(error).__name__}: {error}"))

    def start(self) -> None:
        """Load what an earlier run left: open invoices to pay, past orders for fraud checks."""
        with self.new_uow() as uow:
            invoices = [i for i in uow.invoices.list() if i.status in OPEN]
            emails = {c.id: c.details.email.lower() for c in uow.clients.list()}
            orders = uow.orders.list()
        for invoice in invoices:
            number = invoice.number or invoice.proforma_number or invoice.id
            issued = invoice.issued_on or invoice.due_date
            self.schedule_payment(invoice.id, number, invoice.client_id, invoice.due_date, issued)
        for order in orders:
            email = emails.get(order.client_id, "")
            self._history.record(
                PastOrder(order.id, order.client_id, email, order.ip, order.placed_at, order.status)
            )

    def issued(self, day: date, client: str, invoices: Iterable[IssuedInvoice]) -> None:
        """Note invoices issued on ``day`` and queue their payments."""
        for invoice in invoices:
            detail = f"{invoice.lines} line(s), due {invoice.due_date}"
            if invoice.credit_applied.amount:
                detail += f", credit applied {invoice.credit_applied.amount}"
            self.note(
                TimelineEntry(day, "invoice.issued", client, invoice.number, invoice.total, detail)
            )
            if invoice.status is InvoiceStatus.UNPAID:
                self.schedule_payment(
                    invoice.invoice_id, invoice.number, client, invoice.due_date, day
                )

    def billing_events(self, day: date, events: Iterable[object]) -> None:
        """Note the billing events among ``events`` (renewals, suspensions, emails)."""
        for event in events:
            if not isinstance(event, BillingEvent) or event.name == "invoice.issued":
                continue
            detail = event.explanation
            if event.template:
                detail = f"{event.template}: {detail}"
            self.note(TimelineEntry(day, event.name, event.client_id, event.subject, None, detail))

    def schedule_payment(
        self, invoice_id: str, number: str, client: str, due: date, on: date
    ) -> None:
        """Queue the payment of an invoice issued on ``on``, on the day the payer pays."""
        profile = self.payers.get(client)
        day = None if profile is None else payment_day(profile, self.scenario.seed, number, due, on)
        if day is not None:
            heapq.heappush(self._payments, (day, invoice_id, client))

    def pay_due(self, day: date) -> None:
        """Pay in full every queued invoice whose payment day has come (and is still open)."""
        while self._payments and self._payments[0][0] <= day:
            _, invoice_id, client = heapq.heappop(self._payments)
            self.guard(day, client, partial(self._pay, day, InvoiceId(invoice_id)))

    def _pay(self, day: date, invoice_id: InvoiceId) -> None:
        payment_id = PaymentId(f"pay-{invoice_id}")
        with self.new_uow() as uow:
            invoice = uow.invoices.get(invoice_id)
            done = uow.payments.find(payment_id) is not None
        if done or invoice.status not in OPEN or invoice.balance_due.amount <= 0:
            return
        payment = Payment(
            payment_id, invoice.client_id, instant(day), invoice.balance_due, gateway="simulation"
        )
        credit = CreditEntryId(f"{payment_id}-credit")
        request = PayInvoices(payment, day, (invoice_id,), credit_entry_id=credit)
        self.paid(day, pay_invoice(self.new_uow, request), invoice.number or invoice_id)

    def paid(self, day: date, outcome: PaymentOutcome, what: str) -> None:
        """Note a payment and what it renewed, unsuspended or unlocked."""
        payment = outcome.application.payment
        self.note(
            TimelineEntry(
                day, "payment.received", payment.client_id, payment.id, payment.amount,
                f"paid {what}",
            )
        )  # fmt: skip
        self.billing_events(day, outcome.events)
