from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import (
    ANNUALLY,
    BIENNIALLY,
    MONTHLY,
    QUARTERLY,
    SEMIANNUALLY,
    TRIENNIALLY,
    BillingCycle,
    CycleUnit,
    Period,
    add_months,
    due_date,
    next_due_date,
)
from hostbill_core.errors import ValidationError
from hostbill_core.testing.strategies import billing_cycles, calendar_dates


class TestBillingCycle:
    def test_constants(self) -> None:
        assert [c.in_months for c in (MONTHLY, QUARTERLY, SEMIANNUALLY)] == [1, 3, 6]
        assert [c.in_months for c in (ANNUALLY, BIENNIALLY, TRIENNIALLY)] == [12, 24, 36]
        assert BillingCycle.MONTHLY is MONTHLY
        assert BillingCycle.weeks(2).in_days == 14
        assert BillingCycle.days(10).unit is CycleUnit.DAY

    @pytest.mark.parametrize("count", [0, -1, True, 1.0])
    def test_count_must_be_a_positive_int(self, count: object) -> None:
        with pytest.raises(ValidationError):
            BillingCycle(CycleUnit.MONTH, count)  # type: ignore[arg-type]

    @given(billing_cycles())
    def test_text_form_round_trips(self, cycle: BillingCycle) -> None:
        assert BillingCycle.parse(str(cycle)) == cycle

    @pytest.mark.parametrize("text", ["1M", "P0M", "P1X", "p1m", "", "P1.5M"])
    def test_bad_text_is_refused(self, text: str) -> None:
        with pytest.raises(ValidationError):
            BillingCycle.parse(text)

    def test_day_cycle_has_no_months_and_month_cycle_no_days(self) -> None:
        with pytest.raises(ValidationError):
            _ = BillingCycle.days(3).in_months
        with pytest.raises(ValidationError):
            _ = MONTHLY.in_days


class TestPeriod:
    def test_half_open(self) -> None:
        february = Period(date(2024, 2, 1), date(2024, 3, 1))
        assert february.days == 29  # leap year
        assert february.contains(date(2024, 2, 1))
        assert not february.contains(date(2024, 3, 1))
        assert str(february) == "[2024-02-01, 2024-03-01)"

    def test_overlap(self) -> None:
        a = Period(date(2026, 1, 1), date(2026, 2, 1))
        assert a.overlap(Period(date(2026, 2, 1), date(2026, 3, 1))) is None
        assert a.overlap(Period(date(2025, 12, 1), date(2026, 1, 2))) == Period(
            date(2026, 1, 1), date(2026, 1, 2)
        )

    def test_end_must_follow_start(self) -> None:
        with pytest.raises(ValidationError) as caught:
            Period(date(2026, 1, 1), date(2026, 1, 1))
        assert caught.value.field == "end"

    def test_datetime_is_not_a_date(self) -> None:
        with pytest.raises(ValidationError):
            Period(datetime(2026, 1, 1), date(2026, 2, 1))


class TestDueDates:
    def test_month_end_anchor_sticks(self) -> None:
        anchor = date(2011, 1, 31)
        assert [due_date(anchor, MONTHLY, n) for n in (1, 2, 3)] == [
            date(2011, 2, 28),
            date(2011, 3, 31),
            date(2011, 4, 30),
        ]

    def test_leap_day_annual(self) -> None:
        # 29 Feb 2024 yearly: 28 Feb in common years, 29 Feb again in 2028.
        anchor = date(2024, 2, 29)
        assert [due_date(anchor, ANNUALLY, n) for n in (1, 4)] == [
            date(2025, 2, 28),
            date(2028, 2, 29),
        ]

    def test_negative_n_and_day_cycles(self) -> None:
        assert due_date(date(2026, 3, 31), MONTHLY, -1) == date(2026, 2, 28)
        assert due_date(date(2026, 1, 1), BillingCycle.weeks(2), 3) == date(2026, 2, 12)

    def test_next_due_date_is_strictly_after(self) -> None:
        anchor = date(2011, 1, 31)
        assert next_due_date(anchor, MONTHLY, date(2011, 2, 27)) == date(2011, 2, 28)
        assert next_due_date(anchor, MONTHLY, date(2011, 2, 28)) == date(2011, 3, 31)
        assert next_due_date(anchor, QUARTERLY, date(2010, 12, 31)) == date(2011, 1, 31)
        assert next_due_date(anchor, MONTHLY, date(2010, 12, 1)) == date(2010, 12, 31)

    @given(calendar_dates(max_value=date(2090, 1, 1)))
    def test_twelve_months_is_one_year(self, anchor: date) -> None:
        assert due_date(anchor, MONTHLY, 12) == due_date(anchor, ANNUALLY, 1)

    @given(calendar_dates(max_value=date(2090, 1, 1)), billing_cycles(), st.integers(-20, 40))
    def test_due_dates_strictly_increase_and_keep_the_anchor_day(
        self, anchor: date, cycle: BillingCycle, n: int
    ) -> None:
        this, following = due_date(anchor, cycle, n), due_date(anchor, cycle, n + 1)
        assert this < following
        if cycle.is_calendar:
            # the day is the anchor's, or the month's last day when the month is shorter
            month_end = (this.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
            assert this.day == min(anchor.day, month_end.day)

    @given(calendar_dates(max_value=date(2090, 1, 1)), billing_cycles(), calendar_dates())
    def test_next_due_date_is_the_first_one_after(
        self, anchor: date, cycle: BillingCycle, after: date
    ) -> None:
        found = next_due_date(anchor, cycle, after)
        assert found > after
        # found is the n-th due date for some n, and the (n-1)-th is not after `after`
        if cycle.is_calendar:
            months = (found.year - anchor.year) * 12 + found.month - anchor.month
            n = months // cycle.in_months
        else:
            n = (found - anchor).days // cycle.in_days
        assert due_date(anchor, cycle, n) == found
        assert due_date(anchor, cycle, n - 1) <= after

    @given(calendar_dates(max_value=date(2090, 1, 1)), st.integers(0, 200))
    def test_matches_relativedelta_from_the_anchor(self, anchor: date, n: int) -> None:
        assert due_date(anchor, MONTHLY, n) == anchor + relativedelta(months=n)

    def test_add_months_with_sticky_day(self) -> None:
        assert add_months(date(2026, 2, 28), 1, sticky_day=31) == date(2026, 3, 31)
        assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)
