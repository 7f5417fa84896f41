"""Storing a scenario's shop (catalogue, clients, their services) before the first day.

Every record has the id the scenario gives it, so seeding a store twice adds nothing the
second time. A service's next due date is the scenario's, or else the first due date of its
series on or after the start: renewals before the start count as paid.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import attrs

from hostbill_core.calendar import next_due_date
from hostbill_core.errors import ConflictError
from hostbill_core.model import (
    Address,
    Client,
    ContactDetails,
    PlanId,
    PricePlan,
    Product,
    Service,
)
from hostbill_core.ports import Repository, UnitOfWork, UnitOfWorkFactory
from hostbill_core.simulation.generate import generate_clients
from hostbill_core.simulation.scenario import ClientSpec, Scenario, ServiceSpec

__all__ = ["SeedReport", "all_clients", "seed", "shop_records"]


def all_clients(scenario: Scenario) -> tuple[ClientSpec, ...]:
    """The clients written in the scenario, then the generated ones."""
    generated = generate_clients(scenario.generator, scenario.seed) if scenario.generator else ()
    return scenario.clients + generated


def _client(spec: ClientSpec) -> Client:
    details = ContactDetails(spec.name, spec.email, address=Address(country=spec.country))
    return Client(spec.id, details, spec.currency, spec.since, account_type=spec.account_type)


def _service(spec: ServiceSpec, client: ClientSpec, plan: PricePlan, start: date) -> Service:
    next_due = spec.next_due
    if next_due is None:
        next_due = max(spec.anchor, next_due_date(spec.anchor, spec.cycle, start - timedelta(1)))
    return Service(
        spec.id,
        client.id,
        plan.product_id,
        PlanId(plan.id),
        spec.cycle,
        spec.anchor,
        next_due,
        spec.status,
        spec.name,
        price_override=spec.price,
    )


@attrs.frozen
class SeedReport:
    """How many records seeding added, and how many were already stored."""

    added: int
    existing: int


def shop_records(scenario: Scenario) -> Iterator[Product | PricePlan | Client | Service]:
    """The records of the scenario's shop, in the order they are stored."""
    yield from scenario.products
    yield from scenario.plans
    plans: dict[str, PricePlan] = {plan.id: plan for plan in scenario.plans}
    clients = all_clients(scenario)
    yield from (_client(spec) for spec in clients)
    for client in clients:
        for spec in client.services:
            yield _service(spec, client, plans[spec.plan_id], scenario.start)


def seed(new_uow: UnitOfWorkFactory, scenario: Scenario) -> SeedReport:
    """Store the records of the scenario's shop that are not stored yet, in one unit of work.

    Raises:
        ConflictError: the store holds another shop: a client the scenario does not have, or
            a product or plan stored otherwise than the scenario says (another file, or a
            what-if of this one, was run on it). Nothing is stored then.
    """
    added = existing = 0
    with new_uow() as uow:
        _same_shop(uow, scenario)
        repositories: dict[type, Repository[object]] = {
            Product: uow.products,  # type: ignore[dict-item]
            PricePlan: uow.plans,  # type: ignore[dict-item]
            Client: uow.clients,  # type: ignore[dict-item]
            Service: uow.services,  # type: ignore[dict-item]
        }
        for record in shop_records(scenario):
            repository = repositories[type(record)]
            if repository.find(record.id) is None:
                repository.add(record)
                added += 1
            else:
                existing += 1
        uow.commit()
    return SeedReport(added, existing)


def _same_shop(uow: UnitOfWork, scenario: Scenario) -> None:
    ids = {client.id for client in all_clients(scenario)}
    stray = next((c.id for c in uow.clients.list() if c.id not in ids), None)
    if stray is not None:
        raise ConflictError(
            "client", stray, "the store holds another shop's clients: use another database"
        )
    catalogue: tuple[tuple[Repository[Any], Product | PricePlan], ...] = (
        *((uow.products, p) for p in scenario.products),
        *((uow.plans, p) for p in scenario.plans),
    )
    for repository, record in catalogue:
        stored = repository.find(record.id)
        if stored is not None and attrs.evolve(stored, version=0) != record:
            kind = type(record).__name__.lower()
            raise ConflictError(
                kind,
                record.id,
                f"stored otherwise than {scenario.source} says: use another database",
            )
