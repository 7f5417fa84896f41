"""The contract's tests of storing and reading records: versions, lists, batch reads.

Every aggregate round-trips; an add starts at version 1 and a save moves it on, a stale or
missing one refused; lists filter by client and due date in id order; client ids page; the
batch reads (``for_clients``, ``versions``, the billing states' ``marks``) group a page of
clients' aggregates and see the unit of work's own writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostbill_core.errors import ConflictError, NotFoundError
from hostbill_core.model import BillingState, Client, ClientId
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.testing import strategies, usecase_strategies
from hostbill_core.testing.contract_base import (
    ContractBase,
    sample_client,
    sample_invoice,
    sample_service,
)

__all__ = ["RecordsContract"]


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


class RecordsContract(ContractBase):
    """Storing, saving, listing and batch-reading records (part of the unit-of-work contract)."""

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

    def test_marks_are_each_states_checked_text_and_version(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        text = '2026-03-01/ab/"quoted" \\ ünïcode'  # comes back exactly, escapes and all
        stored = self._add(
            new_uow,
            "billing_states",
            BillingState(ClientId("client-1"), ClientId("client-1"), ("s/2026-03-01/x",)),
            BillingState(ClientId("client-2"), ClientId("client-2"), checked=text),
            BillingState(ClientId("client-3"), ClientId("client-3"), checked="gone"),
        )
        ids = [ClientId(f"client-{n}") for n in range(1, 5)] + [ClientId("nobody")]
        with new_uow() as uow:
            states = uow.billing_states
            assert states.marks(ids) == {
                "client-1": ("", 1),
                "client-2": (text, 1),
                "client-3": ("gone", 1),
            }
            states.save(attrs.evolve(stored[0], checked="saved"))
            states.remove("client-3")
            states.add(BillingState(ClientId("client-4"), ClientId("client-4"), checked="new"))
            marks = states.marks(ids)  # this unit of work's own writes, not yet committed
            assert marks == {
                "client-1": ("saved", 2),
                "client-2": (text, 1),
                "client-4": ("new", 1),
            }
            loaded = states.for_clients(ids)
            assert marks == {c: (s.checked, s.version) for c, (s,) in loaded.items()}
            assert states.marks([ClientId("nobody")]) == states.marks([]) == {}
            uow.commit()
        with new_uow() as uow:
            assert uow.billing_states.marks([ClientId("client-1")]) == {"client-1": ("saved", 2)}

    def test_marks_read_many_clients_at_once(self, new_uow: UnitOfWorkFactory) -> None:
        ids = [ClientId(f"client-{n:04d}") for n in range(1200)]  # more than one chunk
        marked = ids[1::300]
        self._add(new_uow, "billing_states", *(BillingState(c, c, checked=c) for c in marked))
        with new_uow() as uow:
            assert uow.billing_states.marks(ids) == {c: (c, 1) for c in marked}
