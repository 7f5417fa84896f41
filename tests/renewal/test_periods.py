"""billing_periods: worked examples with exact fractions, error paths and properties."""

import itertools
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import (
    ANNUALLY,
    MONTHLY,
    QUARTERLY,
    SEMIANNUALLY,
    BillingCycle,
    Period,
    days_in_month,
)
from hostbill_core.errors import ValidationError
from hostbill_core.renewal import BilledPeriod, billing_periods


def _rows(billed: tuple[BilledPeriod, ...]) -> list[tuple[str, str, Fraction]]:
    return [(b.period.start.isoformat(), b.period.end.isoformat(), b.fraction) for b in billed]


# --- worked examples -------------------------------------------------------------------------


def test_issue_example_billing_day_13() -> None:
    # a(0) = 2011-02-13 >= start: leading [02-01, 02-13) = 12 days of the aligned
    # [2011-01-13, 2011-02-13) = 31 days -> 12/31; the target sits on a billing date, so the
    # period starting there is billed in advance.
    billed = billing_periods(date(2011, 2, 1), date(2011, 2, 13), MONTHLY, billing_day=13)
    assert _rows(billed) == [
        ("2011-02-01", "2011-02-13", Fraction(12, 31)),
        ("2011-02-13", "2011-03-13", Fraction(1)),
    ]
    assert billed[0].is_partial
    assert not billed[1].is_partial
    assert "12 of the 31 days" in billed[0].explanation


def test_target_one_day_before_billing_date_bills_only_the_leading_period() -> None:
    billed = billing_periods(date(2011, 2, 1), date(2011, 2, 12), MONTHLY, billing_day=13)
    assert _rows(billed) == [("2011-02-01", "2011-02-13", Fraction(12, 31))]


def test_billing_day_31_clamps_and_returns_to_31() -> None:
    # 31 Jan -> 28 Feb (clamped) -> 31 Mar (re-applied, no drift to 28 Mar) -> 30 Apr.
    billed = billing_periods(date(2011, 1, 31), date(2011, 3, 31), MONTHLY, billing_day=31)
    assert _rows(billed) == [
        ("2011-01-31", "2011-02-28", Fraction(1)),
        ("2011-02-28", "2011-03-31", Fraction(1)),
        ("2011-03-31", "2011-04-30", Fraction(1)),
    ]


def test_no_billing_day_anchors_on_the_start_day() -> None:
    # start 31 Jan: 28 Feb, 31 Mar, as the anchored due-date series.
    billed = billing_periods(date(2011, 1, 31), date(2011, 3, 1), MONTHLY)
    assert _rows(billed) == [
        ("2011-01-31", "2011-02-28", Fraction(1)),
        ("2011-02-28", "2011-03-31", Fraction(1)),
    ]


def test_billing_day_30_in_a_leap_february() -> None:
    # a(0) = 30 Feb 2012 clamped to 29 Feb; leading [02-10, 02-29) = 19 days of the aligned
    # [2012-01-30, 2012-02-29) = 30 days -> 19/30. Next: [02-29, 03-30) = 30 days, full.
    billed = billing_periods(date(2012, 2, 10), date(2012, 2, 29), MONTHLY, billing_day=30)
    assert _rows(billed) == [
        ("2012-02-10", "2012-02-29", Fraction(19, 30)),
        ("2012-02-29", "2012-03-30", Fraction(1)),
    ]


def test_billing_day_29_in_a_common_february() -> None:
    # a(0) = 29 Feb 2011 clamped to 28 Feb; leading [02-15, 02-28) = 13 days of the aligned
    # [2011-01-29, 2011-02-28) = 30 days -> 13/30.
    billed = billing_periods(date(2011, 2, 15), date(2011, 2, 15), MONTHLY, billing_day=29)
    assert _rows(billed) == [("2011-02-15", "2011-02-28", Fraction(13, 30))]


def test_billing_day_before_start_moves_first_billing_date_one_cycle_later() -> None:
    # a(0) = 13 Feb < start 20 Feb, so the first billing date is 13 Mar; leading
    # [02-20, 03-13) = 8 + 13 = 21 days of the aligned [02-13, 03-13) = 28 days -> 21/28 = 3/4.
    billed = billing_periods(date(2011, 2, 20), date(2011, 3, 13), MONTHLY, billing_day=13)
    assert _rows(billed) == [
        ("2011-02-20", "2011-03-13", Fraction(3, 4)),
        ("2011-03-13", "2011-04-13", Fraction(1)),
    ]


def test_quarterly_leading_partial_in_a_leap_year() -> None:
    # a(0) = 2024-01-01 < start: first billing date 2024-04-01; leading [01-10, 04-01) =
    # 22 + 29 + 31 = 82 days of the aligned [01-01, 04-01) = 31 + 29 + 31 = 91 days -> 82/91.
    billed = billing_periods(date(2024, 1, 10), date(2024, 4, 1), QUARTERLY, billing_day=1)
    assert _rows(billed) == [
        ("2024-01-10", "2024-04-01", Fraction(82, 91)),
        ("2024-04-01", "2024-07-01", Fraction(1)),
    ]


def test_quarterly_trailing_partial_in_a_92_day_quarter() -> None:
    # [07-01, 10-01) is 31 + 31 + 30 = 92 days; ending on 08-01 bills 31 of them -> 31/92.
    billed = billing_periods(date(2023, 7, 1), date(2023, 7, 1), QUARTERLY, end=date(2023, 8, 1))
    assert _rows(billed) == [("2023-07-01", "2023-08-01", Fraction(31, 92))]


def test_semiannual_full_periods() -> None:
    billed = billing_periods(date(2023, 8, 31), date(2024, 2, 29), SEMIANNUALLY)
    assert _rows(billed) == [
        ("2023-08-31", "2024-02-29", Fraction(1)),
        ("2024-02-29", "2024-08-31", Fraction(1)),
    ]


def test_annual_leading_partial_over_a_leap_day() -> None:
    # Yearly keeps the start's month: a(0) = 2024-02-01 < start, first = 2025-02-01; leading
    # [2024-02-10, 2025-02-01) = 366 - 9 = 357 days of the aligned 366 -> 357/366 = 119/122.
    billed = billing_periods(date(2024, 2, 10), date(2024, 2, 10), ANNUALLY, billing_day=1)
    assert _rows(billed) == [("2024-02-10", "2025-02-01", Fraction(119, 122))]


def test_annual_trailing_partial_over_a_leap_day() -> None:
    # [2023-07-01, 2024-03-01) = 31+31+30+31+30+31+31+29 = 244 days of the 366-day aligned
    # year [2023-07-01, 2024-07-01) -> 244/366 = 122/183.
    billed = billing_periods(
        date(2023, 7, 1), date(2024, 1, 1), ANNUALLY, billing_day=1, end=date(2024, 3, 1)
    )
    assert _rows(billed) == [("2023-07-01", "2024-03-01", Fraction(122, 183))]


def test_annual_from_a_leap_day_clamps_to_28_february() -> None:
    billed = billing_periods(date(2024, 2, 29), date(2025, 2, 28), ANNUALLY)
    assert _rows(billed) == [
        ("2024-02-29", "2025-02-28", Fraction(1)),
        ("2025-02-28", "2026-02-28", Fraction(1)),
    ]


def test_monthly_trailing_partial_and_target_past_end() -> None:
    # Two full months, then [03-01, 03-16) = 15 of March's 31 days; nothing from 03-16 on.
    billed = billing_periods(date(2011, 1, 1), date(2011, 12, 1), MONTHLY, end=date(2011, 3, 16))
    assert _rows(billed) == [
        ("2011-01-01", "2011-02-01", Fraction(1)),
        ("2011-02-01", "2011-03-01", Fraction(1)),
        ("2011-03-01", "2011-03-16", Fraction(15, 31)),
    ]
    assert "trailing" in billed[-1].explanation


def test_leading_and_trailing_partial_in_one_aligned_period() -> None:
    # [02-01, 02-10) = 9 days inside the aligned [01-13, 02-13) of 31 days -> 9/31.
    billed = billing_periods(
        date(2011, 2, 1), date(2011, 2, 5), MONTHLY, billing_day=13, end=date(2011, 2, 10)
    )
    assert _rows(billed) == [("2011-02-01", "2011-02-10", Fraction(9, 31))]


def test_end_on_a_billing_date_bills_nothing_from_it() -> None:
    billed = billing_periods(date(2011, 1, 1), date(2011, 2, 1), MONTHLY, end=date(2011, 2, 1))
    assert _rows(billed) == [("2011-01-01", "2011-02-01", Fraction(1))]


def test_weekly_cycle_ignores_the_billing_day() -> None:
    billed = billing_periods(
        date(2024, 1, 3), date(2024, 1, 10), BillingCycle.weeks(1), billing_day=15
    )
    assert _rows(billed) == [
        ("2024-01-03", "2024-01-10", Fraction(1)),
        ("2024-01-10", "2024-01-17", Fraction(1)),
    ]


def test_day_cycle_trailing_partial() -> None:
    # 30-day cycle; [2024-01-31, 2024-02-10) = 10 of 30 days -> 1/3.
    billed = billing_periods(
        date(2024, 1, 1), date(2024, 3, 1), BillingCycle.days(30), end=date(2024, 2, 10)
    )
    assert _rows(billed) == [
        ("2024-01-01", "2024-01-31", Fraction(1)),
        ("2024-01-31", "2024-02-10", Fraction(1, 3)),
    ]


# --- error paths -----------------------------------------------------------------------------


def test_target_before_start_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(date(2024, 1, 2), date(2024, 1, 1), MONTHLY)
    assert info.value.field == "target"


def test_end_equal_to_start_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(date(2024, 1, 1), date(2024, 1, 1), MONTHLY, end=date(2024, 1, 1))
    assert info.value.field == "end"


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(date(2024, 1, 2), date(2024, 1, 2), MONTHLY, end=date(2024, 1, 1))
    assert info.value.field == "end"


@pytest.mark.parametrize("day", [0, 32, True, "13"])
def test_billing_day_out_of_range_is_refused(day: object) -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(date(2024, 1, 1), date(2024, 1, 1), MONTHLY, billing_day=day)  # type: ignore[arg-type]
    assert info.value.field == "billing_day"


def test_datetime_start_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(datetime(2024, 1, 1), date(2024, 1, 1), MONTHLY)
    assert info.value.field == "start"


def test_non_date_end_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(date(2024, 1, 1), date(2024, 1, 1), MONTHLY, end="2024-02-01")  # type: ignore[arg-type]
    assert info.value.field == "end"


def test_cycle_must_be_a_billing_cycle() -> None:
    with pytest.raises(ValidationError) as info:
        billing_periods(date(2024, 1, 1), date(2024, 1, 1), "P1M")  # type: ignore[arg-type]
    assert info.value.field == "cycle"


# --- properties ------------------------------------------------------------------------------

CYCLES = st.sampled_from(
    [MONTHLY, QUARTERLY, SEMIANNUALLY, ANNUALLY, BillingCycle.months(2), BillingCycle.years(2)]
)
DAYS = st.dates(min_value=date(1999, 1, 1), max_value=date(2031, 12, 31))


def _oracle_aligned(start: date, cycle: BillingCycle, billing_day: int, k: int) -> date:
    # Independent of the engine: dateutil's absolute day= clamps to the month's end.
    months = cycle.in_months
    return start.replace(day=1) + relativedelta(months=k * months, day=billing_day)


def _oracle_cycles(start: date, end: date, cycle: BillingCycle, billing_day: int) -> Fraction:
    """Cycles spanned by [start, end): each aligned period contributes overlap / its days."""
    total = Fraction(0)
    k = -1
    while _oracle_aligned(start, cycle, billing_day, k) < end:
        lo = _oracle_aligned(start, cycle, billing_day, k)
        hi = _oracle_aligned(start, cycle, billing_day, k + 1)
        overlap = (min(hi, end) - max(lo, start)).days
        if overlap > 0:
            total += Fraction(overlap, (hi - lo).days)
        k += 1
    return total


@given(
    start=DAYS,
    length=st.integers(1, 1200),
    cycle=CYCLES,
    billing_day=st.integers(1, 31),
)
def test_fractions_sum_to_the_cycles_the_interval_spans(
    start: date, length: int, cycle: BillingCycle, billing_day: int
) -> None:
    end = start + timedelta(days=length)
    billed = billing_periods(start, end, cycle, billing_day=billing_day, end=end)
    assert sum(b.fraction for b in billed) == _oracle_cycles(start, end, cycle, billing_day)
    # Contiguous cover of [start, end), every fraction in (0, 1].
    assert billed[0].period.start == start
    assert billed[-1].period.end == end
    for before, after in itertools.pairwise(billed):
        assert before.period.end == after.period.start
    assert all(0 < b.fraction <= 1 for b in billed)


@given(start=DAYS, cycles=st.integers(1, 30), cycle=CYCLES)
def test_aligned_interval_sums_to_a_whole_number_of_cycles(
    start: date, cycles: int, cycle: BillingCycle
) -> None:
    # Without a billing day the start is a billing date; n cycles later is too.
    end = start + relativedelta(months=cycles * cycle.in_months)
    billed = billing_periods(start, end, cycle, end=end)
    assert sum(b.fraction for b in billed) == cycles
    assert len(billed) == cycles


@given(start=DAYS, ahead=st.integers(0, 800), cycle=CYCLES, billing_day=st.integers(1, 31))
def test_in_advance_bills_exactly_the_periods_started_by_target(
    start: date, ahead: int, cycle: BillingCycle, billing_day: int
) -> None:
    target = start + timedelta(days=ahead)
    billed = billing_periods(start, target, cycle, billing_day=billing_day)
    assert billed[-1].period.start <= target < billed[-1].period.end
    # Every billing date after the first period lands on the clamped billing day.
    for b in billed[1:]:
        day = b.period.start
        assert day.day == min(billing_day, days_in_month(day.year, day.month))
    assert all(b.fraction == 1 for b in billed[1:])


def test_period_is_a_calendar_period() -> None:
    billed = billing_periods(date(2024, 1, 1), date(2024, 1, 1), MONTHLY)
    assert billed[0].period == Period(date(2024, 1, 1), date(2024, 2, 1))
