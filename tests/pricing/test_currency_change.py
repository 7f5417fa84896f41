from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import CreditReason, InvoiceStatus, TaxAmount
from hostbill_core.money import ExchangeRate, minor_units, to_money, zero
from hostbill_core.pricing.currency_change import (
    Basis,
    CurrencyChangeMode,
    CurrencyChangeRequest,
    inverse_request,
    plan_currency_change,
)

from .currency_fixtures import (
    AT,
    BASIC,
    INVOICES,
    PLANS,
    SERVICES,
    USD_EUR,
    client,
    invoice,
    money,
    queued,
    service,
)

RECALCULATE, CODE_ONLY, REPRICE = CurrencyChangeMode


def request(mode=RECALCULATE, **kw) -> CurrencyChangeRequest:
    fields = {
        "rate": USD_EUR,
        "services": SERVICES,
        "plans": PLANS,
        "invoices": INVOICES,
        "credit_balance": money("12.34"),
        **kw,
    }
    return CurrencyChangeRequest(client(), "EUR", mode, AT, **fields)


def eur(amount: str):
    return to_money(amount, "EUR")


def after(plan, subject: str):
    return next(change.after for change in plan.changes if change.subject == subject)


def test_recalculate_converts_every_price_open_invoice_and_the_credit():
    # at 0.92, ROUND_HALF_UP: 10.00 → 9.20; 7.77 → 7.1484 → 7.15; 20.00 → 18.40;
    # invoice i1: 10.00 → 9.20, VAT 1.90 → 1.748 → 1.75, −1.00 → −0.92, VAT −0.19 → −0.1748 → −0.17,
    # credit applied 2.00 → 1.84; credit balance 12.34 → 11.3528 → 11.35
    plan = plan_currency_change(request())
    assert plan.client.currency == "EUR"
    assert {s.id: s.price_override for s in plan.services} == {
        "s1": eur("9.20"),
        "s2": eur("7.15"),
        "s5": eur("18.40"),
    }
    (i1,) = plan.invoices
    assert i1.id == "i1"
    assert [line.amount for line in i1.lines] == [eur("9.20"), eur("-0.92")]
    assert [line.taxes[0].amount for line in i1.lines] == [eur("1.75"), eur("-0.17")]
    assert (i1.credit_applied, i1.total) == (eur("1.84"), eur("9.86"))
    assert (
        "currency change: 10.00 USD × 0.92 (2026-01-05) = 9.2 → 9.20 EUR" in i1.lines[0].explanation
    )
    assert after(plan, "service s2 price") == eur("7.15")
    assert all(
        change.basis is Basis.CONVERTED and change.rate == Decimal("0.92")
        for change in plan.changes
    )
    assert len(plan.changes) == 9


def test_credit_balance_moves_by_two_ledger_entries_naming_the_rate():
    plan = plan_currency_change(request())
    closing, opening = plan.credit_entries
    assert (closing.amount, opening.amount) == (money("-12.34"), eur("11.35"))
    assert closing.reason is opening.reason is CreditReason.CURRENCY_CHANGE
    assert closing.at == opening.at == AT
    assert "12.34 USD × 0.92 (2026-01-05) = 11.3528 → 11.35 EUR" in opening.note
    assert closing.id != opening.id


def test_paid_invoices_and_invoices_already_in_the_new_currency_never_change():
    plan = plan_currency_change(request())
    assert [i.id for i in plan.invoices] == ["i1"]
    assert not any(
        change.subject.startswith(("invoice i2", "invoice i3")) for change in plan.changes
    )


def test_services_following_the_plan_table_and_one_time_plans_are_untouched():
    plan = plan_currency_change(request())
    assert {s.id for s in plan.services} == {"s1", "s2", "s5"}
    assert "following their plan's price table: s3" in plan.explanation


def test_code_only_keeps_every_amount():
    plan = plan_currency_change(request(CODE_ONLY, rate=None))
    assert plan.rate is None
    assert {s.id: s.price_override for s in plan.services} == {
        "s1": eur("10.00"),
        "s2": eur("7.77"),
        "s5": eur("20.00"),
    }
    assert plan.invoices[0].total == eur("10.71")
    assert plan.credit_entries[1].amount == eur("12.34")
    assert all(change.basis is Basis.CODE_ONLY for change in plan.changes)


def test_reprice_takes_the_plan_table_and_converts_the_rest_marked():
    # s1: BASIC's own EUR price 9.50 (no override stored); s2: custom 7.77 converted → 7.15;
    # s5: no EUR price in its plan → 20.00 × 0.92 = 18.40 (marked)
    plan = plan_currency_change(request(REPRICE))
    services = {s.id: s for s in plan.services}
    assert services["s1"].price_override is None
    assert after(plan, "service s1 price") == eur("9.50")
    s1 = next(c for c in plan.changes if c.subject == "service s1 price")
    assert (s1.basis, s1.rate) == (Basis.PLAN_PRICE, None)
    assert services["s2"].price_override == eur("7.15")
    assert next(c for c in plan.changes if c.subject == "service s2 price").explanation.startswith(
        "custom price"
    )
    s5 = next(c for c in plan.changes if c.subject == "service s5 price")
    assert (s5.after, s5.basis) == (eur("18.40"), Basis.CONVERTED)
    assert s5.explanation.startswith("no EUR price in the plan")


def test_jpy_to_kwd_and_back():
    # 1980 JPY × 0.00205 = 4.059 KWD; back at 1/0.00205 = 487.804878…: 4.059 × 487.80… = 1980
    rate = ExchangeRate("JPY", "KWD", "0.00205", date(2026, 1, 5))
    forward = CurrencyChangeRequest(
        client("JPY"),
        "KWD",
        RECALCULATE,
        AT,
        rate,
        (service("s1", BASIC, to_money("1980", "JPY")),),
        PLANS,
        credit_balance=to_money("1500", "JPY"),
    )
    plan = plan_currency_change(forward)
    assert plan.services[0].price_override == to_money("4.059", "KWD")
    # credit 1500 × 0.00205 = 3.075 KWD
    assert plan.credit_entries[1].amount == to_money("3.075", "KWD")
    back = plan_currency_change(inverse_request(forward, plan))
    assert back.services[0].price_override == to_money("1980", "JPY")
    assert back.credit_entries[1].amount == to_money("1500", "JPY")


def test_kwd_to_jpy_rounds_to_whole_yen():
    # 1.234 KWD × 487.8 = 601.9452 → 602 JPY
    rate = ExchangeRate("KWD", "JPY", "487.8", date(2026, 1, 5))
    plan = plan_currency_change(
        CurrencyChangeRequest(
            client("KWD"), "JPY", RECALCULATE, AT, rate, credit_balance=to_money("1.234", "KWD")
        )
    )
    assert plan.credit_entries[1].amount == to_money("602", "JPY")


def test_a_queued_item_converts_as_an_open_invoice_line_does():
    # 10.00 USD × 0.92 = 9.20 EUR; its tax 1.00 × 0.92 = 0.92 EUR; each rounded once, HALF_UP
    plan = plan_currency_change(request(queued_items=(queued("q1", "10.00", "1.00"),)))
    (item,) = plan.queued_items
    assert (item.currency, item.amount, item.taxes[0].amount) == ("EUR", eur("9.20"), eur("0.92"))
    assert item.taxes[0].rate == Decimal("0.10")  # the tax rate itself is not a currency amount
    net = next(c for c in plan.changes if c.subject == "queued item q1")
    tax = next(c for c in plan.changes if c.subject == "queued item q1 VAT")
    assert (net.before, net.after, net.basis, net.rate) == (
        money("10.00"), eur("9.20"), Basis.CONVERTED, Decimal("0.92")
    )  # fmt: skip
    assert (tax.before, tax.after) == (money("1.00"), eur("0.92"))
    assert net.explanation == "10.00 USD × 0.92 (2026-01-05) = 9.2 → 9.20 EUR (ROUND_HALF_UP)"
    assert item.explanation == f"currency change: {net.explanation}"
    assert "1 queued item(s)" in plan.explanation


def test_a_queued_item_converts_to_whole_yen():
    # 10.00 USD × 155.37 = 1553.7 → 1554 JPY; tax 1.00 × 155.37 = 155.37 → 155 JPY;
    # a discount −2.50 × 155.37 = −388.425 → −388 JPY (HALF_UP rounds the magnitude)
    rate = ExchangeRate("USD", "JPY", "155.37", date(2026, 1, 5))
    items = (queued("q1", "10.00", "1.00"), queued("q2", "-2.50"))
    forward = CurrencyChangeRequest(client(), "JPY", RECALCULATE, AT, rate, queued_items=items)
    plan = plan_currency_change(forward)
    q1, q2 = plan.queued_items
    assert (q1.amount, q1.taxes[0].amount) == (to_money("1554", "JPY"), to_money("155", "JPY"))
    assert q2.amount == to_money("-388", "JPY")
    back = plan_currency_change(inverse_request(forward, plan))
    # 1554 / 155.37 = 10.0019… → 10.00; 155 / 155.37 = 0.9976… → 1.00; −388 / 155.37 → −2.50
    assert back.queued_items == tuple(
        attrs.evolve(item, explanation=moved.explanation)
        for item, moved in zip(items, back.queued_items, strict=True)
    )


@pytest.mark.parametrize("mode", [CODE_ONLY, REPRICE])
def test_code_only_keeps_a_queued_items_amounts_and_reprice_converts_them(mode):
    # code only: 10.00 and 1.00 kept; reprice: no plan price to take, so 10.00 → 9.20, 1.00 → 0.92
    plan = plan_currency_change(request(mode, queued_items=(queued("q1", "10.00", "1.00"),)))
    (item,) = plan.queued_items
    expected = (eur("10.00"), eur("1.00")) if mode is CODE_ONLY else (eur("9.20"), eur("0.92"))
    assert (item.amount, item.taxes[0].amount) == expected
    assert item.currency == "EUR"


def test_a_queued_item_already_in_the_new_currency_is_unchanged():
    plan = plan_currency_change(request(queued_items=(queued("q1", "5.00", code="EUR"),)))
    assert plan.queued_items == ()
    assert not [c for c in plan.changes if c.subject.startswith("queued")]


def test_a_zero_credit_balance_writes_no_entries():
    assert plan_currency_change(request(credit_balance=None)).credit_entries == ()


# --- refusals ------------------------------------------------------------------------


def test_same_currency_is_refused():
    with pytest.raises(ValidationError, match="already billed in USD"):
        plan_currency_change(CurrencyChangeRequest(client(), "USD", CODE_ONLY, AT))


@pytest.mark.parametrize("mode", [RECALCULATE, REPRICE])
def test_converting_needs_a_rate(mode: CurrencyChangeMode):
    with pytest.raises(ValidationError, match="needs the USD→EUR rate"):
        plan_currency_change(request(mode, rate=None))


def test_a_rate_for_another_pair_is_refused():
    with pytest.raises(ValidationError, match="give the USD→EUR rate") as caught:
        plan_currency_change(request(rate=USD_EUR.inverse()))
    assert caught.value.value == "EUR→USD"


def test_a_stale_rate_is_refused():
    old = attrs.evolve(USD_EUR, as_of=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="4 days old, at most 1 allowed"):
        plan_currency_change(request(rate=old))
    assert plan_currency_change(request(rate=old, max_rate_age_days=4)).rate == old


def test_a_rate_dated_after_the_change_is_refused():
    with pytest.raises(ValidationError, match="dated after"):
        plan_currency_change(request(rate=attrs.evolve(USD_EUR, as_of=date(2026, 1, 6))))


def test_an_open_invoice_in_a_third_currency_is_refused():
    with pytest.raises(ValidationError, match="neither USD nor EUR") as caught:
        plan_currency_change(request(invoices=(invoice("g1", InvoiceStatus.UNPAID, "GBP"),)))
    assert caught.value.field == "invoices[0].currency"


def test_a_queued_item_in_a_third_currency_is_refused():
    with pytest.raises(ValidationError, match="queued item g1 is in neither USD nor EUR") as caught:
        plan_currency_change(request(queued_items=(queued("g1", "5.00", code="GBP"),)))
    assert (caught.value.field, caught.value.value) == ("queued_items[0].currency", "GBP")


def test_code_only_refuses_a_queued_amount_finer_than_the_new_currency():
    # 1.234 KWD kept as 1.234 USD would be finer than a cent: a queued item must be rounded
    item = attrs.evolve(queued("q1", "0", code="KWD"), amount=to_money("1.234", "KWD"))
    with pytest.raises(ValidationError, match="more decimals than USD allows") as caught:
        plan_currency_change(
            CurrencyChangeRequest(client("KWD"), "USD", CODE_ONLY, AT, queued_items=(item,))
        )
    assert (caught.value.field, caught.value.value) == ("queued_items[0].amount", money("1.234"))


def kwd_invoice(amount: str):
    line = attrs.evolve(
        invoice("i1", InvoiceStatus.UNPAID, "KWD").lines[0],
        amount=to_money(amount, "KWD"),
        taxes=(),
    )
    return attrs.evolve(invoice("i1", InvoiceStatus.UNPAID, "KWD"), lines=(line,))


def test_code_only_refuses_an_invoice_line_finer_than_the_new_currency():
    # 1.234 KWD kept as 1.234 USD would be finer than a cent (1.234 × 100 = 123.4 cents)
    with pytest.raises(ValidationError, match=r"1\.234 KWD has more decimals than USD") as caught:
        plan_currency_change(
            CurrencyChangeRequest(
                client("KWD"), "USD", CODE_ONLY, AT, invoices=(kwd_invoice("1.234"),)
            )
        )
    assert (caught.value.field, caught.value.value) == (
        "invoices[0].lines[0].amount",
        money("1.234"),
    )


def test_code_only_keeps_an_invoice_line_that_is_whole_cents():
    # 1.230 KWD is 123 whole cents: kept as USD 1.230 == USD 1.23
    plan = plan_currency_change(
        CurrencyChangeRequest(client("KWD"), "USD", CODE_ONLY, AT, invoices=(kwd_invoice("1.230"),))
    )
    assert plan.invoices[0].lines[0].amount == money("1.23")


def usd_to_jpy(price: str) -> CurrencyChangeRequest:
    usd = request(
        CODE_ONLY, rate=None, services=(service("s1", BASIC, money(price)),), invoices=(),
        credit_balance=None,
    )  # fmt: skip
    return attrs.evolve(usd, new_currency="JPY")


def test_code_only_to_jpy_refuses_a_service_price_finer_than_a_yen():
    # USD 4.99 kept as 4.99 yen is not a whole yen
    with pytest.raises(ValidationError, match=r"4\.99 USD has more decimals than JPY") as caught:
        plan_currency_change(usd_to_jpy("4.99"))
    field = (caught.value.field, caught.value.value)
    assert field == ("services[0].price_override", to_money("4.99", "JPY"))


def test_code_only_to_jpy_keeps_a_service_price_of_whole_yen():
    # USD 5.00 kept as 5.00 yen is 5 whole yen: decided by value, not by the two decimals
    (moved,) = plan_currency_change(usd_to_jpy("5.00")).services
    assert moved.price_override == to_money("5", "JPY")


def test_another_clients_queued_item_is_refused():
    with pytest.raises(ValidationError, match="not a queued item of this client"):
        plan_currency_change(request(queued_items=(queued("q1", "5.00", client_id="c2"),)))


def test_a_paid_invoice_in_a_third_currency_is_history_and_allowed():
    plan = plan_currency_change(request(invoices=(invoice("g1", InvoiceStatus.PAID, "GBP"),)))
    assert plan.invoices == ()


def test_a_partly_paid_open_invoice_is_refused():
    partly = invoice("p1", InvoiceStatus.UNPAID, amount_paid=money("5.00"))
    with pytest.raises(ValidationError, match="partly paid"):
        plan_currency_change(request(invoices=(partly,)))


def test_a_paid_and_partly_refunded_open_invoice_is_refused_naming_the_refund():
    # 5.00 paid, 2.00 of it refunded: the payments stay in USD, so the invoice cannot move
    refunded = invoice(
        "p1", InvoiceStatus.UNPAID, amount_paid=money("5.00"), amount_refunded=money("2.00")
    )
    with pytest.raises(ValidationError) as caught:
        plan_currency_change(request(invoices=(refunded,)))
    assert caught.value.field == "invoices[0].amount_paid"
    assert "invoice p1 is partly paid (2.00 of its payments refunded): settle or refund it" in str(
        caught.value
    )


def test_a_converted_invoice_has_nothing_paid_or_refunded_in_the_new_currency():
    (i1,) = plan_currency_change(request()).invoices
    assert (i1.amount_paid, i1.amount_refunded) == (zero("EUR"), zero("EUR"))
    assert i1.amount_refunded.currency.code == "EUR"
    assert not [c for c in plan_currency_change(request()).changes if "refund" in c.subject]


def test_a_paid_invoice_with_a_refund_is_history_and_unchanged():
    paid = invoice(
        "h1", InvoiceStatus.PAID, amount_paid=money("10.00"), amount_refunded=money("4.00")
    )
    plan = plan_currency_change(request(invoices=(paid,)))
    assert plan.invoices == ()


def test_another_clients_records_are_refused():
    with pytest.raises(ValidationError, match="not a service of this client"):
        plan_currency_change(request(services=(service("x", BASIC, client_id="c2"),)))
    with pytest.raises(ValidationError, match="not an invoice of this client"):
        plan_currency_change(request(invoices=(attrs.evolve(INVOICES[0], client_id="c2"),)))


def test_a_missing_plan_is_refused():
    with pytest.raises(ValidationError, match="give the plan of service s1"):
        plan_currency_change(request(plans=()))


def test_a_custom_price_in_a_third_currency_is_refused():
    with pytest.raises(ValidationError, match="neither USD nor EUR"):
        plan_currency_change(request(services=(service("s1", BASIC, to_money("5", "GBP")),)))


def test_a_credit_balance_in_another_currency_is_refused():
    with pytest.raises(CurrencyMismatchError):
        plan_currency_change(request(credit_balance=eur("1.00")))


def test_naive_instant_and_negative_age_are_refused():
    from datetime import datetime

    with pytest.raises(ValidationError, match="naive"):
        CurrencyChangeRequest(client(), "EUR", CODE_ONLY, datetime(2026, 1, 5))
    with pytest.raises(ValidationError, match="max_rate_age_days"):
        CurrencyChangeRequest(client(), "EUR", CODE_ONLY, AT, max_rate_age_days=-1)


# --- the inverse restores every amount ----------------------------------------------

CODES = ["USD", "EUR", "JPY", "KWD", "BHD"]
UNITS = st.integers(-(10**9), 10**9)
PAIRS = st.lists(st.sampled_from(CODES), min_size=2, max_size=2, unique=True)
RATES = st.tuples(st.integers(1, 10**7), st.integers(0, 6))


def in_code(units: int, code: str):
    return to_money(Decimal(units).scaleb(-minor_units(code)), code)


@st.composite
def books(draw: st.DrawFn):
    old, new = draw(PAIRS)
    digits, places = draw(RATES)
    rate = ExchangeRate(old, new, Decimal(digits).scaleb(-places), AT.date())
    overrides = [in_code(abs(u), old) for u in draw(st.lists(UNITS, max_size=3))]
    services = tuple(service(f"s{i}", BASIC, m) for i, m in enumerate(overrides))
    amounts = [in_code(u, old) for u in draw(st.lists(UNITS, min_size=1, max_size=3))]
    open_invoice = invoice("i1", InvoiceStatus.UNPAID, old)
    lines = tuple(attrs.evolve(open_invoice.lines[0], amount=value, taxes=()) for value in amounts)
    net, tax = (in_code(u, old) for u in draw(st.tuples(UNITS, UNITS)))
    item = attrs.evolve(
        queued("q1", "0", code=old), amount=net, taxes=(TaxAmount("VAT", Decimal("0.1"), tax),)
    )
    return CurrencyChangeRequest(
        client(old),
        new,
        RECALCULATE,
        AT,
        rate,
        services,
        PLANS,
        (attrs.evolve(open_invoice, lines=lines),),
        in_code(draw(UNITS), old),
        queued_items=(item,),
    )


@given(books())
def test_change_then_inverse_restores_every_amount_within_one_minor_unit_of_the_coarser_currency(
    forward,
):
    plan = plan_currency_change(forward)
    back = plan_currency_change(inverse_request(forward, plan))
    old, new = forward.client.currency, forward.new_currency
    # one minor unit of the old currency, or of the new one expressed in the old
    bound = max(
        Fraction(1, 10 ** minor_units(old)),
        Fraction(1, 10 ** minor_units(new)) / Fraction(forward.rate.rate),
    )
    restored = {c.subject: c.after for c in back.changes}
    for change in plan.changes:
        # an amount that converted to zero (a tiny credit balance) has nothing to move back
        again = restored.get(change.subject, zero(old))
        assert again.currency.code == old
        assert abs(Fraction(again.amount) - Fraction(change.before.amount)) <= bound
    assert back.client.currency == old


@given(books())
def test_code_only_inverse_restores_exactly(forward):
    forward = attrs.evolve(forward, mode=CODE_ONLY, rate=None)
    step = Decimal(1).scaleb(-minor_units(forward.new_currency))
    (item,) = forward.queued_items
    (open_invoice,) = forward.invoices
    kept = (
        *(s.price_override for s in forward.services),
        *(line.amount for line in open_invoice.lines),
        item.amount,
        item.taxes[0].amount,
        forward.credit_balance,
    )
    if any(a.amount != a.amount.quantize(step) for a in kept):
        with pytest.raises(ValidationError, match="more decimals than"):
            plan_currency_change(forward)
        return
    plan = plan_currency_change(forward)
    back = plan_currency_change(inverse_request(forward, plan))
    restored = {c.subject: c.after for c in back.changes}
    assert all(restored[c.subject] == c.before for c in plan.changes)
