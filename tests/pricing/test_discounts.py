from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import minor_units, to_money
from hostbill_core.pricing.discounts import (
    AmountOff,
    ClientDiscount,
    DiscountRequest,
    PercentOff,
    Promotion,
    PromotionTerm,
    apply_discounts,
    redeem,
)


def usd(amount: str):
    return to_money(amount, "USD")


def discount(
    price, *, cycle_number: int = 1, client=None, promotion=None, product="hosting", cycle=MONTHLY
):
    return apply_discounts(DiscountRequest(price, product, cycle, cycle_number, client, promotion))


def test_client_discount_then_promotion_each_its_own_line():
    # 20.00 − 10 % (2.00) = 18.00; − 5.00 fixed = 13.00
    result = discount(
        usd("20.00"),
        client=ClientDiscount(PercentOff("10")),
        promotion=Promotion("SPRING", AmountOff(usd("5.00"))),
    )
    assert [(line.source, line.amount) for line in result.lines] == [
        ("client discount", usd("-2.00")),
        ("promotion SPRING", usd("-5.00")),
    ]
    assert result.net == usd("13.00")
    assert result.explanation == (
        "price 20.00; client discount -2.00: 10 % of 20.00 → 2.00 (ROUND_HALF_UP); "
        "promotion SPRING -5.00: fixed 5.00; net 13.00"
    )


def test_promotion_percentage_is_of_what_the_client_discount_left():
    # 100.00 − 10 % = 90.00; 50 % of 90.00 = 45.00 → 45.00 (not 50.00 of the list price)
    result = discount(
        usd("100.00"),
        client=ClientDiscount(PercentOff("10")),
        promotion=Promotion("HALF", PercentOff("50")),
    )
    assert result.net == usd("45.00")


def test_jpy_percentages_round_to_whole_yen():
    # 1980 × 15 % = 297 → 1683; 1683 × 10 % = 168.3 → 168 → 1515 JPY
    result = discount(
        to_money("1980", "JPY"),
        client=ClientDiscount(PercentOff("15")),
        promotion=Promotion("TEN", PercentOff("10")),
    )
    assert [line.amount for line in result.lines] == [
        to_money("-297", "JPY"),
        to_money("-168", "JPY"),
    ]
    assert result.net == to_money("1515", "JPY")


def test_kwd_percentage_rounds_to_three_decimals():
    # 12.345 × 12.5 % = 1.543125 → 1.543 → 10.802 KWD
    result = discount(to_money("12.345", "KWD"), client=ClientDiscount(PercentOff("12.5")))
    assert result.net == to_money("10.802", "KWD")


def test_a_fixed_discount_never_takes_the_price_below_zero():
    # a prorated 4.52 with 5.00 off: capped at 4.52, net 0.00
    result = discount(usd("4.52"), promotion=Promotion("FIVE", AmountOff(usd("5.00"))))
    assert result.lines[0].amount == usd("-4.52")
    assert result.net == usd("0.00")
    assert "capped at the 4.52 left" in result.lines[0].explanation


def test_promotion_after_a_full_client_discount_takes_nothing():
    result = discount(
        usd("10.00"),
        client=ClientDiscount(PercentOff("100")),
        promotion=Promotion("X", PercentOff("50")),
    )
    assert result.net == usd("0.00")
    assert result.lines[1].amount == usd("0.00")


def test_client_discount_for_other_products_is_skipped():
    result = discount(usd("10.00"), client=ClientDiscount(PercentOff("10"), ("vps",)))
    assert result.lines == ()
    assert result.net == usd("10.00")
    assert "client discount: not for product hosting" in result.explanation


@pytest.mark.parametrize(
    ("term", "cycles", "cycle_number", "applies"),
    [
        (PromotionTerm.ONCE, None, 1, True),
        (PromotionTerm.ONCE, None, 2, False),
        (PromotionTerm.CYCLES, 3, 3, True),
        (PromotionTerm.CYCLES, 3, 4, False),
        (PromotionTerm.FOREVER, None, 100, True),
    ],
)
def test_promotion_term(term: PromotionTerm, cycles: int | None, cycle_number: int, applies: bool):
    promotion = Promotion("P", PercentOff("10"), term, cycles)
    result = discount(usd("10.00"), promotion=promotion, cycle_number=cycle_number)
    assert result.net == (usd("9.00") if applies else usd("10.00"))
    if not applies:
        assert f"this is cycle {cycle_number}" in result.explanation


def test_promotion_for_other_products_or_cycles_is_skipped():
    only_vps = Promotion("VPS", PercentOff("10"), product_ids=("vps",))
    only_annual = Promotion("YEAR", PercentOff("10"), billing_cycles=(ANNUALLY,))
    assert discount(usd("10.00"), promotion=only_vps).net == usd("10.00")
    skipped = discount(usd("10.00"), promotion=only_annual)
    assert skipped.net == usd("10.00")
    assert "cycle P1M is not among P1Y" in skipped.explanation


def test_redeem_counts_a_use():
    promotion = Promotion(
        "SPRING", PercentOff("10"), expires_on=date(2026, 5, 31), max_uses=2, uses=1
    )
    assert redeem(promotion, "hosting", MONTHLY, date(2026, 5, 31)).uses == 2


def test_once_per_client_is_off_by_default_and_left_to_the_use_case():
    # The engine holds no redemptions: redeem counts a use whatever the setting (1 → 2).
    once = Promotion("ONE", PercentOff("10"), once_per_client=True, uses=1)
    assert Promotion("ONE", PercentOff("10")).once_per_client is False
    assert redeem(once, "hosting", MONTHLY, date(2026, 1, 1)).uses == 2


def test_redeem_refuses_an_expired_code():
    promotion = Promotion("SPRING", PercentOff("10"), expires_on=date(2026, 5, 31))
    with pytest.raises(ValidationError, match="expired on 2026-05-31") as caught:
        redeem(promotion, "hosting", MONTHLY, date(2026, 6, 1))
    assert (caught.value.field, caught.value.value) == ("promotion", "SPRING")


def test_redeem_refuses_a_used_up_code():
    with pytest.raises(ValidationError, match="used up: 5 of 5"):
        redeem(
            Promotion("X", PercentOff("10"), max_uses=5, uses=5),
            "hosting",
            MONTHLY,
            date(2026, 1, 1),
        )


def test_redeem_refuses_an_ineligible_product():
    with pytest.raises(ValidationError, match="product hosting is not among vps"):
        redeem(
            Promotion("X", PercentOff("10"), product_ids=("vps",)),
            "hosting",
            MONTHLY,
            date(2026, 1, 1),
        )


def test_redeem_refuses_an_ineligible_cycle():
    with pytest.raises(ValidationError, match="cycle P1M is not among P1Y"):
        redeem(
            Promotion("X", PercentOff("10"), billing_cycles=(ANNUALLY,)),
            "hosting",
            MONTHLY,
            date(2026, 1, 1),
        )


@pytest.mark.parametrize("percent", ["0", "100.01", "-5"])
def test_percent_must_be_above_zero_and_at_most_100(percent: str):
    with pytest.raises(ValidationError, match="percent"):
        PercentOff(percent)


def test_percent_refuses_a_float():
    with pytest.raises(ValidationError, match="floats are inexact"):
        PercentOff(10.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["0.00", "-1.00"])
def test_amount_off_must_be_above_zero(amount: str):
    with pytest.raises(ValidationError, match="above zero"):
        AmountOff(usd(amount))


def test_cycles_promotion_needs_a_count():
    with pytest.raises(ValidationError, match="N of 1 or more"):
        Promotion("X", PercentOff("10"), PromotionTerm.CYCLES)
    with pytest.raises(ValidationError, match="only a CYCLES promotion"):
        Promotion("X", PercentOff("10"), PromotionTerm.ONCE, 3)


def test_promotion_needs_a_code_and_sane_counts():
    with pytest.raises(ValidationError, match="non-empty"):
        Promotion(" ", PercentOff("10"))
    with pytest.raises(ValidationError, match="max_uses"):
        Promotion("X", PercentOff("10"), max_uses=0)
    with pytest.raises(ValidationError, match="uses"):
        Promotion("X", PercentOff("10"), uses=-1)


def test_fixed_discount_in_another_currency_is_refused():
    with pytest.raises(CurrencyMismatchError) as caught:
        discount(usd("10.00"), promotion=Promotion("EUR5", AmountOff(to_money("5.00", "EUR"))))
    assert caught.value.context == "promotion EUR5"


def test_negative_price_is_refused():
    with pytest.raises(ValidationError, match="zero or more"):
        discount(usd("-1.00"))


def test_cycle_number_starts_at_one():
    with pytest.raises(ValidationError, match="cycle_number"):
        DiscountRequest(usd("1.00"), "hosting", MONTHLY, 0)


OFFS = st.one_of(
    st.decimals(Decimal("0.01"), Decimal("100"), places=2).map(PercentOff),
    st.integers(1, 10**6).map(lambda u: AmountOff(to_money(Decimal(u).scaleb(-2), "USD"))),
)


@given(st.integers(0, 10**7), st.none() | OFFS, st.none() | OFFS)
def test_net_is_price_plus_lines_and_never_below_zero(units: int, client_off, promo_off):
    price = to_money(Decimal(units).scaleb(-minor_units("USD")), "USD")
    result = discount(
        price,
        client=None if client_off is None else ClientDiscount(client_off),
        promotion=None if promo_off is None else Promotion("P", promo_off),
    )
    assert result.net.amount >= 0
    assert result.net == price + sum((line.amount for line in result.lines), usd("0"))
    assert all(line.amount.amount <= 0 for line in result.lines)
