"""The example files: the hosting shop covers what the issue lists; the notebook runs."""

from pathlib import Path

import pytest

from hostbill_core.calendar import CycleUnit
from hostbill_core.model import ProductType
from hostbill_core.simulation import load_scenario
from hostbill_core.simulation.scenario import (
    ChangeCurrency,
    ChangePlan,
    PlaceOrder,
    ReviewOrder,
)
from hostbill_core.simulation.seed import all_clients

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_hosting_shop_covers_the_listed_cases() -> None:
    shop = load_scenario(EXAMPLES / "hosting-shop.toml")
    clients = all_clients(shop)
    assert len(clients) >= 300
    assert {c.currency for c in clients} == {"USD", "EUR", "GBP"}
    cycles = {(s.cycle.unit, s.cycle.count) for c in clients for s in c.services}
    every = {(CycleUnit.MONTH, n) for n in (1, 3, 6)} | {(CycleUnit.YEAR, n) for n in (1, 2, 3)}
    assert cycles >= every
    types = {p.id: p.type for p in shop.products}
    plans = {p.id: types[p.product_id] for p in shop.plans}
    held = {plans[s.plan_id] for c in clients for s in c.services}
    assert ProductType.DOMAIN in held
    orders = [e for e in shop.events if isinstance(e, PlaceOrder)]
    assert {plans[i.plan_id] for o in orders for i in o.items} == {ProductType.VPS}
    assert {e.order for e in shop.events if isinstance(e, ReviewOrder)} == {o.id for o in orders}
    assert any(isinstance(e, ChangeCurrency) for e in shop.events)
    changes = [e for e in shop.events if isinstance(e, ChangePlan)]
    assert {e.upgrade for e in changes} == {True, False}
    payers = {c.payer for c in clients}
    assert {"late", "never"} <= payers


def test_modelling_notebook_runs() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(EXAMPLES / "modelling.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "prices +10 %: revenue +" in printed
    assert "total" in printed
    images = [
        o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "no chart" in printed
    else:
        assert len(images) == 1
