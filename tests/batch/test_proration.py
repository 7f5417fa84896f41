import decimal
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostbill_core.batch import prorate
from hostbill_core.errors import ValidationError
from hostbill_core.money import ROUNDING_MODES, Money, RoundingPolicy, from_minor, to_minor
from hostbill_core.pricing.proration import prorate as pricing_prorate

from .strategies import CODES, blobs

# Up to 60 prices of ±1.4 × 10^14 minor units, drawn as one byte string (6 bytes a price).
_PRICES = blobs(6, 10, 60).map(
    lambda b: [int.from_bytes(b[k : k + 6], "little", signed=True) for k in range(0, len(b) - 5, 6)]
)


def _object_api(units: int, numerator: int, denominator: int, code: str, mode: str) -> int:
    """The object API: the exact Decimal amount × n / d, rounded by RoundingPolicy."""
    with decimal.localcontext() as ctx:
        ctx.prec = 80  # exact enough that only the policy rounds
        exact = from_minor(units, code).amount * numerator / denominator
    return to_minor(RoundingPolicy(mode).round(Money(exact, code)))


def _rows(blob: bytes) -> list[tuple[int, int, int]]:
    """12 bytes a row: a signed 5-byte price, a numerator and a denominator.

    Half the rows have small fractions (n ≤ 8 of d ≤ 8), where exact ties are frequent.
    """
    rows = []
    for k in range(0, len(blob) - 11, 12):
        price = int.from_bytes(blob[k : k + 5], "little", signed=True)
        num, den = (int.from_bytes(blob[k + j : k + j + 3], "little") for j in (5, 8))
        small = blob[k + 11] < 128
        rows.append((price, num % 9 if small else num % 10**6, 1 + den % (8 if small else 10**6)))
    return rows


@settings(max_examples=2000)
@given(
    blobs(12, 10, 60).map(_rows),
    st.sampled_from(sorted(ROUNDING_MODES)),
    st.sampled_from(CODES),
)
def test_prorate_equals_rounding_policy_row_by_row(
    rows: list[tuple[int, int, int]], mode: str, code: str
) -> None:
    prices, numerators, denominators = (
        np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)
    )
    got = prorate(prices, numerators, denominators, RoundingPolicy(mode))
    assert got.tolist() == [_object_api(p, n, d, code, mode) for p, n, d in rows]


@settings(max_examples=2000)
@given(_PRICES, st.integers(0, 400), st.integers(1, 400), st.sampled_from(sorted(ROUNDING_MODES)))
def test_prorate_by_one_fraction_equals_rounding_policy(
    prices: list[int], numerator: int, denominator: int, mode: str
) -> None:
    got = prorate(np.array(prices, dtype=np.int64), numerator, denominator, RoundingPolicy(mode))
    assert got.tolist() == [_object_api(p, numerator, denominator, "USD", mode) for p in prices]


@given(_PRICES, st.integers(1, 10**4))
def test_half_modes_move_at_most_half_a_unit_and_directed_modes_at_most_one(
    prices: list[int], denominator: int
) -> None:
    column = np.array(prices, dtype=np.int64)
    numerator = denominator // 3
    exact = [Decimal(p) * numerator / denominator for p in prices]
    for mode in (decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN):
        got = prorate(column, numerator, denominator, RoundingPolicy(mode))
        assert all(abs(g - e) <= Decimal("0.5") for g, e in zip(got.tolist(), exact, strict=True))
    down = prorate(column, numerator, denominator, RoundingPolicy(decimal.ROUND_DOWN))
    up = prorate(column, numerator, denominator, RoundingPolicy(decimal.ROUND_UP))
    assert all(
        abs(d) <= abs(u) <= abs(d) + 1 for d, u in zip(down.tolist(), up.tolist(), strict=True)
    )


def test_worked_example_twelve_days_of_thirty_one() -> None:
    # 10.00 USD × 12/31 = 3.870967… → 387 cents in every mode but UP/CEILING (388).
    # 0.31 USD × 1/2 = 0.155 (a tie): HALF_UP 16, HALF_EVEN 16 (15 is odd → 16), HALF_DOWN 15.
    prices = np.array([1000, 31, -31], dtype=np.int64)
    assert prorate(prices, 12, 31, RoundingPolicy("ROUND_UP")).tolist() == [388, 12, -12]
    assert prorate(prices, 12, 31).tolist() == [387, 12, -12]
    assert prorate(prices, 1, 2).tolist() == [500, 16, -16]
    assert prorate(prices, 1, 2, RoundingPolicy("ROUND_HALF_EVEN")).tolist() == [500, 16, -16]
    assert prorate(prices, 1, 2, RoundingPolicy("ROUND_HALF_DOWN")).tolist() == [500, 15, -15]
    # 0.25 / 2 = 0.125: HALF_EVEN keeps the even 12.
    assert prorate(np.array([25]), 1, 2, RoundingPolicy("ROUND_HALF_EVEN")).tolist() == [12]


def test_floor_and_ceiling_differ_from_down_and_up_on_negative_values() -> None:
    # -10 × 1/3 = -3.33…: FLOOR -4, CEILING -3, DOWN (towards 0) -3, UP (away) -4.
    prices = np.array([-10], dtype=np.int64)
    got = {m: prorate(prices, 1, 3, RoundingPolicy(m)).tolist()[0] for m in ROUNDING_MODES}
    assert got["ROUND_FLOOR"] == -4
    assert got["ROUND_CEILING"] == -3
    assert got["ROUND_DOWN"] == -3
    assert got["ROUND_UP"] == -4


def test_prorate_spans_many_chunks() -> None:
    prices = np.arange(-100_000, 100_000, dtype=np.int64)
    got = prorate(prices, 7, 30)
    assert got[[0, 150_000, -1]].tolist() == [
        _object_api(-100_000, 7, 30, "USD", "ROUND_HALF_UP"),
        _object_api(50_000, 7, 30, "USD", "ROUND_HALF_UP"),
        _object_api(99_999, 7, 30, "USD", "ROUND_HALF_UP"),
    ]


# Error paths.


def test_a_float_numerator_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        prorate(np.array([100]), 0.5, 1)  # type: ignore[arg-type]
    assert raised.value.field == "numerator"


def test_a_bool_denominator_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        prorate(np.array([100]), 1, True)
    assert raised.value.field == "denominator"


def test_a_float_price_column_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        prorate(np.array([1.5]), 1, 2)  # type: ignore[arg-type]
    assert raised.value.field == "prices"


def test_a_two_dimensional_price_column_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        prorate(np.zeros((2, 2), dtype=np.int64), 1, 2)
    assert raised.value.field == "prices"


def test_a_numerator_column_of_another_length_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        prorate(np.array([1, 2]), np.array([1, 2, 3]), 2)
    assert raised.value.field == "numerator"


def test_a_zero_denominator_is_refused() -> None:
    with pytest.raises(ValidationError, match="above 0"):
        prorate(np.array([100]), 1, np.array([0]))


def test_an_int_beyond_int64_is_refused() -> None:
    with pytest.raises(ValidationError, match="int64 range"):
        prorate(np.array([100]), 2**70, 3)


def test_a_product_that_could_overflow_is_refused() -> None:
    with pytest.raises(ValidationError, match="overflow"):
        prorate(np.array([10**12]), 10**8, 3)


def test_a_denominator_above_2_to_the_62_is_refused() -> None:
    with pytest.raises(ValidationError, match="2\\^62"):
        prorate(np.array([1]), 1, 2**62 + 1)


@settings(max_examples=2000)
@given(
    blobs(12, 10, 60).map(_rows), st.sampled_from(sorted(ROUNDING_MODES)), st.sampled_from(CODES)
)
def test_prorate_equals_the_pricing_engine_for_shares_of_a_period(
    rows: list[tuple[int, int, int]], mode: str, code: str
) -> None:
    # The pricing engine prorates by a share from 0 to 1 (days used / days in the period).
    shares = [(p, min(n, d), d) for p, n, d in rows]
    prices, numerators, denominators = (
        np.array(c, dtype=np.int64) for c in zip(*shares, strict=True)
    )
    got = prorate(prices, numerators, denominators, RoundingPolicy(mode))
    policy = RoundingPolicy(mode)
    assert got.tolist() == [
        to_minor(pricing_prorate(from_minor(p, code), Fraction(n, d), policy)) for p, n, d in shares
    ]
