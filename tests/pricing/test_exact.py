import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import get_currency

from hostbill_core.errors import ValidationError
from hostbill_core.money import ROUNDING_MODES, minor_units
from hostbill_core.pricing._exact import as_fraction, prorated_units, round_ratio, share

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
