"""The reciprocal path (amount × n/d rounded up, exact; one quantize) against the references."""

import decimal
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money, get_currency

from hostbill_core.calendar import Period
from hostbill_core.money import ROUNDING_MODES, RoundingPolicy, minor_units
from hostbill_core.pricing import _reciprocal, change_plan, prorate
from hostbill_core.pricing._exact import exchange, prorated, prorated_units, share
from hostbill_core.pricing._reciprocal import (
    QUANTA,
    RATIOS,
    ROUNDING,
    SCALE,
    UPWARD,
    remember,
)

CURRENCIES = {code: get_currency(code) for code in ("JPY", "USD", "KWD", "CLF")}
CODES = sorted(CURRENCIES)
APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))
SHARES = st.tuples(st.integers(0, 1023), st.integers(1, 1023)).map(lambda t: (min(t), t[1]))


def reference(amount: Decimal, numerator: int, denominator: int, code: str, mode: str) -> Decimal:
    """The integer reference, as a Decimal built from text (exact in any context)."""
    exponent = minor_units(code)
    units = prorated_units(amount, numerator, denominator, exponent, mode)
    return Decimal(f"{units}E-{exponent}")


def reciprocal(
    amount: Decimal, numerator: int, denominator: int, code: str, mode: str
) -> Decimal | None:
    """The reciprocal path's answer, or None where its product traps (beyond the bounds)."""
    remember(numerator, denominator, CURRENCIES[code])
    try:
        return SCALE(amount, RATIOS[denominator][numerator]).quantize(QUANTA[code], mode, ROUNDING)
    except decimal.DecimalException:
        return None


def same(a: Decimal, b: Decimal) -> bool:
    """Bit-identical: sign (of zero too), coefficient and exponent."""
    return a.as_tuple() == b.as_tuple()


# Coefficients either side of the 21-digit bound, decimals from 25 below to 30 above zero.
AMOUNTS = st.builds(
    lambda coefficient, places: Decimal(coefficient).scaleb(-places),
    st.integers(-(10**23), 10**23) | st.integers(-(10**8), 10**8),
    st.integers(-25, 30),
)


@given(AMOUNTS, SHARES, st.sampled_from(CODES), st.sampled_from(sorted(UPWARD)))
def test_reciprocal_path_equals_the_references(
    amount: Decimal, counts: tuple[int, int], code: str, mode: str
):
    numerator, denominator = counts
    found = reciprocal(amount, numerator, denominator, code, mode)
    if found is not None:  # inside the bounds; otherwise the callers take the quotient path
        assert found == reference(amount, numerator, denominator, code, mode)
        assert same(found, share(amount, numerator, denominator, CURRENCIES[code], mode))


@given(
    st.integers(-(10**15), 10**15),
    SHARES,
    st.sampled_from(CODES),
    st.sampled_from(sorted(UPWARD)),
)
def test_reciprocal_path_on_ties_and_whole_minor_units(
    coefficient: int, counts: tuple[int, int], code: str, mode: str
):
    # amount = c × d / 10^(e+1), so amount × n/d = c × n / 10^(e+1) exactly: a tie when c × n
    # ends in 5, a whole number of minor units when it ends in 0, while n/d itself need not
    # terminate (d = 3, 7, …): where a ratio rounded up is most likely to go wrong.
    numerator, denominator = counts
    exponent = minor_units(code)
    amount = Decimal(coefficient * denominator).scaleb(-(exponent + 1))
    found = reciprocal(amount, numerator, denominator, code, mode)
    assert found is not None  # well inside the bounds
    assert found == reference(amount, numerator, denominator, code, mode)
    assert same(found, share(amount, numerator, denominator, CURRENCIES[code], mode))


@pytest.mark.parametrize(
    ("amount", "numerator", "denominator", "mode", "expected"),
    [
        # 3.00 × 1/3 = 1.00 exactly, though 1/3 rounded up is 0.333…34: x = 1.00…02 → 1.00
        ("3.00", 1, 3, decimal.ROUND_DOWN, "1.00"),
        # 0.07 × 5/7 = 0.05 exactly; ROUND_DOWN keeps 0.05
        ("0.07", 5, 7, decimal.ROUND_DOWN, "0.05"),
        # 10.01 × 1/2 = 5.005, a tie: HALF_UP → 5.01, DOWN → 5.00
        ("10.01", 1, 2, decimal.ROUND_HALF_UP, "5.01"),
        ("10.01", 1, 2, decimal.ROUND_DOWN, "5.00"),
        # 0.21 × 5/6 = 0.175, a tie with a non-terminating ratio: HALF_UP → 0.18
        ("0.21", 5, 6, decimal.ROUND_HALF_UP, "0.18"),
        # −0.21 × 5/6 = −0.175: away from zero → −0.18; toward zero → −0.17
        ("-0.21", 5, 6, decimal.ROUND_HALF_UP, "-0.18"),
        ("-0.21", 5, 6, decimal.ROUND_DOWN, "-0.17"),
        # −0.001 × 1/3 rounds to a negative zero, as the quotient path's quantize does
        ("-0.001", 1, 3, decimal.ROUND_HALF_UP, "-0.00"),
    ],
)
def test_reciprocal_path_worked_examples(
    amount: str, numerator: int, denominator: int, mode: str, expected: str
):
    found = reciprocal(Decimal(amount), numerator, denominator, "USD", mode)
    assert found is not None
    assert str(found) == expected


@given(SHARES)
def test_kept_ratio_is_the_share_rounded_up_to_forty_digits(counts: tuple[int, int]):
    numerator, denominator = counts
    remember(numerator, denominator, CURRENCIES["USD"])
    ratio = RATIOS[denominator][numerator]
    exact = Fraction(numerator, denominator)
    assert Fraction(ratio) >= exact
    assert Fraction(ratio) - exact < Fraction(ratio) / 10**39 or ratio == exact
    assert len(ratio.as_tuple().digits) <= 40


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(1, 1024), (0, 5000), (4, 3), (-1, 3)],
)
def test_remember_keeps_only_shares_of_a_period_below_1024(numerator: int, denominator: int):
    remember(numerator, denominator, CURRENCIES["USD"])
    assert numerator not in RATIOS.get(denominator, {})


def test_remember_stops_at_the_entry_limit(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_reciprocal, "RATIO_ENTRIES", _reciprocal._kept[0])
    monkeypatch.setitem(RATIOS, 1019, {})  # a row with nothing kept yet
    remember(1, 1019, CURRENCIES["USD"])
    assert RATIOS[1019] == {}


def test_remember_skips_a_currency_finer_than_fourteen_decimals(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_reciprocal, "minor_units", lambda currency: 15)
    monkeypatch.delitem(QUANTA, "XTS", raising=False)
    remember(1, 2, get_currency("XTS"))
    assert "XTS" not in QUANTA


@given(AMOUNTS, SHARES, st.sampled_from(CODES), st.sampled_from(sorted(ROUNDING_MODES)))
def test_prorate_is_the_same_on_first_and_later_use(
    amount: Decimal, counts: tuple[int, int], code: str, mode: str
):
    # The first use of a share takes the quotient path (and keeps the ratio), later ones the
    # reciprocal path for HALF_UP and DOWN: every mode gives the same Money both times.
    numerator, denominator = counts
    price = Money(amount, CURRENCIES[code])
    policy = RoundingPolicy(mode)
    fraction = Fraction(numerator, denominator)
    first, later = prorate(price, fraction, policy), prorate(price, fraction, policy)
    expected = reference(amount, fraction.numerator, fraction.denominator, code, mode)
    assert first.amount == later.amount == expected
    assert same(first.amount, later.amount)
    assert prorated(price, numerator, denominator, mode) == first


@given(AMOUNTS, AMOUNTS, SHARES, st.sampled_from(CODES), st.sampled_from(sorted(ROUNDING_MODES)))
def test_exchange_is_the_same_on_first_and_later_use(
    old: Decimal, new: Decimal, counts: tuple[int, int], code: str, mode: str
):
    left, whole = counts
    currency = CURRENCIES[code]
    args = (Money(old, currency), Money(new, currency), left, whole, mode)
    first, later = exchange(*args), exchange(*args)
    for a, b in zip(first, later, strict=True):
        assert same(a.amount, b.amount)
    assert first[1].amount == reference(new, left, whole, code, mode)


def test_the_reciprocal_path_ignores_the_callers_context():
    usd = Money(Decimal("1234.56"), "USD")
    prorate(usd, Fraction(14, 31))  # keeps the ratio: the second call takes the path
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = True
        ctx.clear_flags()
        # 1234.56 × 14/31 = 557.543… → 557.54
        assert prorate(usd, Fraction(14, 31)) == Money(Decimal("557.54"), "USD")
        change = change_plan(usd, usd, APRIL, date(2026, 4, 11))
        assert change.net == Money(Decimal("0.00"), "USD")
        assert not any(ctx.flags.values())


@given(
    AMOUNTS.map(abs),
    AMOUNTS.map(abs),
    st.integers(0, 30),
    st.sampled_from(CODES),
    st.sampled_from(sorted(ROUNDING_MODES)),
)
def test_change_plan_is_the_same_on_first_and_later_use(
    old: Decimal, new: Decimal, day: int, code: str, mode: str
):
    currency = CURRENCIES[code]
    on = date(2026, 4, 1) + timedelta(days=day)  # 30 - day of 30 days remain
    args = (Money(old, currency), Money(new, currency), APRIL, on)
    first = change_plan(*args, policy=RoundingPolicy(mode))
    later = change_plan(*args, policy=RoundingPolicy(mode))
    assert first == later
    for a, b in zip(first[4:7], later[4:7], strict=True):
        assert same(a.amount, b.amount)
    assert later.credit.amount == reference(old, 30 - day, 30, code, mode).copy_negate()
    assert later.charge.amount == reference(new, 30 - day, 30, code, mode)
    with decimal.localcontext() as ctx:
        ctx.prec = 100  # the reference sum, exact
        assert later.net.amount == later.charge.amount + later.credit.amount
