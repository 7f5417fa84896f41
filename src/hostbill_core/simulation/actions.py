"""What the simulated shop does on a day besides the billing run: events, payments, cancels.

Each action goes through a use case (or one small unit of work of its own) and is safe to
repeat on the same day: it checks what is stored first (an order or a credit entry under the
event's id, a payment under ``pay-<invoice>``, a client already in the new currency) and
does nothing when it was done. A refusal is recorded as an error of the day and the
simulation goes on, as the billing run does with a failing client.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from functools import partial

import attrs

from hostbill_core.errors import HostbillError
from hostbill_core.invoicing import lifecycle
from hostbill_core.model import (
    CreditEntryId,
    InvoiceId,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentId,
    Service,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.ports import UnitOfWork, UnitOfWorkFactory
from hostbill_core.renewal import cancel
from hostbill_core.simulation.payers import payment_day
from hostbill_core.simulation.result import ClientError, TimelineEntry
from hostbill_core.simulation.scenario import (
    CancelService,
    ChangeCurrency,
    Event,
    ManualCredit,
    ManualPayment,
    PayerProfile,
    Scenario,
)
from hostbill_core.testing.fakes import FixedClock, StaticRates
from hostbill_core.usecases import BillingEvent
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.currency import ChangeClientCurrency, change_client_currency
from hostbill_core.usecases.pay_invoice import PaymentOutcome, pay_invoice
from hostbill_core.usecases.payments import PayInvoices

__all__ = ["Shop", "instant"]

_OPEN = (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS)
_ENDED = (ServiceStatus.CANCELLED, ServiceStatus.TERMINATED)


def instant(day: date, hour: int = 12) -> datetime:
    """The simulated instant of ``day`` at ``hour``:00 UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@attrs.define
class Shop:
    """The simulated shop's day-to-day operations over one store.

    Attributes:
        scenario: the scenario run.
        new_uow: opens units of work on the store.
        payers: each client's payer profile.
        timeline: what was done, in order (appended to).
        errors: what was refused, in order (appended to).
    """

    scenario: Scenario
    new_uow: UnitOfWorkFactory
    payers: dict[str, PayerProfile]
    timeline: list[TimelineEntry] = attrs.Factory(list)
    errors: list[ClientError] = attrs.Factory(list)
    _payments: list[tuple[date, str, str]] = attrs.Factory(list)  # (day, invoice id, client)
    _cancels: dict[date, list[ServiceId]] = attrs.Factory(dict)
    _rates: StaticRates = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._rates = StaticRates(self.scenario.rates)

    @property
    def rates(self) -> StaticRates:
        """The scenario's exchange rates as a rates port."""
        return self._rates

    def note(self, entry: TimelineEntry) -> None:
        """Add ``entry`` to the timeline."""
        self.timeline.append(entry)

    def guard(self, day: date, client: str, action: Callable[[], None]) -> None:
        """Run ``action``; a refusal becomes an error of ``day`` for ``client``."""
        try:
            action()
        except HostbillError as error:
            self.errors.append(ClientError(day, client, f"{type(error).__name__}: {error}"))

    def schedule_payment(
        self, invoice_id: str, number: str, client: str, due: date, on: date
    ) -> None:
        """Queue the payment of an invoice issued on ``on``, on the day the payer pays."""
        profile = self.payers.get(client)
        day = None if profile is None else payment_day(profile, self.scenario.seed, number, due, on)
        if day is not None:
            heapq.heappush(self._payments, (day, invoice_id, client))

    def schedule_open_invoices(self) -> None:
        """Queue payments of invoices left open by an earlier run (a resumed simulation)."""
        with self.new_uow() as uow:
            open_invoices = [i for i in uow.invoices.list() if i.status in _OPEN]
        for invoice in open_invoices:
            number = invoice.number or invoice.proforma_number or invoice.id
            issued = invoice.issued_on or invoice.due_date
            self.schedule_payment(invoice.id, number, invoice.client_id, invoice.due_date, issued)

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
        if done or invoice.status not in _OPEN or invoice.balance_due.amount <= 0:
            return
        payment = Payment(
            payment_id, invoice.client_id, instant(day), invoice.balance_due, gateway="simulation"
        )
        request = PayInvoices(
            payment, day, (invoice_id,), credit_entry_id=CreditEntryId(f"{payment_id}-credit")
        )
        self._paid(day, pay_invoice(self.new_uow, request), invoice.number or invoice_id)

    def _paid(self, day: date, outcome: PaymentOutcome, what: str) -> None:
        payment = outcome.application.payment
        self.note(
            TimelineEntry(
                day,
                "payment.received",
                payment.client_id,
                payment.id,
                payment.amount,
                f"paid {what}",
            )
        )
        self.billing_events(outcome.events)

    def billing_events(self, events: Iterable[BillingEvent]) -> None:
        """Add use-case events (renewals, suspensions, emails) to the timeline."""
        for event in events:
            detail = (
                f"{event.template}: {event.explanation}" if event.template else event.explanation
            )
            self.note(
                TimelineEntry(event.on, event.name, event.client_id, event.subject, None, detail)
            )

    def apply(self, day: date, event: Event) -> None:
        """Carry out one scenario event of ``day`` (refusals become errors of the day)."""
        handler = _HANDLERS[type(event)]
        client = str(getattr(event, "client", "") or getattr(event, "service", ""))
        self.guard(day, client, partial(handler, self, day, event))

    def cancel_due(self, day: date) -> None:
        """Carry out end-of-period cancellations that fall due on ``day``."""
        for service_id in self._cancels.pop(day, []):
            self.guard(day, service_id, partial(self._cancel_now, day, service_id))

    def _cancel(self, day: date, event: CancelService) -> None:
        if event.immediately:
            self._cancel_now(day, event.service)
            return
        with self.new_uow() as uow:
            service = uow.services.get(event.service)
        if service.status not in _ENDED:
            self._cancels.setdefault(service.next_due_date, []).append(service.id)

    def _cancel_now(self, day: date, service_id: ServiceId) -> None:
        with self.new_uow() as uow:
            service = uow.services.get(service_id)
            if service.status in _ENDED:
                return
            uow.services.save(cancel(service))
            dropped = _drop_renewal_invoices(uow, service)
            uow.commit()
        detail = f"cancelled on request; open renewal invoices cancelled: {dropped or 'none'}"
        self.note(
            TimelineEntry(day, "service.cancelled", service.client_id, service_id, None, detail)
        )

    def _currency(self, day: date, event: ChangeCurrency) -> None:
        with self.new_uow() as uow:
            client = uow.clients.get(event.client)
        if client.currency == event.currency:
            return
        rate = self._rates.rate(client.currency, event.currency, day)
        command = ChangeClientCurrency(
            event.client, event.currency, event.mode, rate, max((day - rate.as_of).days, 1)
        )
        plan = change_client_currency(
            self.new_uow, command, self._rates, FixedClock(instant(day, 9))
        )
        change = f"{client.currency} → {event.currency} ({event.mode.value}) at {rate.rate}"
        detail = f"{change}: {plan.explanation}"
        self.note(
            TimelineEntry(day, "client.currency_changed", event.client, event.id, None, detail)
        )

    def _credit(self, day: date, event: ManualCredit) -> None:
        entry_id = CreditEntryId(event.id)
        with self.new_uow() as uow:
            if uow.credit.find(entry_id) is not None:
                return
        request = AddCredit(event.client, event.amount, entry_id, instant(day, 9), note=event.note)
        add_credit(self.new_uow, request)
        self.note(
            TimelineEntry(day, "credit.added", event.client, event.id, event.amount, event.note)
        )

    def _manual_payment(self, day: date, event: ManualPayment) -> None:
        payment_id = PaymentId(event.id)
        with self.new_uow() as uow:
            if uow.payments.find(payment_id) is not None:
                return
        payment = Payment(payment_id, event.client, instant(day), event.amount, gateway="manual")
        request = PayInvoices(payment, day, credit_entry_id=CreditEntryId(f"{event.id}-credit"))
        self._paid(day, pay_invoice(self.new_uow, request), "by hand (oldest due first)")


def _drop_renewal_invoices(uow: UnitOfWork, service: Service) -> str:
    # An open invoice that bills only this service's renewals, untouched by payment or credit,
    # is cancelled with the service.
    dropped = []
    for invoice in uow.invoices.list(client_id=service.client_id):
        untouched = not (invoice.amount_paid.amount or invoice.credit_applied.amount)
        if invoice.status not in _OPEN or not untouched or not invoice.lines:
            continue
        if all(
            line.service_id == service.id and line.kind is LineKind.RENEWAL
            for line in invoice.lines
        ):
            uow.invoices.save(lifecycle.cancel(invoice).invoice)
            dropped.append(invoice.number or invoice.id)
    return ", ".join(dropped)


_HANDLERS: dict[type, Callable[[Shop, date, object], None]] = {
    CancelService: Shop._cancel,  # type: ignore[dict-item]
    ChangeCurrency: Shop._currency,  # type: ignore[dict-item]
    ManualCredit: Shop._credit,  # type: ignore[dict-item]
    ManualPayment: Shop._manual_payment,  # type: ignore[dict-item]
}
