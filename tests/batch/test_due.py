from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostbill_core.batch import (
    ServiceFrame,
    day_number,
    due_at,
    due_in_window,
    next_due,
    to_dates,
)
from hostbill_core.calendar import MONTHLY, BillingCycle, due_date, next_due_date
from hostbill_core.errors import ValidationError
from hostbill_core.model import Service
from hostbill_core.money import to_money
from hostbill_core.renewal.schedule import next_due_after, service_due_date

from .builders import service
from .strategies import blobs, days, services


def _service(anchor: date, cycle: BillingCycle, billing_day: int | None = None) -> Service:
    return service(to_money("1", "USD"), cycle=cycle, anchor=anchor, billing_day=billing_day)


# Identity with the object API: every row equals calendar.next_due_date / due_date.


@settings(max_examples=2000)
@given(services(), days())
def test_next_due_equals_calendar_next_due_date_row_by_row(
    svcs: list[Service], after: date
) -> None:
    got = to_dates(next_due(ServiceFrame.from_services(svcs), after))
    assert got == [next_due_date(s.anchor, s.cycle, after) for s in svcs]


@settings(max_examples=2000)
@given(services(), blobs(2, 40, 40).map(lambda b: [x % 441 - 40 for x in b[::2]]))
def test_due_at_equals_calendar_due_date_row_by_row(svcs: list[Service], ns: list[int]) -> None:
    n = np.array(ns[: len(svcs)], dtype=np.int64)
    got = to_dates(due_at(ServiceFrame.from_services(svcs), n))
    assert got == [due_date(s.anchor, s.cycle, k) for s, k in zip(svcs, ns, strict=False)]


@settings(max_examples=2000)
@given(services(max_size=12), days(), st.integers(1, 800))
def test_due_in_window_lists_every_calendar_due_date(
    svcs: list[Service], start: date, days: int
) -> None:
    end = start + timedelta(days=days)
    items = due_in_window(ServiceFrame.from_services(svcs), start, end)
    expected = []
    for row, s in enumerate(svcs):
        due = next_due_date(s.anchor, s.cycle, start - timedelta(days=1))
        while due < end:
            expected.append((row, due))
            due = next_due_date(s.anchor, s.cycle, due)
    assert list(zip(items.rows.tolist(), to_dates(items.due), strict=True)) == expected


@settings(max_examples=2000)
@given(services(), days())
def test_billing_day_series_equals_the_renewal_engine_row_by_row(
    svcs: list[Service], after: date
) -> None:
    # The renewal engine's series: the billing day, where set, on month and year cycles.
    frame = ServiceFrame.from_services(svcs)
    got = to_dates(next_due(frame, after, billing_day=True))
    assert got == [next_due_after(s, after) for s in svcs]
    n = np.arange(-3, len(svcs) - 3, dtype=np.int64)
    at = to_dates(due_at(frame, n, billing_day=True))
    assert at == [service_due_date(s, int(k)) for s, k in zip(svcs, n, strict=True)]


# Worked examples.


def test_month_end_anchor_clamps_and_returns_to_the_31st() -> None:
    # Anchored 31 Jan 2024 monthly: Feb has 29 days in 2024 → 29 Feb; March returns to 31.
    frame = ServiceFrame.from_services([_service(date(2024, 1, 31), MONTHLY)])
    assert to_dates(next_due(frame, date(2024, 1, 31))) == [date(2024, 2, 29)]
    assert to_dates(next_due(frame, date(2024, 2, 29))) == [date(2024, 3, 31)]
    assert to_dates(due_in_window(frame, date(2024, 4, 1), date(2024, 7, 1)).due) == [
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
    ]


def test_leap_day_annual_anchor_clamps_to_28_february() -> None:
    # 29 Feb 2024 + 1 year → 28 Feb 2025; + 4 years → 29 Feb 2028.
    frame = ServiceFrame.from_services([_service(date(2024, 2, 29), BillingCycle.years(1))])
    assert to_dates(next_due(frame, date(2024, 3, 1))) == [date(2025, 2, 28)]
    assert to_dates(due_at(frame, 4)) == [date(2028, 2, 29)]


def test_billing_day_aligns_month_cycles_only() -> None:
    # Monthly anchored 3 Jan with billing day 31: 31 Jan, 29 Feb (2024), 31 Mar.
    # A 14-day cycle ignores its billing day: 3 Jan + 14 = 17 Jan.
    frame = ServiceFrame.from_services(
        [
            _service(date(2024, 1, 3), MONTHLY, billing_day=31),
            _service(date(2024, 1, 3), BillingCycle.weeks(2), billing_day=31),
        ]
    )
    after = date(2024, 1, 10)
    assert to_dates(next_due(frame, after, billing_day=True)) == [
        date(2024, 1, 31),
        date(2024, 1, 17),
    ]
    assert to_dates(next_due(frame, after)) == [date(2024, 2, 3), date(2024, 1, 17)]


def test_next_due_before_the_anchor_runs_the_series_backwards() -> None:
    # Quarterly from 15 Nov 2026: ... 15 May, 15 Aug, 15 Nov 2026.
    frame = ServiceFrame.from_services([_service(date(2026, 11, 15), BillingCycle.months(3))])
    assert to_dates(next_due(frame, date(2026, 5, 20))) == [date(2026, 8, 15)]


def test_next_due_over_many_chunks_matches_per_row() -> None:
    # 70,000 rows span two chunks; mixed calendar and fixed-length rows in every chunk.
    svcs = [
        _service(date(2020, 1, 1) + timedelta(days=i % 1500), cycle)
        for i, cycle in zip(
            range(70_000),
            [MONTHLY, BillingCycle.days(30), BillingCycle.years(2), BillingCycle.weeks(1)] * 17_500,
            strict=True,
        )
    ]
    frame = ServiceFrame.from_services(svcs)
    got = next_due(frame, date(2024, 2, 29))
    picks = range(0, 70_000, 331)
    assert [to_dates(got[[i]])[0] for i in picks] == [
        next_due_date(svcs[i].anchor, svcs[i].cycle, date(2024, 2, 29)) for i in picks
    ]


def test_an_empty_frame_gives_empty_columns() -> None:
    frame = ServiceFrame.from_services([])
    assert next_due(frame, date(2026, 1, 1)).tolist() == []
    assert len(due_in_window(frame, date(2026, 1, 1), date(2026, 2, 1))) == 0


# Error paths.


def test_next_due_past_year_9999_is_a_validation_error() -> None:
    frame = ServiceFrame.from_services([_service(date(9999, 11, 30), BillingCycle.months(3))])
    with pytest.raises(ValidationError, match="9999-12-31"):
        next_due(frame, date(9999, 12, 1))


def test_fixed_next_due_past_year_9999_is_a_validation_error() -> None:
    frame = ServiceFrame.from_services([_service(date(9999, 12, 1), BillingCycle.days(90))])
    with pytest.raises(ValidationError, match="9999-12-31"):
        next_due(frame, date(9999, 12, 1))


def test_due_at_before_year_1_is_a_validation_error() -> None:
    frame = ServiceFrame.from_services([_service(date(1, 3, 1), MONTHLY)])
    with pytest.raises(ValidationError, match="years 1–9999"):
        due_at(frame, -3)


def test_fixed_due_at_before_year_1_is_a_validation_error() -> None:
    frame = ServiceFrame.from_services([_service(date(1, 1, 5), BillingCycle.days(10))])
    with pytest.raises(ValidationError, match="years 1–9999"):
        due_at(frame, -1)


def test_window_that_does_not_end_after_it_starts_is_refused() -> None:
    frame = ServiceFrame.from_services([_service(date(2026, 1, 1), MONTHLY)])
    with pytest.raises(ValidationError) as raised:
        due_in_window(frame, date(2026, 2, 1), date(2026, 2, 1))
    assert raised.value.field == "end"


def test_window_from_the_first_day_of_year_1_is_refused() -> None:
    frame = ServiceFrame.from_services([_service(date(2026, 1, 1), MONTHLY)])
    with pytest.raises(ValidationError) as raised:
        due_in_window(frame, date.min, date(1, 2, 1))
    assert raised.value.field == "start"


def test_a_datetime_for_after_is_refused() -> None:
    from datetime import datetime

    frame = ServiceFrame.from_services([_service(date(2026, 1, 1), MONTHLY)])
    with pytest.raises(ValidationError) as raised:
        next_due(frame, datetime(2026, 1, 1))
    assert raised.value.field == "after"


def test_day_number_is_days_since_1970() -> None:
    assert day_number(date(1970, 1, 1)) == 0
    assert day_number(date(2026, 1, 1)) == 20454  # 56 years, 14 leap days: 56 × 365 + 14


def test_day_cycle_rows_near_year_9999_are_not_refused_for_the_month_table() -> None:
    # Every 30 days from 1 Jan 9999: the 10th date is 1 Jan + 300 days = 28 Oct 9999. Read
    # as 30 months, the row would leave year 9999, but day rows are computed apart.
    frame = ServiceFrame.from_services(
        [_service(date(9999, 1, 1), BillingCycle.days(30)), _service(date(9999, 1, 5), MONTHLY)]
    )
    assert to_dates(next_due(frame, date(9999, 10, 1))) == [date(9999, 10, 28), date(9999, 10, 5)]


def test_window_on_the_billing_day_series() -> None:
    # Quarterly from 10 Nov 2023 with billing day 31: months Nov, Feb, May, Aug with day 31
    # clamped to each month's end: 30 Nov 2023, 29 Feb 2024, 31 May 2024, 31 Aug 2024.
    frame = ServiceFrame.from_services(
        [_service(date(2023, 11, 10), BillingCycle.months(3), billing_day=31)]
    )
    items = due_in_window(frame, date(2023, 11, 1), date(2024, 9, 1), billing_day=True)
    assert to_dates(items.due) == [
        date(2023, 11, 30),
        date(2024, 2, 29),
        date(2024, 5, 31),
        date(2024, 8, 31),
    ]
