"""Scenario files and the day-by-day simulation behind ``hostbill-core simulate``.

A scenario (a TOML file: ``docs/scenarios.md`` is its reference) describes a hosting shop:
catalogue and prices per currency, exchange rates over time, clients and their services, a
dated list of events and how each client pays. :func:`simulate` runs it day by day through
the billing run on a store and returns the timeline and summaries.

>>> from datetime import date
>>> scenario = bundled_example()
>>> scenario.name, scenario.start, scenario.until
('Example shop', datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
"""

from importlib.resources import files

from hostbill_core.simulation.parse import load_scenario, parse_scenario
from hostbill_core.simulation.reader import ScenarioError
from hostbill_core.simulation.report import summary_table, to_json, write_csv, write_json
from hostbill_core.simulation.result import (
    ClientError,
    MonthRevenue,
    SimulationResult,
    Summary,
    TimelineEntry,
)
from hostbill_core.simulation.run import Progress, Store, simulate
from hostbill_core.simulation.scenario import Scenario

__all__ = [
    "BUNDLED_EXAMPLE",
    "ClientError",
    "MonthRevenue",
    "Progress",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "Store",
    "Summary",
    "TimelineEntry",
    "bundled_example",
    "load_scenario",
    "parse_scenario",
    "simulate",
    "summary_table",
    "to_json",
    "write_csv",
    "write_json",
]

#: The name the bundled example shop is read under (in messages).
BUNDLED_EXAMPLE = "example_shop.toml"


def bundled_example() -> Scenario:
    """The example shop that ships with the package (what ``hostbill-core simulate`` runs)."""
    text = files(__name__).joinpath(BUNDLED_EXAMPLE).read_text(encoding="utf-8")
    return parse_scenario(text, BUNDLED_EXAMPLE)
