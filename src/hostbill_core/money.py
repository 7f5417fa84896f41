"""Exact money: construction without floats, minor units, one rounding policy, allocation.

Amounts are py-moneyed :class:`~moneyed.Money` values holding a :class:`~decimal.Decimal`.
This module is the only place that builds one from outside input (:func:`to_money`), and it
refuses floats, booleans, NaN, infinities and malformed strings. Rounding happens only through a
:class:`RoundingPolicy`, which names its mode and works in a local decimal context, so the
ambient context of the caller never changes a result.

>>> price = to_money("10.00", "USD")
>>> allocate(price, [1, 1, 1])
(Money('3.34', 'USD'), Money('3.33', 'USD'), Money('3.33', 'USD'))
>>> RoundingPolicy("ROUND_HALF_EVEN").round(to_money("0.125", "USD"))
Money('0.12', 'USD')
>>> minor_units("JPY"), minor_units("USD"), minor_units("BHD")
(0, 2, 3)
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache, reduce

import attrs
from moneyed import Currency, CurrencyDoesNotExist, Money, get_currency

from hostbill_core.errors import CurrencyMismatchError, ValidationError

__all__ = [
    "ROUNDING_MODES",
    "ExchangeRate",
    "Money",
    "RoundingPolicy",
    "allocate",
    "convert",
    "currency_code",
    "exact_sum",
    "from_minor",
    "minor_units",
    "split",
    "sum_money",
    "to_decimal",
    "to_minor",
    "to_money",
    "zero",
]

#: Every rounding mode of the :mod:`decimal` module, by its constant's name.
ROUNDING_MODES: frozenset[str] = frozenset(
    {
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    }
)

_DECIMAL_STRING = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CODE = re.compile(r"[A-Z]{3}")
# Precision of the local contexts: far beyond any amount a business bills, so that only the
# explicit quantisation of a RoundingPolicy ever rounds.
_PRECISION = 60
# Sums are added in this context rather than in a ``localcontext`` copied for each sum: at
# this precision an addition of amounts never rounds, whatever the caller's context says.
_EXACT = decimal.Context(prec=_PRECISION)
_NOTHING = Decimal(0)


def currency_code(currency: str | Currency, field: str = "currency") -> str:
    """Return the ISO 4217 code of ``currency``, checked against the known currencies.

    Args:
        currency: a three-letter upper-case code (``"USD"``) or a py-moneyed ``Currency``.
        field: the input's name for the error message.

    Raises:
        ValidationError: the code is not three upper-case letters or not a known currency.
    """
    if currency.__class__ is str and currency in _CHECKED:  # checked once per process
        return currency
    if isinstance(currency, Currency):
        return currency.code
    if not isinstance(currency, str) or not _CODE.fullmatch(currency):
        raise ValidationError(field, currency, "a currency is a three-letter ISO 4217 code: 'USD'")
    return _known_code(currency, field)


@cache
def _currency(code: str) -> Currency | None:
    try:
        return get_currency(code)
    except CurrencyDoesNotExist:
        return None


def _known_code(code: str, field: str) -> str:
    if _currency(code) is None:
        raise ValidationError(field, code, "not an ISO 4217 currency code")
    if code.__class__ is str:  # not a subclass: its equality could differ
        _CHECKED.add(code)
    return code


# Plain strings found to be known ISO 4217 codes (at most the few hundred codes there are):
# a code checked once is not matched and looked up again on every Money built or summed.
_CHECKED: set[str] = set()


def to_decimal(amount: object, field: str = "amount") -> Decimal:
    """Return ``amount`` as an exact finite :class:`~decimal.Decimal`.

    Args:
        amount: a ``Decimal``, an ``int`` or a decimal string such as ``"-12.50"``.
        field: the input's name for the error message.

    Raises:
        ValidationError: for a ``float`` (inexact), a ``bool``, NaN, an infinity, a string
            that is not a plain decimal number, or any other type.
    """
    if isinstance(amount, bool):
        raise ValidationError(field, amount, "a bool is not an amount: pass a Decimal or an int")
    if isinstance(amount, float):
        raise ValidationError(
            field, amount, "floats are inexact: pass a Decimal, an int or a decimal string"
        )
    if isinstance(amount, int):
        return Decimal(amount)
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ValidationError(field, amount, "an amount must be finite (no NaN or infinity)")
        return amount
    if isinstance(amount, str):
        if not _DECIMAL_STRING.fullmatch(amount):
            raise ValidationError(
                field, amount, "not a plain decimal number such as '12.50' or '-3'"
            )
        return Decimal(amount)
    raise ValidationError(
        field, amount, f"{type(amount).__name__} is not an amount: pass a Decimal, int or str"
    )


def to_money(amount: object, currency: str | Currency) -> Money:
    """Build a :class:`~moneyed.Money` from outside input, exactly.

    The amount is kept as given (no rounding): ``to_money("0.125", "USD")`` holds 0.125.
    Round with a :class:`RoundingPolicy` where a minor-unit amount is needed.

    Args:
        amount: a ``Decimal``, an ``int`` or a decimal string; never a float.
        currency: an ISO 4217 code or a ``Currency``.

    Raises:
        ValidationError: the amount or the currency is refused (see :func:`to_decimal`).

    >>> to_money("12.5", "EUR")
    Money('12.5', 'EUR')
    >>> to_money(0.1, "USD")
    Traceback (most recent call last):
    ...
    hostbill_core.errors.ValidationError: amount=0.1: floats are inexact: ...
    """
    return Money(to_decimal(amount), currency_code(currency))


def zero(currency: str | Currency) -> Money:
    """Return zero in ``currency``.

    Money is never changed once built, so one zero per currency is kept and given out again.
    """
    code = currency_code(currency)
    found = _ZEROS.get(code)
    if found is None:
        found = _ZEROS[code] = Money(Decimal(0), code)
    return found


_ZEROS: dict[str, Money] = {}  # zero of each currency asked for (a few hundred at most)


def minor_units(currency: str | Currency) -> int:
    """Return the ISO 4217 exponent of ``currency``: JPY 0, USD 2, BHD 3, CLF 4.

    Currencies without a minor unit (gold, testing codes) have exponent 0.

    Raises:
        ValidationError: unknown currency.
    """
    code = currency_code(currency)
    return _exponent(code)


@cache
def _exponent(code: str) -> int:
    found = _currency(code)
    sub_unit = found.sub_unit if found is not None else 1
    return len(str(sub_unit)) - 1


@cache
def _quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-_exponent(code))


@attrs.frozen
class RoundingPolicy:
    """How an amount is rounded to its currency's minor unit.

    ``mode`` is the name of a :mod:`decimal` rounding constant; the default is
    ``ROUND_HALF_UP`` (0.125 USD → 0.13), the convention of most billing systems. Every
    quantisation runs in a local decimal context, so the caller's context never matters.

    Raises:
        ValidationError: ``mode`` is not a :mod:`decimal` rounding constant.
    """

    mode: str = attrs.field(default=decimal.ROUND_HALF_UP)

    @mode.validator
    def _check_mode(self, _attribute: object, value: str) -> None:
        if value not in ROUNDING_MODES:
            raise ValidationError("mode", value, f"use one of {sorted(ROUNDING_MODES)}")

    def quantize(self, amount: Decimal, currency: str | Currency) -> Decimal:
        """Round a bare ``Decimal`` to the minor unit of ``currency`` with this policy's mode."""
        with decimal.localcontext() as ctx:
            ctx.prec = _PRECISION
            return amount.quantize(_quantum(currency_code(currency)), rounding=self.mode)

    def round(self, money: Money) -> Money:
        """Round ``money`` to its currency's minor unit with this policy's mode.

        >>> RoundingPolicy().round(to_money("2.345", "USD"))
        Money('2.35', 'USD')
        >>> RoundingPolicy("ROUND_DOWN").round(to_money("1999.9", "JPY"))
        Money('1999', 'JPY')
        """
        code = money.currency.code
        return Money(self.quantize(money.amount, code), code)


def to_minor(money: Money) -> int:
    """Return ``money`` as an integer count of minor units (USD 12.34 → 1234).

    Raises:
        ValidationError: the amount is finer than the minor unit (round it first).
    """
    code = money.currency.code
    scaled = money.amount.scaleb(_exponent(code))
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            "money",
            money,
            f"{money.amount} is finer than the minor unit of {code}: round it with a "
            "RoundingPolicy first",
        )
    return int(scaled)


def from_minor(units: int, currency: str | Currency) -> Money:
    """Return the Money worth ``units`` minor units of ``currency`` (1234, USD → 12.34).

    Raises:
        ValidationError: ``units`` is not an int (a bool or float is refused).
    """
    if isinstance(units, bool) or not isinstance(units, int):
        raise ValidationError("units", units, "minor units are a whole number (int)")
    code = currency_code(currency)
    return Money(Decimal(units).scaleb(-_exponent(code)), code)


def sum_money(items: Iterable[Money], currency: str | Currency) -> Money:
    """Add amounts exactly; an empty iterable gives zero of ``currency``.

    Raises:
        CurrencyMismatchError: an item is in another currency.
    """
    code = currency_code(currency)
    total, add = _NOTHING, _EXACT.add
    for item in items:
        if item.currency.code != code:
            raise CurrencyMismatchError(code, item.currency.code, "sum")
        total = add(total, item.amount)
    if total is _NOTHING:  # nothing added (a new ledger's balance): the one zero kept
        return zero(code)
    return Money(total, code)


def exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    """Add bare amounts exactly (never rounded, whatever the caller's context); 0 when empty.

    For amounts already known to share a currency (an invoice's lines), where
    :func:`sum_money`'s check of each item's currency is redundant.

    >>> exact_sum([Decimal("0.10"), Decimal("0.20")])
    Decimal('0.30')
    """
    return reduce(_EXACT.add, amounts, _NOTHING)


def _ratio(value: object, index: int) -> Fraction:
    field = f"ratios[{index}]"
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise ValidationError(field, value, "a ratio is an int, a Decimal or a Fraction")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValidationError(field, value, "a ratio must be finite")
    ratio = Fraction(value)
    if ratio < 0:
        raise ValidationError(field, value, "a ratio must not be negative")
    return ratio


def allocate(money: Money, ratios: Sequence[int | Decimal | Fraction]) -> tuple[Money, ...]:
    """Split ``money`` by ``ratios`` at the minor unit, conserving every minor unit.

    Each part first gets the floor of its exact share; the minor units left over go one each
    to the parts with the largest remainders, ties to the earlier part. A negative amount is
    split as its positive mirror, negated. Parts whose ratio is zero get zero.

    Args:
        money: an amount already at its currency's minor unit.
        ratios: non-negative ints, Decimals or Fractions, not all zero.

    Returns:
        One part per ratio, in order; the parts sum exactly to ``money``.

    Raises:
        ValidationError: no ratios, a negative, float or non-finite ratio, all ratios
            zero, or ``money`` finer than its minor unit.

    >>> allocate(to_money("0.10", "USD"), [1, 1, 2])
    (Money('0.03', 'USD'), Money('0.02', 'USD'), Money('0.05', 'USD'))
    """
    parts = [_ratio(r, i) for i, r in enumerate(ratios)]
    if not parts:
        raise ValidationError("ratios", ratios, "give at least one ratio")
    total_ratio = sum(parts, Fraction(0))
    if total_ratio == 0:
        raise ValidationError("ratios", ratios, "at least one ratio must be above zero")
    units = to_minor(money)
    sign, magnitude = (-1, -units) if units < 0 else (1, units)
    shares = [magnitude * p / total_ratio for p in parts]
    floors = [s.numerator // s.denominator for s in shares]
    left = magnitude - sum(floors)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    code = money.currency.code
    return tuple(from_minor(sign * f, code) for f in floors)


def split(money: Money, n: int) -> tuple[Money, ...]:
    """Split ``money`` into ``n`` parts as equal as the minor unit allows, earlier parts larger.

    Raises:
        ValidationError: ``n`` is below 1.

    >>> split(to_money("100", "JPY"), 3)
    (Money('34', 'JPY'), Money('33', 'JPY'), Money('33', 'JPY'))
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValidationError("n", n, "split into a whole number of parts, 1 or more")
    return allocate(money, [1] * n)


def _positive_rate(value: object) -> Decimal:
    rate = to_decimal(value, "rate")
    if rate <= 0:
        raise ValidationError("rate", value, "an exchange rate must be above zero")
    return rate


def _base_code(value: str | Currency) -> str:
    return currency_code(value, "base")


def _quote_code(value: str | Currency) -> str:
    return currency_code(value, "quote")


@attrs.frozen
class ExchangeRate:
    """One unit of ``base`` is worth ``rate`` units of ``quote``, as of a date.

    Args:
        base: the currency converted from.
        quote: the currency converted to.
        rate: a positive exact Decimal (an int or decimal string is accepted).
        as_of: the calendar date the rate was taken on.

    >>> rate = ExchangeRate("EUR", "USD", Decimal("1.10"), date(2026, 1, 5))
    >>> convert(to_money("10.00", "EUR"), rate)
    Money('11.00', 'USD')
    """

    base: str = attrs.field(converter=_base_code)
    quote: str = attrs.field(converter=_quote_code)
    rate: Decimal = attrs.field(converter=_positive_rate)
    as_of: date = attrs.field()

    @as_of.validator
    def _check_date(self, _attribute: object, value: object) -> None:
        if not isinstance(value, date):
            raise ValidationError("as_of", value, "the rate's date is a datetime.date")

    def inverse(self) -> ExchangeRate:
        """Return the rate from ``quote`` back to ``base``: 1 / rate, to 28 significant digits.

        28 digits keep a round trip through the inverse within one minor unit for any
        amount a business bills.
        """
        with decimal.localcontext() as ctx:
            ctx.prec = 28
            ctx.rounding = decimal.ROUND_HALF_EVEN
            inverted = Decimal(1) / self.rate
        return ExchangeRate(self.quote, self.base, inverted, self.as_of)


def convert(money: Money, rate: ExchangeRate, policy: RoundingPolicy | None = None) -> Money:
    """Convert ``money`` from ``rate.base`` to ``rate.quote``, rounded once by ``policy``.

    The product amount × rate is exact; the only rounding is the policy's, to the quote
    currency's minor unit (default ROUND_HALF_UP).

    Raises:
        CurrencyMismatchError: ``money`` is not in the rate's base currency.
    """
    code = money.currency.code
    if code != rate.base:
        raise CurrencyMismatchError(rate.base, code, "conversion")
    with decimal.localcontext() as ctx:
        ctx.prec = _PRECISION
        exact = money.amount * rate.rate
    return (policy or RoundingPolicy()).round(Money(exact, rate.quote))
