from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import ValidationError
from hostbill_core.money import RoundingPolicy, to_money
from hostbill_core.pricing import CurrencyChangeMode
from hostbill_core.simulation import load_scenario, simulate
from hostbill_core.simulation.scenario import ChangeCurrency
from hostbill_core.simulation.whatif import move_clients, raise_prices

SMALL = load_scenario(Path(__file__).parent / "small.toml")


def test_raise_prices_rounds_each_price_once() -> None:
    dearer = raise_prices(SMALL, "10")
    plan = dearer.plans[0]
    assert plan.entry(MONTHLY, "USD").price == to_money("11.00", "USD")  # type: ignore[union-attr]
    assert plan.entry(ANNUALLY, "USD").price == to_money("110.00", "USD")  # type: ignore[union-attr]
    assert plan.entry(MONTHLY, "EUR").price == to_money("9.90", "EUR")  # type: ignore[union-attr]
    # 9.00 × 0.975 = 8.775: half-up gives 8.78, half-even 8.78, down 8.77
    down = raise_prices(SMALL, Decimal("-2.5"), policy=RoundingPolicy("ROUND_DOWN"))
    assert down.plans[0].entry(MONTHLY, "EUR").price == to_money("8.77", "EUR")  # type: ignore[union-attr]
    assert SMALL.plans[0].entry(MONTHLY, "USD").price == to_money("10.00", "USD")  # type: ignore[union-attr]


def test_raise_prices_refuses_floats_and_free_shops() -> None:
    with pytest.raises(ValidationError, match="floats are inexact"):
        raise_prices(SMALL, 10.0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="above -100"):
        raise_prices(SMALL, -100)


def test_a_ten_percent_rise_raises_invoiced_revenue_by_ten_percent() -> None:
    base = simulate(SMALL).summary
    dearer = simulate(raise_prices(SMALL, 10)).summary
    for before, after in zip(base.revenue, dearer.revenue, strict=True):
        assert after.invoiced.amount == before.invoiced.amount * Decimal("1.1")
    assert dearer.run_rate == {"EUR": to_money("9.90", "EUR"), "USD": to_money("11.00", "USD")}


def test_move_clients_adds_one_change_per_client_billed_in_that_currency() -> None:
    moved = move_clients(SMALL, "USD", "EUR", date(2026, 2, 1))
    added = [e for e in moved.events if isinstance(e, ChangeCurrency)]
    assert [(e.id, e.client, e.currency, e.on) for e in added] == [
        ("move-ann", "ann", "EUR", date(2026, 2, 1)),
        ("move-bob", "bob", "EUR", date(2026, 2, 1)),
    ]
    assert [e.on for e in moved.events] == sorted(e.on for e in moved.events)
    result = simulate(moved)
    # everyone is billed in euros: ann 10.00 × 0.90 = 9.00, cleo 9.00; bob's is cancelled
    assert result.summary.run_rate == {"EUR": to_money("18.00", "EUR")}


def test_move_clients_errors() -> None:
    with pytest.raises(ValidationError, match="no USD/GBP rate"):
        move_clients(SMALL, "USD", "GBP", date(2026, 2, 1))
    with pytest.raises(ValidationError, match="a day from"):
        move_clients(SMALL, "USD", "EUR", date(2027, 1, 1))
    code_only = move_clients(
        SMALL, "USD", "GBP", date(2026, 2, 1), mode=CurrencyChangeMode.CODE_ONLY
    )
    assert len(code_only.events) == len(SMALL.events) + 2
