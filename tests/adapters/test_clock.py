"""The clocks: the system's, and one set to a simulated instant."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hostbill_core.adapters.clock import SimulatedClock, SystemClock
from hostbill_core.errors import ValidationError
from hostbill_core.ports import Clock
from hostbill_core.testing.fakes import FixedClock

NINE = datetime(2026, 3, 10, 9, tzinfo=UTC)


def test_a_simulated_clock_reads_the_instant_it_is_set_to() -> None:
    clock: Clock = SimulatedClock(NINE)
    assert (clock.now(), clock.today()) == (NINE, date(2026, 3, 10))
    assert isinstance(clock, SimulatedClock)
    clock.set_to(datetime(2026, 3, 11, 9, tzinfo=UTC))
    assert (clock.now(), clock.today()) == (datetime(2026, 3, 11, 9, tzinfo=UTC), date(2026, 3, 11))


def test_today_is_the_date_in_the_business_timezone() -> None:
    # 09:00 UTC is 23:00 the day before at UTC-10 (Honolulu, no daylight saving)
    clock = SimulatedClock(NINE, timezone(timedelta(hours=-10)))
    assert (clock.now(), clock.today()) == (NINE, date(2026, 3, 9))
    aware = datetime(2026, 3, 10, 11, tzinfo=timezone(timedelta(hours=2)))
    assert SimulatedClock(aware).now() == NINE  # 11:00 at UTC+2 is 09:00 UTC, stored in UTC
    assert SimulatedClock(aware).now().tzinfo is UTC


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        SimulatedClock(datetime(2026, 3, 10, 9))
    assert caught.value.field == "instant"
    clock = SimulatedClock(NINE)
    with pytest.raises(ValidationError):
        clock.set_to(datetime(2026, 3, 11, 9))
    assert clock.now() == NINE


def test_the_testing_clock_also_advances() -> None:
    clock = FixedClock(NINE)
    clock.advance(timedelta(hours=16))  # 09:00 + 16 h = 01:00 the next day
    assert (clock.now(), clock.today()) == (datetime(2026, 3, 11, 1, tzinfo=UTC), date(2026, 3, 11))
    assert isinstance(clock, SimulatedClock)


def test_the_system_clock_is_aware_and_in_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert SystemClock().today() in {
        (now - timedelta(days=1)).date(),
        now.date(),
        (now + timedelta(days=1)).date(),
    }
