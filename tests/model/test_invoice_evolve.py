"""evolve_invoice equals attrs.evolve: the changed fields checked, the rest copied."""

from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import (
    ClientSnapshot,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    TaxAmount,
)
from hostbill_core.model.invoices import evolve_invoice
from hostbill_core.money import currency_code, to_money


def usd(amount: str) -> object:
    return to_money(amount, "USD")


def draft() -> Invoice:
    vat = (TaxAmount("VAT", Decimal("0.20"), usd("2.00")),)
    lines = (
        InvoiceLine("Hosting", usd("10.00"), key="k1", taxes=vat),
        InvoiceLine("Domain", usd("12.00"), key="k2"),
    )
    return Invoice("i1", "c1", "USD", date(2026, 3, 1), lines=lines)


LIGHT = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(InvoiceStatus),
        "number": st.none() | st.text(max_size=5),
        "proforma_number": st.none() | st.text(max_size=5),
        "issued_on": st.none() | st.dates(),
        "paid_on": st.none() | st.dates(),
        "cancelled_on": st.none() | st.dates(),
        "refunded_on": st.none() | st.dates(),
        "client": st.none() | st.just(ClientSnapshot("Ann", "ann@example.com")),
        "notes": st.text(max_size=5),
        "version": st.integers(0, 9),
    },
)


@given(LIGHT)
def test_light_changes_equal_attrs_evolve(changes: dict[str, object]) -> None:
    invoice = draft()
    assert evolve_invoice(invoice, **changes) == attrs.evolve(invoice, **changes)


def test_the_total_is_the_exact_sum_of_lines_and_taxes() -> None:
    # 10.00 + 2.00 (tax) + 12.00 = 24.00
    invoice = evolve_invoice(draft(), status=InvoiceStatus.UNPAID)
    assert invoice.total == usd("24.00")
    assert invoice.total == invoice.subtotal + invoice.tax_total


def test_a_changed_date_is_checked_like_attrs_evolve_checks_it() -> None:
    with pytest.raises(ValidationError) as caught:
        evolve_invoice(draft(), issued_on=datetime(2026, 3, 1))
    assert caught.value.field == "issued_on"


def test_a_changed_version_is_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        evolve_invoice(draft(), version=-1)
    assert caught.value.field == "version"


def test_other_changes_are_checked_whole() -> None:
    # A change of the lines may break a check across fields: it goes through attrs.evolve.
    eur_line = InvoiceLine("Hosting", to_money("10.00", "EUR"))
    with pytest.raises(CurrencyMismatchError):
        evolve_invoice(draft(), lines=(eur_line,))
    with pytest.raises(ValidationError) as caught:
        evolve_invoice(draft(), amount_refunded=usd("1.00"))  # more than paid (0.00)
    assert caught.value.field == "amount_refunded"


def test_a_subclass_goes_through_attrs_evolve() -> None:
    @attrs.frozen
    class Tagged(Invoice):
        tag: str = ""

    tagged = Tagged("i1", "c1", "USD", date(2026, 3, 1), tag="x")
    changed = evolve_invoice(tagged, number="INV-1")
    assert type(changed) is Tagged
    assert changed == attrs.evolve(tagged, number="INV-1")


def test_a_currency_code_checked_once_is_still_refused_when_wrong() -> None:
    assert currency_code("USD") == "USD"
    assert currency_code("USD") == "USD"  # the second time from the checked set
    with pytest.raises(ValidationError):
        currency_code("usd")
    with pytest.raises(ValidationError):
        currency_code("XYZ")
