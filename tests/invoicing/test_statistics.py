from datetime import UTC, datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import CurrencyMismatchError
from hostbill_core.invoicing.statistics import (
    MEAN_MONTH_DAYS,
    ClientActivity,
    RecurringCharge,
    client_statistics,
    monthly_amount,
    monthly_run_rate,
    reseller_statistics,
)
from hostbill_core.model import CreditEntry, CreditReason, InvoiceStatus, Payment
from hostbill_core.money import RoundingPolicy, from_minor, to_money

from .factories import invoice, usd

M, Y, D, W = BillingCycle.months, BillingCycle.years, BillingCycle.days, BillingCycle.weeks


def charge(
    price: str, cycle: BillingCycle, active: bool = True, currency: str = "USD"
) -> RecurringCharge:
    return RecurringCharge("s", to_money(price, currency), cycle, active)


def test_monthly_amount_is_exact_for_every_cycle() -> None:
    assert monthly_amount(usd("30.00"), M(3)) == Fraction(10)
    assert monthly_amount(usd("120.00"), Y(2)) == Fraction(5)
    # 30.436875 days per month: a 7-day price of 7.00 is 30.436875 per month.
    assert monthly_amount(usd("7.00"), W(1)) == MEAN_MONTH_DAYS
    assert monthly_amount(usd("1.00"), D(30)) == Fraction(146097, 144000)


def test_run_rate_rounds_once_after_summing_exactly() -> None:
    # Three quarterly 10.00 prices: 3 × 10/3 = 10.00 exactly (rounding each would give 9.99).
    assert monthly_run_rate([charge("10.00", M(3))] * 3, "USD") == usd("10.00")


def test_run_rate_names_its_rounding_mode() -> None:
    # 10.00 per quarter = 3.3333…: HALF_UP 3.33, UP 3.34, and 0.125 exact halves differ.
    assert monthly_run_rate([charge("10.00", M(3))], "USD") == usd("3.33")
    assert monthly_run_rate([charge("10.00", M(3))], "USD", RoundingPolicy("ROUND_UP")) == usd(
        "3.34"
    )
    # 1.50 per year = 0.125 a month: HALF_UP 0.13, HALF_EVEN 0.12.
    assert monthly_run_rate([charge("1.50", Y(1))], "USD") == usd("0.13")
    assert monthly_run_rate(
        [charge("1.50", Y(1))], "USD", RoundingPolicy("ROUND_HALF_EVEN")
    ) == usd("0.12")


def test_run_rate_counts_only_active_charges_and_jpy_is_whole_yen() -> None:
    charges = [
        charge("1000", M(3), currency="JPY"),
        charge("9999", M(1), active=False, currency="JPY"),
    ]
    assert monthly_run_rate(charges, "JPY") == to_money("333", "JPY")


def test_run_rate_refuses_another_currency() -> None:
    with pytest.raises(CurrencyMismatchError):
        monthly_run_rate([charge("1", M(1), currency="EUR")], "USD")


MODES = st.sampled_from(
    ["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_HALF_DOWN", "ROUND_DOWN", "ROUND_UP",
     "ROUND_CEILING", "ROUND_FLOOR", "ROUND_05UP"]
)  # fmt: skip


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**6), MODES)
def test_one_step_rounding_of_a_fraction_matches_decimal(num: int, den: int, mode: str) -> None:
    from decimal import ROUND_DOWN, Decimal, localcontext

    from hostbill_core.invoicing.statistics import _round

    # Oracle: num/den to 100 digits, truncated. A terminating value is exact; any other is at
    # least 1/(2·den) away from a half, far above 10^-80, so truncation keeps its side.
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 100, ROUND_DOWN
        expected = (Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding=mode)
    assert _round(Fraction(num, den), "JPY", RoundingPolicy(mode)).amount == expected


def test_client_statistics_worked_example() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    activity = ClientActivity(
        "c1",
        "USD",
        invoices=(
            invoice("i1", "100.00", status=InvoiceStatus.PAID, paid="100.00"),
            invoice("i2", "50.00", tax="10.00", paid="20.00"),  # 40.00 due
            invoice("i3", "30.00", status=InvoiceStatus.COLLECTIONS),  # 30.00 due
            invoice("i4", "12.00", status=InvoiceStatus.CANCELLED),
        ),
        payments=(
            Payment("p1", "c1", at, usd("100.00"), fees=usd("3.20")),
            Payment("p2", "c1", at, usd("25.00"), fees=usd("1.03"), refunded=usd("5.00")),
        ),
        credit_entries=(
            CreditEntry(
                "e1", "c1", at, usd("5.00"), CreditReason.OVERPAYMENT, "s", payment_id="p2"
            ),
        ),
        charges=(charge("120.00", Y(1)), charge("9.99", M(1), active=False)),
    )
    stats = client_statistics(activity)
    # income 125.00 - 5.00 = 120.00, fees 4.23 apart; run rate 120/12 = 10.00.
    assert (stats.income, stats.fees) == (usd("120.00"), usd("4.23"))
    assert (stats.paid_count, stats.paid_total) == (1, usd("100.00"))
    assert (stats.unpaid_count, stats.unpaid_total) == (2, usd("70.00"))
    assert (stats.cancelled_count, stats.cancelled_total) == (1, usd("12.00"))
    assert stats.credit_balance == usd("5.00")
    assert stats.monthly_run_rate == usd("10.00")
    assert stats.transacting
    assert stats.explanation == (
        "income 125.00 − refunds 5.00 = 120.00 USD (fees 4.23 apart); run rate 10.00/month"
    )


def test_client_statistics_refuses_an_invoice_in_another_currency() -> None:
    with pytest.raises(CurrencyMismatchError):
        client_statistics(
            ClientActivity("c1", "USD", invoices=(invoice("i", "1", currency="EUR"),))
        )


def test_reseller_counts_transacting_customers_and_sums_run_rates_per_currency() -> None:
    stats = [
        client_statistics(ClientActivity("a", "USD", charges=(charge("10.00", M(1)),))),
        client_statistics(ClientActivity("b", "USD")),
        client_statistics(
            ClientActivity("c", "EUR", charges=(charge("0.00", M(1), currency="EUR"),))
        ),
        client_statistics(
            ClientActivity("d", "EUR", charges=(charge("24.00", Y(2), False, "EUR"),))
        ),
    ]
    reseller = reseller_statistics(stats)
    # a: run rate 10 → transacting; b: nothing; c: an active (free) service → transacting;
    # d: only an inactive charge, run rate 0 → not transacting.
    assert (reseller.customers, reseller.transacting_customers) == (4, 2)
    assert reseller.monthly_run_rate == (to_money("0.00", "EUR"), usd("10.00"))
    assert (
        reseller.explanation
        == "4 customer(s), 2 transacting; run rate 0.00 EUR, 10.00 USD per month"
    )


def test_from_minor_round_trip_of_run_rate() -> None:
    assert monthly_run_rate([], "BHD") == from_minor(0, "BHD")


CYCLES = st.sampled_from([M(1), M(3), M(6), Y(1), Y(2), Y(3), D(30), D(1), W(2)])


@given(st.lists(st.tuples(st.integers(0, 10**7), CYCLES, st.booleans()), max_size=15))
def test_run_rate_is_the_once_rounded_sum_of_exact_monthly_amounts(
    rows: list[tuple[int, BillingCycle, bool]],
) -> None:
    charges = [RecurringCharge("s", from_minor(u, "USD"), c, a) for u, c, a in rows]
    exact = sum((monthly_amount(c.price, c.cycle) for c in charges if c.active), Fraction(0))
    rate = monthly_run_rate(charges, "USD")
    # Rounded once, half up: within half a cent of the exact value, ties away from zero.
    assert abs(Fraction(rate.amount) - exact) <= Fraction(1, 200)
    from hostbill_core.invoicing.statistics import _round

    assert rate == _round(exact, "USD", RoundingPolicy())
