from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.simulation.generate import generate_clients, generated_ids
from hostbill_core.simulation.payers import payment_day
from hostbill_core.simulation.scenario import GeneratedService, Generator, PayerProfile

SPEC = Generator(
    300,
    (date(2025, 1, 1), date(2025, 12, 31)),
    (("USD", 3), ("EUR", 2), ("GBP", 1)),
    (("on-time", 8), ("late", 2)),
    (
        GeneratedService("web", Decimal("0.9"), ((MONTHLY, 3), (ANNUALLY, 1))),
        GeneratedService("domain", Decimal(0), ((ANNUALLY, 1),)),
    ),
)


def test_same_seed_same_shop_other_seed_other_shop() -> None:
    assert generate_clients(SPEC, 1) == generate_clients(SPEC, 1)
    assert generate_clients(SPEC, 1) != generate_clients(SPEC, 2)


def test_generated_clients_follow_the_spec() -> None:
    clients = generate_clients(SPEC, 5)
    assert [c.id for c in clients] == list(generated_ids(SPEC))
    assert clients[0].id == "gen-0001"
    assert clients[-1].id == "gen-0300"
    assert {c.currency for c in clients} == {"USD", "EUR", "GBP"}
    assert {c.payer for c in clients} == {"on-time", "late"}
    services = [s for c in clients for s in c.services]
    assert {s.plan_id for s in services} == {"web"}  # share 0: nobody holds a domain
    assert 240 <= len(services) <= 300  # share 0.9 of 300, a wide margin for the draw
    for client in clients:
        assert SPEC.since[0] <= client.since <= SPEC.since[1]
        for service in client.services:
            assert client.since <= service.anchor <= SPEC.since[1]
            assert service.anchor - client.since <= timedelta(days=27)


def test_wide_generators_pad_ids() -> None:
    import attrs

    assert generated_ids(attrs.evolve(SPEC, clients=12345, prefix="c"))[-1] == "c-12345"


LATE = PayerProfile("late", days_late=(5, 20))


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_late_payments_land_in_their_window(seed: int, number: int) -> None:
    due = date(2026, 3, 1)
    day = payment_day(LATE, seed, f"INV-{number}", due, date(2026, 2, 15))
    assert day is not None
    assert due + timedelta(days=5) <= day <= due + timedelta(days=20)


def test_never_before_issue_and_misses() -> None:
    on_time = PayerProfile("on-time")
    # issued after its due date (a catch-up): paid on the issue day, not before
    assert payment_day(on_time, 1, "INV-1", date(2026, 3, 1), date(2026, 3, 4)) == date(2026, 3, 4)
    always_missed = PayerProfile("gone", miss=Decimal(1))
    assert payment_day(always_missed, 1, "INV-1", date(2026, 3, 1), date(2026, 3, 1)) is None
    half = PayerProfile("half", miss=Decimal("0.5"))
    missed = sum(
        payment_day(half, 9, f"INV-{n}", date(2026, 3, 1), date(2026, 3, 1)) is None
        for n in range(1000)
    )
    assert 400 < missed < 600
