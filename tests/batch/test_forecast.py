import decimal
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moneyed import Money

from hostbill_core.batch import ServiceFrame, forecast, run_rate
from hostbill_core.calendar import MONTHLY, BillingCycle, next_due_date
from hostbill_core.errors import ValidationError
from hostbill_core.model import Service, ServiceStatus
from hostbill_core.money import (
    ROUNDING_MODES,
    RoundingPolicy,
    minor_units,
    to_minor,
    to_money,
    zero,
)

from .builders import service
from .strategies import days, services


def _with_statuses(svcs: list[Service]) -> list[Service]:
    # Every fourth service suspended, every seventh cancelled: both left out by default.
    return [
        attrs.evolve(s, status=ServiceStatus.SUSPENDED)
        if i % 4 == 3
        else attrs.evolve(s, status=ServiceStatus.CANCELLED)
        if i % 7 == 6
        else s
        for i, s in enumerate(svcs)
    ]


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _object_forecast(
    svcs: list[Service], first: date, months: int
) -> dict[tuple[date, str], Money]:
    """Per (month, currency): every due date from the calendar API, on or after next_due."""
    end = first
    for _ in range(months):
        end = _first_of_next_month(end)
    totals: dict[tuple[date, str], Money] = {}
    for s in svcs:
        if s.status is not ServiceStatus.ACTIVE or s.price_override is None:
            continue
        start = max(first, s.next_due_date)
        due = next_due_date(s.anchor, s.cycle, start - timedelta(days=1))
        while due < end:
            key = (due.replace(day=1), s.price_override.currency.code)
            totals[key] = totals.get(key, zero(key[1])) + s.price_override
            due = next_due_date(s.anchor, s.cycle, due)
    return totals


@settings(max_examples=2000)
@given(services(), days(), st.integers(1, 14))
def test_forecast_equals_the_object_api_per_month_and_currency(
    svcs: list[Service], first: date, months: int
) -> None:
    svcs = _with_statuses(svcs)
    result = forecast(ServiceFrame.from_services(svcs), first, months)
    expected = _object_forecast(svcs, first.replace(day=1), months)
    for month in result.months:
        for code in result.currencies:
            assert result.amount(month, code) == expected.get((month, code), zero(code))
    assert {c for _m, c in expected} <= set(result.currencies)


def _object_run_rate(svcs: list[Service]) -> dict[str, Fraction]:
    exact: dict[str, Fraction] = defaultdict(Fraction)
    for s in svcs:
        if s.status is not ServiceStatus.ACTIVE or s.price_override is None:
            continue
        units = to_minor(s.price_override)
        if s.cycle.is_calendar:
            per_month = Fraction(units, s.cycle.in_months)
        else:  # a mean Gregorian month: 146097 days / 4800 months
            per_month = Fraction(units * 146097, 4800 * s.cycle.in_days)
        exact[s.price_override.currency.code] += per_month
    return exact


@settings(max_examples=2000)
@given(services(), st.sampled_from(sorted(ROUNDING_MODES)))
def test_run_rate_equals_exact_fractions_rounded_once_by_the_policy(
    svcs: list[Service], mode: str
) -> None:
    svcs = _with_statuses(svcs)
    result = run_rate(ServiceFrame.from_services(svcs), policy=RoundingPolicy(mode))
    expected = _object_run_rate(svcs)
    assert dict(result.exact) == expected
    for code, exact in expected.items():
        with decimal.localcontext() as ctx:
            ctx.prec = 100  # exact enough that only the policy rounds
            minor = Decimal(exact.numerator) / Decimal(exact.denominator)
        amount = Money(minor.scaleb(-minor_units(code)), code)
        assert result.amounts[code] == RoundingPolicy(mode).round(amount)


@settings(max_examples=300)
@given(services(), days(), st.integers(1, 40))
def test_a_streamed_forecast_equals_the_forecast_of_the_whole(
    svcs: list[Service], first: date, chunk: int
) -> None:
    whole = forecast(ServiceFrame.from_services(svcs), first, 6)
    parts = (ServiceFrame.from_services(svcs[i : i + chunk]) for i in range(0, len(svcs), chunk))
    streamed = forecast(parts, first, 6)
    assert streamed.currencies == whole.currencies
    assert streamed.totals.tolist() == whole.totals.tolist()
    assert streamed.renewals.tolist() == whole.renewals.tolist()
    assert run_rate(
        ServiceFrame.from_services(svcs[i : i + chunk]) for i in range(0, len(svcs), chunk)
    ) == run_rate(ServiceFrame.from_services(svcs))


def _service(
    anchor: date, cycle: BillingCycle, price: str, code: str, next_due: date | None = None
) -> Service:
    sid = f"s{anchor}{cycle}{price}"
    return service(to_money(price, code), sid=sid, cycle=cycle, anchor=anchor, due=next_due)


def test_forecast_worked_example() -> None:
    # Jan–Mar 2024:
    # monthly 4.99 USD from 31 Jan: 31 Jan, 29 Feb, 31 Mar → 4.99 each month;
    # weekly 1.00 EUR from Mon 1 Jan: 5 Mondays in Jan, 4 in Feb, 4 in Mar;
    # annual 120 JPY from 15 Feb 2023, next due 15 Feb 2024: Feb only;
    # monthly 10 USD already invoiced up to 1 Mar (next due 1 Mar): Mar only.
    svcs = [
        _service(date(2024, 1, 31), MONTHLY, "4.99", "USD"),
        _service(date(2024, 1, 1), BillingCycle.weeks(1), "1.00", "EUR"),
        _service(date(2023, 2, 15), BillingCycle.years(1), "120", "JPY", date(2024, 2, 15)),
        _service(date(2023, 12, 1), MONTHLY, "10.00", "USD", date(2024, 3, 1)),
    ]
    result = forecast(ServiceFrame.from_services(svcs), date(2024, 1, 10), 3)
    assert result.months == (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1))
    assert result.currencies == ("EUR", "JPY", "USD")
    assert result.totals.tolist() == [[500, 0, 499], [400, 120, 499], [400, 0, 1499]]
    assert result.renewals.tolist() == [[5, 0, 1], [4, 1, 1], [4, 0, 2]]
    assert result.amount(date(2024, 3, 20), "USD") == to_money("14.99", "USD")
    assert "on or after its next due date" in result.explanation


def test_forecast_counts_other_statuses_when_asked() -> None:
    svc = attrs.evolve(
        _service(date(2024, 1, 5), MONTHLY, "3.00", "USD"), status=ServiceStatus.SUSPENDED
    )
    frame = ServiceFrame.from_services([svc])
    assert forecast(frame, date(2024, 1, 1), 1).totals.tolist() == [[0]]
    assert "statuses active" in forecast(frame, date(2024, 1, 1), 1).explanation
    assert forecast(frame, date(2024, 1, 1), 1).renewals.tolist() == [[0]]
    counted = forecast(frame, date(2024, 1, 1), 1, statuses=[ServiceStatus.SUSPENDED])
    assert (counted.renewals.tolist(), counted.totals.tolist()) == ([[1]], [[300]])


def test_run_rate_worked_example() -> None:
    # USD: 4.99 monthly + 49.90 yearly → 499 + 4990/12 = 914.83… cents → 9.15 (HALF_UP).
    # EUR: 1.00 every 7 days → 100 × 146097 / (4800 × 7) = 434.81… cents → 4.35; DOWN too.
    svcs = [
        _service(date(2024, 1, 31), MONTHLY, "4.99", "USD"),
        _service(date(2024, 1, 31), BillingCycle.years(1), "49.90", "USD"),
        _service(date(2024, 1, 1), BillingCycle.days(7), "1.00", "EUR"),
    ]
    result = run_rate(ServiceFrame.from_services(svcs))
    assert result.exact == {"EUR": Fraction(14609700, 33600), "USD": Fraction(10978, 12)}
    assert result.amounts == {"EUR": to_money("4.35", "EUR"), "USD": to_money("9.15", "USD")}
    assert "ROUND_HALF_UP" in result.explanation
    down = run_rate(ServiceFrame.from_services(svcs), policy=RoundingPolicy("ROUND_DOWN"))
    assert down.amounts["USD"] == to_money("9.14", "USD")


def test_forecast_over_many_chunks_equals_the_sum_of_its_halves() -> None:
    svcs = [
        _service(date(2020, 1, 1) + timedelta(days=i % 1000), cycle, "1.00", "USD")
        for i, cycle in zip(range(70_000), [MONTHLY, BillingCycle.days(30)] * 35_000, strict=True)
    ]
    whole = forecast(ServiceFrame.from_services(svcs), date(2024, 1, 1), 2)
    halves = [ServiceFrame.from_services(svcs[:35_000]), ServiceFrame.from_services(svcs[35_000:])]
    assert whole.totals.tolist() == forecast(halves, date(2024, 1, 1), 2).totals.tolist()
    assert int(whole.renewals.sum()) > 70_000


# Error paths.


def test_a_horizon_of_no_months_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        forecast(ServiceFrame.from_services([]), date(2026, 1, 1), 0)
    assert raised.value.field == "months"


def test_a_horizon_past_year_9999_is_refused() -> None:
    with pytest.raises(ValidationError, match="9999"):
        forecast(ServiceFrame.from_services([]), date(9999, 6, 1), 12)


def test_a_month_outside_the_horizon_is_refused() -> None:
    result = forecast(ServiceFrame.from_services([]), date(2026, 1, 1), 1)
    with pytest.raises(ValidationError) as raised:
        result.amount(date(2026, 2, 1), "USD")
    assert raised.value.field == "month"


def test_a_currency_not_forecast_is_refused() -> None:
    result = forecast(ServiceFrame.from_services([]), date(2026, 1, 1), 1)
    with pytest.raises(ValidationError) as raised:
        result.amount(date(2026, 1, 1), "USD")
    assert raised.value.field == "currency"


def test_merging_forecasts_of_other_horizons_is_refused() -> None:
    empty = ServiceFrame.from_services([])
    with pytest.raises(ValidationError) as raised:
        forecast(empty, date(2026, 1, 1), 1).merge(forecast(empty, date(2026, 2, 1), 1))
    assert raised.value.field == "months"


def test_a_price_too_large_to_sum_safely_is_refused() -> None:
    frame = attrs.evolve(
        ServiceFrame.from_services([_service(date(2026, 1, 1), MONTHLY, "1", "JPY")]),
        price=np.array([10**13], dtype=np.int64),
    )
    with pytest.raises(ValidationError) as raised:
        forecast(frame, date(2026, 1, 1), 1)
    assert raised.value.field == "price"
    with pytest.raises(ValidationError):
        run_rate(frame)


def test_forecast_follows_the_billing_day_series_when_asked() -> None:
    # Monthly from 3 Jan 2024 with billing day 31, next due 31 Jan: on the aligned series
    # it renews 29 Feb (2024 is a leap year); on the anchor's series it renews 3 Feb.
    svc = attrs.evolve(
        _service(date(2024, 1, 3), MONTHLY, "2.00", "USD", date(2024, 1, 31)), billing_day=31
    )
    frame = ServiceFrame.from_services([svc])
    aligned = forecast(frame, date(2024, 2, 1), 1, billing_day=True)
    assert aligned.renewals.tolist() == [[1]]
    plain = forecast(frame, date(2024, 2, 1), 1)
    assert plain.renewals.tolist() == [[1]]
    # In January only the aligned date (31 Jan) is on or after next due; 3 Jan is not.
    assert forecast(frame, date(2024, 1, 1), 1, billing_day=True).totals.tolist() == [[200]]
    assert forecast(frame, date(2024, 1, 1), 1).totals.tolist() == [[0]]
