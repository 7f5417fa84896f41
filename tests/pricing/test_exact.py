import decimal
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money, get_currency

from hostbill_core.errors import ValidationError
from hostbill_core.money import ROUNDING_MODES, minor_units
from hostbill_core.pricing._exact import (
    as_fraction,
    exchange,
    prorated,
    prorated_units,
    round_ratio,
    share,
)

MODES = sorted(ROUNDING_MODES)


def decimal_round(numerator: int, denominator: int, mode: str) -> int:
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        exact = Decimal(numerator) / Decimal(denominator)
        return int(exact.quantize(Decimal(1), rounding=mode))


@given(
    st.integers(-(10**30), 10**30),
    st.integers(1, 10**12),
    st.sampled_from(MODES),
)
def test_round_ratio_agrees_with_decimal_quantize(numerator: int, denominator: int, mode: str):
    assert round_ratio(numerator, denominator, mode) == decimal_round(numerator, denominator, mode)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # 5/2 = 2.5 and -5/2 = -2.5: ties show each mode's rule.
        (decimal.ROUND_HALF_UP, (3, -3)),
        (decimal.ROUND_HALF_DOWN, (2, -2)),
        (decimal.ROUND_HALF_EVEN, (2, -2)),
        (decimal.ROUND_UP, (3, -3)),
        (decimal.ROUND_DOWN, (2, -2)),
        (decimal.ROUND_CEILING, (3, -2)),
        (decimal.ROUND_FLOOR, (2, -3)),
        (decimal.ROUND_05UP, (2, -2)),
    ],
)
def test_round_ratio_ties(mode: str, expected: tuple[int, int]):
    assert (round_ratio(5, 2, mode), round_ratio(-5, 2, mode)) == expected


def test_round_05up_moves_away_from_zero_after_a_zero_or_five():
    # 10.5 truncates to 10 (last digit 0) → 11; 51/5 = 10.2 → 11; 12.5 truncates to 12 → 12.
    assert round_ratio(21, 2, decimal.ROUND_05UP) == 11
    assert round_ratio(51, 5, decimal.ROUND_05UP) == 11
    assert round_ratio(25, 2, decimal.ROUND_05UP) == 12


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 3), Fraction(1, 3)),
        (0, Fraction(0)),
        (1, Fraction(1)),
        (Decimal("0.25"), Fraction(1, 4)),
    ],
)
def test_as_fraction_accepts_exact_shares(value: object, expected: Fraction):
    assert as_fraction(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (0.5, "a fraction is a Fraction"),
        (True, "a fraction is a Fraction"),
        ("1/2", "a fraction is a Fraction"),
        (Decimal("NaN"), "finite"),
        (Fraction(3, 2), "between 0 and 1"),
        (-1, "between 0 and 1"),
    ],
)
def test_as_fraction_refuses(value: object, reason: str):
    with pytest.raises(ValidationError, match=reason) as caught:
        as_fraction(value)
    assert caught.value.field == "fraction"


CURRENCIES = {code: get_currency(code) for code in ("JPY", "USD", "KWD", "CLF")}


AMOUNTS = st.builds(
    lambda coefficient, places: Decimal(coefficient).scaleb(-places),
    st.integers(-(10**45), 10**45),
    st.integers(-4, 30),
)


@given(
    AMOUNTS,
    st.integers(0, 10**12),
    st.integers(1, 10**12),
    st.sampled_from(sorted(CURRENCIES)),
    st.sampled_from(MODES),
)
def test_fast_share_equals_the_integer_reference(
    amount: Decimal, numerator: int, denominator: int, code: str, mode: str
):
    # coefficients up to 45 digits (beyond 40 the fallback answers), 4 to -30 exponents
    exponent = minor_units(code)
    units = prorated_units(amount, numerator, denominator, exponent, mode)
    expected = Decimal(f"{units}E-{exponent}")  # built from text: exact in any context
    assert share(amount, numerator, denominator, CURRENCIES[code], mode) == expected


def test_share_falls_back_for_a_product_beyond_forty_digits():
    # 10^41 × 1/3 in JPY: the 40-digit product traps, the integer path answers
    amount = Decimal(10) ** 41
    assert share(amount, 1, 3, CURRENCIES["JPY"], decimal.ROUND_HALF_UP) == Decimal(
        "33333333333333333333333333333333333333333"
    )


def test_share_does_not_depend_on_the_callers_context():
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = True
        assert share(
            Decimal("1234.56"), 14, 31, CURRENCIES["USD"], decimal.ROUND_HALF_UP
        ) == Decimal("557.54")


@given(
    AMOUNTS,
    st.integers(0, 1100),
    st.integers(1, 1100),
    st.sampled_from(sorted(CURRENCIES)),
    st.sampled_from(MODES),
)
def test_share_of_day_counts_equals_the_integer_reference(
    amount: Decimal, left: int, whole: int, code: str, mode: str
):
    # counts below 1024 go in as cached Decimals, the others as ints: both agree with integers
    left = min(left, whole)
    exponent = minor_units(code)
    units = prorated_units(amount, left, whole, exponent, mode)
    expected = Decimal(f"{units}E-{exponent}")
    assert share(amount, left, whole, CURRENCIES[code], mode) == expected


@pytest.mark.parametrize(
    ("amount", "numerator", "denominator"),
    [
        (Decimal("9E+49"), 1, 1),  # a product just below 10^50: the fast path
        (Decimal("1E+49"), 10, 7),  # 10^50: the product's Emax traps, the integers answer
        (Decimal("3E+60"), 2, 3),  # far beyond, one significant digit
        (Decimal("0E+70"), 5, 9),  # zero with a huge exponent is still zero
    ],
)
def test_share_beyond_the_products_bounds_falls_back_exactly(
    amount: Decimal, numerator: int, denominator: int
):
    units = prorated_units(amount, numerator, denominator, 0, decimal.ROUND_HALF_UP)
    assert share(
        amount, numerator, denominator, CURRENCIES["JPY"], decimal.ROUND_HALF_UP
    ) == Decimal(units)


def test_the_engine_leaves_the_callers_context_flags_alone():
    usd = Money(Decimal("10.00"), "USD")
    with decimal.localcontext() as ctx:
        ctx.clear_flags()
        share(Decimal("10.00"), 14, 31, CURRENCIES["USD"], decimal.ROUND_HALF_UP)
        share(Decimal("1E+49"), 10, 7, CURRENCIES["USD"], decimal.ROUND_HALF_UP)
        prorated(usd, 14, 31, decimal.ROUND_HALF_UP)
        exchange(usd, Money(Decimal("20.00"), "USD"), 14, 31, decimal.ROUND_HALF_UP)
        assert not any(ctx.flags.values())


def assert_indistinguishable(fast: Money, slow: Money) -> None:
    assert type(fast) is Money
    assert vars(fast) == vars(slow)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert -fast == -slow
    assert fast + slow == slow + slow


COUNTS = st.tuples(st.integers(0, 2000), st.integers(1, 2000)).map(
    lambda t: (min(t), t[1])  # 0 <= left <= whole, either side of the cached counts
)


@given(AMOUNTS, COUNTS, st.sampled_from(sorted(CURRENCIES)), st.sampled_from(MODES))
def test_prorated_money_is_the_share_in_money(
    amount: Decimal, counts: tuple[int, int], code: str, mode: str
):
    currency = CURRENCIES[code]
    left, whole = counts
    fast = prorated(Money(amount, currency), left, whole, mode)
    assert_indistinguishable(fast, Money(share(amount, left, whole, currency, mode), currency))


@given(AMOUNTS, AMOUNTS, COUNTS, st.sampled_from(sorted(CURRENCIES)), st.sampled_from(MODES))
def test_exchange_credits_the_old_share_and_charges_the_new_one(
    old: Decimal, new: Decimal, counts: tuple[int, int], code: str, mode: str
):
    currency = CURRENCIES[code]
    left, whole = counts
    credit, charge, net = exchange(Money(old, currency), Money(new, currency), left, whole, mode)
    unused, charged = (share(a, left, whole, currency, mode) for a in (old, new))
    assert_indistinguishable(credit, Money(unused.copy_negate(), currency))  # -0 stays -0
    assert_indistinguishable(charge, Money(charged, currency))
    with decimal.localcontext() as ctx:
        ctx.prec = 100  # the reference difference, exact
        assert_indistinguishable(net, Money(charged - unused, currency))


def test_prorated_of_a_new_currency_and_of_a_long_product_falls_back():
    # first use of a currency finds no cached quantum; 10^49 × 10 reaches the product's bound:
    # 10^50 / 7 = 14285714285714285714285714285714285714285714285714.28… → …714
    bhd = get_currency("BHD")
    assert prorated(Money(Decimal("1.2345"), bhd), 1, 2, decimal.ROUND_HALF_UP) == Money(
        Decimal("0.617"), bhd
    )
    assert prorated(
        Money(Decimal("1E+49"), CURRENCIES["JPY"]), 10, 7, decimal.ROUND_HALF_UP
    ) == Money(Decimal("14285714285714285714285714285714285714285714285714"), "JPY")
