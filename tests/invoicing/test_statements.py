from datetime import UTC, date, datetime

import attrs

from hostbill_core.calendar import Period
from hostbill_core.invoicing.statements import (
    EntryKind,
    StatementRequest,
    account_statement,
)
from hostbill_core.model import CreditEntry, CreditReason, InvoiceStatus, Payment
from hostbill_core.model.refunds import Refund, RefundDestination
from hostbill_core.money import to_money

from .factories import invoice, usd

MARCH = Period(date(2026, 3, 1), date(2026, 4, 1))


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=UTC)


def issued(invoice_id: str, amount: str, day: int, month: int = 3, **kw: object):  # type: ignore[no-untyped-def]
    return attrs.evolve(invoice(invoice_id, amount, **kw), issued_on=date(2026, month, day))  # type: ignore[arg-type]


def test_running_balance_over_invoices_payments_credit_and_refunds() -> None:
    # February: invoice 40.00, nothing paid → opening 40.00.
    # 2 Mar invoice 100.00 → 140.00; 3 Mar payment 150.00 → -10.00 (overpayment entry: 0);
    # 5 Mar manual credit 5.00 → -15.00; 7 Mar invoice 10.00 cancelled → -15.00;
    # 9 Mar refund of 15.00 to the client's card → 0.00. April movements are left out.
    request = StatementRequest(
        "c1",
        "USD",
        MARCH,
        invoices=(
            issued("feb", "40.00", 20, 2),
            issued("i1", "100.00", 2),
            issued("i2", "10.00", 7, status=InvoiceStatus.CANCELLED),
            issued("apr", "99.00", 2, 4),
            invoice("draft", "1.00", status=InvoiceStatus.DRAFT),
        ),
        payments=(Payment("p1", "c1", at(3), usd("150.00"), gateway="card", transaction_id="t1"),),
        credit_entries=(
            CreditEntry(
                "e1", "c1", at(3), usd("10.00"), CreditReason.OVERPAYMENT, "sys", payment_id="p1"
            ),
            CreditEntry("e2", "c1", at(5), usd("5.00"), CreditReason.MANUAL_ADJUST, "ann"),
        ),
        refunds=(Refund("r1", "c1", "p1", usd("15.00"), at(9)),),
    )
    statement = account_statement(request)
    assert statement.opening == usd("40.00")
    assert [(line.kind, line.amount.amount, line.balance.amount) for line in statement.lines] == [
        (EntryKind.INVOICE, usd("100.00").amount, usd("140.00").amount),
        (EntryKind.PAYMENT, usd("-150.00").amount, usd("-10.00").amount),
        (EntryKind.CREDIT, usd("0").amount, usd("-10.00").amount),
        (EntryKind.CREDIT, usd("-5.00").amount, usd("-15.00").amount),
        (EntryKind.INVOICE, usd("0").amount, usd("-15.00").amount),
        (EntryKind.REFUND, usd("15.00").amount, usd("0.00").amount),
    ]
    assert statement.closing == usd("0.00")
    assert statement.lines[4].description == "invoice INV-i2, total 10.00 (cancelled)"
    assert statement.explanation == (
        "opening 40.00 + 6 movement(s) -40.00 = closing 0.00 USD for [2026-03-01, 2026-04-01)"
    )


def test_an_invoice_refunded_to_credit_leaves_the_client_in_credit() -> None:
    # Invoice 30.00 (+30), paid 30.00 (-30), refunded to credit (-30, the invoice reversed;
    # its REFUND credit entry mirrors it: 0): the client holds 30.00 of credit.
    request = StatementRequest(
        "c1",
        "USD",
        MARCH,
        invoices=(issued("i1", "30.00", 2, status=InvoiceStatus.REFUNDED),),
        payments=(Payment("p1", "c1", at(2), usd("30.00")),),
        credit_entries=(CreditEntry("e1", "c1", at(4), usd("30.00"), CreditReason.REFUND, "ann"),),
        refunds=(
            Refund(
                "r1",
                "c1",
                "p1",
                usd("30.00"),
                at(4),
                RefundDestination.CREDIT,
                "i1",
                True,
                reason="order cancelled",
            ),
        ),
    )
    statement = account_statement(request)
    assert statement.closing == usd("-30.00")
    assert statement.lines[2].description == (
        "refund of invoice i1 30.00 to credit (order cancelled)"
    )
    assert statement.lines[2].reference == "r1"


def test_an_invoice_refunded_to_the_card_nets_to_zero() -> None:
    request = StatementRequest(
        "c1",
        "USD",
        MARCH,
        invoices=(issued("i1", "30.00", 2, status=InvoiceStatus.REFUNDED),),
        payments=(Payment("p1", "c1", at(2), usd("30.00")),),
        refunds=(
            Refund("r1", "c1", "p1", usd("30.00"), at(4), invoice_id="i1", reverses_invoice=True),
        ),
    )
    assert account_statement(request).closing == usd("0.00")


def test_other_currencies_are_left_out() -> None:
    request = StatementRequest(
        "c1",
        "USD",
        MARCH,
        invoices=(issued("i1", "30.00", 2, currency="EUR"),),
        payments=(Payment("p1", "c1", at(2), to_money("5", "EUR")),),
        credit_entries=(
            CreditEntry("e", "c1", at(2), to_money("5", "EUR"), CreditReason.MANUAL_ADJUST, "a"),
        ),
        refunds=(Refund("r1", "c1", "p1", to_money("5", "EUR"), at(4)),),
    )
    statement = account_statement(request)
    assert (statement.lines, statement.closing) == ((), usd("0"))


def test_a_part_payment_refunded_off_an_unpaid_invoice_brings_the_debt_back() -> None:
    # Invoice 30.00 (+30), part payment 10.00 (-10) → 20.00; the 10.00 refunded to the card
    # without reversing the invoice (+10) → 30.00 owed again; refunded to credit instead it
    # would be 0 (the client holds the 10.00 as credit).
    request = StatementRequest(
        "c1",
        "USD",
        MARCH,
        invoices=(issued("i1", "30.00", 2),),
        payments=(Payment("p1", "c1", at(3), usd("10.00")),),
        refunds=(Refund("r1", "c1", "p1", usd("10.00"), at(4), invoice_id="i1"),),
    )
    assert account_statement(request).closing == usd("30.00")
    to_credit = attrs.evolve(
        request,
        refunds=(attrs.evolve(request.refunds[0], destination=RefundDestination.CREDIT),),
    )
    assert [line.amount for line in account_statement(to_credit).lines][-1] == usd("0")
