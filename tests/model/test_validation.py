"""The models refuse impossible values with typed errors naming the field."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import MONTHLY, Period
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import (
    Address,
    Allocation,
    ClientSettings,
    Contact,
    ContactDetails,
    CreditEntry,
    CreditReason,
    InvoiceId,
    InvoiceLine,
    Order,
    OrderItem,
    Payment,
    PaymentType,
    PriceEntry,
    PricePlan,
    Quote,
    QuoteLine,
    ServiceGroup,
    TaxAmount,
)
from hostbill_core.money import to_money
from hostbill_core.testing.contract import sample_client, sample_invoice, sample_service

EUR = "EUR"
AT = datetime(2026, 3, 1, 12, tzinfo=UTC)


def eur(amount: str) -> object:
    return to_money(amount, EUR)


def field_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return error.value.field


class TestClient:
    def test_active_until_before_active_from(self) -> None:
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(sample_client(), active_until=date(2025, 12, 31))
        assert field_of(caught) == "active_until"

    def test_bad_email_and_recipients(self) -> None:
        with pytest.raises(ValidationError):
            ContactDetails("Ann", "not-an-email")
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(sample_client(), invoice_recipients=("a@b.c", "x y@b.c"))
        assert field_of(caught) == "invoice_recipients[1]"

    def test_currency_country_and_settings(self) -> None:
        with pytest.raises(ValidationError):
            attrs.evolve(sample_client(), currency="EURO")
        with pytest.raises(ValidationError):
            Address(country="Germany")
        with pytest.raises(ValidationError):
            ClientSettings(invoice_lead_days=-1)

    def test_naive_datetime_is_not_a_date(self) -> None:
        with pytest.raises(ValidationError):
            attrs.evolve(sample_client(), active_from=datetime(2026, 1, 1))


def test_contact_rights_are_sorted_and_unique() -> None:
    contact = Contact(
        "k1",
        "client-1",
        ContactDetails("Bo", "bo@example.com"),
        rights=("pay_invoices", "view_invoices", "pay_invoices"),
    )
    assert contact.rights == ("pay_invoices", "view_invoices")


class TestCatalogue:
    def test_negative_price(self) -> None:
        with pytest.raises(ValidationError) as caught:
            PriceEntry(MONTHLY, EUR, eur("-1"), eur("0"))
        assert field_of(caught) == "price"

    def test_price_in_another_currency(self) -> None:
        with pytest.raises(CurrencyMismatchError):
            PriceEntry(MONTHLY, EUR, to_money(1, "USD"), eur("0"))

    def test_plan_entries_fit_the_payment_type(self) -> None:
        monthly = PriceEntry(MONTHLY, EUR, eur("5"), eur("0"))
        once = attrs.evolve(monthly, cycle=None)
        PricePlan("p", "h", "Basic", PaymentType.RECURRING, (monthly,))
        for payment_type, entries in [
            (PaymentType.FREE, (monthly,)),
            (PaymentType.ONE_TIME, (monthly,)),
            (PaymentType.RECURRING, (once,)),
            (PaymentType.RECURRING, (monthly, monthly)),
        ]:
            with pytest.raises(ValidationError):
                PricePlan("p", "h", "Basic", payment_type, entries)

    def test_entry_lookup(self) -> None:
        monthly = PriceEntry(MONTHLY, EUR, eur("5"), eur("0"))
        plan = PricePlan("p", "h", "B", PaymentType.RECURRING, (monthly,))
        assert plan.entry(MONTHLY, EUR) == monthly
        assert plan.entry(MONTHLY, "USD") is None


class TestService:
    @pytest.mark.parametrize("day", [0, 32, True])
    def test_billing_day_range(self, day: object) -> None:
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(sample_service(), billing_day=day)
        assert field_of(caught) == "billing_day"

    def test_negative_override_and_empty_id(self) -> None:
        with pytest.raises(ValidationError):
            attrs.evolve(sample_service(), price_override=eur("-0.01"))
        with pytest.raises(ValidationError):
            attrs.evolve(sample_service(), id="")

    def test_group_lists_a_service_once(self) -> None:
        with pytest.raises(ValidationError):
            ServiceGroup("g", "c", "Shop", service_ids=("s1", "s1"))


class TestOrder:
    def item(self, currency: str = EUR) -> OrderItem:
        price = to_money(5, currency)
        return OrderItem("p", "pl", MONTHLY, price, to_money(0, currency))

    def order(self, **changes: object) -> Order:
        values: dict[str, object] = {
            "id": "o",
            "client_id": "c",
            "placed_at": AT,
            "ip": "2001:db8::1",
            "currency": EUR,
            "items": (self.item(),),
        }
        values.update(changes)
        return Order(**values)

    def test_valid(self) -> None:
        assert self.order().items[0].quantity == 1

    def test_refusals(self) -> None:
        with pytest.raises(ValidationError, match="naive"):
            self.order(placed_at=datetime(2026, 1, 1))
        with pytest.raises(ValidationError, match="UTC"):
            self.order(placed_at=AT.astimezone(timezone(timedelta(hours=2))))
        with pytest.raises(ValidationError):
            self.order(ip="999.1.1.1")
        with pytest.raises(ValidationError):
            self.order(items=())
        with pytest.raises(CurrencyMismatchError):
            self.order(items=(self.item("USD"),))


class TestInvoice:
    def test_totals_are_exact_sums(self) -> None:
        # lines 10.00 + (-2.50) = 7.50; tax 1.90 + 0.00 → total 9.40; paid 4.00 → due 5.40
        vat = TaxAmount("VAT", Decimal("0.19"), eur("1.90"))
        invoice = attrs.evolve(
            sample_invoice(),
            lines=(
                InvoiceLine("Hosting", eur("10.00"), taxes=(vat,)),
                InvoiceLine("Discount", eur("-2.50")),
            ),
            amount_paid=eur("4.00"),
        )
        assert invoice.subtotal == eur("7.50")
        assert invoice.tax_total == eur("1.90")
        assert invoice.total == eur("9.40")
        assert invoice.balance_due == eur("5.40")
        assert invoice.lines[0].total == eur("11.90")

    def test_mixed_currencies_are_refused(self) -> None:
        line = InvoiceLine("x", to_money(1, "USD"))
        with pytest.raises(CurrencyMismatchError):
            attrs.evolve(sample_invoice(), lines=(line,))
        with pytest.raises(CurrencyMismatchError):
            attrs.evolve(sample_invoice(), amount_paid=to_money(1, "USD"))

    def test_duplicate_line_keys_are_refused(self) -> None:
        line = sample_invoice().lines[0]
        with pytest.raises(ValidationError):
            attrs.evolve(sample_invoice(), lines=(line, line))

    def test_negative_credit_applied(self) -> None:
        with pytest.raises(ValidationError):
            attrs.evolve(sample_invoice(), credit_applied=eur("-1"))

    def test_line_period_is_half_open(self) -> None:
        period = Period(date(2026, 2, 28), date(2026, 3, 31))
        line = InvoiceLine("Hosting", eur("10"), period=period)
        assert line.period is not None
        assert line.period.days == 31


class TestLedger:
    def test_allocations_cannot_exceed_payment(self) -> None:
        over = (Allocation(InvoiceId("i"), eur("10.01")),)
        with pytest.raises(ValidationError):
            Payment("p", "c", AT, eur("10.00"), allocations=over)
        with pytest.raises(ValidationError):
            Payment("p", "c", AT, eur("10.00"), refunded=eur("11"))

    def test_payment_defaults_and_allocated(self) -> None:
        parts = (Allocation(InvoiceId("a"), eur("3")), Allocation(InvoiceId("b"), eur("4.5")))
        payment = Payment("p", "c", AT, eur("10"), allocations=parts)
        assert payment.allocated == eur("7.5")
        assert payment.fees == eur("0")

    def test_credit_entry_needs_an_aware_instant(self) -> None:
        with pytest.raises(ValidationError):
            CreditEntry(
                "e",
                "c",
                datetime(2026, 1, 1),
                eur("1"),
                CreditReason.MANUAL_ADJUST,
                "staff:1",
            )


def test_quote_expiry_and_total() -> None:
    lines = (QuoteLine("Theme", eur("300")), QuoteLine("Logo", eur("80.50")))
    quote = Quote("q", "c", EUR, date(2026, 3, 1), date(2026, 3, 31), lines)
    assert quote.total == eur("380.50")
    with pytest.raises(ValidationError):
        attrs.evolve(quote, expires_on=date(2026, 2, 28))


def test_tax_rate_is_an_exact_decimal() -> None:
    assert TaxAmount("VAT", "0.19", eur("1.90")).rate == Decimal("0.19")
    with pytest.raises(ValidationError):
        TaxAmount("VAT", 0.19, eur("1.90"))


def test_an_invoice_with_nothing_refunded_may_change_currency_by_evolve() -> None:
    from datetime import date

    import attrs

    from hostbill_core.errors import CurrencyMismatchError
    from hostbill_core.model import Invoice
    from hostbill_core.money import to_money

    invoice = Invoice("i1", "c1", "USD", date(2026, 3, 1))
    eur = to_money("0", "EUR")
    # as a currency change restates the amounts it knows, leaving amount_refunded alone
    moved = attrs.evolve(invoice, currency="EUR", credit_applied=eur, amount_paid=eur)
    assert moved.amount_refunded == to_money("0", "EUR")
    with pytest.raises(CurrencyMismatchError):
        Invoice(
            "i1", "c1", "EUR", date(2026, 3, 1),
            amount_paid=to_money("1", "EUR"), amount_refunded=to_money("1", "USD"),
        )  # fmt: skip


def _reference_email(text: str) -> bool:  # the rule, character by character
    local, at, domain = text.partition("@")
    return bool(at and local and domain and "@" not in domain) and not any(
        c.isspace() for c in text
    )


@given(st.text(st.sampled_from("a.@ \t\n\u00a0\u2003\u2028\x1c\x85\u200b") | st.characters()))
def test_an_email_is_refused_exactly_when_the_rule_says(text: str) -> None:
    try:
        ContactDetails("Ann", text)
    except ValidationError:
        assert not _reference_email(text)
    else:
        assert _reference_email(text)
