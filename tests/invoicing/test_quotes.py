from datetime import date

import pytest

from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.invoicing.quotes import QuoteAcceptance, accept, expire, send
from hostbill_core.model import InvoiceStatus, LineKind, Quote, QuoteLine, QuoteStatus

from .factories import usd

QUOTE = Quote(
    "q1",
    "c1",
    "USD",
    date(2026, 3, 1),
    date(2026, 3, 15),
    lines=(QuoteLine("Migration", usd("120.00")), QuoteLine("Theme", usd("79.99"))),
)


def test_sent_quote_accepted_before_expiry_becomes_a_draft_invoice() -> None:
    sent = send(QUOTE, date(2026, 3, 2))
    assert sent.quote.status is QuoteStatus.SENT
    done = accept(sent.quote, QuoteAcceptance(date(2026, 3, 15), "i1", date(2026, 3, 20)))
    # 120.00 + 79.99 = 199.99
    assert done.invoice.total == usd("199.99")
    assert done.invoice.status is InvoiceStatus.DRAFT
    assert done.invoice.due_date == date(2026, 3, 20)
    assert [line.key for line in done.invoice.lines] == ["quote/q1-1", "quote/q1-2"]
    assert {i.kind for i in done.items} == {LineKind.QUOTE}
    assert (done.quote.status, done.quote.invoice_id) == (QuoteStatus.ACCEPTED, "i1")
    assert done.explanation == (
        "accepted on 2026-03-15: 2 line(s), total 199.99 USD, invoice i1 due 2026-03-20"
    )


def test_a_quote_cannot_be_accepted_after_its_expiry_date() -> None:
    sent = send(QUOTE, date(2026, 3, 2)).quote
    with pytest.raises(InvalidTransitionError) as caught:
        accept(sent, QuoteAcceptance(date(2026, 3, 16), "i1"))
    assert caught.value.current == "expired"


def test_a_draft_cannot_be_accepted() -> None:
    with pytest.raises(InvalidTransitionError):
        accept(QUOTE, QuoteAcceptance(date(2026, 3, 2), "i1"))


def test_an_accepted_quote_cannot_be_accepted_again() -> None:
    done = accept(send(QUOTE, date(2026, 3, 2)).quote, QuoteAcceptance(date(2026, 3, 3), "i1"))
    with pytest.raises(InvalidTransitionError):
        accept(done.quote, QuoteAcceptance(date(2026, 3, 4), "i2"))


def test_expire_after_the_expiry_date_only() -> None:
    sent = send(QUOTE, date(2026, 3, 2)).quote
    with pytest.raises(ValidationError):
        expire(sent, date(2026, 3, 15))
    assert expire(sent, date(2026, 3, 16)).quote.status is QuoteStatus.EXPIRED


def test_send_refuses_an_empty_or_expired_quote() -> None:
    with pytest.raises(ValidationError):
        send(Quote("q", "c1", "USD", date(2026, 3, 1), date(2026, 3, 2)), date(2026, 3, 1))
    with pytest.raises(ValidationError):
        send(QUOTE, date(2026, 3, 16))


def test_accept_refuses_a_line_finer_than_a_cent() -> None:
    odd = Quote(
        "q",
        "c1",
        "USD",
        date(2026, 3, 1),
        date(2026, 3, 9),
        lines=(QuoteLine("x", usd("1.005")),),
        status=QuoteStatus.SENT,
    )
    with pytest.raises(ValidationError):
        accept(odd, QuoteAcceptance(date(2026, 3, 2), "i"))
