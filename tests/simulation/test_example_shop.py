from datetime import date

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.calendar import MONTHLY
from hostbill_core.errors import NotFoundError
from hostbill_core.money import to_money
from hostbill_core.simulation.example_shop import example_shop, seed
from hostbill_core.simulation.schedule import due_schedule


@pytest.mark.parametrize("store", [MemoryStore, lambda: SqliteStore(":memory:")])
def test_seeding_twice_adds_nothing_the_second_time(store: object) -> None:
    opened = store()  # type: ignore[operator]
    first = seed(opened.unit_of_work)
    second = seed(opened.unit_of_work)
    shop = example_shop()
    total = len(shop.products) + len(shop.plans) + len(shop.clients) + len(shop.services)
    assert (first.added, first.existing) == (total, 0)
    assert (second.added, second.existing) == (0, total)
    with opened.unit_of_work() as uow:
        assert len(uow.services.list()) == len(shop.services)


def test_shop_covers_the_issue_cases() -> None:
    shop = example_shop()
    assert {c.currency for c in shop.clients} == {"USD", "EUR"}
    assert {str(s.cycle) for s in shop.services} >= {"P1M", "P1Y", "P2Y"}
    assert {p.type.value for p in shop.products} >= {"hosting", "domain", "vps"}
    assert any(s.anchor.day == 31 and s.anchor.month == 1 for s in shop.services)


def test_month_end_schedule_with_prices() -> None:
    shop = example_shop()
    service = next(s for s in shop.services if s.id == "acme-web")
    plan = next(p for p in shop.plans if p.id == service.plan_id)
    items = due_schedule(service, plan, "USD", date(2026, 2, 1), 4)
    # anchored 2026-01-31, monthly: Feb clamps to 28, March returns to 31, April clamps to 30
    assert [i.due_on for i in items] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert {i.amount for i in items} == {to_money("4.99", "USD")}
    # a due date equal to the first day shown is included
    assert due_schedule(service, plan, "USD", date(2026, 3, 31), 1)[0].due_on == date(2026, 3, 31)


def test_override_wins_and_missing_price_is_not_found() -> None:
    import attrs

    shop = example_shop()
    service = attrs.evolve(shop.services[0], price_override=to_money("1.00", "USD"))
    plan = next(p for p in shop.plans if p.id == service.plan_id)
    assert due_schedule(service, plan, "USD", date(2026, 1, 1), 1)[0].amount.amount == 1
    weekly = attrs.evolve(shop.services[0], cycle=MONTHLY.weeks(1))
    with pytest.raises(NotFoundError):
        due_schedule(weekly, plan, "USD", date(2026, 1, 1), 1)
