"""Paying several invoices at once, on both adapters: all or nothing."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from hostbill_core.errors import ConflictError, NotFoundError
from hostbill_core.invoicing.lifecycle import NumberingMode
from hostbill_core.invoicing.payments import AllocationOrder
from hostbill_core.model import (
    CreditEntry,
    CreditReason,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
)
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.payments import PayInvoices, pay_invoices

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
PAY_DAY = date(2026, 3, 2)


def usd(amount: str) -> Any:
    return to_money(amount, "USD")


def stored_invoice(n: int, amount: str) -> Invoice:
    return Invoice(
        f"i{n}", "c1", "USD", date(2026, 3, n), status=InvoiceStatus.UNPAID,
        proforma_number=f"PRO-{n}", lines=(InvoiceLine(f"work {n}", usd(amount), key=f"k{n}"),),
    )  # fmt: skip


@pytest.fixture
def seeded(new_uow: UnitOfWorkFactory) -> UnitOfWorkFactory:
    with new_uow() as uow:
        for n, amount in [(1, "50.00"), (2, "50.00"), (3, "50.00")]:
            uow.invoices.add(stored_invoice(n, amount))
        uow.credit.add(CreditEntry("e0", "c1", AT, usd("1.00"), CreditReason.MANUAL_ADJUST, "ann"))
        uow.commit()
    return new_uow


def payment(amount: str, tx: str = "tx-1") -> Payment:
    return Payment("p1", "c1", AT, usd(amount), fees=usd("1.50"), gateway="card", transaction_id=tx)


def snapshot(new_uow: UnitOfWorkFactory) -> tuple[object, ...]:
    with new_uow() as uow:
        return (
            uow.invoices.list(),
            uow.payments.list(),
            uow.credit.list(),
            uow.invoice_numbers.peek("INV"),
        )


def test_pro_rata_mass_payment_with_a_remainder_cent(seeded: UnitOfWorkFactory) -> None:
    # 100.00 over three 50.00 invoices: 33.34 + 33.33 + 33.33; none is paid in full.
    request = PayInvoices(payment("100.00"), PAY_DAY, order=AllocationOrder.PRO_RATA)
    result = pay_invoices(seeded, request)
    with seeded() as uow:
        paid = [uow.invoices.get(f"i{n}").amount_paid for n in (1, 2, 3)]
        stored = uow.payments.get("p1")
    assert paid == [usd("33.34"), usd("33.33"), usd("33.33")]
    assert stored.allocated == usd("100.00")
    assert stored.fees == usd("1.50")
    assert result.credit_entry is None


def test_overpayment_pays_all_numbers_proformas_and_credits_the_rest(
    seeded: UnitOfWorkFactory,
) -> None:
    request = PayInvoices(
        payment("160.00"), PAY_DAY, ("i3", "i1", "i2"), AllocationOrder.AS_SELECTED,
        credit_entry_id="e1", numbering=NumberingMode.PROFORMA,
    )  # fmt: skip
    pay_invoices(seeded, request)
    with seeded() as uow:
        invoices = [uow.invoices.get(f"i{n}") for n in (1, 2, 3)]
        credit = sum((e.amount for e in uow.credit.list(client_id="c1")), usd("0"))
    assert {i.status for i in invoices} == {InvoiceStatus.PAID}
    # Final numbers in the order the invoices were paid: i3, i1, i2.
    assert [i.number for i in invoices] == ["INV-2", "INV-3", "INV-1"]
    assert credit == usd("11.00")  # 1.00 before + 10.00 overpayment


def test_all_due_invoices_when_none_is_selected(seeded: UnitOfWorkFactory) -> None:
    result = pay_invoices(seeded, PayInvoices(payment("60.00"), PAY_DAY))
    assert [(i.id, i.status) for i in result.invoices] == [
        ("i1", InvoiceStatus.PAID),
        ("i2", InvoiceStatus.UNPAID),
    ]


class FailingUnitOfWork:
    """Delegates to a real unit of work; its n-th write raises, as a crash halfway would."""

    def __init__(self, inner: UnitOfWork, fail_at: int) -> None:
        self._inner = inner
        self._left = fail_at
        for name in ("invoices", "payments", "credit"):
            setattr(self, name, _Failing(getattr(inner, name), self))

    def tick(self) -> None:
        if self._left == 0:
            raise RuntimeError("disk full")
        self._left -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> "FailingUnitOfWork":
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._inner.__exit__(*exc)


class _Failing:
    def __init__(self, repo: Any, owner: FailingUnitOfWork) -> None:
        self._repo, self._owner = repo, owner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._repo, name)
        if name not in ("add", "save"):
            return attr

        def write(item: Any) -> Any:
            self._owner.tick()
            return attr(item)

        return write


def failing(new_uow: UnitOfWorkFactory, fail_at: int) -> Callable[[], Any]:
    return lambda: FailingUnitOfWork(new_uow(), fail_at)


# Writes: 1 payment, 3 invoices, 1 credit entry; fail before each of them.
@pytest.mark.parametrize("fail_at", range(5))
def test_an_exception_halfway_leaves_storage_unchanged(
    seeded: UnitOfWorkFactory, fail_at: int
) -> None:
    before = snapshot(seeded)
    request = PayInvoices(
        payment("160.00"), PAY_DAY, credit_entry_id="e1", numbering=NumberingMode.PROFORMA
    )
    with pytest.raises(RuntimeError, match="disk full"):
        pay_invoices(failing(seeded, fail_at), request)
    assert snapshot(seeded) == before
    # And the same request then succeeds in full, numbers starting at 1 (none were lost).
    result = pay_invoices(seeded, request)
    assert [i.number for i in result.invoices] == ["INV-1", "INV-2", "INV-3"]


def test_a_recorded_gateway_transaction_is_refused_and_changes_nothing(
    seeded: UnitOfWorkFactory,
) -> None:
    pay_invoices(seeded, PayInvoices(payment("10.00"), PAY_DAY))
    before = snapshot(seeded)
    again = Payment("p2", "c1", AT, usd("10.00"), gateway="card", transaction_id="tx-1")
    with pytest.raises(ConflictError):
        pay_invoices(seeded, PayInvoices(again, PAY_DAY))
    assert snapshot(seeded) == before


def test_an_unknown_invoice_is_not_found(seeded: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFoundError):
        pay_invoices(seeded, PayInvoices(payment("10.00"), PAY_DAY, ("i9",)))
