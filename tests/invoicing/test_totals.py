from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.invoicing.totals import TaxLine, invoice_totals
from hostbill_core.model import Invoice, InvoiceLine, LineKind, TaxAmount
from hostbill_core.money import from_minor, to_money

from .factories import DAY, invoice, usd


def test_taxes_are_summed_per_name_and_rate() -> None:
    # Two 20 % VAT lines (2.00 + 1.00) and one 7 % line (0.70).
    vat = Decimal("0.20")
    lines = (
        InvoiceLine("a", usd("10.00"), taxes=(TaxAmount("VAT", vat, usd("2.00")),)),
        InvoiceLine("b", usd("5.00"), taxes=(TaxAmount("VAT", vat, usd("1.00")),)),
        InvoiceLine("c", usd("10.00"), taxes=(TaxAmount("VAT", Decimal("0.07"), usd("0.70")),)),
    )
    totals = invoice_totals(Invoice("i", "c1", "USD", DAY, lines=lines))
    assert totals.taxes == (
        TaxLine("VAT", Decimal("0.07"), usd("0.70")),
        TaxLine("VAT", vat, usd("3.00")),
    )
    assert totals.tax_total == usd("3.70")
    assert totals.total == usd("28.70")


def test_balance_due_subtracts_credit_and_partial_payments() -> None:
    # 100.00 + 19.00 tax = 119.00; credit 20.00; paid 50.00: due 49.00.
    totals = invoice_totals(invoice("i", "100.00", tax="19.00", credit="20.00", paid="50.00"))
    assert totals.balance_due == usd("49.00")
    assert totals.explanation.endswith("− credit 20.00 − paid 50.00 = due 49.00 USD")


def test_due_amount_is_the_balance_due_as_a_bare_amount() -> None:
    # 100.00 + 19.00 tax - 20.00 credit - 50.00 paid = 49.00
    bill = invoice("i", "100.00", tax="19.00", credit="20.00", paid="50.00")
    assert bill.due_amount == Decimal("49.00")
    assert bill.balance_due == usd("49.00")


def test_jpy_totals_are_whole_yen() -> None:
    totals = invoice_totals(invoice("i", "1980", currency="JPY", tax="198"))
    assert totals.total == to_money("2178", "JPY")


@given(
    st.lists(
        st.tuples(st.integers(-10_000, 10_000), st.integers(-2_000, 2_000), st.booleans()),
        max_size=12,
    )
)
def test_totals_agree_with_the_invoice(rows: list[tuple[int, int, bool]]) -> None:
    lines = tuple(
        InvoiceLine(
            f"l{i}",
            from_minor(net, "USD"),
            kind=LineKind.DISCOUNT if discount else LineKind.MANUAL,
            taxes=(TaxAmount("T", Decimal("0.1"), from_minor(tax, "USD")),),
        )
        for i, (net, tax, discount) in enumerate(rows)
    )
    target = Invoice("i", "c1", "USD", DAY, lines=lines)
    totals = invoice_totals(target)
    assert totals.net == totals.subtotal + totals.discounts == target.subtotal
    assert totals.total == target.total
    assert totals.balance_due == target.balance_due
