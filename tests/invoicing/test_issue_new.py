"""issue_new (a new draft issued in place) equals issue: same invoice, words, numbers, refusals."""

from collections.abc import Callable
from datetime import date, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import HostbillError
from hostbill_core.invoicing.lifecycle import (
    InvoiceChange,
    Numbering,
    NumberingMode,
    issue,
    issue_new,
)
from hostbill_core.model import ClientSnapshot, Invoice, InvoiceLine, InvoiceStatus
from hostbill_core.model.invoices import evolve_invoice, fill_new_invoice
from hostbill_core.money import to_money

from .factories import DAY


def counter(taken: list[str]) -> Callable[[str], int]:
    def next_number(series: str) -> int:
        taken.append(series)
        return taken.count(series)

    return next_number


def outcome(
    step: Callable[[Invoice, date, Numbering], InvoiceChange],
    draft: Invoice,
    on: date,
    mode: NumberingMode,
) -> tuple[object, list[str]]:
    # What the step returns or the error it raises (type and field), and the numbers taken.
    taken: list[str] = []
    try:
        result: object = step(draft, on, Numbering(counter(taken), mode))
    except HostbillError as error:
        result = (type(error), getattr(error, "field", None), str(error))
    return result, taken


DRAFTS = st.builds(
    lambda amounts, status, notes: Invoice(
        "i1",
        "c1",
        "USD",
        DAY,
        lines=tuple(InvoiceLine(f"l{i}", to_money(a, "USD")) for i, a in enumerate(amounts)),
        status=status,
        client=ClientSnapshot("Ann", "ann@example.com"),
        notes=notes,
    ),
    st.lists(st.sampled_from(["-5.00", "0.00", "0.01", "12.50"]), max_size=3),
    st.sampled_from([InvoiceStatus.DRAFT, InvoiceStatus.DRAFT, InvoiceStatus.UNPAID]),
    st.text(max_size=3),
)
DAYS = st.sampled_from([date(2026, 2, 20), DAY, datetime(2026, 2, 20, 9)])


@given(DRAFTS, DAYS, st.sampled_from(NumberingMode))
def test_issue_new_equals_issue(draft: Invoice, on: date, mode: NumberingMode) -> None:
    general = outcome(issue, draft, on, mode)
    copy = evolve_invoice(draft, version=draft.version)  # issue_new fills its argument
    assert outcome(issue_new, copy, on, mode) == general
    assert repr(outcome(issue_new, evolve_invoice(draft, version=0), on, mode)) == repr(general)


def test_fill_new_invoice_fills_the_invoice_it_is_given() -> None:
    draft = Invoice("i1", "c1", "USD", DAY, lines=(InvoiceLine("l", to_money("1.00", "USD")),))
    expected = evolve_invoice(draft, status=InvoiceStatus.UNPAID, number="INV-1")
    filled = fill_new_invoice(draft, {"status": InvoiceStatus.UNPAID, "number": "INV-1"})
    assert filled is draft
    assert filled == expected


def test_fill_new_invoice_copies_on_a_change_checked_whole() -> None:
    # A change of the lines may break a check across fields: built anew, as attrs.evolve does.
    draft = Invoice("i1", "c1", "USD", DAY)
    lines = (InvoiceLine("l", to_money("1.00", "USD")),)
    filled = fill_new_invoice(draft, {"lines": lines})
    assert filled is not draft
    assert filled == attrs.evolve(draft, lines=lines)


def test_fill_new_invoice_checks_a_changed_field() -> None:
    with pytest.raises(HostbillError) as caught:
        fill_new_invoice(Invoice("i1", "c1", "USD", DAY), {"paid_on": datetime(2026, 3, 1, 9)})
    assert getattr(caught.value, "field", None) == "paid_on"
