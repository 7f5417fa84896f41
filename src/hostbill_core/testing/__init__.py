"""Test helpers users can import for their own tests.

The strategies and the contract suite need hypothesis and pytest (the ``dev`` extra).

- :mod:`hostbill_core.testing.fakes`: a fixed clock, a recording event sink, static rates
  (the clock and the rates are the adapters of :mod:`hostbill_core.adapters.clock` and
  :mod:`hostbill_core.adapters.rates`, under the names tests have used).
- :mod:`hostbill_core.testing.strategies`: hypothesis strategies for money, dates, models
  (defined by subject in ``value_strategies``, ``client_strategies``, ``billing_strategies``
  and ``usecase_strategies``).
- :mod:`hostbill_core.testing.contract`: the contract suite every storage adapter passes
  (its tests written by subject in ``contract_records``, ``contract_keys`` and
  ``contract_transactions``, over the fixture and samples of ``contract_base``).
- The fraud ports' in-memory fakes (``InMemoryGeoIP``, ``InMemoryOrderHistory``,
  ``FixedRiskScore``), re-exported from :mod:`hostbill_core.fraud.fakes`.
"""

from hostbill_core.fraud.fakes import FixedRiskScore, InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.testing.fakes import FixedClock, RecordingEventSink, StaticRates

__all__ = [
    "FixedClock",
    "FixedRiskScore",
    "InMemoryGeoIP",
    "InMemoryOrderHistory",
    "RecordingEventSink",
    "StaticRates",
]
