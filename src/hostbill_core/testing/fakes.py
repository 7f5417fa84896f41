"""Small fakes of the ports for tests and notebooks.

A fixed clock, a recording event sink, and a table of exchange rates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo

import attrs

from hostbill_core.errors import NotFoundError, ValidationError
from hostbill_core.money import ExchangeRate
from hostbill_core.ports import Event

__all__ = ["FixedClock", "RecordingEventSink", "StaticRates"]


class FixedClock:
    """A clock that stands still until moved.

    Args:
        instant: the current instant, aware.
        timezone: the business's timezone; :meth:`today` is the date there (default UTC).
    """

    def __init__(self, instant: datetime, timezone: tzinfo = UTC) -> None:
        if instant.tzinfo is None:
            raise ValidationError("instant", instant, "naive datetime: give an aware one")
        self._instant = instant.astimezone(UTC)
        self._timezone = timezone

    def now(self) -> datetime:
        """The current instant in UTC."""
        return self._instant

    def today(self) -> date:
        """The current date in the business's timezone."""
        return self._instant.astimezone(self._timezone).date()

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._instant += delta


@attrs.define
class RecordingEventSink:
    """An event sink that keeps every event, in order, in :attr:`events`."""

    events: list[Event] = attrs.Factory(list)

    def emit(self, event: Event) -> None:
        """Record one event."""
        self.events.append(event)

    def names(self) -> list[str]:
        """The names of the recorded events, in order."""
        return [event.name for event in self.events]


class StaticRates:
    """Exchange rates from a list: on a date, the latest rate of the pair taken on or before it.

    The inverse of a known pair is used when only the other direction is listed.
    """

    def __init__(self, rates: Iterable[ExchangeRate]) -> None:
        self._rates = sorted(rates, key=lambda r: r.as_of)

    def rate(self, base: str, quote: str, on: date) -> ExchangeRate:
        """The rate in force on ``on``.

        Raises:
            NotFoundError: no rate for the pair on or before ``on``.
        """
        found: ExchangeRate | None = None
        for rate in self._rates:
            if rate.as_of > on:
                break
            if (rate.base, rate.quote) == (base, quote):
                found = rate
            elif (rate.base, rate.quote) == (quote, base):
                found = rate.inverse()
        if found is None:
            raise NotFoundError("exchange rate", f"{base}/{quote} on {on.isoformat()}")
        return found
