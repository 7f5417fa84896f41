"""The simulated shop's ports: real adapters, the clock set to the day being run."""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import hostbill_core.simulation
from hostbill_core.adapters.clock import SimulatedClock
from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.rates import RateTable
from hostbill_core.money import ExchangeRate
from hostbill_core.simulation import load_scenario
from hostbill_core.simulation.run import _run_day
from hostbill_core.simulation.seed import seed
from hostbill_core.simulation.shop import Shop

from .builders import SMALL


def test_the_shop_reads_the_scenarios_rates_and_a_clock_set_to_each_day() -> None:
    scenario = load_scenario(SMALL)  # starts 1 January 2026; USD→EUR 0.90 from that day
    store = MemoryStore()
    seed(store.unit_of_work, scenario)
    shop = Shop(scenario, store.unit_of_work, {})
    assert (type(shop.rates), type(shop.clock)) == (RateTable, SimulatedClock)
    assert shop.rates.rate("USD", "EUR", date(2026, 2, 20)) == ExchangeRate(
        "USD", "EUR", "0.90", date(2026, 1, 1)
    )
    assert shop.clock.now() == datetime(2026, 1, 1, 9, tzinfo=UTC)
    _run_day(shop, date(2026, 2, 20))
    assert (shop.clock.now(), shop.clock.today()) == (
        datetime(2026, 2, 20, 9, tzinfo=UTC),
        date(2026, 2, 20),
    )


def test_the_simulation_imports_no_test_helpers() -> None:
    folder = Path(hostbill_core.simulation.__file__).parent
    imported = {
        node.module
        for path in folder.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert [name for name in imported if name.startswith("hostbill_core.testing")] == []
    assert "hostbill_core.adapters.rates" in imported
