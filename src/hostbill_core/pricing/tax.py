"""Tax on invoice lines: exact until one rounding, and net + taxes = gross on every line.

For each line the tax of each applicable rule is computed exactly on the line's unrounded
net. With tax-exclusive prices the line's net is its amount rounded once and its gross is
net + taxes. With tax-inclusive prices the tax is backed out of the gross
(``gross × rate / (1 + rate)``; with two levels the gross is divided by ``1 + r1 + r2``, or by
``(1 + r1)(1 + r2)`` when the second is compound) and the net is gross − taxes. So
``net + taxes == gross`` on every line, and the invoice's totals are exact sums of its lines.

Taxes are rounded per line (default) or once per invoice total: then each rule's exact taxes
are added up, rounded once, and the rounded total is shared back over the lines by largest
remainder, so every line still carries its own tax and the lines still add up.

>>> from hostbill_core.money import to_money
>>> settings = TaxSettings((TaxRule("VAT", "0.19", "DE"),), prices_include_tax=True)
>>> line = tax_lines([to_money("9.99", "EUR")], TaxCustomer("DE"), settings).lines[0]
>>> line.amount, [tax.amount for tax in line.taxes], line.gross
(Money('8.39', 'EUR'), [Money('1.60', 'EUR')], Money('9.99', 'EUR'))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs
from moneyed import Currency, Money

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import TaxAmount
from hostbill_core.money import sum_money
from hostbill_core.pricing._exact import exponent_of, fraction_text, money_of, round_ratio
from hostbill_core.pricing.tax_rules import (
    TaxCustomer,
    TaxDecision,
    TaxRounding,
    TaxRule,
    TaxSettings,
    applicable_taxes,
)

__all__ = ["TaxedInvoice", "TaxedLine", "tax_lines"]


@attrs.frozen
class TaxedLine:
    """One line with its taxes: ``amount + Σ taxes == gross`` exactly.

    Attributes:
        amount: the net, rounded once.
        taxes: one rounded amount per applicable rule (level 1 first).
        gross: the net plus the taxes.
        explanation: how the net and each tax were reached.
    """

    amount: Money
    taxes: tuple[TaxAmount, ...]
    gross: Money
    explanation: str


@attrs.frozen
class TaxedInvoice:
    """Every line taxed, and the totals as exact sums of the lines.

    Attributes:
        lines: the taxed lines, in the order given.
        net: the sum of the lines' nets.
        tax: the sum of every tax of every line.
        gross: the sum of the lines' grosses (``net + tax``).
        tax_totals: each rule's total over the lines.
        note: a legal note for the invoice (reverse charge, exemption) or "".
        explanation: which rules applied and how taxes were rounded.
    """

    lines: tuple[TaxedLine, ...]
    net: Money
    tax: Money
    gross: Money
    tax_totals: tuple[TaxAmount, ...]
    note: str
    explanation: str


def tax_lines(
    amounts: Sequence[Money], customer: TaxCustomer, settings: TaxSettings
) -> TaxedInvoice:
    """Tax one invoice's (or one cart's) lines for ``customer`` under ``settings``.

    Args:
        amounts: each line's amount after discounts: a net, or a gross when
            ``settings.prices_include_tax``; negative for a discount or a credit; it may be
            finer than the minor unit (it is rounded here, once).
        customer: where the client is and whether it pays tax (:meth:`TaxCustomer.of`).
        settings: the rules, inclusive or exclusive prices, and where to round.

    Raises:
        ValidationError: no lines, or a line that is not Money.
        CurrencyMismatchError: lines in more than one currency.
    """
    currency = _currency(amounts)
    decision = applicable_taxes(customer, settings)
    rules = decision.rules
    scale = 10 ** exponent_of(currency)
    given = [Fraction(amount.amount) * scale for amount in amounts]
    inclusive = settings.prices_include_tax
    nets = [value / _divisor(rules) for value in given] if inclusive else given
    exact = [[net * _effective_rate(rule, rules) for net in nets] for rule in rules]
    mode = settings.policy.mode
    if settings.rounding is TaxRounding.PER_INVOICE:
        rounded = [_shared(column, mode) for column in exact]
    else:
        rounded = [[_round(value, mode) for value in column] for column in exact]
    table = _Table(rules, given, exact, rounded, inclusive, mode, currency)
    lines = tuple(table.line(i) for i in range(len(amounts)))
    return _invoice(lines, decision, settings, currency)


def _currency(amounts: Sequence[Money]) -> Currency:
    if not amounts:
        raise ValidationError("amounts", amounts, "give at least one line to tax")
    for i, amount in enumerate(amounts):
        if not isinstance(amount, Money):
            raise ValidationError(f"amounts[{i}]", amount, "a line amount is a moneyed.Money")
        if amount.currency != amounts[0].currency:
            raise CurrencyMismatchError(
                amounts[0].currency.code, amount.currency.code, f"amounts[{i}]"
            )
    return amounts[0].currency


def _level_one(rules: tuple[TaxRule, ...]) -> Fraction:
    return next((Fraction(rule.rate) for rule in rules if rule.level == 1), Fraction(0))


def _effective_rate(rule: TaxRule, rules: tuple[TaxRule, ...]) -> Fraction:
    """The rule's tax per unit of net: ``r``, or ``(1 + r1) × r`` for a compound rule."""
    rate = Fraction(rule.rate)
    return (1 + _level_one(rules)) * rate if rule.compound else rate


def _divisor(rules: tuple[TaxRule, ...]) -> Fraction:
    """Gross per unit of net: ``1 + Σ effective rates``."""
    return 1 + sum((_effective_rate(rule, rules) for rule in rules), Fraction(0))


def _round(value: Fraction, mode: str) -> int:
    return round_ratio(value.numerator, value.denominator, mode)


def _shared(column: list[Fraction], mode: str) -> list[int]:
    """Round the column's sum once and share it over the lines by largest remainder.

    Each line gets the floor of its exact tax or one unit more; the total is the rounded sum.
    """
    floors = [value.numerator // value.denominator for value in column]
    left = _round(sum(column, Fraction(0)), mode) - sum(floors)
    order = sorted(range(len(column)), key=lambda i: (-(column[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


@attrs.frozen
class _Table:
    """Every line's given amount and every rule's exact and rounded tax, in minor units."""

    rules: tuple[TaxRule, ...]
    given: list[Fraction]
    exact: list[list[Fraction]]
    rounded: list[list[int]]
    inclusive: bool
    mode: str
    currency: Currency

    def line(self, i: int) -> TaxedLine:
        """Line ``i`` with its taxes: the net or the gross rounded once, the other derived."""
        exponent = exponent_of(self.currency)
        taxes = [column[i] for column in self.rounded]
        whole = _round(self.given[i], self.mode)
        net, gross = (whole - sum(taxes), whole) if self.inclusive else (whole, whole + sum(taxes))
        amounts = [money_of(units, exponent, self.currency) for units in taxes]
        steps = [
            f"{rule.name} {rule.rate}{' compound' if rule.compound else ''} = "
            f"{fraction_text(self.exact[j][i] / 10**exponent, exponent + 2)} → {amounts[j].amount}"
            for j, rule in enumerate(self.rules)
        ]
        given = fraction_text(self.given[i] / 10**exponent, exponent)
        head = f"gross {given} includes tax" if self.inclusive else f"net {given}"
        net_money = money_of(net, exponent, self.currency)
        gross_money = money_of(gross, exponent, self.currency)
        explanation = "; ".join(
            [
                head,
                *steps,
                f"net {net_money.amount} + tax = gross {gross_money.amount} ({self.mode})",
            ]
        )
        taxed = tuple(
            TaxAmount(rule.name, rule.rate, amounts[j]) for j, rule in enumerate(self.rules)
        )
        return TaxedLine(net_money, taxed, gross_money, explanation)


def _invoice(
    lines: tuple[TaxedLine, ...], decision: TaxDecision, settings: TaxSettings, currency: Currency
) -> TaxedInvoice:
    code = currency.code
    totals = tuple(
        TaxAmount(rule.name, rule.rate, sum_money((line.taxes[j].amount for line in lines), code))
        for j, rule in enumerate(decision.rules)
    )
    net = sum_money((line.amount for line in lines), code)
    tax = sum_money((total.amount for total in totals), code)
    explanation = (
        f"{decision.explanation}; prices {'include' if settings.prices_include_tax else 'exclude'} "
        f"tax; rounded {settings.rounding.value.replace('_', ' ')} ({settings.policy.mode})"
    )
    return TaxedInvoice(lines, net, tax, net + tax, totals, decision.note, explanation)
