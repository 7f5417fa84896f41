import decimal
import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

from hostbill_core.calendar import Period
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy, allocate, minor_units, to_minor, to_money
from hostbill_core.pricing import (
    ACTUAL_DAYS,
    BY_SECOND,
    NO_PRORATION,
    ProrationConvention,
    ProrationMethod,
    prorate,
)

SEPTEMBER = Period(date(2011, 9, 1), date(2011, 10, 1))
OCTOBER_31 = Period(date(2011, 10, 1), date(2011, 11, 1))


# --- worked examples -------------------------------------------------------------------


def test_usd_fourteen_of_thirty_one_days():
    # 10.00 × 14/31 = 4.516… → 4.52 (ROUND_HALF_UP)
    assert prorate(to_money("10.00", "USD"), Fraction(14, 31)) == to_money("4.52", "USD")


def test_jpy_has_no_decimals():
    # 1000 × 14/31 = 451.61… → 452 yen
    assert prorate(to_money("1000", "JPY"), Fraction(14, 31)) == to_money("452", "JPY")


def test_kwd_has_three_decimals():
    # 10.000 × 14/31 = 4.51612… → 4.516 dinar
    assert prorate(to_money("10.000", "KWD"), Fraction(14, 31)) == to_money("4.516", "KWD")


def test_result_is_quantised_to_the_minor_unit():
    assert str(prorate(to_money("10", "USD"), Fraction(1)).amount) == "10.00"
    assert str(prorate(to_money("7", "KWD"), Fraction(1, 2)).amount) == "3.500"


def test_rounding_mode_is_the_policys():
    # 0.25 × 1/2 = 0.125: HALF_UP → 0.13, HALF_EVEN → 0.12, DOWN → 0.12
    price = to_money("0.25", "USD")
    assert prorate(price, Fraction(1, 2)) == to_money("0.13", "USD")
    assert prorate(price, Fraction(1, 2), RoundingPolicy("ROUND_HALF_EVEN")) == to_money(
        "0.12", "USD"
    )
    assert prorate(price, Fraction(1, 2), RoundingPolicy("ROUND_DOWN")) == to_money("0.12", "USD")


def test_negative_price_rounds_half_away_from_zero():
    # -0.25 × 1/2 = -0.125 → -0.13 under HALF_UP (away from zero)
    assert prorate(to_money("-0.25", "USD"), Fraction(1, 2)) == to_money("-0.13", "USD")


def test_price_finer_than_minor_unit_is_rounded_once():
    # 0.125 × 1 = 0.125 → 0.13; never 0.125 → 0.12 (first) → 0.12
    assert prorate(to_money("0.125", "USD"), 1) == to_money("0.13", "USD")


def test_decimal_fraction_is_exact():
    assert prorate(to_money("10.00", "USD"), Decimal("0.25")) == to_money("2.50", "USD")


def test_actual_days_split_of_september():
    # split on 15 September: 14 days used, 16 left of 30
    assert ACTUAL_DAYS.used(SEPTEMBER, date(2011, 9, 15)) == Fraction(14, 30)
    assert ACTUAL_DAYS.remaining(SEPTEMBER, date(2011, 9, 15)) == Fraction(16, 30)
    assert ACTUAL_DAYS.describe(SEPTEMBER, date(2011, 9, 15)) == (
        "16 of 30 days of [2011-09-01, 2011-10-01)"
    )


def test_fixed_days_matches_kill_bills_thirty_day_month():
    # [2023-05-23, 2023-06-15) is 23 actual days; May's 31st counts nothing → 22 of 30.
    thirty = ProrationConvention.fixed_days(30)
    period = Period(date(2023, 5, 15), date(2023, 6, 15))
    assert thirty.remaining(period, date(2023, 5, 23)) == Fraction(22, 30)


def test_fixed_days_february_counts_thirty():
    # [2023-02-28, 2023-03-10): the 28th stands for days 28, 29, 30 → 3 + 9 = 12 of 30
    # (actual days would be 10 of 28).
    thirty = ProrationConvention.fixed_days(30)
    period = Period(date(2023, 2, 10), date(2023, 3, 10))
    assert thirty.remaining(period, date(2023, 2, 28)) == Fraction(12, 30)
    assert thirty.describe(period, date(2023, 2, 28)) == (
        "12 of 30 days of [2023-02-10, 2023-03-10) counting 30-day months"
    )


def test_fixed_days_falls_back_to_actual_days_for_a_period_counting_nothing():
    # [31 Jan, 1 Feb) counts 0 thirty-day days: the share is taken in actual days.
    thirty = ProrationConvention.fixed_days(30)
    period = Period(date(2023, 1, 31), date(2023, 2, 1))
    assert thirty.remaining(period, date(2023, 1, 31)) == 1


def test_by_second_across_a_daylight_saving_change():
    # March 2024 in Berlin has 31 × 86400 − 3600 = 2674800 s (clocks go forward on the 31st).
    # On 16 March 12:00 UTC (13:00 in Berlin) 15 d 13 h = 1342800 s are used, 1332000 s left.
    # 31.00 EUR × 1332000/2674800 = 15.4374… → 15.44
    berlin = ProrationConvention.by_second(ZoneInfo("Europe/Berlin"))
    period = Period(date(2024, 3, 1), date(2024, 4, 1))
    on = datetime(2024, 3, 16, 12, tzinfo=UTC)
    share = berlin.remaining(period, on)
    assert share == Fraction(1332000, 2674800)
    assert prorate(to_money("31.00", "EUR"), share) == to_money("15.44", "EUR")


def test_by_second_reads_a_date_as_midnight():
    # UTC midnight on 16 March: 16 of 31 days left.
    assert BY_SECOND.remaining(
        Period(date(2024, 3, 1), date(2024, 4, 1)), date(2024, 3, 16)
    ) == Fraction(16, 31)


def test_no_proration_counts_only_whole_periods():
    assert NO_PRORATION.remaining(SEPTEMBER, date(2011, 9, 15)) == 0
    assert NO_PRORATION.used(SEPTEMBER, date(2011, 9, 15)) == 0
    assert NO_PRORATION.remaining(SEPTEMBER, date(2011, 9, 1)) == 1
    assert NO_PRORATION.used(SEPTEMBER, date(2011, 10, 1)) == 1
    assert "not prorated" in NO_PRORATION.describe(SEPTEMBER, date(2011, 9, 15))


def test_named_conventions():
    assert ProrationConvention.ACTUAL_DAYS is ACTUAL_DAYS
    assert ProrationConvention.NONE.method is ProrationMethod.NONE
    assert ProrationConvention.BY_SECOND.timezone is UTC


# --- errors --------------------------------------------------------------------------


def test_float_fraction_is_refused():
    with pytest.raises(ValidationError, match=r"fraction=0\.5"):
        prorate(to_money("10.00", "USD"), 0.5)  # type: ignore[arg-type]


def test_fraction_above_one_is_refused():
    with pytest.raises(ValidationError, match="between 0 and 1"):
        prorate(to_money("10.00", "USD"), Fraction(32, 31))


def test_negative_fraction_is_refused():
    with pytest.raises(ValidationError, match="between 0 and 1"):
        prorate(to_money("10.00", "USD"), Fraction(-1, 31))


def test_price_must_be_money():
    with pytest.raises(ValidationError, match="price=Decimal"):
        prorate(Decimal("10.00"), Fraction(1, 2))  # type: ignore[arg-type]


def test_split_outside_the_period_is_refused():
    with pytest.raises(ValidationError, match="within") as caught:
        ACTUAL_DAYS.remaining(SEPTEMBER, date(2011, 10, 2))
    assert caught.value.field == "on"


def test_day_convention_refuses_a_datetime():
    with pytest.raises(ValidationError, match=r"datetime\.date"):
        ACTUAL_DAYS.used(SEPTEMBER, datetime(2011, 9, 15, tzinfo=UTC))


def test_by_second_refuses_a_naive_datetime():
    with pytest.raises(ValidationError, match="naive"):
        BY_SECOND.used(SEPTEMBER, datetime(2011, 9, 15))


def test_by_second_split_outside_the_period_is_refused():
    with pytest.raises(ValidationError, match="within"):
        BY_SECOND.used(SEPTEMBER, datetime(2011, 10, 1, 0, 0, 1, tzinfo=UTC))


@pytest.mark.parametrize("n", [0, 32, True, None])
def test_fixed_days_needs_1_to_31(n: object):
    with pytest.raises(ValidationError, match="days_per_month"):
        ProrationConvention.fixed_days(n)  # type: ignore[arg-type]


def test_days_per_month_only_for_fixed_days():
    with pytest.raises(ValidationError, match="only FIXED_DAYS"):
        ProrationConvention(ProrationMethod.ACTUAL_DAYS, 30)


# --- properties ----------------------------------------------------------------------

CURRENCIES = st.sampled_from(["USD", "JPY", "KWD", "EUR"])
MODES = st.sampled_from(
    ["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP", "ROUND_CEILING"]
)
CONVENTIONS = st.sampled_from(
    [ACTUAL_DAYS, ProrationConvention.fixed_days(30), ProrationConvention.fixed_days(31)]
)


@st.composite
def split_periods(draw: st.DrawFn) -> tuple[Period, list[date]]:
    start = draw(st.dates(date(2000, 1, 1), date(2040, 12, 31)))
    length = draw(st.integers(1, 1100))
    cuts = draw(st.lists(st.integers(1, length), max_size=12, unique=True))
    bounds = [start + timedelta(days=d) for d in sorted({0, length, *cuts})]
    return Period(start, start + timedelta(days=length)), bounds


def shares(convention: ProrationConvention, period: Period, bounds: list[date]) -> list[Fraction]:
    return [
        convention.used(period, b) - convention.used(period, a)
        for a, b in itertools.pairwise(bounds)
    ]


@given(split_periods(), CONVENTIONS)
def test_shares_of_a_split_add_up_to_one(
    split: tuple[Period, list[date]], convention: ProrationConvention
):
    period, bounds = split
    parts = shares(convention, period, bounds)
    assert all(0 <= p <= 1 for p in parts)
    assert sum(parts) == 1


@given(split_periods(), CONVENTIONS, st.integers(0, 10**9), CURRENCIES, MODES)
def test_prorated_parts_sum_to_the_price_within_one_minor_unit_per_part(
    split: tuple[Period, list[date]],
    convention: ProrationConvention,
    units: int,
    code: str,
    mode: str,
):
    period, bounds = split
    price = to_money(Decimal(units).scaleb(-minor_units(code)), code)
    parts = shares(convention, period, bounds)
    prorated = [prorate(price, p, RoundingPolicy(mode)) for p in parts]
    drift = abs(sum(to_minor(p) for p in prorated) - to_minor(price))
    assert drift <= len(parts)
    allocated = allocate(price, parts)
    assert sum(to_minor(p) for p in allocated) == to_minor(price)
    assert all(
        abs(to_minor(a) - to_minor(p)) <= 1 for a, p in zip(allocated, prorated, strict=True)
    )


def reference(price: Money, fraction: Fraction, mode: str) -> Decimal:
    # The same product at 200 digits, then one quantisation: an independent computation.
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        exact = price.amount * fraction.numerator / Decimal(fraction.denominator)
        return exact.quantize(Decimal(1).scaleb(-minor_units(price.currency)), rounding=mode)


@given(st.integers(-(10**12), 10**12), st.integers(0, 400), st.integers(1, 400), CURRENCIES, MODES)
def test_prorate_matches_a_high_precision_decimal(
    units: int, num: int, den: int, code: str, mode: str
):
    fraction = Fraction(min(num, den), den)
    price = to_money(Decimal(units).scaleb(-minor_units(code) - 1), code)  # finer than minor
    assert prorate(price, fraction, RoundingPolicy(mode)).amount == reference(price, fraction, mode)


@given(
    st.integers(-(10**12), 10**12),
    st.integers(0, 10**9),
    st.integers(1, 10**9),
    CURRENCIES,
    MODES,
)
def test_prorate_by_large_counts_matches_a_high_precision_decimal(
    units: int, num: int, den: int, code: str, mode: str
):
    # seconds-sized counts: beyond the engine's cached day counts
    fraction = Fraction(min(num, den), den)
    price = to_money(Decimal(units).scaleb(-minor_units(code)), code)
    prorated = prorate(price, fraction, RoundingPolicy(mode))
    assert type(prorated) is Money
    assert prorated == Money(reference(price, fraction, mode), code)


@given(
    st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    st.integers(1, 800),
    st.integers(-3, 803),
    st.sampled_from([ACTUAL_DAYS, ProrationConvention.fixed_days(30), NO_PRORATION]),
)
def test_remaining_parts_are_the_remaining_share_unreduced(
    start: date, length: int, offset: int, convention: ProrationConvention
):
    period = Period(start, start + timedelta(days=length))
    on = start + timedelta(days=offset)
    if not 0 <= offset <= length:  # outside the period: the same refusal as remaining()
        with pytest.raises(ValidationError, match="within") as parts:
            convention.remaining_parts(period, on)
        with pytest.raises(ValidationError, match="within") as share:
            convention.remaining(period, on)
        assert str(parts.value) == str(share.value)
        return
    left, whole = convention.remaining_parts(period, on)
    assert Fraction(left, whole) == convention.remaining(period, on)
    if convention is ACTUAL_DAYS:
        assert (left, whole) == (length - offset, length)


def test_remaining_parts_refuse_a_datetime_for_a_day_convention():
    with pytest.raises(ValidationError, match=r"datetime\.date"):
        ACTUAL_DAYS.remaining_parts(SEPTEMBER, datetime(2011, 9, 15, tzinfo=UTC))


@pytest.mark.parametrize("fraction", [Fraction(6, 4), Fraction(-3, 9), Fraction(0), Fraction(7)])
def test_prorate_reads_the_terms_fraction_keeps(fraction: Fraction):
    # prorate reads a Fraction's two slots directly: they must be its reduced terms
    assert (fraction._numerator, fraction._denominator) == fraction.as_integer_ratio()  # type: ignore[attr-defined]
