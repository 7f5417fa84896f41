"""Changing a client's currency: a plan listing every amount before and after, then applied.

:func:`plan_currency_change` is pure: from the client, its services (with their plans), its
invoices, its queued invoice items and its credit balance it computes the client, services,
open invoices, queued items and the two credit-ledger entries as they would be in the new
currency, and one :class:`AmountChange` per amount, so the change can be shown to the client
before it is applied (:mod:`hostbill_core.usecases.currency` applies it in one unit of work).

Modes (the HostBill profile offers the first two):

* ``RECALCULATE``: every recurring service price, every amount of an open invoice or of a
  queued item, and the credit balance are converted at one rate snapshot, each rounded once.
* ``CODE_ONLY``: every amount is kept, only the currency code changes; refused when an amount
  kept is finer than the new currency's minor unit.
* ``REPRICE``: recurring prices come from each plan's own price table in the new currency;
  a plan without one, and a service's custom price, are converted instead (marked); open
  invoices, queued items and the credit balance are converted as in ``RECALCULATE``.

Paid, cancelled and refunded invoices, and payments, never change: what was paid and
refunded stays in the currency it moved in. An open invoice converts only with nothing paid on
it, hence nothing refunded (``amount_refunded`` never exceeds ``amount_paid``); both become
zero in the new currency. A queued item in the old currency moves as an open invoice's line
does, so it joins the client's next invoice in the new currency. The credit balance moves
by two ledger entries: one closing it in the old currency, one opening it in the new, both
naming the rate. Refused: a client with an open invoice or a queued item in a third
currency, an open invoice partly paid, a rate for another pair, and a rate older than
``max_rate_age_days``. Applying the change back with ``rate.inverse()``
(:func:`inverse_request`) restores every amount within one minor unit of the coarser of the
two currencies (a half rounding mode; with ROUND_UP or ROUND_DOWN two).
"""

from __future__ import annotations

from datetime import datetime

import attrs
from moneyed import Money

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import (
    Client,
    CreditEntry,
    CreditEntryId,
    CreditReason,
    Invoice,
    InvoiceStatus,
    PaymentType,
    PricePlan,
    QueuedItem,
    Service,
)
from hostbill_core.model.checks import aware_instant, code
from hostbill_core.money import ExchangeRate, RoundingPolicy, zero
from hostbill_core.pricing.currency_items import (
    AmountChange,
    Basis,
    CurrencyChangeMode,
    Mover,
    convert_invoice,
    convert_queued_item,
)

__all__ = [
    "AmountChange",
    "Basis",
    "CurrencyChangeMode",
    "CurrencyChangePlan",
    "CurrencyChangeRequest",
    "inverse_request",
    "plan_currency_change",
]

OPEN = (InvoiceStatus.DRAFT, InvoiceStatus.UNPAID)


def _non_negative_days(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "a number of days, 0 or more")


@attrs.frozen
class CurrencyChangeRequest:
    """Everything a currency change needs, loaded by the caller.

    Attributes:
        client: the client, still in its old currency.
        new_currency: the ISO 4217 code to move to.
        mode: recalculate, code only, or reprice.
        at: the instant of the change (aware, UTC): the ledger entries carry it and the
            rate's age is counted up to its date.
        rate: old → new currency; needed unless ``CODE_ONLY``.
        services: the client's services.
        plans: the plans of those services.
        invoices: the client's invoices (only open ones change).
        credit_balance: the client's credit balance in the old currency (None: zero).
        max_rate_age_days: the oldest rate accepted, in days before ``at``.
        policy: the rounding of every converted amount (ROUND_HALF_UP unless told).
        actor: who makes the change, for the ledger entries.
        queued_items: the client's queued invoice items (those in the old currency change).
    """

    client: Client
    new_currency: str = attrs.field(converter=code)
    mode: CurrencyChangeMode
    at: datetime = attrs.field(validator=aware_instant)
    rate: ExchangeRate | None = None
    services: tuple[Service, ...] = ()
    plans: tuple[PricePlan, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    credit_balance: Money | None = None
    max_rate_age_days: int = attrs.field(default=1, validator=_non_negative_days)
    policy: RoundingPolicy = RoundingPolicy()
    actor: str = "system"
    queued_items: tuple[QueuedItem, ...] = ()


@attrs.frozen
class CurrencyChangePlan:
    """A currency change, computed and not yet applied.

    Attributes:
        client: the client in the new currency.
        services: the services whose stored price changes, as they will be.
        invoices: the open invoices, converted.
        credit_entries: the closing and opening ledger entries (none for a zero balance).
        changes: every amount, before and after.
        rate: the rate snapshot used (None for ``CODE_ONLY``).
        explanation: a summary of the change.
        queued_items: the queued items in the old currency, converted.
    """

    client: Client
    services: tuple[Service, ...]
    invoices: tuple[Invoice, ...]
    credit_entries: tuple[CreditEntry, ...]
    changes: tuple[AmountChange, ...]
    rate: ExchangeRate | None
    explanation: str
    queued_items: tuple[QueuedItem, ...] = ()


def plan_currency_change(request: CurrencyChangeRequest) -> CurrencyChangePlan:
    """Plan a client's change of currency; nothing is stored.

    Raises:
        ValidationError: the same currency; a missing, mismatched or stale rate; a service,
            invoice, queued item or plan that is not this client's or missing; an open invoice
            or a queued item in a third currency; an open invoice partly paid; with
            ``CODE_ONLY``, an amount it would keep (a service price, an open invoice's line,
            tax or credit applied, a queued item's amount or tax, the credit balance) that is
            not a whole number of the new currency's minor unit (KWD 1.234 → USD is refused,
            KWD 1.230 → USD 1.23 and USD 5.00 → JPY 5 are allowed).
        CurrencyMismatchError: a credit balance not in the client's currency.
    """
    ctx = _context(request)
    services, service_changes, following = _services(request, ctx)
    invoices, invoice_changes = _invoices(request, ctx)
    queued, queued_changes = _queued(request, ctx)
    entries, credit_changes = _credit(request, ctx)
    changes = (*service_changes, *invoice_changes, *queued_changes, *credit_changes)
    rate_text = (
        f" at {ctx.rate.rate} ({ctx.old}→{ctx.new}, {ctx.rate.as_of.isoformat()})"
        if ctx.rate is not None
        else ""
    )
    explanation = (
        f"client {request.client.id}: {ctx.old} → {ctx.new}, {ctx.mode.value}{rate_text}, "
        f"{ctx.policy.mode}; {len(services)} service price(s), {len(invoices)} open invoice(s), "
        f"{len(queued)} queued item(s), "
        f"{len(entries)} credit ledger entr{'y' if len(entries) == 1 else 'ies'}; "
        f"{len(changes)} amount(s) change; paid invoices and payments are unchanged"
        + (f"; following their plan's price table: {', '.join(following)}" if following else "")
    )
    client = attrs.evolve(request.client, currency=ctx.new)
    return CurrencyChangePlan(
        client, services, invoices, entries, changes, ctx.rate, explanation, queued
    )


def _context(request: CurrencyChangeRequest) -> Mover:
    old, new = request.client.currency, request.new_currency
    if old == new:
        raise ValidationError("new_currency", new, f"the client is already billed in {old}")
    rate = None if request.mode is CurrencyChangeMode.CODE_ONLY else request.rate
    if request.mode is not CurrencyChangeMode.CODE_ONLY:
        _check_rate(request, old, new)
    return Mover(old, new, request.mode, rate, request.policy)


def _check_rate(request: CurrencyChangeRequest, old: str, new: str) -> None:
    rate = request.rate
    if rate is None:
        raise ValidationError("rate", None, f"{request.mode.value} needs the {old}→{new} rate")
    if (rate.base, rate.quote) != (old, new):
        raise ValidationError("rate", f"{rate.base}→{rate.quote}", f"give the {old}→{new} rate")
    age = (request.at.date() - rate.as_of).days
    if age < 0:
        raise ValidationError("rate", rate.as_of.isoformat(), "the rate is dated after the change")
    if age > request.max_rate_age_days:
        raise ValidationError(
            "rate",
            rate.as_of.isoformat(),
            f"the rate is {age} days old, at most {request.max_rate_age_days} allowed: "
            "fetch a current rate",
        )


def _services(
    request: CurrencyChangeRequest, ctx: Mover
) -> tuple[tuple[Service, ...], list[AmountChange], list[str]]:
    plans = {plan.id: plan for plan in request.plans}
    changed: list[Service] = []
    changes: list[AmountChange] = []
    following: list[str] = []
    for i, service in enumerate(request.services):
        if service.client_id != request.client.id:
            raise ValidationError(f"services[{i}]", service.id, "not a service of this client")
        plan = plans.get(service.plan_id)
        if plan is None:
            raise ValidationError(
                "plans", service.plan_id, f"give the plan of service {service.id}"
            )
        if plan.payment_type is not PaymentType.RECURRING:
            continue
        found = _reprice(service, plan, ctx, i)
        if found is None:
            following.append(str(service.id))
            continue
        override, change = found
        changed.append(attrs.evolve(service, price_override=override))
        changes.append(change)
    return tuple(changed), changes, following


def _reprice(
    service: Service, plan: PricePlan, ctx: Mover, i: int
) -> tuple[Money | None, AmountChange] | None:
    """The service's new stored price and its change; None when it follows the plan."""
    subject = f"service {service.id} price"
    override = service.price_override
    if override is not None and override.currency.code == ctx.new:
        return None
    if override is not None and override.currency.code != ctx.old:
        raise ValidationError(
            f"services[{i}].price_override", override, f"neither {ctx.old} nor {ctx.new}"
        )
    listed = plan.entry(service.cycle, ctx.old)
    current = override if override is not None else (listed.price if listed else None)
    if ctx.mode is CurrencyChangeMode.REPRICE and override is None:
        table = plan.entry(service.cycle, ctx.new)
        if table is not None:
            if current is None:
                return None
            why = f"plan {plan.id}'s own {ctx.new} price for {service.cycle}"
            return None, AmountChange(subject, current, table.price, Basis.PLAN_PRICE, None, why)
    if current is None:
        return None
    field = f"services[{i}].price_override"
    change = ctx.move(field, subject, current)
    if ctx.mode is CurrencyChangeMode.REPRICE:
        reason = "custom price" if override is not None else f"no {ctx.new} price in the plan"
        change = attrs.evolve(change, explanation=f"{reason}: {change.explanation}")
    return change.after, change


def _invoices(
    request: CurrencyChangeRequest, ctx: Mover
) -> tuple[tuple[Invoice, ...], list[AmountChange]]:
    converted: list[Invoice] = []
    changes: list[AmountChange] = []
    for i, invoice in enumerate(request.invoices):
        if invoice.client_id != request.client.id:
            raise ValidationError(f"invoices[{i}]", invoice.id, "not an invoice of this client")
        if invoice.status not in OPEN or invoice.currency == ctx.new:
            continue
        if invoice.currency != ctx.old:
            raise ValidationError(
                f"invoices[{i}].currency",
                invoice.currency,
                f"open invoice {invoice.id} is in neither {ctx.old} nor {ctx.new}: "
                "settle or cancel it first",
            )
        if invoice.amount_paid.amount != 0:
            raise ValidationError(
                f"invoices[{i}].amount_paid",
                invoice.amount_paid,
                f"invoice {invoice.id} is partly paid{_refunded(invoice)}: settle or refund it "
                "first (only an open invoice with nothing paid, so nothing refunded, converts)",
            )
        try:
            new_invoice, moved = convert_invoice(invoice, ctx)
        except ValidationError as refused:  # only CODE_ONLY keeps amounts unrounded
            raise ValidationError(
                f"invoices[{i}].{refused.field}", refused.value, refused.reason
            ) from None
        converted.append(new_invoice)
        changes.extend(moved)
    return tuple(converted), changes


def _queued(
    request: CurrencyChangeRequest, ctx: Mover
) -> tuple[tuple[QueuedItem, ...], list[AmountChange]]:
    """The queued items in the old currency, moved as open invoice lines are."""
    converted: list[QueuedItem] = []
    changes: list[AmountChange] = []
    for i, item in enumerate(request.queued_items):
        if item.client_id != request.client.id:
            raise ValidationError(f"queued_items[{i}]", item.id, "not a queued item of this client")
        if item.currency == ctx.new:
            continue
        if item.currency != ctx.old:
            raise ValidationError(
                f"queued_items[{i}].currency",
                item.currency,
                f"queued item {item.id} is in neither {ctx.old} nor {ctx.new}: "
                "remove it, or queue it again in a currency the client is billed in",
            )
        try:
            moved, item_changes = convert_queued_item(item, ctx)
        except ValidationError as refused:  # only CODE_ONLY keeps amounts unrounded
            raise ValidationError(
                f"queued_items[{i}].{refused.field}",
                refused.value,
                f"queued item {item.id} has more decimals than {ctx.new} allows: change "
                "with a rate, or remove it and queue it again",
            ) from None
        converted.append(moved)
        changes.extend(item_changes)
    return tuple(converted), changes


def _refunded(invoice: Invoice) -> str:
    refunded = invoice.amount_refunded.amount
    return f" ({refunded} of its payments refunded)" if refunded else ""


def _credit(
    request: CurrencyChangeRequest, ctx: Mover
) -> tuple[tuple[CreditEntry, ...], list[AmountChange]]:
    balance = request.credit_balance or zero(ctx.old)
    if balance.currency.code != ctx.old:
        raise CurrencyMismatchError(ctx.old, balance.currency.code, "credit balance")
    if balance.amount == 0:
        return (), []
    change = ctx.move("credit_balance", "credit balance", balance)
    client_id, at, actor = request.client.id, request.at, request.actor
    stamp = f"{client_id}-currency-{ctx.old}-{ctx.new}-{at.strftime('%Y%m%dT%H%M%S%f')}"
    note = f"currency change {ctx.old} → {ctx.new}: {change.explanation}"
    closing = CreditEntry(
        CreditEntryId(f"{stamp}-close"), client_id, at, -balance, CreditReason.CURRENCY_CHANGE,
        actor, f"closing balance; {note}",
    )  # fmt: skip
    opening = CreditEntry(
        CreditEntryId(f"{stamp}-open"), client_id, at, change.after, CreditReason.CURRENCY_CHANGE,
        actor, f"opening balance; {note}",
    )  # fmt: skip
    return (closing, opening), [change]


def inverse_request(
    request: CurrencyChangeRequest, plan: CurrencyChangePlan
) -> CurrencyChangeRequest:
    """The request that changes the client back, at the recorded rate's inverse.

    Services, invoices and queued items are those of ``plan`` (the ones it did not change
    are taken from ``request``); the credit balance is the opened one.
    """
    changed = {service.id: service for service in plan.services}
    services = tuple(changed.get(service.id, service) for service in request.services)
    converted = {invoice.id: invoice for invoice in plan.invoices}
    invoices = tuple(converted.get(invoice.id, invoice) for invoice in request.invoices)
    moved = {item.id: item for item in plan.queued_items}
    queued = tuple(moved.get(item.id, item) for item in request.queued_items)
    opened = plan.credit_entries[1].amount if plan.credit_entries else None
    return attrs.evolve(
        request,
        client=plan.client,
        new_currency=request.client.currency,
        rate=None if plan.rate is None else plan.rate.inverse(),
        services=services,
        invoices=invoices,
        queued_items=queued,
        credit_balance=opened,
    )
