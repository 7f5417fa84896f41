"""Refunding payments and cancelling invoices through storage, on both adapters."""

from datetime import UTC, date, datetime
from typing import Any

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.errors import (
    ConflictError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)
from hostbill_core.model import (
    Allocation,
    Client,
    ContactDetails,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
)
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.usecases.refunds import (
    CancelInvoice,
    RefundDestination,
    RefundPayment,
    cancel_invoice,
    refund_payment,
)

from .faults import BlownError, Fuse, FusedRepository, FusedUnitOfWork

AT = datetime(2026, 3, 10, 9, tzinfo=UTC)


def usd(amount: str) -> Any:
    return to_money(amount, "USD")


@pytest.fixture(params=["memory", "sqlite"])
def shop(request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    store: Any = MemoryStore() if request.param == "memory" else SqliteStore(":memory:")
    factory = store.unit_of_work
    with factory() as uow:
        client = Client("c1", ContactDetails("Ann", "ann@example.com"), "USD", date(2026, 1, 1))
        uow.clients.add(client)
        line = (InvoiceLine("VPS", usd("30.00"), key="k1"),)
        uow.invoices.add(
            Invoice(
                "i1", "c1", "USD", date(2026, 3, 1), line, InvoiceStatus.PAID, "INV-1",
                paid_on=date(2026, 3, 1), amount_paid=usd("30.00"),
            )
        )  # fmt: skip
        uow.invoices.add(
            Invoice(
                "i2", "c1", "USD", date(2026, 3, 5), (InvoiceLine("Mail", usd("8.00"), key="k2"),),
                InvoiceStatus.UNPAID, "INV-2", amount_paid=usd("3.00"),
            )
        )  # fmt: skip
        allocations = (Allocation("i1", usd("30.00")), Allocation("i2", usd("3.00")))
        uow.payments.add(Payment("p1", "c1", AT, usd("40.00"), allocations=allocations))
        uow.commit()
    return factory


class Fused(FusedUnitOfWork):
    """faults' fused unit of work, its fuse on every repository written here."""

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        written = ("invoices", "payments", "credit", "refunds", "queued_items")
        return FusedRepository(attribute, self._fuse) if name in written else attribute


def fused(factory: UnitOfWorkFactory, fuse: Fuse) -> Any:
    return lambda: Fused(factory(), fuse)


def snapshot(factory: UnitOfWorkFactory) -> tuple[object, ...]:
    with factory() as uow:
        return uow.invoices.list(), uow.payments.list(), uow.credit.list(), uow.refunds.list()


def test_a_refund_to_credit_is_stored_with_its_record_entry_payment_and_invoice(
    shop: UnitOfWorkFactory,
) -> None:
    request = RefundPayment(
        "r1", "p1", usd("30.00"), AT, RefundDestination.CREDIT, "i1", "goodwill", "ann", "e1"
    )
    refund_payment(shop, request)
    with shop() as uow:
        invoice, payment = uow.invoices.get("i1"), uow.payments.get("p1")
        (record,) = uow.refunds.list(client_id="c1")
        entry = uow.credit.get("e1")
    assert (invoice.status, invoice.refunded_on) == (InvoiceStatus.REFUNDED, date(2026, 3, 10))
    assert payment.refunded == usd("30.00")
    assert (record.id, record.reverses_invoice, record.credit_entry_id) == ("r1", True, "e1")
    assert entry.amount == usd("30.00")


def test_a_part_payment_is_refunded_then_the_invoice_cancelled(shop: UnitOfWorkFactory) -> None:
    refund_payment(shop, RefundPayment("r1", "p1", usd("3.00"), AT, invoice_id="i2"))
    change = cancel_invoice(shop, CancelInvoice("i2", date(2026, 3, 11)))
    assert change.explanation == "cancelled on 2026-03-11, nothing paid"
    with shop() as uow:
        stored = uow.invoices.get("i2")
    assert (stored.status, stored.cancelled_on) == (InvoiceStatus.CANCELLED, date(2026, 3, 11))
    assert stored == change.invoice


def test_the_credit_left_from_a_payment_is_paid_out(shop: UnitOfWorkFactory) -> None:
    # 40.00 received, 33.00 allocated: 7.00 went to credit (recorded as an overpayment).
    from hostbill_core.model import CreditEntry, CreditReason

    with shop() as uow:
        uow.credit.add(
            CreditEntry(
                "e0", "c1", AT, usd("7.00"), CreditReason.OVERPAYMENT, "sys", payment_id="p1"
            )
        )
        uow.commit()
    refund_payment(shop, RefundPayment("r1", "p1", usd("7.00"), AT, credit_entry_id="e1"))
    with shop() as uow:
        balance = sum((e.amount for e in uow.credit.list(client_id="c1")), usd("0"))
    assert balance == usd("0.00")
    with pytest.raises(ValidationError):  # nothing unallocated left
        refund_payment(shop, RefundPayment("r2", "p1", usd("0.01"), AT, credit_entry_id="e2"))


def test_a_retried_refund_is_refused_and_changes_nothing(shop: UnitOfWorkFactory) -> None:
    request = RefundPayment("r1", "p1", usd("10.00"), AT, invoice_id="i1")
    refund_payment(shop, request)
    before = snapshot(shop)
    with pytest.raises(ConflictError):
        refund_payment(shop, request)
    assert snapshot(shop) == before


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (RefundPayment("r1", "p1", usd("30.01"), AT, invoice_id="i1"), ValidationError),
        (RefundPayment("r1", "p1", usd("40.01"), AT), ValidationError),
        (RefundPayment("r1", "p9", usd("1.00"), AT), NotFoundError),
        (RefundPayment("r1", "p1", usd("1.00"), AT, invoice_id="i9"), NotFoundError),
    ],
)
def test_refusals_change_nothing(
    shop: UnitOfWorkFactory, request_: RefundPayment, error: type[Exception]
) -> None:
    before = snapshot(shop)
    with pytest.raises(error):
        refund_payment(shop, request_)
    assert snapshot(shop) == before


def test_refunding_a_cancelled_invoice_is_refused(shop: UnitOfWorkFactory) -> None:
    refund_payment(shop, RefundPayment("r1", "p1", usd("3.00"), AT, invoice_id="i2"))
    cancel_invoice(shop, CancelInvoice("i2", date(2026, 3, 11)))
    with pytest.raises(InvalidTransitionError):
        refund_payment(shop, RefundPayment("r2", "p1", usd("1.00"), AT, invoice_id="i2"))


def test_cancelling_an_invoice_with_money_on_it_or_a_paid_one_is_refused(
    shop: UnitOfWorkFactory,
) -> None:
    before = snapshot(shop)
    with pytest.raises(ValidationError, match="refund first"):
        cancel_invoice(shop, CancelInvoice("i2", date(2026, 3, 11)))
    with pytest.raises(InvalidTransitionError):
        cancel_invoice(shop, CancelInvoice("i1", date(2026, 3, 11)))
    with pytest.raises(NotFoundError):
        cancel_invoice(shop, CancelInvoice("i9", date(2026, 3, 11)))
    assert snapshot(shop) == before


def test_a_failure_at_any_write_of_a_refund_leaves_storage_unchanged(
    shop: UnitOfWorkFactory,
) -> None:
    # Writes: the record, the payment, the invoice, the credit entry: fail before each.
    request = RefundPayment(
        "r1", "p1", usd("30.00"), AT, RefundDestination.CREDIT, "i1", "", "a", "e1"
    )
    before = snapshot(shop)
    for k in range(4):
        with pytest.raises(BlownError):
            refund_payment(fused(shop, Fuse(k)), request)
        assert snapshot(shop) == before, f"storage changed after a failure at write {k}"
    refund_payment(fused(shop, Fuse(4)), request)
    assert snapshot(shop) != before
