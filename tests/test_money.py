import decimal
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import (
    ExchangeRate,
    RoundingPolicy,
    allocate,
    convert,
    exact_sum,
    from_minor,
    minor_units,
    split,
    sum_money,
    to_minor,
    to_money,
    zero,
)
from hostbill_core.testing.strategies import CURRENCIES, currencies


class TestToMoney:
    def test_accepts_decimal_int_and_decimal_string(self) -> None:
        assert to_money(Decimal("1.50"), "USD").amount == Decimal("1.50")
        assert to_money(7, "JPY").amount == Decimal(7)
        assert to_money("-0.125", "BHD").amount == Decimal("-0.125")

    def test_float_is_a_validation_error_and_a_value_error(self) -> None:
        with pytest.raises(ValidationError) as caught:
            to_money(0.1, "USD")
        assert isinstance(caught.value, ValueError)
        assert caught.value.field == "amount"
        assert caught.value.value == 0.1
        assert "float" in str(caught.value)

    @pytest.mark.parametrize(
        "amount", [True, Decimal("NaN"), Decimal("Infinity"), "1e5", "12,50", " 1", "", None]
    )
    def test_refuses_non_amounts(self, amount: object) -> None:
        with pytest.raises(ValidationError):
            to_money(amount, "USD")

    @pytest.mark.parametrize("code", ["usd", "XYZ", "US", "", 840])
    def test_refuses_unknown_currencies(self, code: object) -> None:
        with pytest.raises(ValidationError) as caught:
            to_money("1", code)  # type: ignore[arg-type]
        assert caught.value.field == "currency"


def test_minor_units_follow_iso_4217() -> None:
    assert [minor_units(c) for c in ("JPY", "USD", "BHD", "CLF", "KWD")] == [0, 2, 3, 4, 3]


class TestRoundingPolicy:
    def test_default_is_half_up_to_the_minor_unit(self) -> None:
        # 2.345 → 2.35 (half up); JPY 100.5 → 101; KWD 1.0005 → 1.001
        policy = RoundingPolicy()
        assert policy.round(to_money("2.345", "USD")) == to_money("2.35", "USD")
        assert policy.round(to_money("100.5", "JPY")) == to_money("101", "JPY")
        assert policy.round(to_money("1.0005", "KWD")) == to_money("1.001", "KWD")

    def test_half_even_and_down(self) -> None:
        assert RoundingPolicy(ROUND_HALF_EVEN).round(to_money("0.125", "USD")).amount == Decimal(
            "0.12"
        )
        assert RoundingPolicy("ROUND_DOWN").round(to_money("-1.999", "USD")).amount == Decimal(
            "-1.99"
        )

    def test_ignores_the_ambient_context(self) -> None:
        with decimal.localcontext() as ctx:
            ctx.prec = 2
            ctx.rounding = decimal.ROUND_FLOOR
            assert RoundingPolicy().round(to_money("12345.675", "USD")).amount == Decimal(
                "12345.68"
            )

    def test_unknown_mode_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            RoundingPolicy("HALF_UP")


class TestMinorUnits:
    def test_round_trip(self) -> None:
        assert to_minor(to_money("12.34", "USD")) == 1234
        assert from_minor(1234, "USD") == to_money("12.34", "USD")
        assert to_minor(to_money("1200", "JPY")) == 1200

    def test_finer_than_minor_unit_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            to_minor(to_money("1.005", "USD"))

    def test_from_minor_refuses_floats(self) -> None:
        with pytest.raises(ValidationError):
            from_minor(1.0, "USD")  # type: ignore[arg-type]

    def test_sum_money(self) -> None:
        assert sum_money([], "EUR") == to_money(0, "EUR")
        # Nothing added gives the zero kept per currency: the same amount, written the same.
        assert sum_money([], "EUR") is zero("EUR")
        assert repr(sum_money([], "EUR").amount) == repr(Decimal(0))  # as Money(Decimal(0))
        total = sum_money([to_money("0.10", "EUR"), to_money("0.20", "EUR")], "EUR")
        assert total == to_money("0.30", "EUR")
        with pytest.raises(CurrencyMismatchError):
            sum_money([to_money(1, "USD")], "EUR")


class TestAllocate:
    def test_worked_example(self) -> None:
        # 10 cents by 1:1:2 → exact shares 2.5, 2.5, 5; floors 2, 2, 5 leave 1 cent, which
        # goes to the earliest of the largest remainders (part 0).
        parts = allocate(to_money("0.10", "USD"), [1, 1, 2])
        assert parts == (to_money("0.03", "USD"), to_money("0.02", "USD"), to_money("0.05", "USD"))

    def test_negative_mirrors_positive(self) -> None:
        parts = allocate(to_money("-0.10", "USD"), [1, 1, 2])
        assert [p.amount for p in parts] == [Decimal("-0.03"), Decimal("-0.02"), Decimal("-0.05")]

    def test_zero_ratio_gets_zero(self) -> None:
        parts = allocate(to_money("1", "JPY"), [0, 1, 0, 1])
        assert [p.amount for p in parts] == [0, 1, 0, 0]

    def test_fraction_and_decimal_ratios(self) -> None:
        # 100 JPY by 1/3 : 0.5 → 40 and 60
        parts = allocate(to_money(100, "JPY"), [Fraction(1, 3), Decimal("0.5")])
        assert [p.amount for p in parts] == [40, 60]

    @pytest.mark.parametrize("ratios", [[], [0, 0], [1, -1], [1.0], [True], [Decimal("NaN")]])
    def test_bad_ratios_are_refused(self, ratios: list[object]) -> None:
        with pytest.raises(ValidationError):
            allocate(to_money("1.00", "USD"), ratios)  # type: ignore[arg-type]

    def test_split(self) -> None:
        assert [p.amount for p in split(to_money("0.05", "USD"), 2)] == [
            Decimal("0.03"),
            Decimal("0.02"),
        ]
        with pytest.raises(ValidationError):
            split(to_money("1", "USD"), 0)

    @given(
        currency=currencies(),
        units=st.integers(-(10**12), 10**12),
        ratios=st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(any),
    )
    def test_parts_always_sum_to_the_input(
        self, currency: str, units: int, ratios: list[int]
    ) -> None:
        money = from_minor(units, currency)
        parts = allocate(money, ratios)
        assert len(parts) == len(ratios)
        assert sum_money(parts, currency) == money
        for part, ratio in zip(parts, ratios, strict=True):
            exact = Fraction(units) * ratio / sum(ratios)
            assert abs(to_minor(part) - exact) < 1  # each part within one minor unit of its share
            if ratio == 0:
                assert part.amount == 0

    @given(units=st.integers(0, 10**9), ratios=st.lists(st.integers(0, 50), min_size=1).filter(any))
    def test_negative_is_the_mirror(self, units: int, ratios: list[int]) -> None:
        positive = allocate(from_minor(units, "USD"), ratios)
        negative = allocate(from_minor(-units, "USD"), ratios)
        assert [-p.amount for p in positive] == [n.amount for n in negative]


class TestExchange:
    def test_convert_rounds_once_half_up(self) -> None:
        # 10.00 EUR × 1.0835 = 10.835 USD → 10.84 (ROUND_HALF_UP)
        rate = ExchangeRate("EUR", "USD", Decimal("1.0835"), date(2026, 1, 5))
        assert convert(to_money("10.00", "EUR"), rate) == to_money("10.84", "USD")

    def test_convert_to_jpy_and_kwd(self) -> None:
        # 19.99 USD × 151.237 = 3023.22763 JPY → 3023; 19.99 USD × 0.30712 = 6.1393288 → 6.139 KWD
        jpy = ExchangeRate("USD", "JPY", Decimal("151.237"), date(2026, 1, 1))
        kwd = ExchangeRate("USD", "KWD", Decimal("0.30712"), date(2026, 1, 1))
        assert convert(to_money("19.99", "USD"), jpy) == to_money("3023", "JPY")
        assert convert(to_money("19.99", "USD"), kwd) == to_money("6.139", "KWD")

    def test_mismatched_currency(self) -> None:
        rate = ExchangeRate("EUR", "USD", Decimal("1.1"), date(2026, 1, 1))
        with pytest.raises(CurrencyMismatchError):
            convert(to_money("1", "GBP"), rate)

    @pytest.mark.parametrize("rate", [Decimal(0), Decimal(-1), 1.1, "x"])
    def test_rate_must_be_positive_and_exact(self, rate: object) -> None:
        with pytest.raises(ValidationError):
            ExchangeRate("EUR", "USD", rate, date(2026, 1, 1))  # type: ignore[arg-type]

    @given(
        base=st.sampled_from(CURRENCIES),
        quote=st.sampled_from(CURRENCIES),
        units=st.integers(0, 10**9),
        rate=st.decimals(Decimal("0.001"), Decimal("1000"), places=6),
    )
    def test_inverse_round_trip_within_one_minor_unit(
        self, base: str, quote: str, units: int, rate: Decimal
    ) -> None:
        forward = ExchangeRate(base, quote, rate, date(2026, 1, 1))
        money = from_minor(units, base)
        back = convert(convert(money, forward), forward.inverse())
        # Rounding in the quote currency loses at most half a quote minor unit, worth
        # (half a quote unit / rate) in base units; the way back adds half a base unit.
        quote_unit = Decimal(1).scaleb(-minor_units(quote))
        base_unit = Decimal(1).scaleb(-minor_units(base))
        bound = quote_unit / 2 / rate + base_unit / 2
        assert abs(back.amount - money.amount) <= bound + base_unit


def test_sum_ignores_a_coarse_ambient_context() -> None:
    # 1234567.89 + 0.01 needs 9 digits; a 4-digit ambient context must not round the sum
    with decimal.localcontext() as ctx:
        ctx.prec = 4
        total = sum_money([to_money("1234567.89", "USD"), to_money("0.01", "USD")], "USD")
    assert total.amount == Decimal("1234567.90")


def test_exact_sum_ignores_a_coarse_ambient_context() -> None:
    # 1234567.89 + 0.01 + (-0.90) = 1234567.00 needs 9 digits; the 4-digit context never rounds
    with decimal.localcontext() as ctx:
        ctx.prec = 4
        total = exact_sum([Decimal("1234567.89"), Decimal("0.01"), Decimal("-0.90")])
    assert total == Decimal("1234567.00")
    assert str(total) == "1234567.00"  # the finest exponent of the amounts is kept


def test_exact_sum_of_nothing_is_zero() -> None:
    assert exact_sum([]) == Decimal(0)
