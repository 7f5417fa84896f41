"""Text views of stored records: an invoice with each line's derivation, a service's calendar.

These are what ``hostbill-core explain invoice NUMBER`` and ``hostbill-core calendar SERVICE``
print. Both read through a unit of work and change nothing.

>>> from datetime import date
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.simulation import bundled_example, simulate
>>> store = MemoryStore()
>>> _ = simulate(bundled_example(), date(2026, 1, 31), store=store)
>>> with store.unit_of_work() as uow:
...     print(service_calendar(uow, "acme-web", bundled_example().settings.billing))
Service acme-web (acme.example): client acme, plan hosting-starter, P1M, active, next due 2026-02-28
  2026-02-14  invoice     invoice for the renewal due 2026-02-28, issued 14 days before it ...
  2026-02-21  reminder-7  reminder 7 days before the due date 2026-02-28
  2026-02-28  due         the renewal is due 2026-02-28
  2026-02-28  expiry-0    day 0 after the due date 2026-02-28, still unpaid: send_template ...
  2026-03-07  expiry-7    day 7 after the due date 2026-02-28, still unpaid: disable, ...
  2026-03-30  expiry-30   day 30 after the due date 2026-02-28, still unpaid: cancel, ...

(Paid on its due date, 31 January, the service's next due date is 28 February: the series
counts from the anchor, 31 January, and clamps to the month's end.)
"""

from __future__ import annotations

from datetime import date, timedelta

from hostbill_core.errors import NotFoundError
from hostbill_core.model import Invoice, InvoiceLine, PaymentType
from hostbill_core.ports import UnitOfWork
from hostbill_core.renewal import MAX_EXPIRY_DAY, RenewalContext, lifecycle_calendar
from hostbill_core.simulation.report import amount_text
from hostbill_core.usecases import BillingSettings

__all__ = ["explain_invoice", "find_invoice", "service_calendar"]


def find_invoice(uow: UnitOfWork, number: str) -> Invoice:
    """The invoice whose number (or proforma number, or id) is ``number``.

    Raises:
        NotFoundError: no invoice has it.
    """
    for invoice in uow.invoices.list():
        if number in (invoice.number, invoice.proforma_number, invoice.id):
            return invoice
    raise NotFoundError("invoice", number)


def _line(n: int, line: InvoiceLine) -> list[str]:
    text = [f"  {n}. {line.description}  {amount_text(line.amount)}"]
    origin = [line.kind.value]
    if line.service_id:
        origin.append(f"service {line.service_id}")
    if line.period:
        origin.append(f"period {line.period}")
    if line.key:
        origin.append(f"key {line.key}")
    text.append(f"     {', '.join(origin)}")
    if line.explanation:
        text.append(f"     {line.explanation}")
    for tax in line.taxes:
        text.append(f"     tax {tax.name} at {tax.rate}: {amount_text(tax.amount)}")
    return text


def explain_invoice(uow: UnitOfWork, number: str) -> str:
    """The invoice ``number`` line by line, each with its derivation, then its totals.

    Raises:
        NotFoundError: no invoice has that number.
    """
    invoice = find_invoice(uow, number)
    issued = f"issued {invoice.issued_on}" if invoice.issued_on else "not issued"
    paid = f" on {invoice.paid_on}" if invoice.paid_on else ""
    text = [
        f"Invoice {invoice.number or invoice.proforma_number or invoice.id} ({invoice.id}): "
        f"client {invoice.client_id}, {invoice.currency}, {issued}, due {invoice.due_date}, "
        f"{invoice.status.value}{paid}"
    ]
    for n, line in enumerate(invoice.lines, start=1):
        text += _line(n, line)
    totals = (
        ("subtotal", invoice.subtotal),
        ("tax", invoice.tax_total),
        ("total", invoice.total),
        ("credit applied", invoice.credit_applied),
        ("paid", invoice.amount_paid),
        ("balance due", invoice.balance_due),
    )
    text += [f"  {name:<15}{amount_text(money):>12}" for name, money in totals]
    if invoice.notes:
        text.append(f"  notes: {invoice.notes}")
    return "\n".join(text)


def service_calendar(
    uow: UnitOfWork, service_id: str, settings: BillingSettings, until: date | None = None
) -> str:
    """The lifecycle calendar of a stored service, if nothing changes (no payment arrives).

    A waiting end-of-term cancellation request ends the calendar as it ends the billing run's
    work: no event of a term starting on or after the request's day, and a closing line.

    Args:
        uow: where the service, its client and its product are read.
        service_id: the service.
        settings: the lead times, reminders and expiry steps to apply.
        until: the last day shown (default: the last expiry step of the next due date).

    Raises:
        NotFoundError: no such service.
    """
    service = uow.services.get(service_id)
    client = uow.clients.get(service.client_id)
    product = uow.products.find(service.product_id)
    context = RenewalContext(
        settings.renewal,
        {product.id: product.type} if product else {},
        {client.id: client.settings},
    )
    last = until or service.next_due_date + timedelta(days=MAX_EXPIRY_DAY)
    plan = uow.plans.find(service.plan_id)
    renews = plan is None or plan.payment_type is PaymentType.RECURRING
    events = lifecycle_calendar(service, settings.sequence, last, context=context) if renews else ()
    request = uow.cancellation_requests.find(service.id)
    ends = request.effective_on if request is not None and request.pending else None
    if ends is not None:  # the billing run bills no term from the request's day on
        events = tuple(e for e in events if e.due_date < ends)
    label = f" ({service.name})" if service.name else ""
    text = [
        f"Service {service.id}{label}: client {client.id}, plan {service.plan_id}, "
        f"{service.cycle}, {service.status.value}, next due {service.next_due_date}"
    ]
    width = max((len(e.step) for e in events), default=0)
    text += [f"  {e.on}  {e.step:<{width}}  {e.explanation}" for e in events]
    if request is not None and ends is not None:
        text.append(
            f"  {ends}  cancelled at the end of the term paid for (requested on "
            f"{request.requested_on}): no term from {ends} is billed"
        )
    elif not renews:
        text.append(f"  no events: plan {service.plan_id} is one-time or free, it never renews")
    elif not events:
        text.append("  no events: the service is not active or suspended")
    return "\n".join(text)
