"""A client's records read with its page: credit, promotions and queued items, kept current."""

from datetime import UTC, date, datetime

from hostbill_core.invoicing.items import BillableItem
from hostbill_core.invoicing.queue import queue_entry
from hostbill_core.model import ClientId, CreditEntry, CreditEntryId, CreditReason, LineKind
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.billing_work import ClientWork, PageRecords
from hostbill_core.usecases.catalogue import Catalogue

from .billing_shop import client, seed, service

AT = datetime(2026, 2, 10, 9, tzinfo=UTC)


def item(key: str) -> BillableItem:
    return BillableItem(
        ClientId("c1"), "USD", date(2026, 2, 20), f"work {key}", to_money("25.00", "USD"),
        LineKind.MANUAL, f"manual/{key}",
    )  # fmt: skip


def shop(uow: UnitOfWorkFactory) -> UnitOfWorkFactory:
    factory = seed(uow, [client("c1"), client("c2")], [service("s1", "c1", date(2026, 1, 31))])
    with factory() as work:
        work.queued_items.add(queue_entry(item("a"), AT, "ann"))
        work.queued_items.add(queue_entry(item("b"), AT, "ann"))
        credit = CreditEntry(
            CreditEntryId("e1"), ClientId("c1"), AT, to_money("5.00", "USD"),
            CreditReason.MANUAL_ADJUST, "ann",
        )  # fmt: skip
        work.credit.add(credit)
        work.commit()
    return factory


def test_the_page_reads_each_clients_credit_promotions_and_queue(uow: UnitOfWorkFactory) -> None:
    factory = shop(uow)
    with factory() as work:
        records = PageRecords(work, [ClientId("c1"), ClientId("c2")], {})
        first, second = records.take(ClientId("c1")), records.take(ClientId("c2"))
        again = records.take(ClientId("c1"))  # handed out once: a second take reads again
    assert first is not None
    assert second is not None
    assert again is None
    assert [e.id for e in first.credit or ()] == ["e1"]
    assert [q.key for q in first.queued or ()] == ["manual/a", "manual/b"]
    assert first.promotions == ()
    assert (second.credit, second.promotions, second.queued) == ((), (), ())


def test_unqueue_removes_through_the_unit_of_work_and_from_the_records(
    uow: UnitOfWorkFactory,
) -> None:
    factory = shop(uow)
    settings = BillingSettings()
    with factory() as work:
        run = RunContext(date(2026, 2, 14), settings, Catalogue.load(work))
        records = PageRecords(work, [ClientId("c1")], {}).take(ClientId("c1"))
        assert records is not None
        state = ClientWork.load(work, records.client, run, records=records)
        first = state.queued()[0]
        state.unqueue([first])
        assert [q.key for q in state.queued()] == ["manual/b"]
        assert [q.key for q in work.queued_items.list(client_id="c1")] == ["manual/b"]
        assert state.ledger("USD").balance == to_money("5.00", "USD")
        assert state.promotions() == ()


def test_without_page_records_they_are_read_when_needed(uow: UnitOfWorkFactory) -> None:
    factory = shop(uow)
    with factory() as work:
        run = RunContext(date(2026, 2, 14), BillingSettings(), Catalogue.load(work))
        state = ClientWork.load(work, work.clients.get("c1"), run)
        assert state.records.queued is None  # nothing read yet
        assert [q.key for q in state.queued()] == ["manual/a", "manual/b"]
        assert state.ledger("USD").balance == to_money("5.00", "USD")
        assert state.ledger("EUR").balance == to_money("0", "EUR")
        assert state.promotions() == ()
