from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import Period
from hostbill_core.errors import CurrencyMismatchError, InvalidTransitionError, ValidationError
from hostbill_core.invoicing.credit import CreditLedger
from hostbill_core.invoicing.lifecycle import cancel
from hostbill_core.invoicing.refunds import RefundRequest, refund_payment
from hostbill_core.invoicing.statements import StatementRequest, account_statement
from hostbill_core.invoicing.statistics import ClientActivity, client_statistics
from hostbill_core.model import (
    Allocation,
    CreditEntry,
    CreditReason,
    InvoiceStatus,
    Payment,
)
from hostbill_core.model.refunds import Refund, RefundDestination
from hostbill_core.money import from_minor, to_money

from .factories import invoice, usd

AT = datetime(2026, 3, 10, 9, tzinfo=UTC)
CREDIT = RefundDestination.CREDIT


def paid_invoice(amount: str = "30.00", paid: str | None = None):  # type: ignore[no-untyped-def]
    bill = invoice("i1", amount, status=InvoiceStatus.PAID, paid=paid or amount)
    return attrs.evolve(bill, paid_on=date(2026, 3, 1))


def payment(amount: str = "30.00", applied: str | None = None) -> Payment:
    allocation = Allocation("i1", usd(applied or amount))  # type: ignore[arg-type]
    return Payment("p1", "c1", AT, usd(amount), allocations=(allocation,))  # type: ignore[arg-type]


def request(amount: str, **kw: object) -> RefundRequest:
    kw.setdefault("payment", payment())
    kw.setdefault("invoice", paid_invoice())
    return RefundRequest("r1", amount=usd(amount), at=AT, **kw)  # type: ignore[arg-type]


def test_a_full_refund_to_the_gateway_marks_the_invoice_refunded_and_dates_it() -> None:
    done = refund_payment(request("30.00", reason="order cancelled", actor="ann"))
    assert done.invoice is not None
    assert done.invoice.status is InvoiceStatus.REFUNDED
    assert done.invoice.refunded_on == date(2026, 3, 10)
    assert done.invoice.amount_refunded == usd("30.00")
    assert done.invoice.balance_due == usd("0.00")
    assert done.payment.refunded == usd("30.00")
    assert done.credit_entry is None
    assert done.refund == Refund(
        "r1", "c1", "p1", usd("30.00"), AT, RefundDestination.GATEWAY, "i1", True,
        "order cancelled", "ann",
    )  # fmt: skip


def test_a_partial_refund_leaves_the_invoice_paid() -> None:
    # 30.00 paid, 12.50 refunded: reversed by 12.50, 17.50 of its payments not refunded.
    done = refund_payment(request("12.50"))
    assert done.invoice is not None
    assert (done.invoice.status, done.invoice.refunded_on) == (InvoiceStatus.PAID, None)
    assert done.explanation == (
        "12.50 USD of payment p1 refunded to the gateway; invoice INV-i1 reversed by 12.50: "
        "17.50 of its payments not refunded"
    )
    # the rest, later, in a second refund: 12.50 + 17.50 = 30.00 → refunded
    second = refund_payment(
        attrs.evolve(
            request("17.50"), refund_id="r2", payment=done.payment, invoice=done.invoice,
            previous=(done.refund,),
        )
    )  # fmt: skip
    assert second.invoice is not None
    assert second.invoice.status is InvoiceStatus.REFUNDED
    assert second.payment.refunded == usd("30.00")


def test_a_refund_to_credit_writes_a_refund_to_credit_entry() -> None:
    done = refund_payment(request("30.00", destination=CREDIT, credit_entry_id="e1"))
    assert done.credit_entry == CreditEntry(
        "e1", "c1", AT, usd("30.00"), CreditReason.REFUND, "system", "", "i1", "p1"
    )
    assert done.refund.credit_entry_id == "e1"
    assert done.refund.to_credit


def test_a_part_payment_refunded_off_an_unpaid_invoice_raises_its_balance_due() -> None:
    # 30.00 due, 10.00 paid (20.00 due); refunding the 10.00 takes it off: 30.00 due again.
    bill = invoice("i1", "30.00", paid="10.00")
    done = refund_payment(request("10.00", invoice=bill, payment=payment("10.00")))
    assert done.invoice is not None
    assert (done.invoice.status, done.invoice.balance_due) == (InvoiceStatus.UNPAID, usd("30.00"))
    assert done.refund.reverses_invoice is False
    assert cancel(done.invoice, date(2026, 3, 11)).invoice.cancelled_on == date(2026, 3, 11)


def test_credit_left_from_a_payment_is_paid_out_against_the_ledger() -> None:
    # 50.00 received, 30.00 on i1, 20.00 became credit; 15.00 of it paid back to the card.
    pay = payment("50.00", applied="30.00")
    overpaid = CreditEntry(
        "e0", "c1", AT, usd("20.00"), CreditReason.OVERPAYMENT, "system", payment_id="p1"
    )
    ledger = CreditLedger("c1", "USD", (overpaid,))
    done = refund_payment(
        request("15.00", payment=pay, invoice=None, credit_entry_id="e1", ledger=ledger)
    )
    assert done.credit_entry is not None
    assert done.credit_entry.amount == usd("-15.00")
    assert done.explanation.endswith("unallocated credit paid out")
    with pytest.raises(ValidationError, match=r"more than the 5\.00 left"):
        refund_payment(
            request(
                "5.01", payment=done.payment, invoice=None, credit_entry_id="e2", ledger=ledger,
                previous=(done.refund,),
            )
        )  # fmt: skip


def test_refunding_more_than_paid_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"more than the 30\.00 left to refund on payment"):
        refund_payment(request("30.01"))
    already = attrs.evolve(payment(), refunded=usd("25.00"))
    with pytest.raises(ValidationError, match=r"5\.00 left to refund on payment p1"):
        refund_payment(request("6.00", payment=already))


def test_refunding_more_than_the_payment_put_on_the_invoice_is_refused() -> None:
    # 50.00 received, only 30.00 of it on i1: 30.01 back "for i1" is refused.
    with pytest.raises(ValidationError, match="payment p1 for invoice i1"):
        refund_payment(request("30.01", payment=payment("50.00", applied="30.00")))


def test_refunding_a_cancelled_invoice_is_refused() -> None:
    cancelled = invoice("i1", "30.00", status=InvoiceStatus.CANCELLED)
    with pytest.raises(InvalidTransitionError) as caught:
        refund_payment(request("1.00", invoice=cancelled))
    assert caught.value.current == "cancelled"


def test_refunding_a_refunded_invoice_is_refused() -> None:
    done = refund_payment(request("30.00"))
    with pytest.raises(InvalidTransitionError):
        refund_payment(request("1.00", invoice=done.invoice, payment=payment("40.00")))


def test_refunding_an_invoice_the_payment_did_not_pay_is_refused() -> None:
    other = Payment("p1", "c1", AT, usd("30.00"))  # no allocation
    with pytest.raises(ValidationError, match="was not applied to it"):
        refund_payment(request("1.00", payment=other))


def test_refunding_another_clients_invoice_is_refused() -> None:
    with pytest.raises(ValidationError, match="an invoice of client c2"):
        refund_payment(request("1.00", invoice=invoice("i1", "30.00", client="c2")))


def test_refunding_credit_to_credit_is_refused() -> None:
    with pytest.raises(ValidationError, match="credit already"):
        refund_payment(request("1.00", invoice=None, destination=CREDIT, credit_entry_id="e"))


def test_a_refund_that_writes_credit_needs_the_entry_id_and_the_ledger() -> None:
    with pytest.raises(ValidationError) as caught:
        refund_payment(request("1.00", destination=CREDIT))
    assert caught.value.field == "credit_entry_id"
    pay = payment("50.00", applied="30.00")
    with pytest.raises(ValidationError) as caught:
        refund_payment(request("1.00", payment=pay, invoice=None, credit_entry_id="e"))
    assert caught.value.field == "ledger"


def test_paying_out_more_credit_than_held_is_refused() -> None:
    pay = payment("50.00", applied="30.00")
    empty = CreditLedger("c1", "USD")
    with pytest.raises(ValidationError, match="negative credit is not allowed"):
        refund_payment(
            request("1.00", payment=pay, invoice=None, credit_entry_id="e", ledger=empty)
        )


def test_a_refund_above_zero_in_the_payments_currency() -> None:
    with pytest.raises(ValidationError):
        refund_payment(request("0.00"))
    with pytest.raises(CurrencyMismatchError):
        refund_payment(attrs.evolve(request("1.00"), amount=to_money("1.00", "EUR")))


def test_a_refund_record_that_reverses_an_invoice_names_it() -> None:
    with pytest.raises(ValidationError):
        Refund("r", "c1", "p1", usd("1.00"), AT, reverses_invoice=True)
    with pytest.raises(ValidationError):
        Refund("r", "c1", "p1", usd("-1.00"), AT)


def test_an_invoice_never_records_more_refunded_than_paid() -> None:
    with pytest.raises(ValidationError):
        attrs.evolve(paid_invoice(), amount_refunded=usd("30.01"))


@given(
    st.lists(st.tuples(st.integers(1, 4_000), st.booleans()), min_size=1, max_size=8),
)
def test_refunds_in_turn_never_exceed_the_payment_and_statements_agree(
    steps: list[tuple[int, bool]],
) -> None:
    # A 100.00 invoice paid by one 100.00 payment, refunded in steps (to the card or to
    # credit) until a step would exceed what is left: every accepted step is recorded, the
    # payment's refunded amount is their exact sum, and the statement's closing balance is
    # minus what went to credit (the client holds it).
    pay, bill = payment("100.00"), paid_invoice("100.00")
    records: list[Refund] = []
    for n, (units, to_credit) in enumerate(steps):
        amount = from_minor(units, "USD")
        try:
            done = refund_payment(
                RefundRequest(
                    f"r{n}", pay, amount, AT, CREDIT if to_credit else RefundDestination.GATEWAY,
                    bill, tuple(records), credit_entry_id=f"e{n}",
                )
            )  # fmt: skip
        except (ValidationError, InvalidTransitionError):
            assert sum(r.amount.amount for r in records) + amount.amount > 100
            continue
        assert done.invoice is not None
        pay, bill = done.payment, done.invoice
        records.append(done.refund)
    total = sum((r.amount for r in records), usd("0"))
    assert pay.refunded == total == bill.amount_refunded
    assert (bill.status is InvoiceStatus.REFUNDED) == (total == usd("100.00"))
    issued = attrs.evolve(bill, issued_on=date(2026, 3, 1))
    march = Period(date(2026, 3, 1), date(2026, 4, 1))
    statement = account_statement(
        StatementRequest("c1", "USD", march, (issued,), (pay,), refunds=tuple(records))
    )
    to_credit = sum((r.amount for r in records if r.to_credit), usd("0"))
    assert statement.closing == -to_credit
    stats = client_statistics(
        ClientActivity("c1", "USD", (issued,), (pay,), refunds=tuple(records))
    )
    assert stats.income == usd("100.00") - total
