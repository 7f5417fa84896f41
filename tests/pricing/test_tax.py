from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.model import AccountType, Address, Client, ContactDetails
from hostbill_core.money import minor_units, sum_money, to_minor, to_money
from hostbill_core.pricing.tax import tax_lines
from hostbill_core.pricing.tax_rules import (
    REVERSE_CHARGE_NOTE,
    TaxCustomer,
    TaxRounding,
    TaxRule,
    TaxSettings,
)

VAT_DE = TaxRule("VAT", "0.19", "DE")
VAT_FR = TaxRule("VAT", "0.20", "FR")
GST = TaxRule("GST", "0.05", "CA")
QST = TaxRule("QST", "0.09975", "CA", "QC", level=2)
QST_2012 = TaxRule("QST", "0.085", "CA", "QC", level=2, compound=True)
CONSUMPTION_JP = TaxRule("Consumption tax", "0.10", "JP")
VAT_SA = TaxRule("VAT", "0.15", "SA")
GERMANY = TaxCustomer("DE")


def eur(amount: str):
    return to_money(amount, "EUR")


def test_exclusive_vat_on_one_line():
    # 100.00 × 0.19 = 19.00 → gross 119.00
    invoice = tax_lines([eur("100.00")], GERMANY, TaxSettings((VAT_DE,)))
    line = invoice.lines[0]
    assert (line.amount, line.taxes[0].amount, line.gross) == (
        eur("100.00"),
        eur("19.00"),
        eur("119.00"),
    )
    assert (line.taxes[0].name, line.taxes[0].rate) == ("VAT", Decimal("0.19"))
    assert (
        line.explanation
        == "net 100.00; VAT 0.19 = 19.0000 → 19.00; net 100.00 + tax = gross 119.00 (ROUND_HALF_UP)"
    )


def test_inclusive_vat_is_backed_out_and_net_is_the_rest():
    # 9.99 × 0.19 / 1.19 = 1.59504… → 1.60; net 9.99 − 1.60 = 8.39
    line = tax_lines([eur("9.99")], GERMANY, TaxSettings((VAT_DE,), prices_include_tax=True)).lines[
        0
    ]
    assert (line.amount, line.taxes[0].amount, line.gross) == (
        eur("8.39"),
        eur("1.60"),
        eur("9.99"),
    )
    assert "VAT 0.19 = 1.5950… → 1.60" in line.explanation


def test_canada_quebec_two_levels_side_by_side():
    # GST 100.00 × 0.05 = 5.00; QST 100.00 × 0.09975 = 9.975 → 9.98; gross 114.98
    line = tax_lines(
        [to_money("100.00", "CAD")], TaxCustomer("CA", "QC"), TaxSettings((GST, QST))
    ).lines[0]
    assert [t.amount for t in line.taxes] == [to_money("5.00", "CAD"), to_money("9.98", "CAD")]
    assert line.gross == to_money("114.98", "CAD")


def test_compound_second_level_is_charged_on_net_plus_first_tax():
    # QST (2012, compound) 0.085 × (100.00 + 5.00) = 8.925 → 8.93; gross 113.93
    line = tax_lines(
        [to_money("100.00", "CAD")], TaxCustomer("CA", "QC"), TaxSettings((GST, QST_2012))
    ).lines[0]
    assert [t.amount for t in line.taxes] == [to_money("5.00", "CAD"), to_money("8.93", "CAD")]
    assert line.gross == to_money("113.93", "CAD")
    assert "QST 0.085 compound = 8.9250 → 8.93" in line.explanation


def test_compound_inclusive_divides_by_the_product_of_both_factors():
    # gross 113.93 / (1.05 × 1.085) = 100.0043…; GST = 5.0002… → 5.00; QST = 8.9254… → 8.93;
    # net 113.93 − 13.93 = 100.00
    settings = TaxSettings((GST, QST_2012), prices_include_tax=True)
    line = tax_lines([to_money("113.93", "CAD")], TaxCustomer("CA", "QC"), settings).lines[0]
    assert line.amount == to_money("100.00", "CAD")
    assert [t.amount for t in line.taxes] == [to_money("5.00", "CAD"), to_money("8.93", "CAD")]


def test_other_provinces_pay_the_federal_level_only():
    line = tax_lines(
        [to_money("100.00", "CAD")], TaxCustomer("CA", "ON"), TaxSettings((GST, QST))
    ).lines[0]
    assert [t.name for t in line.taxes] == ["GST"]


def test_a_state_rule_wins_over_the_country_rule_of_the_same_level():
    texas = TaxRule("Sales tax", "0.0625", "US", "TX")
    federal_default = TaxRule("Sales tax", "0", "US")
    line = tax_lines(
        [to_money("10.00", "USD")], TaxCustomer("US", "TX"), TaxSettings((federal_default, texas))
    ).lines[0]
    # 10.00 × 0.0625 = 0.625 → 0.63
    assert line.taxes[0].amount == to_money("0.63", "USD")


def test_jpy_tax_in_whole_yen_both_ways():
    # exclusive: 1980 × 0.10 = 198 → 2178; inclusive: 1980 × 0.1/1.1 = 180 → net 1800
    japan = TaxCustomer("JP")
    out = tax_lines([to_money("1980", "JPY")], japan, TaxSettings((CONSUMPTION_JP,))).lines[0]
    assert out.gross == to_money("2178", "JPY")
    inside = tax_lines(
        [to_money("1980", "JPY")], japan, TaxSettings((CONSUMPTION_JP,), prices_include_tax=True)
    ).lines[0]
    assert (inside.amount, inside.taxes[0].amount) == (
        to_money("1800", "JPY"),
        to_money("180", "JPY"),
    )


def test_kwd_price_taxed_to_three_decimals():
    # a KWD price billed to a client in Saudi Arabia: 12.345 × 0.15 = 1.85175 → 1.852; 14.197
    line = tax_lines([to_money("12.345", "KWD")], TaxCustomer("SA"), TaxSettings((VAT_SA,))).lines[
        0
    ]
    assert (line.taxes[0].amount, line.gross) == (
        to_money("1.852", "KWD"),
        to_money("14.197", "KWD"),
    )


def test_rounding_per_line_and_per_invoice_differ_and_both_add_up():
    # three lines of 1.02 at 19 %: exact 0.1938 each.
    # per line: 0.19 × 3 = 0.57.  per invoice: 0.5814 → 0.58, shared 0.20 + 0.19 + 0.19.
    amounts = [eur("1.02")] * 3
    per_line = tax_lines(amounts, GERMANY, TaxSettings((VAT_DE,)))
    per_invoice = tax_lines(
        amounts, GERMANY, TaxSettings((VAT_DE,), rounding=TaxRounding.PER_INVOICE)
    )
    assert per_line.tax == eur("0.57")
    assert per_invoice.tax == eur("0.58")
    assert [line.taxes[0].amount for line in per_invoice.lines] == [
        eur("0.20"),
        eur("0.19"),
        eur("0.19"),
    ]
    assert per_invoice.gross == eur("3.64")
    assert "rounded per invoice" in per_invoice.explanation


def test_a_discount_line_carries_negative_tax():
    # 20.00 and −2.00: VAT 3.80 and −0.38; totals net 18.00, tax 3.42, gross 21.42
    invoice = tax_lines([eur("20.00"), eur("-2.00")], GERMANY, TaxSettings((VAT_DE,)))
    assert invoice.lines[1].taxes[0].amount == eur("-0.38")
    assert (invoice.net, invoice.tax, invoice.gross) == (eur("18.00"), eur("3.42"), eur("21.42"))
    assert invoice.tax_totals[0].amount == eur("3.42")


def test_an_unrounded_net_is_taxed_before_it_is_rounded():
    # net 0.125 (e.g. a discounted fraction): tax 0.125 × 0.19 = 0.02375 → 0.02; net → 0.13
    line = tax_lines([eur("0.125")], GERMANY, TaxSettings((VAT_DE,))).lines[0]
    assert (line.amount, line.taxes[0].amount, line.gross) == (
        eur("0.13"),
        eur("0.02"),
        eur("0.15"),
    )


def test_eu_reverse_charge_for_an_organisation_in_another_member_state():
    customer = TaxCustomer("FR", account_type=AccountType.ORGANISATION, vat_number="FR40303265045")
    invoice = tax_lines(
        [eur("100.00")], customer, TaxSettings((VAT_DE, VAT_FR), seller_country="DE")
    )
    assert invoice.lines[0].taxes == ()
    assert invoice.gross == eur("100.00")
    assert invoice.note == REVERSE_CHARGE_NOTE
    assert "EU reverse charge" in invoice.explanation


@pytest.mark.parametrize(
    "customer",
    [
        TaxCustomer("FR"),  # a private person: French VAT
        TaxCustomer("FR", account_type=AccountType.ORGANISATION),  # no VAT number
    ],
)
def test_no_reverse_charge_without_an_organisation_with_a_vat_number(customer: TaxCustomer):
    invoice = tax_lines(
        [eur("100.00")], customer, TaxSettings((VAT_DE, VAT_FR), seller_country="DE")
    )
    assert invoice.tax == eur("20.00")
    assert invoice.note == ""


def test_no_reverse_charge_within_the_sellers_country():
    customer = TaxCustomer("DE", account_type=AccountType.ORGANISATION, vat_number="DE123456789")
    assert tax_lines(
        [eur("100.00")], customer, TaxSettings((VAT_DE,), seller_country="DE")
    ).tax == eur("19.00")


def test_tax_exempt_client_pays_none():
    invoice = tax_lines([eur("100.00")], TaxCustomer("DE", tax_exempt=True), TaxSettings((VAT_DE,)))
    assert (invoice.tax, invoice.note) == (eur("0"), "Tax exempt")


def test_no_rule_for_the_country_means_no_tax():
    assert tax_lines([eur("100.00")], TaxCustomer("CH"), TaxSettings((VAT_DE,))).tax == eur("0")


def test_customer_from_a_client():
    client = Client(
        "c1",
        ContactDetails("Ann", "ann@example.com", address=Address(country="CA", state="QC")),
        "CAD",
        date(2026, 1, 1),
        account_type=AccountType.ORGANISATION,
        vat_number="123",
    )
    assert TaxCustomer.of(client) == TaxCustomer("CA", "QC", AccountType.ORGANISATION, False, "123")


def test_no_lines_is_refused():
    with pytest.raises(ValidationError, match="at least one line"):
        tax_lines([], GERMANY, TaxSettings((VAT_DE,)))


def test_mixed_currencies_are_refused():
    with pytest.raises(CurrencyMismatchError) as caught:
        tax_lines([eur("1.00"), to_money("1.00", "USD")], GERMANY, TaxSettings((VAT_DE,)))
    assert caught.value.context == "amounts[1]"


def test_a_line_must_be_money():
    with pytest.raises(ValidationError) as caught:
        tax_lines([eur("1.00"), Decimal("1")], GERMANY, TaxSettings((VAT_DE,)))  # type: ignore[list-item]
    assert caught.value.field == "amounts[1]"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rate": "1.19"}, "rate"),
        ({"rate": 0.19}, "rate"),
        ({"country": "Germany"}, "country"),
        ({"level": 3}, "level"),
        ({"compound": True}, "compound"),
    ],
)
def test_bad_rules_are_refused(kwargs: dict[str, object], field: str):
    fields: dict[str, object] = {"name": "VAT", "rate": "0.19", "country": "DE", **kwargs}
    with pytest.raises(ValidationError) as caught:
        TaxRule(**fields)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_bad_seller_country_is_refused():
    with pytest.raises(ValidationError, match="alpha-2"):
        TaxSettings(seller_country="de")


# --- properties ----------------------------------------------------------------------

RULE_SETS = st.sampled_from([(VAT_DE,), (GST, QST), (GST, QST_2012), (CONSUMPTION_JP,)])
CUSTOMERS = {
    VAT_DE: TaxCustomer("DE"),
    GST: TaxCustomer("CA", "QC"),
    CONSUMPTION_JP: TaxCustomer("JP"),
}


@given(
    st.lists(st.integers(-(10**6), 10**8), min_size=1, max_size=12),
    RULE_SETS,
    st.booleans(),
    st.sampled_from(list(TaxRounding)),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_tax_lines_sum_exactly(
    units: list[int], rules: tuple[TaxRule, ...], inclusive: bool, rounding: TaxRounding, code: str
):
    amounts = [to_money(Decimal(u).scaleb(-minor_units(code)), code) for u in units]
    settings = TaxSettings(rules, prices_include_tax=inclusive, rounding=rounding)
    invoice = tax_lines(amounts, CUSTOMERS[rules[0]], settings)
    for given_amount, line in zip(amounts, invoice.lines, strict=True):
        assert line.amount + sum_money((t.amount for t in line.taxes), code) == line.gross
        assert (line.gross if inclusive else line.amount) == given_amount
    assert invoice.net == sum_money((line.amount for line in invoice.lines), code)
    assert invoice.gross == sum_money((line.gross for line in invoice.lines), code)
    assert invoice.tax == sum_money((t.amount for line in invoice.lines for t in line.taxes), code)
    assert invoice.gross == invoice.net + invoice.tax


@given(st.lists(st.integers(-(10**6), 10**8), min_size=1, max_size=12), st.booleans())
def test_per_invoice_rounding_rounds_the_total_once_and_each_line_stays_within_a_unit(
    units: list[int], inclusive: bool
):
    amounts = [eur(str(Decimal(u).scaleb(-2))) for u in units]
    settings = TaxSettings(
        (VAT_DE,), prices_include_tax=inclusive, rounding=TaxRounding.PER_INVOICE
    )
    invoice = tax_lines(amounts, GERMANY, settings)
    rate = Fraction(19, 100)
    exact = [Fraction(a.amount) * (rate / (1 + rate) if inclusive else rate) * 100 for a in amounts]
    total = sum(exact, Fraction(0))
    assert abs(to_minor(invoice.tax) - total) <= Fraction(1, 2)
    for value, line in zip(exact, invoice.lines, strict=True):
        assert abs(to_minor(line.taxes[0].amount) - value) < 1
