from datetime import date

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY, BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.money import to_money
from hostbill_core.pricing.alignment import align_to_billing_day


def test_before_the_cutoff_only_the_leading_partial_period():
    # Start 15 March, billing day 1, cut-off 20: [03-15, 04-01) is 17 of 31 days
    # → 10.00 × 17/31 = 5.4838… → 5.48; the service is next due on 1 April.
    first = align_to_billing_day(
        to_money("10.00", "USD"), date(2026, 3, 15), MONTHLY, 1, cutoff_day=20
    )
    assert first.charge.total == to_money("5.48", "USD")
    assert first.next_due_date == date(2026, 4, 1)
    assert first.billing_day == 1
    assert "on or before the cut-off day 20" in first.explanation


def test_after_the_cutoff_the_next_full_period_too():
    # Start 25 March (after day 20): 10.00 × 7/31 = 2.258… → 2.26, plus April 10.00 = 12.26.
    first = align_to_billing_day(
        to_money("10.00", "USD"), date(2026, 3, 25), MONTHLY, 1, cutoff_day=20
    )
    assert [line.amount for line in first.charge.lines] == [
        to_money("2.26", "USD"),
        to_money("10.00", "USD"),
    ]
    assert first.charge.total == to_money("12.26", "USD")
    assert first.next_due_date == date(2026, 5, 1)
    assert "after the cut-off day 20: next period too" in first.explanation


def test_the_cutoff_day_itself_is_not_after_it():
    first = align_to_billing_day(
        to_money("10.00", "USD"), date(2026, 3, 20), MONTHLY, 1, cutoff_day=20
    )
    assert len(first.charge.lines) == 1


def test_jpy_after_the_cutoff():
    # 3000 × 7/31 = 677.41… → 677, plus 3000 = 3677 JPY
    first = align_to_billing_day(
        to_money("3000", "JPY"), date(2026, 3, 25), MONTHLY, 1, cutoff_day=20
    )
    assert first.charge.total == to_money("3677", "JPY")


def test_kwd_before_the_cutoff():
    # 12.500 KWD × 17/31 = 6.85483… → 6.855
    first = align_to_billing_day(
        to_money("12.500", "KWD"), date(2026, 3, 15), MONTHLY, 1, cutoff_day=20
    )
    assert first.charge.total == to_money("6.855", "KWD")


def test_starting_on_the_billing_day_bills_one_full_period():
    first = align_to_billing_day(
        to_money("10.00", "USD"), date(2026, 3, 1), MONTHLY, 1, cutoff_day=20
    )
    assert first.charge.total == to_money("10.00", "USD")
    assert first.next_due_date == date(2026, 4, 1)
    assert "one full period" in first.explanation


def test_billing_day_31_clamps_in_short_months():
    # Day 31 in April is the 30th: [04-10, 04-30) is 20 of the 30 days of [03-31, 04-30)
    # → 30.00 × 20/30 = 20.00
    first = align_to_billing_day(to_money("30.00", "USD"), date(2026, 4, 10), MONTHLY, 31)
    assert first.charge.total == to_money("20.00", "USD")
    assert first.next_due_date == date(2026, 4, 30)


def test_annual_cycle_aligned_to_the_first_of_march():
    # [2026-03-25, 2027-03-01) is 341 of 365 days → 120.00 × 341/365 = 112.109… → 112.11
    first = align_to_billing_day(to_money("120.00", "USD"), date(2026, 3, 25), ANNUALLY, 1)
    assert first.charge.total == to_money("112.11", "USD")
    assert first.next_due_date == date(2027, 3, 1)
    assert "no cut-off day" in first.explanation


@pytest.mark.parametrize(
    ("field", "day", "cutoff"),
    [
        ("billing_day", 0, None),
        ("billing_day", 32, None),
        ("cutoff_day", 1, 0),
        ("cutoff_day", 1, True),
    ],
)
def test_days_outside_the_month_are_refused(field: str, day: int, cutoff: int | None):
    with pytest.raises(ValidationError, match="1 to 31") as caught:
        align_to_billing_day(
            to_money("10.00", "USD"), date(2026, 3, 1), MONTHLY, day, cutoff_day=cutoff
        )
    assert caught.value.field == field


def test_day_cycles_cannot_be_aligned_to_a_day_of_month():
    with pytest.raises(ValidationError, match="month or year cycle"):
        align_to_billing_day(to_money("10.00", "USD"), date(2026, 3, 1), BillingCycle.weeks(2), 1)
