"""The contract every storage adapter must pass: subclass it in your own tests.

>>> # tests/test_my_adapter.py
>>> import pytest
>>> from hostbill_core.testing.contract import UnitOfWorkContract
>>> class TestMyAdapter(UnitOfWorkContract):
...     @pytest.fixture
...     def new_uow(self):
...         from hostbill_core.adapters.memory import MemoryStore
...         return MemoryStore().unit_of_work  # a factory of units of work on one empty store

The same tests run unchanged on the memory and SQLite adapters shipped here. They check
versions (a stale save is refused), natural keys (a billable item is invoiced once, a service
sits in one group), atomicity (an exception or a missing commit leaves storage as it was),
gap-free invoice numbers, batch reads by client (aggregates and versions), and savepoints.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostbill_core.calendar import MONTHLY
from hostbill_core.errors import ConflictError, NotFoundError
from hostbill_core.model import (
    CancellationRequest,
    Client,
    ClientId,
    ContactDetails,
    Invoice,
    InvoiceId,
    InvoiceLine,
    LineKind,
    OrderId,
    Payment,
    PaymentId,
    PlanId,
    ProductId,
    PromotionRedemption,
    Service,
    ServiceGroup,
    ServiceGroupId,
    ServiceId,
)
from hostbill_core.model.queue import QueuedItem, QueuedItemId
from hostbill_core.model.refunds import Refund, RefundId
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.testing import strategies, usecase_strategies

__all__ = ["UnitOfWorkContract", "sample_client", "sample_invoice", "sample_service"]


def sample_client(id: str = "client-1", currency: str = "EUR") -> Client:
    """A small valid client."""
    return Client(
        ClientId(id), ContactDetails("Ann Example", "ann@example.com"), currency, date(2026, 1, 1)
    )


def sample_service(id: str = "service-1", client_id: str = "client-1") -> Service:
    """A monthly service anchored on 31 January 2026."""
    return Service(
        ServiceId(id),
        ClientId(client_id),
        ProductId("hosting"),
        PlanId("hosting-basic"),
        MONTHLY,
        date(2026, 1, 31),
        date(2026, 2, 28),
    )


def sample_invoice(id: str = "invoice-1", key: str = "service-1/2026-02-28/renewal") -> Invoice:
    """An unpaid EUR invoice with one keyed renewal line."""
    line = InvoiceLine("Hosting", to_money("10.00", "EUR"), LineKind.RENEWAL, key=key)
    return Invoice(InvoiceId(id), ClientId("client-1"), "EUR", date(2026, 2, 28), (line,))


_REPOSITORY_OF: dict[str, st.SearchStrategy[Any]] = {
    "clients": strategies.clients(),
    "contacts": strategies.contacts(),
    "products": strategies.products(),
    "plans": strategies.price_plans(),
    "services": strategies.services(),
    "service_groups": strategies.service_groups(),
    "orders": strategies.orders(),
    "invoices": strategies.invoices(),
    "payments": strategies.payments(),
    "credit": strategies.credit_entries(),
    "quotes": strategies.quotes(),
    "invitations": strategies.invitations(),
    "storefront_users": strategies.storefront_users(),
    "billing_states": strategies.billing_states(),
    "refunds": strategies.refunds(),
    "queued_items": strategies.queued_items(),
    "promotion_redemptions": usecase_strategies.promotion_redemptions(),
    "cancellation_requests": usecase_strategies.cancellation_requests(),
}


class UnitOfWorkContract:
    """Tests any :class:`~hostbill_core.ports.UnitOfWork` must pass.

    Subclass it as ``TestSomething`` and provide a ``new_uow`` fixture returning a
    :data:`~hostbill_core.ports.UnitOfWorkFactory` over one fresh, empty store.
    """

    @pytest.fixture
    def new_uow(self) -> UnitOfWorkFactory:
        """Override: a factory of units of work over one fresh, empty store."""
        raise NotImplementedError("define a new_uow fixture in your subclass")

    def _add(self, new_uow: UnitOfWorkFactory, repo: str, *items: Any) -> list[Any]:
        with new_uow() as uow:
            stored = [getattr(uow, repo).add(item) for item in items]
            uow.commit()
        return stored

    def test_add_then_get_returns_version_one(self, new_uow: UnitOfWorkFactory) -> None:
        (stored,) = self._add(new_uow, "clients", sample_client())
        assert stored.version == 1
        with new_uow() as uow:
            assert uow.clients.get("client-1") == stored

    def test_every_aggregate_round_trips(self, new_uow: UnitOfWorkFactory) -> None:
        @settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(st.data())
        def check(data: st.DataObject) -> None:
            for repo, strategy in _REPOSITORY_OF.items():
                drawn: Any = data.draw(strategy)
                item: Any = attrs.evolve(drawn, version=0)
                with new_uow() as uow:
                    if getattr(uow, repo).find(item.id) is not None:
                        continue
                    # Natural keys may collide with earlier draws: skip those, test the rest.
                    try:
                        getattr(uow, repo).add(item)
                    except ConflictError:
                        continue
                    uow.commit()
                with new_uow() as uow:
                    stored: Any = getattr(uow, repo).get(item.id)
                    assert stored == attrs.evolve(item, version=1)

        check()

    def test_get_missing_raises_not_found(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            assert uow.services.find("nope") is None
            with pytest.raises(NotFoundError):
                uow.services.get("nope")

    def test_add_existing_id_conflicts(self, new_uow: UnitOfWorkFactory) -> None:
        self._add(new_uow, "clients", sample_client())
        with new_uow() as uow, pytest.raises(ConflictError):
            uow.clients.add(sample_client())

    def test_add_requires_version_zero(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow, pytest.raises(ConflictError):
            uow.clients.add(attrs.evolve(sample_client(), version=3))

    def test_save_increments_version(self, new_uow: UnitOfWorkFactory) -> None:
        stored: Client = self._add(new_uow, "clients", sample_client())[0]
        with new_uow() as uow:
            saved = uow.clients.save(attrs.evolve(stored, language="de"))
            uow.commit()
        assert saved.version == 2
        with new_uow() as uow:
            assert uow.clients.get("client-1").language == "de"

    def test_stale_save_is_refused_and_changes_nothing(self, new_uow: UnitOfWorkFactory) -> None:
        (stored,) = self._add(new_uow, "clients", sample_client())
        with new_uow() as uow:
            uow.clients.save(attrs.evolve(stored, language="de"))
            uow.commit()
        with new_uow() as uow, pytest.raises(ConflictError):
            uow.clients.save(attrs.evolve(stored, language="fr"))
        with new_uow() as uow:
            assert uow.clients.get("client-1").language == "de"

    def test_save_missing_raises_not_found(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow, pytest.raises(NotFoundError):
            uow.clients.save(attrs.evolve(sample_client(), version=1))

    def test_no_commit_stores_nothing(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            uow.clients.add(sample_client())
        with new_uow() as uow:
            assert uow.clients.find("client-1") is None

    def test_exception_rolls_back_every_write(self, new_uow: UnitOfWorkFactory) -> None:
        (client,) = self._add(new_uow, "clients", sample_client())
        with pytest.raises(RuntimeError), new_uow() as uow:
            uow.clients.save(attrs.evolve(client, language="de"))
            uow.services.add(sample_service())
            uow.invoice_numbers.next("INV")
            raise RuntimeError("failure halfway")
        with new_uow() as uow:
            assert uow.clients.get("client-1") == client
            assert uow.services.list() == ()
            assert uow.invoice_numbers.peek("INV") == 1

    def test_rollback_discards_uncommitted_writes(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            uow.clients.add(sample_client())
            uow.rollback()
            uow.services.add(sample_service())
            uow.commit()
        with new_uow() as uow:
            assert uow.clients.find("client-1") is None
            assert uow.services.find("service-1") is not None

    def test_reads_see_own_writes(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            uow.services.add(sample_service())
            assert uow.services.get("service-1").version == 1
            assert [s.id for s in uow.services.list(client_id=ClientId("client-1"))] == [
                "service-1"
            ]

    def test_remove_deletes_and_frees_keys(self, new_uow: UnitOfWorkFactory) -> None:
        self._add(new_uow, "invoices", sample_invoice())
        with new_uow() as uow:
            uow.invoices.remove("invoice-1")
            uow.commit()
        with new_uow() as uow:
            assert uow.invoices.find("invoice-1") is None
            uow.invoices.add(sample_invoice("invoice-2"))
            uow.commit()
        with new_uow() as uow, pytest.raises(NotFoundError):
            uow.invoices.remove("invoice-1")

    def test_list_filters_by_client_and_due_date_in_id_order(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        late = attrs.evolve(sample_service("s-b"), next_due_date=date(2026, 3, 31))
        other = sample_service("s-c", client_id="client-2")
        self._add(new_uow, "services", late, sample_service("s-a"), other)
        with new_uow() as uow:
            assert [s.id for s in uow.services.list()] == ["s-a", "s-b", "s-c"]
            assert [s.id for s in uow.services.list(client_id=ClientId("client-1"))] == [
                "s-a",
                "s-b",
            ]
            due = uow.services.list(due_by=date(2026, 2, 28))
            assert [s.id for s in due] == ["s-a", "s-c"]

    def test_client_ids_are_distinct_ascending_and_paged(self, new_uow: UnitOfWorkFactory) -> None:
        late = attrs.evolve(sample_service("s-1", "client-3"), next_due_date=date(2026, 3, 31))
        self._add(
            new_uow,
            "services",
            late,
            sample_service("s-2", "client-1"),
            sample_service("s-3", "client-1"),
            sample_service("s-4", "client-2"),
        )
        with new_uow() as uow:
            services = uow.services
            assert services.client_ids() == ("client-1", "client-2", "client-3")
            assert services.client_ids(due_by=date(2026, 2, 28)) == ("client-1", "client-2")
            assert services.client_ids(after="client-1", limit=1) == ("client-2",)
            assert services.client_ids(after="client-2", due_by=date(2026, 3, 1)) == ()
            assert uow.invoices.client_ids() == ()

    def test_client_ids_see_own_writes_and_removals(self, new_uow: UnitOfWorkFactory) -> None:
        self._add(new_uow, "services", sample_service("s-1", "client-1"))
        with new_uow() as uow:
            uow.services.add(sample_service("s-2", "client-2"))
            uow.services.remove("s-1")
            assert uow.services.client_ids() == ("client-2",)

    def test_billable_item_is_invoiced_once(self, new_uow: UnitOfWorkFactory) -> None:
        self._add(new_uow, "invoices", sample_invoice())
        with new_uow() as uow:
            with pytest.raises(ConflictError):
                uow.invoices.add(sample_invoice("invoice-2"))
            assert uow.invoices.owner_of_key("service-1/2026-02-28/renewal") == "invoice-1"

    def test_a_refused_key_leaves_nothing_of_the_write(self, new_uow: UnitOfWorkFactory) -> None:
        self._add(new_uow, "invoices", sample_invoice())
        free = InvoiceLine("Domain", to_money("5.00", "EUR"), LineKind.RENEWAL, key="free-key")
        taken = sample_invoice("invoice-2")
        both = attrs.evolve(taken, lines=(free, *taken.lines))  # a free key, then a taken one
        with new_uow() as uow:
            with pytest.raises(ConflictError):
                uow.invoices.add(both)
            assert uow.invoices.find("invoice-2") is None
            assert uow.invoices.owner_of_key("free-key") is None
            uow.invoices.add(attrs.evolve(both, id=InvoiceId("invoice-3"), lines=(free,)))
            uow.commit()
        with new_uow() as uow:
            assert [i.id for i in uow.invoices.list()] == ["invoice-1", "invoice-3"]
            assert uow.invoices.owner_of_key("free-key") == "invoice-3"

    def test_service_sits_in_one_group(self, new_uow: UnitOfWorkFactory) -> None:
        client, service = ClientId("client-1"), ServiceId("service-1")
        first = ServiceGroup(ServiceGroupId("g1"), client, "Shop", service_ids=(service,))
        self._add(new_uow, "service_groups", first)
        second = ServiceGroup(ServiceGroupId("g2"), client, "Blog", service_ids=(service,))
        with new_uow() as uow, pytest.raises(ConflictError):
            uow.service_groups.add(second)

    def test_gateway_transaction_recorded_once(self, new_uow: UnitOfWorkFactory) -> None:
        at = datetime(2026, 3, 1, tzinfo=UTC)
        paid = to_money("10.00", "EUR")
        client = ClientId("client-1")
        first = Payment(PaymentId("p1"), client, at, paid, gateway="card", transaction_id="tx-9")
        self._add(new_uow, "payments", first)
        with new_uow() as uow, pytest.raises(ConflictError):
            uow.payments.add(attrs.evolve(first, id=PaymentId("p2")))

    def test_refund_records_are_kept_per_client_and_once(self, new_uow: UnitOfWorkFactory) -> None:
        at = datetime(2026, 3, 1, tzinfo=UTC)
        back = to_money("4.00", "EUR")
        first = Refund(RefundId("r1"), ClientId("client-1"), PaymentId("p1"), back, at)
        other = Refund(RefundId("r2"), ClientId("client-2"), PaymentId("p2"), back, at)
        self._add(new_uow, "refunds", first, other)
        with new_uow() as uow:
            mine = uow.refunds.list(client_id=ClientId("client-1"))
            assert mine == (attrs.evolve(first, version=1),)
            with pytest.raises(ConflictError):
                uow.refunds.add(first)

    def test_a_queued_item_key_is_queued_once_and_freed_on_removal(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        item = QueuedItem(
            QueuedItemId("q1"), ClientId("client-1"), "EUR", date(2026, 3, 1), "Setup",
            to_money("25.00", "EUR"), "manual/setup-1",
        )  # fmt: skip
        self._add(new_uow, "queued_items", item)
        with new_uow() as uow:
            assert uow.queued_items.owner_of_key("manual/setup-1") == "q1"
            with pytest.raises(ConflictError):
                uow.queued_items.add(attrs.evolve(item, id=QueuedItemId("q2")))
            uow.queued_items.remove("q1")
            uow.queued_items.add(attrs.evolve(item, id=QueuedItemId("q2")))
            uow.commit()
        with new_uow() as uow:
            due = uow.queued_items.list(due_by=date(2026, 3, 1))
            assert [q.id for q in due] == ["q2"]

    def test_a_promotion_use_and_a_once_per_client_code_are_held_once(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        first = PromotionRedemption(
            OrderId("o1"), "SPRING", ClientId("client-1"), OrderId("o1"), date(2026, 3, 1), 1,
            percent_off=Decimal("10"), once_per_client=True,
        )  # fmt: skip
        self._add(new_uow, "promotion_redemptions", first)
        again = attrs.evolve(first, id=OrderId("o2"), order_id=OrderId("o2"), use=2)
        for clash in (attrs.evolve(again, use=1), again):  # the same use; the same client
            with new_uow() as uow, pytest.raises(ConflictError):
                uow.promotion_redemptions.add(clash)
        key = "promotion/SPRING/client/client-1"
        with new_uow() as uow:
            moved = attrs.evolve(
                uow.promotion_redemptions.get("o1"), client_id=ClientId("client-2")
            )
            uow.promotion_redemptions.save(moved)  # a merge moves it; its keys stay
            uow.commit()
        with new_uow() as uow:
            assert uow.promotion_redemptions.owner_of_key(key) == "o1"
            assert [
                r.id for r in uow.promotion_redemptions.list(client_id=ClientId("client-2"))
            ] == ["o1"]

    def test_pending_cancellations_are_listed_by_their_day(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        def request(service: str, effective: date, done: date | None = None) -> Any:
            return CancellationRequest(
                ServiceId(service), ClientId("client-1"), ServiceId(service), date(2026, 3, 1),
                effective, carried_out_on=done,
            )  # fmt: skip

        self._add(
            new_uow,
            "cancellation_requests",
            request("s-1", date(2026, 3, 31)),
            request("s-2", date(2026, 4, 30)),
            request("s-3", date(2026, 3, 15), done=date(2026, 3, 15)),
        )
        with new_uow() as uow:
            due = uow.cancellation_requests.list(due_by=date(2026, 3, 31))
            assert [r.id for r in due] == ["s-1"]  # s-3 is carried out: due no more

    def test_invoice_numbers_have_no_gaps_or_repeats(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            taken = [uow.invoice_numbers.next("INV"), uow.invoice_numbers.next("INV")]
            assert uow.invoice_numbers.next("PRO") == 1
            uow.commit()
        with new_uow() as uow:
            uow.invoice_numbers.next("INV")  # rolled back below: given out again
        with new_uow() as uow:
            assert uow.invoice_numbers.peek("INV") == 3
            taken.append(uow.invoice_numbers.next("INV"))
            uow.commit()
        assert taken == [1, 2, 3]

    def test_commit_inside_block_keeps_earlier_work(self, new_uow: UnitOfWorkFactory) -> None:
        with pytest.raises(RuntimeError), new_uow() as uow:
            uow.clients.add(sample_client())
            uow.commit()
            uow.services.add(sample_service())
            raise RuntimeError("after the first commit")
        with new_uow() as uow:
            assert uow.clients.find("client-1") is not None
            assert uow.services.find("service-1") is None

    def test_for_clients_groups_each_clients_aggregates_in_id_order(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        self._add(
            new_uow,
            "services",
            sample_service("s-b", "client-1"),
            sample_service("s-a", "client-1"),
            sample_service("s-c", "client-2"),
            sample_service("s-d", "client-3"),
        )
        with new_uow() as uow:
            uow.services.add(sample_service("s-e", "client-2"))
            uow.services.remove("s-d")
            found = uow.services.for_clients([ClientId("client-2"), ClientId("client-1")])
            assert {c: [s.id for s in items] for c, items in found.items()} == {
                "client-1": ["s-a", "s-b"],
                "client-2": ["s-c", "s-e"],
            }
            assert uow.services.for_clients([ClientId("client-3"), ClientId("nobody")]) == {}
            assert uow.services.for_clients([]) == {}

    def test_versions_are_those_for_clients_would_load(self, new_uow: UnitOfWorkFactory) -> None:
        stored = self._add(
            new_uow,
            "services",
            sample_service("s-b", "client-1"),
            sample_service("s-a", "client-1"),
            sample_service("s-c", "client-2"),
        )
        ids = [ClientId("client-1"), ClientId("client-2"), ClientId("nobody")]
        with new_uow() as uow:
            uow.services.save(stored[0])
            uow.services.remove("s-c")
            uow.services.add(sample_service("s-d", "client-2"))
            assert uow.services.versions(ids) == {
                "client-1": (("s-a", 1), ("s-b", 2)),
                "client-2": (("s-d", 1),),
            }
            loaded = uow.services.for_clients(ids)
            assert uow.services.versions(ids) == {
                client: tuple((s.id, s.version) for s in items) for client, items in loaded.items()
            }
            uow.commit()
        with new_uow() as uow:
            assert uow.services.versions([ClientId("client-2")]) == {"client-2": (("s-d", 1),)}

    def test_for_clients_reads_many_clients_at_once(self, new_uow: UnitOfWorkFactory) -> None:
        ids = [f"client-{n:04d}" for n in range(1200)]  # more than one chunk of parameters
        self._add(new_uow, "clients", *(sample_client(id) for id in ids[::2]))
        with new_uow() as uow:
            found = uow.clients.for_clients([ClientId(id) for id in ids])
            assert sorted(found) == ids[::2]
            assert all(c.id == id and c.version == 1 for id, (c,) in found.items())

    def test_savepoint_rolls_back_only_its_own_writes(self, new_uow: UnitOfWorkFactory) -> None:
        (client,) = self._add(new_uow, "clients", sample_client())
        with new_uow() as uow:
            uow.services.add(sample_service("s-before"))
            assert uow.invoice_numbers.next("INV") == 1
            with pytest.raises(RuntimeError), uow.savepoint():
                uow.clients.save(attrs.evolve(client, language="de"))
                uow.services.add(sample_service("s-inside"))
                uow.services.remove("s-before")
                uow.invoices.add(sample_invoice())
                assert uow.invoice_numbers.next("INV") == 2
                raise RuntimeError("one client failed")
            assert uow.clients.get("client-1") == client
            assert [s.id for s in uow.services.list()] == ["s-before"]
            assert uow.invoices.owner_of_key("service-1/2026-02-28/renewal") is None
            assert uow.invoice_numbers.next("INV") == 2  # given out again
            uow.invoices.add(sample_invoice())  # the key is free again
            uow.commit()
        with new_uow() as uow:
            assert [s.id for s in uow.services.list()] == ["s-before"]
            assert uow.invoices.get("invoice-1").version == 1
            assert uow.invoice_numbers.peek("INV") == 3

    def test_savepoints_keep_their_writes_and_nest(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            with uow.savepoint():
                uow.clients.add(sample_client())
                with pytest.raises(ConflictError), uow.savepoint():
                    uow.services.add(sample_service("s-inner"))
                    uow.clients.add(sample_client())  # refused: rolls back the inner block
                with uow.savepoint():
                    uow.services.add(sample_service("s-kept"))
            uow.commit()
        with new_uow() as uow:
            assert uow.clients.find("client-1") is not None
            assert [s.id for s in uow.services.list()] == ["s-kept"]

    def test_savepoint_writes_roll_back_with_the_unit_of_work(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        with new_uow() as uow:
            with uow.savepoint():
                uow.clients.add(sample_client())
                uow.invoice_numbers.next("INV")
            uow.rollback()
        with new_uow() as uow:
            assert uow.clients.find("client-1") is None
            assert uow.invoice_numbers.peek("INV") == 1
