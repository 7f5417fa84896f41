"""Small fakes of the ports for tests and notebooks.

A fixed clock (the simulated clock of :mod:`hostbill_core.adapters.clock`, which can also
advance), a recording event sink, and static rates (the rate table of
:mod:`hostbill_core.adapters.rates`, under another name).
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from hostbill_core.adapters.clock import SimulatedClock
from hostbill_core.adapters.rates import RateTable
from hostbill_core.ports import Event

__all__ = ["FixedClock", "RecordingEventSink", "StaticRates"]


class FixedClock(SimulatedClock):
    """A clock that stands still until moved: the simulated clock, with :meth:`advance`.

    Args:
        instant: the current instant, aware.
        timezone: the business's timezone; :meth:`today` is the date there (default UTC).
    """

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self.set_to(self.now() + delta)


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


#: Exchange rates from a list: the rate table adapter, under the name tests have used.
StaticRates = RateTable
