from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import CurrencyMismatchError, NotFoundError, ValidationError
from hostbill_core.invoicing.lifecycle import Numbering
from hostbill_core.invoicing.payments import (
    AllocationOrder,
    PaymentRequest,
    allocate_payment,
    apply_payment,
    plan_mass_payment,
)
from hostbill_core.model import Allocation, Invoice, InvoiceLine, InvoiceStatus, Payment
from hostbill_core.money import from_minor, sum_money, to_minor, to_money

from .factories import AT, invoice, usd

S = InvoiceStatus
NUMBERING = Numbering(lambda series: 1)
THREE = [
    invoice("i1", "50.00", due=date(2026, 3, 10)),
    invoice("i2", "50.00", due=date(2026, 3, 1)),
    invoice("i3", "50.00", due=date(2026, 3, 5)),
]


def payment(amount: str, fees: str = "0.00", currency: str = "USD") -> Payment:
    return Payment(
        "p1",
        "c1",
        AT,
        to_money(amount, currency),
        fees=to_money(fees, currency),
        gateway="paypal",
        transaction_id="tx-1",
    )


def test_plan_shows_lines_tax_credit_partial_payments_and_total_due() -> None:
    invoices = [
        invoice("i1", "100.00", tax="20.00", credit="10.00", paid="30.00"),  # due 80.00
        invoice("i2", "5.00", status=S.PAID, paid="5.00"),
        invoice("i3", "40.00", due=date(2026, 2, 1)),  # due 40.00
    ]
    plan = plan_mass_payment(invoices)
    assert [s.invoice_id for s in plan.invoices] == ["i3", "i1"]
    _, second = plan.invoices
    assert (second.tax_total, second.credit_applied, second.amount_paid) == (
        usd("20.00"),
        usd("10.00"),
        usd("30.00"),
    )
    assert second.lines == invoices[0].lines
    assert plan.total_due == usd("120.00")
    assert plan.explanation == "INV-i3 40.00 + INV-i1 80.00 = 120.00 USD"


def test_plan_keeps_the_selection_order() -> None:
    plan = plan_mass_payment(THREE, ["i3", "i1"])
    assert [s.invoice_id for s in plan.invoices] == ["i3", "i1"]


def test_plan_refuses_mixed_currencies() -> None:
    with pytest.raises(CurrencyMismatchError):
        plan_mass_payment([invoice("i1", "1.00"), invoice("i2", "1.00", currency="EUR")])


def test_plan_refuses_unknown_paid_repeated_or_no_invoices() -> None:
    with pytest.raises(NotFoundError):
        plan_mass_payment(THREE, ["i9"])
    with pytest.raises(ValidationError, match="paid"):
        plan_mass_payment([invoice("i1", "1", status=S.PAID)], ["i1"])
    with pytest.raises(ValidationError):
        plan_mass_payment(THREE, ["i1", "i1"])
    with pytest.raises(ValidationError, match="no due invoice"):
        plan_mass_payment([])


def test_oldest_due_first_fills_the_oldest_invoice_first() -> None:
    split = allocate_payment(usd("70.00"), THREE, AllocationOrder.OLDEST_DUE_FIRST)
    assert split.allocations == (Allocation("i2", usd("50.00")), Allocation("i3", usd("20.00")))
    assert split.to_credit == usd("0.00")


def test_as_selected_fills_in_the_given_order() -> None:
    split = allocate_payment(usd("70.00"), THREE, AllocationOrder.AS_SELECTED)
    assert split.allocations == (Allocation("i1", usd("50.00")), Allocation("i2", usd("20.00")))


def test_pro_rata_gives_the_remainder_cent_to_the_largest_remainder() -> None:
    # 100.00 over dues 50, 50, 50: exact shares 33.333…; floors 33.33 × 3 = 99.99; the one
    # cent left goes to the first invoice (ties go to the earlier one).
    split = allocate_payment(usd("100.00"), THREE, AllocationOrder.PRO_RATA)
    assert [a.amount for a in split.allocations] == [usd("33.34"), usd("33.33"), usd("33.33")]
    assert split.explanation.startswith("100.00 USD pro rata: i1 33.34, i2 33.33, i3 33.33")


def test_overpayment_becomes_credit() -> None:
    split = allocate_payment(usd("200.00"), THREE, AllocationOrder.PRO_RATA)
    assert [a.amount for a in split.allocations] == [usd("50.00")] * 3
    assert split.to_credit == usd("50.00")


def test_a_jpy_pro_rata_split_is_whole_yen() -> None:
    # 1,000 JPY over dues 3,000 and 1,000: 750 and 250.
    bills = [invoice("a", "3000", currency="JPY"), invoice("b", "1000", currency="JPY")]
    split = allocate_payment(to_money("1000", "JPY"), bills, AllocationOrder.PRO_RATA)
    assert [a.amount for a in split.allocations] == [to_money("750", "JPY"), to_money("250", "JPY")]


def test_allocate_refuses_negative_and_other_currency() -> None:
    with pytest.raises(ValidationError):
        allocate_payment(usd("-1.00"), THREE, AllocationOrder.PRO_RATA)
    with pytest.raises(CurrencyMismatchError):
        allocate_payment(to_money("1", "EUR"), THREE, AllocationOrder.PRO_RATA)


def test_apply_payment_pays_invoices_and_records_fees_and_overpayment() -> None:
    # 160.00 received (fees 4.94): 150.00 pays i2, i3, i1; 10.00 becomes credit.
    request = PaymentRequest(
        payment("160.00", fees="4.94"), tuple(THREE), date(2026, 3, 2), credit_entry_id="e1"
    )
    result = apply_payment(request, NUMBERING)
    assert [i.status for i in result.invoices] == [S.PAID] * 3
    assert [i.paid_on for i in result.invoices] == [date(2026, 3, 2)] * 3
    assert result.payment.allocated == usd("150.00")
    assert result.credit_entry is not None
    assert (result.credit_entry.amount, result.credit_entry.payment_id) == (usd("10.00"), "p1")
    assert result.explanation.startswith("received 160.00, gateway fees 4.94, net 155.06 USD")


def test_apply_payment_partially_pays_and_keeps_invoices_unpaid() -> None:
    request = PaymentRequest(
        payment("60.00"), tuple(THREE), date(2026, 3, 2), AllocationOrder.PRO_RATA
    )
    result = apply_payment(request, NUMBERING)
    assert [i.amount_paid for i in result.invoices] == [usd("20.00")] * 3
    assert {i.status for i in result.invoices} == {S.UNPAID}
    assert result.credit_entry is None


def test_apply_payment_refuses_overpayment_without_a_credit_entry_id() -> None:
    with pytest.raises(ValidationError) as caught:
        apply_payment(PaymentRequest(payment("500.00"), tuple(THREE), date(2026, 3, 2)), NUMBERING)
    assert caught.value.field == "credit_entry_id"


def test_apply_payment_refuses_another_clients_invoice_and_an_allocated_payment() -> None:
    with pytest.raises(ValidationError):
        apply_payment(
            PaymentRequest(payment("1.00"), (invoice("x", "1.00", client="c2"),), date(2026, 3, 2)),
            NUMBERING,
        )
    allocated = Payment("p", "c1", AT, usd("1"), allocations=(Allocation("i1", usd("1")),))
    with pytest.raises(ValidationError):
        apply_payment(PaymentRequest(allocated, tuple(THREE), date(2026, 3, 2)), NUMBERING)


ORDERS = st.sampled_from(list(AllocationOrder))


@given(
    st.lists(st.integers(1, 100_000), min_size=1, max_size=8),
    st.integers(0, 600_000),
    ORDERS,
    st.sampled_from(["USD", "JPY", "BHD"]),
)
def test_allocation_conserves_the_payment_exactly(
    dues: list[int], paid: int, order: AllocationOrder, currency: str
) -> None:
    bills = [
        Invoice(
            f"i{n}",
            "c1",
            currency,
            date(2026, 3, 1 + n % 20),
            status=S.UNPAID,
            amount_paid=from_minor(0, currency),
            lines=(InvoiceLine("x", from_minor(d, currency)),),
        )
        for n, d in enumerate(dues)
    ]
    amount = from_minor(paid, currency)
    split = allocate_payment(amount, bills, order)
    allocated = sum_money((a.amount for a in split.allocations), currency)
    assert allocated + split.to_credit == amount
    dues_by_id = {b.id: to_minor(b.balance_due) for b in bills}
    for allocation in split.allocations:
        assert 0 < to_minor(allocation.amount) <= dues_by_id[allocation.invoice_id]
    assert to_minor(split.to_credit) == max(0, paid - sum(dues))
