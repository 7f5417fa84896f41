"""Scenario text for the simulation tests, one TOML table per call.

Each builder returns a blank line, a ``[[header]]`` line and one ``key = value`` line per
keyword in the order given, so tests can add events and plans to a scenario file without
spelling out the same TOML layout again.
"""

from datetime import date
from pathlib import Path

from hostbill_core.simulation import Scenario, parse_scenario

SMALL = Path(__file__).parent / "small.toml"

Value = str | int | date | list["Value"] | dict[str, "Value"]


def toml_value(value: Value) -> str:
    """A TOML literal: a string (unescaped), an integer, a date, an array or an inline table."""
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, date | int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"


def table(header: str, **keys: Value) -> str:
    """One entry of the array of tables ``header``, keys in the order given."""
    lines = (f"{key} = {toml_value(value)}" for key, value in keys.items())
    return "\n".join(("", f"[[{header}]]", *lines)) + "\n"


def event(on: str, kind: str, event_id: str | None = None, **keys: Value) -> str:
    """An ``[[events]]`` table of type `kind` on the ISO date `on`, with an optional id."""
    ids: dict[str, Value] = {} if event_id is None else {"id": event_id}
    return table("events", **ids, on=date.fromisoformat(on), type=kind, **keys)


def order_event(on: str, order_id: str, client: str, *items: dict[str, Value]) -> str:
    """An order event: `client` orders `items` (each with a ``plan`` key) on the ISO date `on`."""
    ordered: list[Value] = [*items]
    return event(on, "order", order_id, client=client, items=ordered)


#: The item ann orders as ``o1`` in several tests: a monthly vps-1 named vps.ann.example.
ANN_VPS: dict[str, Value] = {"plan": "vps-1", "cycle": "monthly", "name": "vps.ann.example"}


def plan(plan_id: str, product: str, **keys: Value) -> str:
    """A ``[[plans]]`` table for `product`; prices and setup fees go in `keys`."""
    return table("plans", id=plan_id, product=product, **keys)


def small_with(*tables: str, source: str) -> Scenario:
    """``small.toml`` with `tables` appended, parsed under the name `source`."""
    return parse_scenario(SMALL.read_text("utf-8") + "".join(tables), source)
