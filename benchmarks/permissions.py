"""Throughput of decide(): decisions per second, beside a plain set-membership baseline.

Size: one contact holding 5 account-wide rights and 20 grants (10 of them limited to 3
services, 10 expiring), asked about 10,000 (action, resource) pairs cycling over every action,
services and both clients. The baseline answers the same questions with a set lookup of the
required right name: what a panel with flat permissions does, with no scope, expiry, reason or
areas.

Run: python benchmarks/permissions.py
"""

import itertools
import time
from datetime import UTC, datetime, timedelta

from hostbill_core.model import Contact, ContactDetails
from hostbill_core.model.access import Grant
from hostbill_core.permissions import RULES, Action, ContactActor, Resource, Right, decide

AT = datetime(2026, 3, 1, tzinfo=UTC)
QUESTIONS = 10_000
PER_SERVICE = [r for r in Right if r.per_service]


def build_actor() -> ContactActor:
    rights = (Right.TICKETS, Right.VIEW_INVOICES, Right.QUOTES, Right.CREDIT, Right.VIEW_EMAILS)
    grants = [
        Grant(PER_SERVICE[i % len(PER_SERVICE)].value, (f"s{i}", f"s{i + 1}", f"s{i + 2}"))
        for i in range(10)
    ] + [
        Grant(r.value, expires_at=AT + timedelta(days=i - 5))
        for i, r in zip(range(10), itertools.cycle(Right), strict=False)
    ]
    contact = Contact(
        "k1",
        "c1",
        ContactDetails("Kim", "kim@example.com"),
        rights=tuple(r.value for r in rights),
        grants=tuple(grants),
    )
    return ContactActor(contact)


def questions() -> list[tuple[Action, Resource]]:
    actions = itertools.cycle(Action)
    ids = itertools.cycle([None, *(f"s{i}" for i in range(15))])
    clients = itertools.cycle(["c1", "c1", "c1", "c2"])
    return [
        (action, Resource(RULES[action].kind, next(clients), next(ids)))
        for action, _ in zip(actions, range(QUESTIONS), strict=False)
    ]


def best_of(runs: int, work) -> float:
    """The shortest of ``runs`` timings of ``work()``, in seconds (less noise than one)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    actor = build_actor()
    asked = questions()
    allowed = sum(decide(actor, action, resource, AT).allowed for action, resource in asked)
    engine = best_of(5, lambda: [decide(actor, a, r, AT) for a, r in asked])

    flat = set(actor.contact.rights) | {g.right for g in actor.contact.grants}
    needed = [(RULES[a].right, r.client_id) for a, r in asked]

    def baseline_run() -> int:
        return sum(
            right is not None and client == "c1" and right.value in flat for right, client in needed
        )

    flat_allowed = baseline_run()
    baseline = best_of(5, baseline_run)

    print(f"decide(): {QUESTIONS / engine:,.0f} decisions/s ({allowed} allowed of {QUESTIONS})")
    print(f"set membership baseline: {QUESTIONS / baseline:,.0f} checks/s ({flat_allowed} allowed)")
    print(f"decide() takes {engine / baseline:,.1f}x the baseline's time per question")


if __name__ == "__main__":
    main()
