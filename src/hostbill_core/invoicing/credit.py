"""The credit ledger: every change of a client's credit is an entry with a reason and an actor.

The balance is the exact sum of the entries, in one currency. It never goes below zero unless
the client's settings allow it. Credit is applied to an invoice fully or partially: as much as
there is, up to the balance due (a peer applies credit only when it covers the whole invoice;
we apply what there is).

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.model import Invoice, InvoiceLine, InvoiceStatus
>>> from hostbill_core.money import to_money
>>> at = datetime(2026, 3, 1, tzinfo=UTC)
>>> gift = CreditEntry("e1", "c1", at, to_money("4.00", "USD"), CreditReason.MANUAL_ADJUST, "ann")
>>> ledger = post(CreditLedger("c1", "USD"), gift).ledger
>>> bill = Invoice("i1", "c1", "USD", date(2026, 3, 1), status=InvoiceStatus.UNPAID,
...                lines=(InvoiceLine("Hosting", to_money("10.00", "USD")),), number="INV-1")
>>> done = apply_credit(ledger, bill, CreditRequest("e2", at, "system"),
...                     Numbering(lambda series: 1))
>>> done.applied.amount, done.invoice.balance_due.amount, done.ledger.balance.amount
(Decimal('4.00'), Decimal('6.00'), Decimal('0.00'))
"""

from __future__ import annotations

from datetime import date, datetime

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.invoicing.lifecycle import Numbering, Settlement, Source, settle
from hostbill_core.model.checks import check_currency, code, identifier
from hostbill_core.model.clients import ClientSettings
from hostbill_core.model.ids import ClientId, CreditEntryId
from hostbill_core.model.invoices import Invoice
from hostbill_core.model.ledger import CreditEntry, CreditReason
from hostbill_core.money import ExchangeRate, RoundingPolicy, convert, sum_money, zero

__all__ = [
    "CreditApplication",
    "CreditEntry",
    "CreditLedger",
    "CreditPosting",
    "CreditReason",
    "CreditRequest",
    "CreditSettings",
    "CurrencyChange",
    "CurrencyChangeRequest",
    "Numbering",
    "apply_credit",
    "apply_credit_on_issue",
    "change_currency",
    "post",
]


@attrs.frozen
class CreditSettings:
    """The business's credit settings; a client's ``ClientSettings`` may override each.

    Attributes:
        auto_apply: apply the balance to new invoices when they are issued.
        allow_negative: the balance may go below zero.
    """

    auto_apply: bool = True
    allow_negative: bool = False

    def for_client(self, overrides: ClientSettings) -> CreditSettings:
        """These settings with the client's overrides (None keeps the business's)."""
        auto = overrides.auto_apply_credit
        negative = overrides.allow_negative_credit
        return CreditSettings(
            self.auto_apply if auto is None else auto,
            self.allow_negative if negative is None else negative,
        )


@attrs.frozen
class CreditLedger:
    """A client's credit entries in one currency, oldest first.

    Raises:
        ValidationError: an entry of another client.
        CurrencyMismatchError: an entry in another currency.
    """

    client_id: ClientId = attrs.field(validator=identifier)
    currency: str = attrs.field(converter=code)
    entries: tuple[CreditEntry, ...] = ()

    def __attrs_post_init__(self) -> None:
        for i, entry in enumerate(self.entries):
            if entry.client_id != self.client_id:
                raise ValidationError(f"entries[{i}].client_id", entry.client_id, "another client")
            check_currency(f"entries[{i}].amount", entry.amount, self.currency)

    @property
    def balance(self) -> Money:
        """The exact sum of the entries."""
        return sum_money((e.amount for e in self.entries), self.currency)


@attrs.frozen
class CreditPosting:
    """The ledger after one entry was posted."""

    ledger: CreditLedger
    entry: CreditEntry
    explanation: str


_POSITIVE = frozenset(
    {CreditReason.ADD_CREDIT, CreditReason.AFFILIATE_COMMISSION, CreditReason.OVERPAYMENT}
)
_NEEDS_PAYMENT = frozenset({CreditReason.ADD_CREDIT, CreditReason.OVERPAYMENT})


def _check_entry(entry: CreditEntry) -> None:
    reason, sign = entry.reason, entry.amount.amount
    if sign == 0:
        raise ValidationError("amount", entry.amount, "a credit entry changes the balance")
    if reason in _POSITIVE and sign < 0:
        raise ValidationError("amount", entry.amount, f"{reason.value} adds credit: above zero")
    if reason is CreditReason.APPLIED_TO_INVOICE and (sign > 0 or entry.invoice_id is None):
        raise ValidationError(
            "amount", entry.amount, "credit applied to an invoice is negative and names it"
        )
    if reason in _NEEDS_PAYMENT and entry.payment_id is None:
        raise ValidationError("payment_id", None, f"{reason.value} records its payment")
    if reason is CreditReason.MANUAL_ADJUST and entry.payment_id is not None:
        raise ValidationError(
            "payment_id", entry.payment_id, "a manual adjustment has no transaction"
        )


def post(ledger: CreditLedger, entry: CreditEntry, allow_negative: bool = False) -> CreditPosting:
    """Append ``entry`` to the ledger.

    Args:
        ledger: the client's ledger.
        entry: the new entry; its sign must fit its reason (credit added by a payment, an
            overpayment or an affiliate commission is positive; credit applied to an
            invoice is negative and names the invoice; a manual adjustment has no payment).
        allow_negative: the client's setting: the balance may go below zero.

    Raises:
        ValidationError: a zero amount, a sign or reference that does not fit the reason,
            an entry of another client, or a balance that would go below zero.
        CurrencyMismatchError: the entry is in another currency.
    """
    _check_entry(entry)
    updated = CreditLedger(ledger.client_id, ledger.currency, (*ledger.entries, entry))
    balance = updated.balance
    if balance.amount < 0 and not allow_negative:
        raise ValidationError(
            "amount",
            entry.amount,
            f"the balance would be {balance.amount} {ledger.currency}: negative credit is not "
            "allowed for this client",
        )
    explanation = (
        f"{entry.reason.value} {entry.amount.amount} by {entry.actor}: balance "
        f"{ledger.balance.amount} → {balance.amount} {ledger.currency}"
    )
    return CreditPosting(updated, entry, explanation)


@attrs.frozen
class CreditRequest:
    """Who applies credit, when, under which entry id, and at most how much (None: all)."""

    entry_id: CreditEntryId = attrs.field(validator=identifier)
    at: datetime
    actor: str
    limit: Money | None = None


@attrs.frozen
class CreditApplication:
    """Credit applied to an invoice: the new ledger and invoice, and the entry (None: none)."""

    ledger: CreditLedger
    invoice: Invoice
    entry: CreditEntry | None
    applied: Money
    explanation: str


def apply_credit(
    ledger: CreditLedger, invoice: Invoice, request: CreditRequest, numbering: Numbering
) -> CreditApplication:
    """Apply as much credit as there is to ``invoice``: min(balance, balance due, limit).

    A zero or negative balance applies nothing. Applying what covers the balance due pays the
    invoice (which takes its final number then, in proforma numbering).

    Raises:
        ValidationError: the invoice is another client's, or the limit is negative.
        CurrencyMismatchError: the invoice or the limit is in another currency.
        InvalidTransitionError: credit is applied to an invoice that is not due.
    """
    if invoice.client_id != ledger.client_id:
        raise ValidationError("invoice.client_id", invoice.client_id, "another client's invoice")
    check_currency("invoice.currency", zero(invoice.currency), ledger.currency)
    balance = ledger.balance
    if request.limit is not None:
        check_currency("limit", request.limit, ledger.currency)
        if request.limit.amount < 0:
            raise ValidationError("limit", request.limit, "a limit is zero or more")
    applied = zero(ledger.currency)  # nothing from a balance of zero or less, whatever is due
    if balance.amount > 0:
        candidates = [balance, invoice.balance_due]
        if request.limit is not None:
            candidates.append(request.limit)
        applied = min(candidates)
    if applied.amount <= 0:
        text = f"no credit applied: balance {balance.amount} {ledger.currency}"
        return CreditApplication(ledger, invoice, None, zero(ledger.currency), text)
    on: date = request.at.date()
    change = settle(invoice, Settlement(applied, on, Source.CREDIT), numbering)
    entry = CreditEntry(
        request.entry_id,
        ledger.client_id,
        request.at,
        -applied,
        CreditReason.APPLIED_TO_INVOICE,
        request.actor,
        invoice_id=invoice.id,
    )
    posting = post(ledger, entry)
    partial = "" if applied == invoice.balance_due else " (partial)"
    text = f"credit {applied.amount} {ledger.currency} applied{partial}; {change.explanation}"
    return CreditApplication(posting.ledger, change.invoice, entry, applied, text)


def apply_credit_on_issue(
    ledger: CreditLedger,
    invoice: Invoice,
    request: CreditRequest,
    numbering: Numbering,
    settings: CreditSettings,
) -> CreditApplication:
    """Apply credit to a newly issued invoice when the client's settings say so.

    With ``settings.auto_apply`` off, nothing changes; otherwise as :func:`apply_credit`.
    """
    if not settings.auto_apply:
        text = "credit not applied automatically (setting off)"
        return CreditApplication(ledger, invoice, None, zero(ledger.currency), text)
    return apply_credit(ledger, invoice, request, numbering)


@attrs.frozen
class CurrencyChange:
    """A balance moved to a new currency: the closing and opening entries and both ledgers."""

    closed: CreditLedger
    opened: CreditLedger
    closing: CreditEntry | None
    opening: CreditEntry | None
    explanation: str


@attrs.frozen
class CurrencyChangeRequest:
    """How a balance moves to a new currency: the rate, the two entry ids, when and by whom.

    ``policy`` rounds the converted balance once (default ROUND_HALF_UP).
    """

    rate: ExchangeRate
    closing_id: CreditEntryId
    opening_id: CreditEntryId
    at: datetime
    actor: str
    policy: RoundingPolicy = RoundingPolicy()


def change_currency(ledger: CreditLedger, request: CurrencyChangeRequest) -> CurrencyChange:
    """Close the balance in the old currency and open it, converted, in the new one.

    The conversion rounds once, with the request's policy, to the new currency's minor
    unit. A zero balance moves nothing.

    Raises:
        CurrencyMismatchError: the rate does not convert from the ledger's currency.
    """
    rate, at, actor = request.rate, request.at, request.actor
    converted = convert(ledger.balance, rate, request.policy)
    opened = CreditLedger(ledger.client_id, rate.quote)
    if ledger.balance.amount == 0:
        return CurrencyChange(ledger, opened, None, None, "zero balance: nothing to convert")
    reason = CreditReason.CURRENCY_CHANGE
    closing = CreditEntry(request.closing_id, ledger.client_id, at, -ledger.balance, reason, actor)
    opening = CreditEntry(request.opening_id, ledger.client_id, at, converted, reason, actor)
    closed = post(ledger, closing, allow_negative=True).ledger
    opened = post(opened, opening, allow_negative=True).ledger
    text = (
        f"{ledger.balance.amount} {ledger.currency} × {rate.rate} = {converted.amount} "
        f"{rate.quote} ({request.policy.mode}, rate of {rate.as_of.isoformat()})"
    )
    return CurrencyChange(closed, opened, closing, opening, text)
