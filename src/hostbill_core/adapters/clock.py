"""The system clock: the real time, and today's date in the business's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

__all__ = ["SystemClock"]


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
