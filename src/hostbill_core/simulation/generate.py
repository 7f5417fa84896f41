"""Generated clients: a few hundred clients from a handful of lines, the same for the same seed.

Client ``n`` (1-based) is ``<prefix>-<n>``, zero-padded to four digits or more. Its currency
and payer profile are drawn by weight, its start date uniformly from the generator's range,
and for each generated service a draw against ``share`` decides whether it holds one; the
cycle is drawn by weight and the anchor is a day in the first cycle after the client's start
date. Draws come from one :class:`random.Random` seeded with ``"<seed>/generator"`` and
happen in client order, so the same scenario always generates the same shop.

>>> from datetime import date
>>> from decimal import Decimal
>>> from hostbill_core.calendar import MONTHLY
>>> spec = Generator(3, (date(2025, 1, 1), date(2025, 12, 31)), (("USD", 1),),
...                  (("on-time", 1),), (GeneratedService("web", Decimal(1), ((MONTHLY, 1),)),))
>>> [(c.id, c.currency, c.services[0].id) for c in generate_clients(spec, seed=7)]
[('gen-0001', 'USD', 'gen-0001-1'),
 ('gen-0002', 'USD', 'gen-0002-1'),
 ('gen-0003', 'USD', 'gen-0003-1')]
"""

from __future__ import annotations

import random
from datetime import timedelta

from hostbill_core.model import ClientId, ServiceId
from hostbill_core.simulation.scenario import (
    ClientSpec,
    GeneratedService,
    Generator,
    ServiceSpec,
)

__all__ = ["GeneratedService", "Generator", "generate_clients", "generated_ids"]

_ANCHOR_DAYS = 27  # a service starts within four weeks of its client


def generated_ids(spec: Generator) -> tuple[str, ...]:
    """The ids of the clients ``spec`` generates, in order."""
    width = max(4, len(str(spec.clients)))
    return tuple(f"{spec.prefix}-{n:0{width}d}" for n in range(1, spec.clients + 1))


def generate_clients(spec: Generator, seed: int) -> tuple[ClientSpec, ...]:
    """The clients ``spec`` describes, drawn from ``seed`` (pure and deterministic)."""
    rng = random.Random(f"{seed}/generator")
    first, last = spec.since
    span = (last - first).days
    currencies, currency_weights = zip(*spec.currencies, strict=True)
    payers, payer_weights = zip(*spec.payers, strict=True)
    clients = []
    for id in generated_ids(spec):
        currency = rng.choices(currencies, currency_weights)[0]
        payer = rng.choices(payers, payer_weights)[0]
        since = first + timedelta(days=rng.randint(0, span))
        services: list[ServiceSpec] = []
        for offer in spec.services:
            if rng.random() >= offer.share:
                continue
            cycles, weights = zip(*offer.cycles, strict=True)
            cycle = rng.choices(cycles, weights)[0]
            anchor = min(since + timedelta(days=rng.randint(0, _ANCHOR_DAYS)), last)
            number = len(services) + 1
            services.append(ServiceSpec(ServiceId(f"{id}-{number}"), offer.plan_id, cycle, anchor))
        clients.append(
            ClientSpec(
                ClientId(id),
                f"Client {id}",
                f"{id}@example.com",
                currency,
                since,
                payer,
                services=tuple(services),
            )
        )
    return tuple(clients)
