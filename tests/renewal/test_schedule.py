"""A service's due-date series: index, first on/after, next strictly after."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import (
    ANNUALLY,
    BIENNIALLY,
    MONTHLY,
    QUARTERLY,
    TRIENNIALLY,
    BillingCycle,
    next_due_date,
)
from hostbill_core.errors import ValidationError
from hostbill_core.renewal.schedule import (
    due_index,
    first_index_on_or_after,
    next_due_after,
    next_due_dates,
    service_due_date,
)

from .helpers import service

CYCLES = st.sampled_from(
    [
        MONTHLY,
        QUARTERLY,
        BillingCycle.months(6),
        ANNUALLY,
        BIENNIALLY,
        TRIENNIALLY,
        BillingCycle.weeks(1),
        BillingCycle.days(30),
    ]
)
DATES = st.dates(date(1990, 1, 1), date(2060, 12, 31))


def test_billing_day_series_clamps_every_month() -> None:
    s = service(date(2024, 1, 10), billing_day=31)
    assert [service_due_date(s, n) for n in range(4)] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]


def test_billing_day_is_ignored_for_week_cycles() -> None:
    s = service(date(2024, 1, 10), cycle=BillingCycle.weeks(2), billing_day=31)
    assert service_due_date(s, 1) == date(2024, 1, 24)
    assert next_due_after(s, date(2024, 1, 10)) == date(2024, 1, 24)


def test_due_index_refuses_a_date_off_the_series() -> None:
    with pytest.raises(ValidationError) as info:
        due_index(service(date(2024, 1, 31)), date(2024, 2, 28))  # 2024 is leap: 29 Feb
    assert info.value.field == "due_date"


def test_due_index_refuses_a_day_off_a_day_cycle() -> None:
    with pytest.raises(ValidationError):
        due_index(service(date(2024, 1, 1), cycle=BillingCycle.days(10)), date(2024, 1, 5))


@given(anchor=DATES, cycle=CYCLES, after=DATES)
def test_next_due_after_matches_the_calendar(
    anchor: date, cycle: BillingCycle, after: date
) -> None:
    assert next_due_after(service(anchor, cycle=cycle), after) == next_due_date(
        anchor, cycle, after
    )


@given(anchor=DATES, cycle=CYCLES, after=DATES, billing_day=st.integers(1, 31))
def test_series_helpers_agree_with_a_billing_day(
    anchor: date, cycle: BillingCycle, after: date, billing_day: int
) -> None:
    s = service(anchor, cycle=cycle, billing_day=billing_day)
    n = first_index_on_or_after(s, after + timedelta(days=1))
    nxt = next_due_after(s, after)
    assert nxt == service_due_date(s, n)
    assert service_due_date(s, n - 1) <= after < nxt
    assert due_index(s, nxt) == n


@given(
    anchors=st.lists(st.tuples(DATES, CYCLES, st.none() | st.integers(1, 31)), max_size=20),
    after=DATES,
)
def test_batch_next_due_dates_equal_one_by_one(
    anchors: list[tuple[date, BillingCycle, int | None]], after: date
) -> None:
    services = [service(a, cycle=c, billing_day=b) for a, c, b in anchors]
    assert next_due_dates(services, after) == [next_due_after(s, after) for s in services]
