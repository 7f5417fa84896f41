"""Clocks: the system's, and one set to a simulated instant (a simulation's current day).

Both satisfy :class:`~hostbill_core.ports.Clock`: :meth:`now` is an aware instant in UTC,
:meth:`today` the calendar date in the business's timezone.

Examples:
    >>> from datetime import UTC, datetime
    >>> clock = SimulatedClock(datetime(2026, 3, 10, 9, tzinfo=UTC))
    >>> clock.today().isoformat()
    '2026-03-10'
    >>> clock.set_to(datetime(2026, 3, 11, 9, tzinfo=UTC))
    >>> clock.now().isoformat()
    '2026-03-11T09:00:00+00:00'
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from hostbill_core.errors import ValidationError

__all__ = ["SimulatedClock", "SystemClock"]


class SystemClock:
    """Reads the machine's clock.

    Args:
        timezone: the business's timezone; :meth:`today` is the calendar date there.
    """

    def __init__(self, timezone: tzinfo = UTC) -> None:
        self._timezone = timezone

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date in the business's timezone."""
        return datetime.now(self._timezone).date()


class SimulatedClock:
    """Reads the instant it was set to, never the machine's clock, until set again.

    A simulation sets it to each simulated day in turn, so the use cases it calls see that
    day; a replay or a back-dated batch job can do the same.

    Args:
        instant: the current instant, aware (kept in UTC).
        timezone: the business's timezone; :meth:`today` is the date there (default UTC).

    Raises:
        ValidationError: a naive ``instant``.
    """

    def __init__(self, instant: datetime, timezone: tzinfo = UTC) -> None:
        self._instant = _utc(instant)
        self._timezone = timezone

    def now(self) -> datetime:
        """The instant set, aware, in UTC."""
        return self._instant

    def today(self) -> date:
        """The date of the instant set, in the business's timezone."""
        return self._instant.astimezone(self._timezone).date()

    def set_to(self, instant: datetime) -> None:
        """Move the clock to ``instant`` (aware; forward or back).

        Raises:
            ValidationError: a naive ``instant``; the clock is not moved.
        """
        self._instant = _utc(instant)


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValidationError("instant", instant, "naive datetime: give an aware one")
    return instant.astimezone(UTC)
