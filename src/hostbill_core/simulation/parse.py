r"""Reading a scenario file: TOML in, a checked :class:`~hostbill_core.simulation.Scenario` out.

The sections (``docs/scenarios.md`` is the reference) are read in a fixed order, whatever
their order in the file: ``[scenario]``, ``[settings]``, ``[fraud]``, ``[[products]]``,
``[[plans]]``, ``[[rates]]``, ``[payers]``, ``[generator]``, ``[[clients]]``, ``[[events]]``.
Every value is checked, every reference is resolved (a service's plan has a price for its
cycle in its client's currency, an event's client exists on that day), and an unknown key is
refused. Any problem raises :class:`~hostbill_core.simulation.reader.ScenarioError`, whose
message names the file, the line, the table and the key:

>>> parse_scenario('[scenario]\nstart = 2026-01-01\nseed = "seven"\n', "shop.toml")
Traceback (most recent call last):
...
hostbill_core.simulation.reader.ScenarioError: shop.toml, line 3: [scenario] seed = 'seven': ...
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import attrs

from hostbill_core.calendar import add_months
from hostbill_core.errors import ValidationError
from hostbill_core.fraud import load_config
from hostbill_core.model import (
    PaymentType,
    PlanId,
    PriceEntry,
    PricePlan,
    Product,
    ProductId,
    ProductType,
)
from hostbill_core.money import ExchangeRate, zero
from hostbill_core.renewal import (
    DEFAULT_LEAD_DAYS,
    ExpiryAction,
    ExpiryStep,
    RenewalSequence,
    RenewalSettings,
)
from hostbill_core.simulation.catalogue import Catalogue
from hostbill_core.simulation.clients import read_clients, read_generator, read_payers
from hostbill_core.simulation.events import read_events
from hostbill_core.simulation.generate import generate_clients
from hostbill_core.simulation.reader import (
    MISSING,
    Document,
    ScenarioError,
    Table,
    parse_cycle,
    read_each,
    table_name,
)
from hostbill_core.simulation.scenario import Scenario, ScenarioSettings
from hostbill_core.usecases import BillingSettings

__all__ = ["load_scenario", "parse_scenario"]

_TOP = ("scenario", "settings", "fraud", "products", "plans", "rates", "payers")
_TOP_REST = ("generator", "clients", "events")
_SYNTAX_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_PRODUCT_TYPES = {t.value: t for t in ProductType}
_PAYMENT_TYPES = {t.value: t for t in PaymentType}
_ACTIONS = {a.value: a for a in ExpiryAction}
_MAX_LEAD_DAYS = 366


def load_scenario(path: str | Path) -> Scenario:
    """Read and check the scenario file at ``path`` (UTF-8 TOML).

    Raises:
        ScenarioError: the file cannot be read, is not TOML, or fails a check.
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ScenarioError(
            source, None, "top level", "", value=source, reason=f"cannot read: {reason}"
        ) from None
    return parse_scenario(text, source)


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Check a scenario given as TOML text; ``source`` names it in error messages.

    Raises:
        ScenarioError: bad TOML, a missing or unknown key, a value of the wrong type or
            range, or a reference to something that does not exist.
    """
    doc = Document(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _SYNTAX_LINE.search(str(error))
        line = int(match.group(1)) if match else None
        reason = _SYNTAX_LINE.sub("", str(error)).strip()
        table = table_name(doc.index.table_at(line)) if line else "top level"
        raise ScenarioError(
            source, line, table, "", value=MISSING, reason=f"not TOML: {reason}"
        ) from None
    top = Table(doc, (), data)
    scenario = _read(top, source)
    top.close()
    return scenario


def _read(top: Table, source: str) -> Scenario:
    head = top.table("scenario")
    start = head.day("start")
    until = head.day("until", add_months(start, 12) - timedelta(days=1))
    if until < start:
        raise head.fail("until", until, f"the last day is on or after start ({start})")
    name = head.text("name", Path(source).stem)
    seed = head.whole("seed", 0)
    default_payer = head.text("payer", "on-time")
    head.close()
    settings = _settings(top.table("settings"), top)
    catalogue = Catalogue(products=_products(top.tables("products")))
    for table in top.tables("plans"):
        catalogue = catalogue.with_plan(_plan(table, catalogue))
        table.close()
    catalogue = attrs.evolve(catalogue, rates=read_each(top.tables("rates"), _rate))
    payers = read_payers(top.table("payers"))
    if default_payer not in payers:
        raise head.fail("payer", default_payer, f"no payer profile of that name ({_names(payers)})")
    generator = read_generator(top, catalogue, payers, start)
    clients = read_clients(top.tables("clients"), catalogue, payers, default_payer, generator)
    everyone = clients + (generate_clients(generator, seed) if generator else ())
    events = read_events(top.tables("events"), catalogue, everyone, start)
    return Scenario(
        name,
        start,
        until,
        seed,
        settings,
        catalogue.products,
        catalogue.plans,
        catalogue.rates,
        payers,
        clients,
        events,
        generator,
        source,
    )


def _names(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


def _settings(table: Table, top: Table) -> ScenarioSettings:
    by_type = table.table("lead_days")
    lead_days = {}
    for key in by_type.names():
        kind = _PRODUCT_TYPES.get(key)
        if kind is None:
            raise by_type.fail(key, key, f"not a product type ({_names(_PRODUCT_TYPES)})")
        lead_days[kind] = _lead(by_type, key)
    renewal = RenewalSettings(
        _lead(table, "invoice_lead_days", DEFAULT_LEAD_DAYS),
        lead_days,
        table.flag("continue_invoicing_when_unpaid", False),
    )
    sequence = _sequence(table)
    series = table.text("invoice_series", "INV")
    table.close()
    fraud = top.raw("fraud", {})
    try:
        config = load_config(fraud)  # type: ignore[arg-type]
    except ValidationError as error:
        path = ("fraud", *error.field.split("."))
        raise top.doc.error(path[:-1], path[-1], error.value, error.reason) from None
    return ScenarioSettings(BillingSettings(renewal, sequence, series=series), config)


def _lead(table: Table, key: str, default: object = None) -> int:
    days = table.whole(key) if default is None else table.whole(key, default)
    if days > _MAX_LEAD_DAYS:
        raise table.fail(key, days, f"a lead time is 0 to {_MAX_LEAD_DAYS} days")
    return days


def _sequence(table: Table) -> RenewalSequence:
    reminders = table.raw("reminder_days", [14, 7])
    with table.checking("reminder_days", reminders):
        base = RenewalSequence(reminders, table.flag("invoice_with_reminder", False))
    if "expiry" not in table:
        return base
    tables = table.tables("expiry")
    steps = read_each(tables, _step)
    try:
        return RenewalSequence(base.reminder_days, base.invoice_with_reminder, steps)
    except ValidationError as error:  # two steps clash: point at the first step of that day
        step = next((t for t, s in zip(tables, steps, strict=True) if s.day == error.value), None)
        raise (step or table).fail("day" if step else "expiry", error.value, error.reason) from None


def _step(table: Table) -> ExpiryStep:
    day = table.whole("day")
    actions = table.raw("actions")
    if not isinstance(actions, list) or not actions:
        raise table.fail("actions", actions, f"expected a list of actions ({_names(_ACTIONS)})")
    for action in actions:
        if action not in _ACTIONS:
            raise table.fail("actions", action, f"not an action ({_names(_ACTIONS)})")
    templates = table.raw("templates", [])
    types = table.raw("product_types", [])
    if not isinstance(types, list) or any(t not in _PRODUCT_TYPES for t in types):
        raise table.fail("product_types", types, f"product types ({_names(_PRODUCT_TYPES)})")
    with table.checking("day", day):
        return ExpiryStep(
            day,
            tuple(_ACTIONS[a] for a in actions),
            tuple(templates) if isinstance(templates, list) else templates,  # type: ignore[arg-type]
            frozenset(_PRODUCT_TYPES[t] for t in types),
        )


def _products(tables: list[Table]) -> tuple[Product, ...]:
    products: dict[str, Product] = {}
    for table in tables:
        product = _product(table)
        if product.id in products:
            raise table.fail("id", product.id, "a product id appears once")
        products[product.id] = product
        table.close()
    return tuple(products.values())


def _product(table: Table) -> Product:
    id = table.text("id")
    with table.checking("id", id):
        return Product(
            ProductId(id),
            table.text("name", id),
            table.choice("type", _PRODUCT_TYPES),
            table.text("description", ""),
        )


def _plan(table: Table, catalogue: Catalogue) -> PricePlan:
    id = table.text("id")
    product = table.text("product")
    if catalogue.product(product) is None:
        raise table.fail("product", product, f"no product of that id ({catalogue.product_ids})")
    if catalogue.plan(id) is not None:
        raise table.fail("id", id, "a plan id appears once")
    payment = table.choice("payment", _PAYMENT_TYPES, PaymentType.RECURRING)
    prices, setup = table.table("prices"), table.table("setup")
    entries: list[PriceEntry] = []
    for code in prices.names():
        prices.currency_key(code)
        fee = setup.money(code, code) if code in setup else zero(code)
        if payment is PaymentType.RECURRING:
            cycles = prices.table(code)
            for name in cycles.names():
                price = cycles.money(name, code)
                entries.append(PriceEntry(parse_cycle(cycles, name, name), code, price, fee))
            cycles.close()
        else:
            entries.append(PriceEntry(None, code, prices.money(code, code), fee))
    setup.close()
    with table.checking("prices", "..."):
        return PricePlan(
            PlanId(id), ProductId(product), table.text("name", id), payment, tuple(entries)
        )


def _rate(table: Table) -> ExchangeRate:
    rate = table.raw("rate")
    if isinstance(rate, float):
        raise table.fail(
            "rate", rate, f'write a rate as a string, e.g. "{rate}": floats are inexact'
        )
    base, quote = table.currency("base"), table.currency("quote")
    with table.checking("rate", rate):
        return ExchangeRate(base, quote, rate, table.day("on"))
