"""Renewal on payment: whole cycles from the due date, via the anchor; never twice."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import ANNUALLY, MONTHLY, QUARTERLY, BillingCycle
from hostbill_core.errors import ConflictError, InvalidTransitionError, ValidationError
from hostbill_core.model import ServiceStatus
from hostbill_core.renewal import RenewalPayment, renew_on_payment
from hostbill_core.renewal.schedule import due_index, service_due_date

from .helpers import service

S = ServiceStatus


def test_31_january_renews_to_28_february_then_back_to_31_march() -> None:
    s = service(date(2011, 1, 31))
    first = renew_on_payment(RenewalPayment(s, date(2011, 1, 31), paid_on=date(2011, 1, 20)))
    assert first.next_due_date == date(2011, 2, 28)
    second = renew_on_payment(
        RenewalPayment(first.service, date(2011, 2, 28), paid_on=date(2011, 2, 28))
    )
    # anchor + 2 months = 31 March, not 28 February + 1 month = 28 March.
    assert second.next_due_date == date(2011, 3, 31)
    assert "anchor + 2 × P1M = 2011-03-31" in second.explanation
    assert "on the due date" in second.explanation


def test_paying_three_cycles_at_once() -> None:
    # anchor 2024-02-29 quarterly; due date 1 = 2024-05-29; + 3 cycles = due date 4 = 2025-02-28.
    s = service(date(2024, 2, 29), date(2024, 5, 29), QUARTERLY)
    result = renew_on_payment(RenewalPayment(s, date(2024, 5, 29), date(2024, 5, 1), cycles=3))
    assert result.next_due_date == date(2025, 2, 28)
    assert result.previous_due_date == date(2024, 5, 29)
    assert "3 cycles" in result.explanation
    assert "28 days early" in result.explanation


def test_annual_leap_anchor_returns_to_29_february() -> None:
    s = service(date(2024, 2, 29), date(2027, 2, 28), ANNUALLY)
    result = renew_on_payment(RenewalPayment(s, date(2027, 2, 28), date(2027, 3, 1)))
    assert result.next_due_date == date(2028, 2, 29)
    assert "1 day late" in result.explanation


def test_billing_day_series() -> None:
    # billing day 31 on an anchor in April: 30 Apr, 31 May, 30 Jun.
    s = service(date(2024, 4, 30), date(2024, 5, 31), billing_day=31)
    assert renew_on_payment(
        RenewalPayment(s, date(2024, 5, 31), date(2024, 5, 31))
    ).next_due_date == date(2024, 6, 30)


def test_second_payment_for_the_same_due_date_changes_nothing() -> None:
    s = service(date(2024, 1, 15))
    once = renew_on_payment(RenewalPayment(s, date(2024, 1, 15), date(2024, 1, 10)))
    twice = renew_on_payment(RenewalPayment(once.service, date(2024, 1, 15), date(2024, 1, 11)))
    assert not twice.applied
    assert twice.service == once.service
    assert twice.next_due_date == date(2024, 2, 15)
    assert "already renewed" in twice.explanation


def test_suspended_service_paid_up_is_unsuspended() -> None:
    s = service(date(2024, 1, 15), status=S.SUSPENDED)
    result = renew_on_payment(RenewalPayment(s, date(2024, 1, 15), date(2024, 1, 25)))
    assert result.service.status is S.ACTIVE
    assert "suspended → active" in result.explanation


def test_suspended_service_still_overdue_stays_suspended() -> None:
    # Paid one cycle on 2024-03-20 for the renewal due 01-15: now due 02-15, still overdue.
    s = service(date(2024, 1, 15), status=S.SUSPENDED)
    result = renew_on_payment(RenewalPayment(s, date(2024, 1, 15), date(2024, 3, 20)))
    assert result.service.status is S.SUSPENDED
    assert result.next_due_date == date(2024, 2, 15)


def test_pending_service_is_activated_by_payment() -> None:
    s = service(date(2024, 1, 15), status=S.PENDING)
    assert renew_on_payment(
        RenewalPayment(s, date(2024, 1, 15), date(2024, 1, 15))
    ).service.status is (S.ACTIVE)


@pytest.mark.parametrize("status", [S.TERMINATED, S.CANCELLED, S.FRAUD])
def test_final_or_fraud_services_cannot_be_renewed(status: S) -> None:
    with pytest.raises(InvalidTransitionError) as info:
        renew_on_payment(
            RenewalPayment(service(status=status), date(2024, 1, 31), date(2024, 1, 31))
        )
    assert info.value.current == status.value


def test_paying_a_later_renewal_before_an_earlier_one_is_a_conflict() -> None:
    s = service(date(2024, 1, 15))
    with pytest.raises(ConflictError) as info:
        renew_on_payment(RenewalPayment(s, date(2024, 2, 15), date(2024, 2, 1)))
    assert "2024-01-15 is unpaid" in info.value.reason


def test_next_due_date_off_the_anchor_series_is_refused() -> None:
    s = service(date(2024, 1, 15), date(2024, 2, 14))
    with pytest.raises(ValidationError) as info:
        renew_on_payment(RenewalPayment(s, date(2024, 2, 14), date(2024, 2, 14)))
    assert info.value.field == "due_date"


@pytest.mark.parametrize("cycles", [0, 121, True, 1.0])
def test_cycle_count_out_of_range_is_refused(cycles: object) -> None:
    with pytest.raises(ValidationError) as info:
        RenewalPayment(service(), date(2024, 1, 31), date(2024, 1, 31), cycles=cycles)  # type: ignore[arg-type]
    assert info.value.field == "cycles"


def test_datetime_payment_date_is_refused() -> None:
    from datetime import UTC, datetime

    with pytest.raises(ValidationError):
        RenewalPayment(service(), date(2024, 1, 31), datetime(2024, 1, 31, tzinfo=UTC))


# --- properties ------------------------------------------------------------------------------

CYCLES = st.sampled_from(
    [
        MONTHLY,
        QUARTERLY,
        ANNUALLY,
        BillingCycle.months(6),
        BillingCycle.weeks(2),
        BillingCycle.days(30),
    ]
)
ANCHORS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(
    anchor=ANCHORS,
    cycle=CYCLES,
    n=st.integers(0, 40),
    cycles=st.integers(1, 5),
    early=st.integers(1, 60),
    late=st.integers(1, 60),
)
def test_early_on_time_and_late_payments_give_the_same_due_date(
    *, anchor: date, cycle: BillingCycle, n: int, cycles: int, early: int, late: int
) -> None:
    s = service(anchor, cycle=cycle)
    due = service_due_date(s, n)
    s = service(anchor, due, cycle)
    results = {
        renew_on_payment(RenewalPayment(s, due, due + timedelta(days=d), cycles)).next_due_date
        for d in (-early, 0, late)
    }
    assert results == {service_due_date(s, n + cycles)}


@given(anchor=ANCHORS, cycle=CYCLES, payments=st.lists(st.integers(1, 4), min_size=1, max_size=12))
def test_due_dates_strictly_increase_and_keep_the_anchor_day(
    anchor: date, cycle: BillingCycle, payments: list[int]
) -> None:
    s = service(anchor, cycle=cycle)
    paid = 0
    for k in payments:
        before = s.next_due_date
        result = renew_on_payment(RenewalPayment(s, before, before, k))
        s = result.service
        paid += k
        assert s.next_due_date > before
        # Independent of the engine: dateutil from the anchor, never from the previous date.
        if cycle.is_calendar:
            expected = anchor + relativedelta(months=paid * cycle.in_months)
        else:
            expected = anchor + timedelta(days=paid * cycle.in_days)
        assert s.next_due_date == expected
        assert due_index(s, s.next_due_date) == paid
