from collections.abc import Callable
from datetime import date

import attrs
import pytest

from hostbill_core.errors import (
    ConfigurationError,
    CurrencyMismatchError,
    InvalidTransitionError,
    ValidationError,
)
from hostbill_core.invoicing.lifecycle import (
    Numbering,
    NumberingMode,
    Settlement,
    Source,
    cancel,
    issue,
    refund,
    send_to_collections,
    settle,
    snapshot,
)
from hostbill_core.model import Client, ContactDetails, InvoiceLine, InvoiceStatus
from hostbill_core.money import to_money

from .factories import DAY, invoice, usd

S = InvoiceStatus


def counter() -> Callable[[str], int]:
    taken: dict[str, int] = {}

    def next_number(series: str) -> int:
        taken[series] = taken.get(series, 0) + 1
        return taken[series]

    return next_number


def test_issue_numbers_dates_and_snapshots_the_client() -> None:
    ann = Client(
        "c1",
        ContactDetails("Ann", "ann@example.com", company="Ann Ltd"),
        "USD",
        DAY,
        vat_number="DE123",
        invoice_note="PO 77",
    )
    draft = invoice("i1", "10.00", status=S.DRAFT)
    change = issue(draft, date(2026, 2, 22), Numbering(counter()), snapshot(ann))
    assert change.invoice.status is S.UNPAID
    assert change.invoice.number == "INV-1"
    assert change.invoice.issued_on == date(2026, 2, 22)
    assert change.invoice.client is not None
    assert (change.invoice.client.company, change.invoice.client.vat_number) == ("Ann Ltd", "DE123")
    assert change.invoice.client.note == "PO 77"
    assert change.explanation == "issued on 2026-02-22 as number INV-1, due 2026-03-01"


def test_proforma_mode_gives_the_final_number_on_payment() -> None:
    numbering = Numbering(counter(), NumberingMode.PROFORMA, template="{series}/{number:04d}")
    issued = issue(invoice("i1", "10.00", status=S.DRAFT), DAY, numbering).invoice
    assert (issued.proforma_number, issued.number) == ("PRO/0001", None)
    part = settle(issued, Settlement(usd("4.00"), DAY), numbering).invoice
    assert (part.status, part.number) == (S.UNPAID, None)
    paid = settle(part, Settlement(usd("6.00"), date(2026, 3, 4)), numbering)
    assert (paid.invoice.number, paid.invoice.proforma_number) == ("INV/0001", "PRO/0001")
    assert paid.invoice.paid_on == date(2026, 3, 4)
    assert paid.explanation.endswith("balance due 0.00 USD, invoice paid as INV/0001")


def test_a_zero_invoice_is_paid_on_issue() -> None:
    draft = invoice("i1", "0.00", status=S.DRAFT)
    change = issue(draft, DAY, Numbering(counter()))
    assert change.invoice.status is S.PAID
    assert change.invoice.paid_on == DAY
    assert change.explanation.endswith("nothing due: paid at once")


def test_partial_payments_then_credit_pay_the_invoice() -> None:
    # 10.00 + 2.00 tax = 12.00; paid 5.00, then credit 7.00: due 0.
    numbering = Numbering(counter())
    unpaid = invoice("i1", "10.00", tax="2.00")
    first = settle(unpaid, Settlement(usd("5.00"), DAY), numbering)
    assert first.invoice.balance_due == usd("7.00")
    assert first.invoice.status is S.UNPAID
    second = settle(first.invoice, Settlement(usd("7.00"), DAY, Source.CREDIT), numbering)
    assert second.invoice.status is S.PAID
    assert second.invoice.credit_applied == usd("7.00")
    assert second.invoice.number == "INV-i1"  # kept: numbered on issue


def test_settle_refuses_more_than_due() -> None:
    with pytest.raises(ValidationError, match=r"more than the balance due 10\.00"):
        settle(invoice("i1", "10.00"), Settlement(usd("10.01"), DAY), Numbering(counter()))


def test_settle_refuses_zero() -> None:
    with pytest.raises(ValidationError):
        settle(invoice("i1", "10.00"), Settlement(usd("0"), DAY), Numbering(counter()))


def test_settle_refuses_another_currency() -> None:
    eur = Settlement(to_money("1.00", "EUR"), DAY)
    with pytest.raises(CurrencyMismatchError):
        settle(invoice("i1", "10.00"), eur, Numbering(counter()))


@pytest.mark.parametrize("status", [S.DRAFT, S.PAID, S.CANCELLED, S.REFUNDED])
def test_settle_refuses_an_invoice_that_is_not_due(status: InvoiceStatus) -> None:
    with pytest.raises(InvalidTransitionError):
        settle(
            invoice("i1", "10.00", status=status), Settlement(usd("1"), DAY), Numbering(counter())
        )


def test_issue_refuses_a_second_issue() -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        issue(invoice("i1", "10.00"), DAY, Numbering(counter()))
    assert caught.value.allowed == ("paid", "cancelled", "collections")


def test_issue_refuses_an_empty_draft() -> None:
    empty = attrs.evolve(invoice("i1", "1.00", status=S.DRAFT), lines=())
    with pytest.raises(ValidationError):
        issue(empty, DAY, Numbering(counter()))


def test_issue_refuses_a_negative_total() -> None:
    with pytest.raises(ValidationError, match="credit note"):
        issue(invoice("i1", "-1.00", status=S.DRAFT), DAY, Numbering(counter()))


def test_numbering_refuses_an_unknown_template_field() -> None:
    with pytest.raises(ConfigurationError):
        Numbering(counter(), template="{year}-{number}")


def test_cancel_an_unpaid_invoice() -> None:
    assert cancel(invoice("i1", "10.00")).invoice.status is S.CANCELLED


def test_cancel_refuses_an_invoice_with_money_on_it() -> None:
    with pytest.raises(ValidationError, match="refund first"):
        cancel(invoice("i1", "10.00", paid="1.00"))


def test_cancel_refuses_a_paid_invoice() -> None:
    with pytest.raises(InvalidTransitionError):
        cancel(invoice("i1", "10.00", status=S.PAID))


def test_collections_only_after_the_due_date() -> None:
    change = send_to_collections(invoice("i1", "10.00"), date(2026, 3, 31))
    assert change.invoice.status is S.COLLECTIONS
    assert change.explanation == "sent to collections 30 day(s) overdue, 10.00 due"
    with pytest.raises(ValidationError):
        send_to_collections(invoice("i1", "10.00"), DAY)


def test_an_invoice_in_collections_can_still_be_paid() -> None:
    held = send_to_collections(invoice("i1", "10.00"), date(2026, 4, 1)).invoice
    paid = settle(held, Settlement(usd("10.00"), date(2026, 4, 2)), Numbering(counter()))
    assert paid.invoice.status is S.PAID


def test_refund_a_paid_invoice_only() -> None:
    paid = invoice("i1", "10.00", status=S.PAID, paid="10.00")
    assert refund(paid).invoice.status is S.REFUNDED
    with pytest.raises(InvalidTransitionError):
        refund(invoice("i1", "10.00"))


def test_line_key_survives_issue() -> None:
    draft = attrs.evolve(
        invoice("i1", "1.00", status=S.DRAFT), lines=(InvoiceLine("x", usd("1.00"), key="k"),)
    )
    assert issue(draft, DAY, Numbering(counter())).invoice.lines[0].key == "k"
