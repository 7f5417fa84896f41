"""Test helpers users can import for their own tests.

The strategies and the contract suite need hypothesis and pytest (the ``dev`` extra).

- :mod:`hostbill_core.testing.fakes`: a fixed clock, a recording event sink, static rates.
- :mod:`hostbill_core.testing.strategies`: hypothesis strategies for money, dates, models.
- :mod:`hostbill_core.testing.contract`: the contract suite every storage adapter passes.
"""

from hostbill_core.testing.fakes import FixedClock, RecordingEventSink, StaticRates

__all__ = ["FixedClock", "RecordingEventSink", "StaticRates"]
