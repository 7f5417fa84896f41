"""The pieces of a currency change: modes, one amount's move, an open invoice or queued item moved.

Each amount is moved on its own (converted at the one rate snapshot and rounded once, or given
the new code), so an invoice line's total stays the exact sum of its net and taxes, and an
invoice's totals the exact sums of its lines.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs
from moneyed import Money

from hostbill_core.errors import ValidationError
from hostbill_core.model import Invoice, InvoiceLine, QueuedItem, TaxAmount
from hostbill_core.money import ExchangeRate, RoundingPolicy, convert, to_minor, zero
from hostbill_core.pricing._exact import times

__all__ = [
    "AmountChange",
    "Basis",
    "CurrencyChangeMode",
    "Mover",
    "convert_invoice",
    "convert_queued_item",
]


class CurrencyChangeMode(enum.Enum):
    """How amounts follow a client's change of currency."""

    RECALCULATE = "recalculate"
    CODE_ONLY = "code_only"
    REPRICE = "reprice"


class Basis(enum.Enum):
    """Where an amount in the new currency came from."""

    CONVERTED = "converted"
    CODE_ONLY = "code_only"
    PLAN_PRICE = "plan_price"


@attrs.frozen
class AmountChange:
    """One amount before and after the change.

    Attributes:
        subject: what the amount is ("service s1 price", "invoice i1 line 2 VAT", …).
        before: the amount in the old currency.
        after: the amount in the new currency.
        basis: converted at the rate, kept with a new code, or taken from the plan.
        rate: the rate used when converted, else None.
        explanation: the arithmetic and the rounding.
    """

    subject: str
    before: Money
    after: Money
    basis: Basis
    rate: Decimal | None
    explanation: str


@attrs.frozen
class Mover:
    """Moves amounts to the new currency: one change's currencies, mode, rate and rounding."""

    old: str
    new: str
    mode: CurrencyChangeMode
    rate: ExchangeRate | None
    policy: RoundingPolicy

    def move(self, field: str, subject: str, before: Money) -> AmountChange:
        """``before`` in the new currency: converted at the rate, or with the code changed.

        Raises:
            ValidationError: with the code changed only, an amount that is not a whole number
                of the new currency's minor unit (KWD 1.234 cannot stay USD 1.234; USD 5.00
                can stay JPY 5); ``field`` names it and the value is the amount kept.
        """
        if self.mode is CurrencyChangeMode.CODE_ONLY or self.rate is None:
            after = Money(before.amount, self.new)
            try:
                to_minor(after)
            except ValidationError:
                raise ValidationError(
                    field,
                    after,
                    f"{subject} {before.amount} {self.old} has more decimals than {self.new} "
                    "allows: change with a rate",
                ) from None
            return AmountChange(subject, before, after, Basis.CODE_ONLY, None, "code changed")
        after = convert(before, self.rate, self.policy)
        return AmountChange(
            subject,
            before,
            after,
            Basis.CONVERTED,
            self.rate.rate,
            f"{before.amount} {self.old} × {self.rate.rate} ({self.rate.as_of.isoformat()}) = "
            f"{times(before.amount, self.rate.rate)} → {after.amount} {self.new} "
            f"({self.policy.mode})",
        )


def convert_invoice(invoice: Invoice, mover: Mover) -> tuple[Invoice, list[AmountChange]]:
    """``invoice`` (open, nothing paid) in the new currency, and the change of each amount.

    Raises:
        ValidationError: see :meth:`Mover.move`; the field is within the invoice
            (``lines[0].taxes[1].amount``, ``credit_applied``).

    ``amount_paid`` and ``amount_refunded`` become zero in the new currency: the plan refuses
    an invoice with a payment on it, and an invoice never has more refunded than paid, so
    both are zero before; no :class:`AmountChange` is listed for them.
    """
    changes: list[AmountChange] = []
    lines = []
    for n, line in enumerate(invoice.lines, start=1):
        subject, field = f"invoice {invoice.id} line {n}", f"lines[{n - 1}]"
        net = mover.move(f"{field}.amount", subject, line.amount)
        changes.append(net)
        taxes = _taxes(f"{field}.taxes", subject, line.taxes, mover, changes)
        lines.append(_line(line, net, taxes))
    credit_after = zero(mover.new)
    if invoice.credit_applied.amount != 0:
        subject = f"invoice {invoice.id} credit applied"
        moved = mover.move("credit_applied", subject, invoice.credit_applied)
        changes.append(moved)
        credit_after = moved.after
    converted = attrs.evolve(
        invoice,
        currency=mover.new,
        lines=tuple(lines),
        credit_applied=credit_after,
        amount_paid=zero(mover.new),
        amount_refunded=zero(mover.new),
    )
    return converted, changes


def convert_queued_item(
    item: QueuedItem, mover: Mover, why: str = "currency change"
) -> tuple[QueuedItem, list[AmountChange]]:
    """``item`` (queued, not yet invoiced) in the new currency, and the change of each amount.

    Moved as an open invoice's line is: the net amount and each tax on their own (converted
    at the one rate and each rounded once with the mover's policy, or given the new code).
    The item's explanation gains ``why`` and the net amount's arithmetic.
    """
    subject = f"queued item {item.id}"
    net = mover.move("amount", subject, item.amount)
    changes = [net]
    taxes = _taxes("taxes", subject, item.taxes, mover, changes)
    note = f"{why}: {net.explanation}"
    explanation = f"{item.explanation}; {note}" if item.explanation else note
    moved = attrs.evolve(
        item, currency=mover.new, amount=net.after, taxes=taxes, explanation=explanation
    )
    return moved, changes


def _taxes(
    field: str,
    subject: str,
    taxes: tuple[TaxAmount, ...],
    mover: Mover,
    changes: list[AmountChange],
) -> tuple[TaxAmount, ...]:
    """Each tax moved on its own; its change appended to ``changes``."""
    moved_taxes = []
    for k, tax in enumerate(taxes):
        moved = mover.move(f"{field}[{k}].amount", f"{subject} {tax.name}", tax.amount)
        moved_taxes.append(attrs.evolve(tax, amount=moved.after))
        changes.append(moved)
    return tuple(moved_taxes)


def _line(line: InvoiceLine, net: AmountChange, taxes: tuple[TaxAmount, ...]) -> InvoiceLine:
    note = f"currency change: {net.explanation}"
    explanation = f"{line.explanation}; {note}" if line.explanation else note
    return attrs.evolve(line, amount=net.after, taxes=taxes, explanation=explanation)
