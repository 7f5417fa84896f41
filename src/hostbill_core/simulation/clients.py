"""Reading ``[payers]``, ``[generator]`` and ``[[clients]]`` of a scenario file."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from hostbill_core.calendar import BillingCycle
from hostbill_core.model import (
    AccountType,
    Address,
    ClientId,
    ContactDetails,
    PaymentType,
    ServiceId,
    ServiceStatus,
)
from hostbill_core.simulation.catalogue import Catalogue
from hostbill_core.simulation.generate import generated_ids
from hostbill_core.simulation.reader import Table, parse_cycle
from hostbill_core.simulation.scenario import (
    ClientSpec,
    GeneratedService,
    Generator,
    PayerProfile,
    ServiceSpec,
)

__all__ = ["BUILTIN_PAYERS", "read_clients", "read_generator", "read_payers"]

#: Payer profiles every scenario has; a ``[payers]`` entry of the same name replaces one.
BUILTIN_PAYERS: Mapping[str, PayerProfile] = {
    "on-time": PayerProfile("on-time"),
    "never": PayerProfile("never", never=True),
}

_ACCOUNT_TYPES = {t.value: t for t in AccountType}
_STATUSES = {s.value: s for s in (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)}


def read_payers(table: Table) -> dict[str, PayerProfile]:
    """The payer profiles: the built-in ones, then each ``[payers.NAME]`` table."""
    payers = dict(BUILTIN_PAYERS)
    for name in table.names():
        profile = table.table(name)
        payers[name] = PayerProfile(
            name,
            _days_late(profile),
            profile.flag("never", False),
            profile.share("miss", Decimal(0)),
        )
        profile.close()
    return payers


def _days_late(table: Table) -> tuple[int, int]:
    value = table.raw("days_late", 0)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value, value
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        and value[0] <= value[1]
    ):
        return value[0], value[1]
    raise table.fail("days_late", value, "expected whole days, or [fewest, most], e.g. [5, 20]")


def read_generator(
    top: Table, catalogue: Catalogue, payers: Mapping[str, PayerProfile], start: date
) -> Generator | None:
    """The ``[generator]`` table, checked against the catalogue, or None when absent."""
    if "generator" not in top:
        top.raw("generator", None)
        return None
    table = top.table("generator")
    since = table.raw("since")
    if not (
        isinstance(since, list)
        and len(since) == 2
        and all(type(d) is date for d in since)
        and since[0] <= since[1] <= start
    ):
        raise table.fail("since", since, f"expected [first, last] dates, on or before {start}")
    currencies = _weights(
        table, "currencies", lambda key: table.table("currencies").currency_key(key)
    )
    payer_weights = _weights(table, "payers", lambda key: key)
    for name, _ in payer_weights:
        if name not in payers:
            raise table.table("payers").fail(name, name, f"no payer profile ({', '.join(payers)})")
    offers = []
    for offer in table.tables("services"):
        offers.append(_offer(offer, catalogue, tuple(c for c, _ in currencies)))
        offer.close()
    spec = Generator(
        table.whole("clients", low=1),
        (since[0], since[1]),
        currencies,
        payer_weights,
        tuple(offers),
        table.text("prefix", "gen"),
    )
    table.close()
    return spec


def _weights(table: Table, key: str, check: object) -> tuple[tuple[str, int], ...]:
    weights = table.table(key)
    found = []
    for name in weights.names():
        check(name)  # type: ignore[operator]
        found.append((name, weights.whole(name, low=1)))
    if not found:
        raise table.fail(key, {}, "expected at least one entry with a whole-number weight")
    return tuple(found)


def _offer(table: Table, catalogue: Catalogue, currencies: tuple[str, ...]) -> GeneratedService:
    plan = _recurring_plan(table, catalogue)
    cycles_table = table.table("cycles")
    cycles: list[tuple[BillingCycle, int]] = []
    for name in cycles_table.names():
        cycle = parse_cycle(cycles_table, name, name)
        for code in currencies:
            if catalogue.price(plan, cycle, code) is None:
                raise cycles_table.fail(name, name, f"plan {plan} has no {name} price in {code}")
        cycles.append((cycle, cycles_table.whole(name, low=1)))
    if not cycles:
        raise table.fail("cycles", {}, "expected cycles with weights, e.g. { monthly = 3 }")
    return GeneratedService(plan, table.share("share", 1), tuple(cycles))


def _recurring_plan(table: Table, catalogue: Catalogue, key: str = "plan") -> str:
    plan_id = table.text(key)
    plan = catalogue.plan(plan_id)
    if plan is None:
        raise table.fail(key, plan_id, f"no plan of that id ({catalogue.plan_ids})")
    if plan.payment_type is not PaymentType.RECURRING:
        raise table.fail(key, plan_id, "a service held over time needs a recurring plan")
    return plan_id


def read_clients(
    tables: list[Table],
    catalogue: Catalogue,
    payers: Mapping[str, PayerProfile],
    default_payer: str,
    generator: Generator | None,
) -> tuple[ClientSpec, ...]:
    """Every ``[[clients]]`` table with its ``[[clients.services]]``, checked."""
    taken_clients = set(generated_ids(generator)) if generator else set()
    taken_services: set[str] = set()
    clients = []
    for table in tables:
        client = _client(table, catalogue, payers, default_payer, taken_services)
        if client.id in taken_clients:
            raise table.fail("id", client.id, "a client id appears once (generated ids included)")
        taken_clients.add(client.id)
        clients.append(client)
        table.close()
    return tuple(clients)


def _client(
    table: Table,
    catalogue: Catalogue,
    payers: Mapping[str, PayerProfile],
    default_payer: str,
    taken: set[str],
) -> ClientSpec:
    id = table.text("id")
    name, email, country = table.text("name"), table.text("email"), table.text("country", "")
    with table.checking("email", email):
        ContactDetails(name, email)
    with table.checking("country", country):
        Address(country=country)
    currency = table.currency("currency")
    payer = table.text("payer", default_payer)
    if payer not in payers:
        raise table.fail("payer", payer, f"no payer profile of that name ({', '.join(payers)})")
    since = table.day("since")
    services = []
    for service in table.tables("services"):
        services.append(_service(service, catalogue, currency, since, taken))
        service.close()
    account = table.choice("type", _ACCOUNT_TYPES, AccountType.PRIVATE)
    with table.checking("id", id):
        return ClientSpec(
            ClientId(id), name, email, currency, since, payer, country, account, tuple(services)
        )


def _service(
    table: Table, catalogue: Catalogue, currency: str, since: date, taken: set[str]
) -> ServiceSpec:
    id = table.text("id")
    if id in taken:
        raise table.fail("id", id, "a service id appears once")
    taken.add(id)
    plan = _recurring_plan(table, catalogue)
    cycle = table.cycle("cycle")
    price = table.money("price", currency) if "price" in table else None
    if price is None and catalogue.price(plan, cycle, currency) is None:
        cycles = catalogue.cycles(plan, currency)
        raise table.fail(
            "cycle", str(cycle), f"plan {plan} has no price for it in {currency} ({cycles})"
        )
    anchor = table.day("anchor", since)
    next_due = table.day("next_due") if "next_due" in table else None
    if next_due is not None and next_due < anchor:
        raise table.fail("next_due", next_due, f"on or after the anchor ({anchor})")
    return ServiceSpec(
        ServiceId(id),
        plan,
        cycle,
        anchor,
        table.text("name", ""),
        next_due,
        price,
        table.choice("status", _STATUSES, ServiceStatus.ACTIVE),
    )
