"""upcoming_renewals: due dates in a window, from the anchor, with the caller's amounts."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

from hostbill_core.calendar import ANNUALLY, MONTHLY, BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model import Service, ServiceId, ServiceStatus
from hostbill_core.renewal import upcoming_renewals
from hostbill_core.renewal.schedule import service_due_date

from .helpers import service

USD10 = Money("10.00", "USD")


def test_month_end_service_in_a_quarter_window() -> None:
    # anchor 31 Jan, next due 29 Feb: 29 Feb, 31 Mar, 30 Apr in [2024-02-01, 2024-05-01).
    s = service(date(2024, 1, 31), date(2024, 2, 29), price=USD10)
    rows = upcoming_renewals([s], date(2024, 2, 1), date(2024, 5, 1))
    assert [(r.due_date, r.amount) for r in rows] == [
        (date(2024, 2, 29), USD10),
        (date(2024, 3, 31), USD10),
        (date(2024, 4, 30), USD10),
    ]
    assert rows[1].explanation == (
        "due date 2 of 2024-01-31 + n × P1M; 10.00 USD from the service's price override"
    )


def test_window_is_half_open_and_skips_paid_due_dates() -> None:
    # Next due 2024-06-15: 05-15 is paid; 07-15 is the window's end, excluded.
    s = service(date(2024, 1, 15), date(2024, 6, 15), price=USD10)
    rows = upcoming_renewals([s], date(2024, 5, 1), date(2024, 7, 15))
    assert [r.due_date for r in rows] == [date(2024, 6, 15)]


def test_overdue_due_date_before_the_window_is_not_listed_but_later_ones_are() -> None:
    s = service(date(2024, 1, 15), date(2024, 2, 15), price=USD10)
    rows = upcoming_renewals([s], date(2024, 4, 1), date(2024, 5, 1))
    assert [r.due_date for r in rows] == [date(2024, 4, 15)]


def test_rows_sorted_by_date_then_service_and_not_live_services_skipped() -> None:
    a = service(date(2024, 3, 10), sid="b", price=USD10)
    b = service(date(2024, 3, 10), sid="a", price=USD10)
    c = service(date(2024, 3, 1), sid="c", price=USD10, cycle=ANNUALLY)
    dead = service(date(2024, 3, 5), sid="d", status=ServiceStatus.TERMINATED)
    rows = upcoming_renewals([a, b, c, dead], date(2024, 3, 1), date(2024, 4, 1))
    assert [(r.due_date.day, r.service_id) for r in rows] == [(1, "c"), (10, "a"), (10, "b")]


def test_price_mapping_and_callable() -> None:
    s = service(date(2024, 3, 10), price=USD10)
    table = upcoming_renewals(
        [s], date(2024, 3, 1), date(2024, 4, 1), price={ServiceId("s1"): Money("7", "EUR")}
    )
    assert table[0].amount == Money("7", "EUR")
    assert "the price table" in table[0].explanation

    def price(svc: Service) -> Money:
        return Money("3", "USD")

    assert upcoming_renewals([s], date(2024, 3, 1), date(2024, 4, 1), price=price)[
        0
    ].amount == Money("3", "USD")


def test_mapping_without_the_service_falls_back_to_the_override() -> None:
    s = service(date(2024, 3, 10), price=USD10)
    rows = upcoming_renewals([s], date(2024, 3, 1), date(2024, 4, 1), price={})
    assert rows[0].amount == USD10


def test_as_row_gives_plain_values() -> None:
    s = service(date(2024, 3, 10), price=USD10)
    (row,) = upcoming_renewals([s], date(2024, 3, 1), date(2024, 4, 1))
    assert row.as_row() == {
        "service_id": "s1",
        "client_id": "c1",
        "due_date": date(2024, 3, 10),
        "amount": Decimal("10.00"),
        "currency": "USD",
    }


def test_service_without_an_amount_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        upcoming_renewals(
            [service(date(2024, 3, 10), price=USD10), service(date(2024, 3, 11), sid="x")],
            date(2024, 3, 1),
            date(2024, 4, 1),
        )
    assert (info.value.field, info.value.value) == ("services[1]", "x")


def test_empty_window_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        upcoming_renewals([], date(2024, 3, 1), date(2024, 3, 1))
    assert info.value.field == "end"


def test_start_must_be_a_date() -> None:
    with pytest.raises(ValidationError) as info:
        upcoming_renewals([], "2024-03-01", date(2024, 3, 1))  # type: ignore[arg-type]
    assert info.value.field == "start"


@given(
    anchor=st.dates(date(2020, 1, 1), date(2026, 12, 31)),
    paid=st.integers(0, 12),
    cycle=st.sampled_from([MONTHLY, ANNUALLY, BillingCycle.months(3), BillingCycle.days(45)]),
    start=st.dates(date(2020, 1, 1), date(2028, 12, 31)),
    length=st.integers(1, 800),
)
def test_forecast_is_exactly_the_series_in_the_window(
    *, anchor: date, paid: int, cycle: BillingCycle, start: date, length: int
) -> None:
    s = service(anchor, cycle=cycle, price=USD10)
    s = service(anchor, service_due_date(s, paid), cycle, price=USD10)
    end = start + timedelta(days=length)
    got = [r.due_date for r in upcoming_renewals([s], start, end)]
    expected, n = [], paid
    while (due := service_due_date(s, n)) < end:
        if due >= start:
            expected.append(due)
        n += 1
    assert got == expected
    assert all(a < b for a, b in itertools.pairwise(got))
