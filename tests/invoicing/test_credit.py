from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.invoicing.credit import (
    CreditLedger,
    CreditRequest,
    CreditSettings,
    CurrencyChangeRequest,
    apply_credit,
    change_currency,
    post,
)
from hostbill_core.invoicing.lifecycle import Numbering
from hostbill_core.model import ClientSettings, CreditEntry, CreditReason, InvoiceStatus
from hostbill_core.money import ExchangeRate, Money, RoundingPolicy, from_minor, to_money

from .factories import AT, invoice, usd

R = CreditReason
NUMBERING = Numbering(lambda series: 1)


def entry(
    n: int,
    amount: Money,
    reason: CreditReason,
    *,
    invoice_id: str | None = None,
    payment_id: str | None = None,
) -> CreditEntry:
    return CreditEntry(
        f"e{n}",
        "c1",
        AT,
        amount,
        reason,
        "ann",
        invoice_id=invoice_id,  # type: ignore[arg-type]
        payment_id=payment_id,  # type: ignore[arg-type]
    )


def ledger_with(amount: str) -> CreditLedger:
    return post(CreditLedger("c1", "USD"), entry(0, usd(amount), R.MANUAL_ADJUST)).ledger


def test_every_reason_is_a_ledger_entry_and_the_balance_is_their_sum() -> None:
    # +50 add credit, +10 manual, +5 commission, +7.50 overpayment, -20 applied, +3 refund,
    # -1 manual: 54.50
    ledger = CreditLedger("c1", "USD")
    for n, (amount, reason, extra) in enumerate(
        [
            ("50.00", R.ADD_CREDIT, {"payment_id": "p1"}),
            ("10.00", R.MANUAL_ADJUST, {}),
            ("5.00", R.AFFILIATE_COMMISSION, {}),
            ("7.50", R.OVERPAYMENT, {"payment_id": "p2"}),
            ("-20.00", R.APPLIED_TO_INVOICE, {"invoice_id": "i1"}),
            ("3.00", R.REFUND, {"invoice_id": "i0"}),
            ("-1.00", R.MANUAL_ADJUST, {}),
        ]
    ):
        ledger = post(ledger, entry(n, usd(amount), reason, **extra)).ledger
    assert ledger.balance == usd("54.50")
    assert len(ledger.entries) == 7


def test_post_explains_the_balance_change() -> None:
    posting = post(ledger_with("5.00"), entry(1, usd("2.50"), R.AFFILIATE_COMMISSION))
    assert posting.explanation == "affiliate_commission 2.50 by ann: balance 5.00 → 7.50 USD"


def test_post_refuses_a_negative_balance_unless_allowed() -> None:
    ledger = ledger_with("5.00")
    with pytest.raises(ValidationError, match=r"would be -1\.00 USD"):
        post(ledger, entry(1, usd("-6.00"), R.MANUAL_ADJUST))
    assert post(ledger, entry(1, usd("-6.00"), R.MANUAL_ADJUST), True).ledger.balance == usd(
        "-1.00"
    )


@pytest.mark.parametrize(
    ("amount", "reason", "extra"),
    [
        ("0.00", R.MANUAL_ADJUST, {}),
        ("-1.00", R.ADD_CREDIT, {"payment_id": "p"}),
        ("1.00", R.ADD_CREDIT, {}),
        ("1.00", R.OVERPAYMENT, {}),
        ("1.00", R.APPLIED_TO_INVOICE, {"invoice_id": "i"}),
        ("-1.00", R.APPLIED_TO_INVOICE, {}),
        ("1.00", R.MANUAL_ADJUST, {"payment_id": "p"}),
        ("-1.00", R.AFFILIATE_COMMISSION, {}),
    ],
)
def test_post_refuses_an_entry_that_does_not_fit_its_reason(
    amount: str, reason: CreditReason, extra: dict[str, str]
) -> None:
    with pytest.raises(ValidationError):
        post(ledger_with("100.00"), entry(1, usd(amount), reason, **extra))  # type: ignore[arg-type]


def test_ledger_refuses_another_currency_and_another_client() -> None:
    with pytest.raises(CurrencyMismatchError):
        post(CreditLedger("c1", "EUR"), entry(1, usd("1.00"), R.MANUAL_ADJUST))
    other = CreditEntry("e", "c2", AT, usd("1"), R.MANUAL_ADJUST, "ann")
    with pytest.raises(ValidationError):
        CreditLedger("c1", "USD", (other,))


def test_partial_credit_application_applies_what_there_is() -> None:
    # Balance 30.00, invoice 100.00 + 20.00 tax = 120.00: 30.00 applied, 90.00 still due.
    result = apply_credit(
        ledger_with("30.00"),
        invoice("i1", "100.00", tax="20.00"),
        CreditRequest("e9", AT, "system"),
        NUMBERING,
    )
    assert result.applied == usd("30.00")
    assert result.invoice.balance_due == usd("90.00")
    assert result.invoice.status is InvoiceStatus.UNPAID
    assert result.ledger.balance == usd("0.00")
    assert result.entry is not None
    assert (result.entry.amount, result.entry.invoice_id) == (usd("-30.00"), "i1")
    assert result.explanation.startswith("credit 30.00 USD applied (partial)")


def test_credit_covering_the_invoice_pays_it_and_keeps_the_rest() -> None:
    result = apply_credit(
        ledger_with("150.00"),
        invoice("i1", "100.00", tax="20.00"),
        CreditRequest("e9", AT, "system"),
        NUMBERING,
    )
    assert result.applied == usd("120.00")
    assert result.invoice.status is InvoiceStatus.PAID
    assert result.invoice.paid_on == date(2026, 3, 1)
    assert result.ledger.balance == usd("30.00")


def test_a_limit_caps_the_credit_applied() -> None:
    result = apply_credit(
        ledger_with("150.00"),
        invoice("i1", "100.00"),
        CreditRequest("e9", AT, "ann", limit=usd("12.34")),
        NUMBERING,
    )
    assert result.applied == usd("12.34")


def test_no_credit_applies_nothing() -> None:
    result = apply_credit(
        CreditLedger("c1", "USD"), invoice("i1", "10.00"), CreditRequest("e9", AT, "ann"), NUMBERING
    )
    assert (result.entry, result.applied, result.invoice.amount_paid) == (None, usd("0"), usd("0"))


def test_apply_credit_refuses_another_clients_invoice_and_a_negative_limit() -> None:
    with pytest.raises(ValidationError):
        apply_credit(
            ledger_with("1"),
            invoice("i1", "1", client="c2"),
            CreditRequest("e", AT, "a"),
            NUMBERING,
        )
    with pytest.raises(ValidationError):
        apply_credit(
            ledger_with("1"), invoice("i1", "1"), CreditRequest("e", AT, "a", usd("-1")), NUMBERING
        )
    with pytest.raises(CurrencyMismatchError):
        apply_credit(
            ledger_with("1"),
            invoice("i1", "1", currency="EUR"),
            CreditRequest("e", AT, "a"),
            NUMBERING,
        )


def test_client_settings_override_the_business_settings() -> None:
    business = CreditSettings(auto_apply=True, allow_negative=False)
    assert business.for_client(ClientSettings()) == business
    assert business.for_client(
        ClientSettings(auto_apply_credit=False, allow_negative_credit=True)
    ) == (CreditSettings(auto_apply=False, allow_negative=True))


def test_currency_change_closes_and_reopens_the_balance_rounded_once() -> None:
    # 10.00 EUR × 1.0837 = 10.837 → 10.84 USD (ROUND_HALF_UP); ROUND_DOWN gives 10.83.
    eur = post(
        CreditLedger("c1", "EUR"), entry(0, to_money("10.00", "EUR"), R.MANUAL_ADJUST)
    ).ledger
    rate = ExchangeRate("EUR", "USD", Decimal("1.0837"), date(2026, 3, 1))
    change = change_currency(eur, CurrencyChangeRequest(rate, "x1", "x2", AT, "ann"))
    assert change.closed.balance == to_money("0.00", "EUR")
    assert change.opened.balance == usd("10.84")
    assert (
        change.explanation == "10.00 EUR × 1.0837 = 10.84 USD (ROUND_HALF_UP, rate of 2026-03-01)"
    )
    down = CurrencyChangeRequest(rate, "x1", "x2", AT, "ann", RoundingPolicy("ROUND_DOWN"))
    assert change_currency(eur, down).opened.balance == usd("10.83")


def test_currency_change_of_a_zero_balance_moves_nothing() -> None:
    rate = ExchangeRate("EUR", "USD", Decimal("1.1"), date(2026, 3, 1))
    change = change_currency(
        CreditLedger("c1", "EUR"), CurrencyChangeRequest(rate, "a", "b", AT, "x")
    )
    assert (change.closing, change.opening, change.opened.currency) == (None, None, "USD")


OPS = st.lists(
    st.tuples(
        st.sampled_from([R.MANUAL_ADJUST, R.ADD_CREDIT, R.APPLIED_TO_INVOICE]),
        st.integers(-5000, 5000),
    ),
    max_size=25,
)


@given(OPS, st.booleans())
def test_the_balance_always_equals_the_sum_of_its_ledger(
    ops: list[tuple[CreditReason, int]], allow_negative: bool
) -> None:
    ledger = CreditLedger("c1", "USD")
    for n, (reason, units) in enumerate(ops):
        candidate = entry(
            n,
            from_minor(units, "USD"),
            reason,
            payment_id="p" if reason is R.ADD_CREDIT else None,
            invoice_id="i" if reason is R.APPLIED_TO_INVOICE else None,
        )
        try:
            ledger = post(ledger, candidate, allow_negative).ledger
        except ValidationError:
            continue
        total = sum((e.amount.amount for e in ledger.entries), Decimal(0))
        assert ledger.balance.amount == total
        assert allow_negative or ledger.balance.amount >= 0


def test_credit_is_applied_on_issue_only_when_the_setting_is_on() -> None:
    from hostbill_core.invoicing.credit import apply_credit_on_issue

    bill, request = invoice("i1", "10.00"), CreditRequest("e9", AT, "system")
    off = apply_credit_on_issue(
        ledger_with("4.00"), bill, request, NUMBERING, CreditSettings(auto_apply=False)
    )
    assert (off.applied, off.invoice, off.entry) == (usd("0"), bill, None)
    on = apply_credit_on_issue(ledger_with("4.00"), bill, request, NUMBERING, CreditSettings())
    assert on.invoice.balance_due == usd("6.00")
