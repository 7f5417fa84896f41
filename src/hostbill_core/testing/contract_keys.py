"""The contract's tests of natural keys: what storage lets exist only once.

A billable item is invoiced once (and a refused key leaves nothing of its write), a service
sits in one group, a gateway transaction is recorded once, a refund, a queued item's key, a
promotion use and a once-per-client code are held once; waiting cancellation requests are
listed by their day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from hostbill_core.errors import ConflictError
from hostbill_core.model import (
    CancellationRequest,
    ClientId,
    InvoiceId,
    InvoiceLine,
    LineKind,
    OrderId,
    Payment,
    PaymentId,
    PromotionRedemption,
    ServiceGroup,
    ServiceGroupId,
    ServiceId,
)
from hostbill_core.model.queue import QueuedItem, QueuedItemId
from hostbill_core.model.refunds import Refund, RefundId
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.testing.contract_base import ContractBase, sample_invoice

__all__ = ["NaturalKeysContract"]


class NaturalKeysContract(ContractBase):
    """Natural keys and the records they guard (part of the unit-of-work contract)."""

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
