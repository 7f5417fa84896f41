"""Multi-domain renewal: from the current expiry, grace, redemption, the 10-year cap."""

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

from hostbill_core.calendar import ANNUALLY, BIENNIALLY, MONTHLY
from hostbill_core.errors import CurrencyMismatchError, InvalidTransitionError, ValidationError
from hostbill_core.model import Service, ServiceStatus
from hostbill_core.renewal.domains import (
    DomainPrice,
    DomainRenewal,
    DomainRenewalQuote,
    DomainRenewalRequest,
    DomainState,
    DomainTerms,
    apply_domain_renewal,
    quote_domain_renewals,
)

from .helpers import service

TODAY = date(2024, 3, 1)
USD12 = Money("12.00", "USD")
TERMS = DomainTerms(grace_days=30, redemption_days=30, restore_fee=Money("80.00", "USD"))


def domain(sid: str, expiry: date, status: ServiceStatus = ServiceStatus.ACTIVE) -> Service:
    # Anchored on its expiry, due on it, USD 12.00 a year.
    return service(
        expiry,
        cycle=ANNUALLY,
        sid=sid,
        name=f"{sid}.example",
        price=USD12,
        expires_on=expiry,
        status=status,
    )


def quote(
    *items: DomainRenewal, today: date = TODAY, price: DomainPrice | None = None
) -> DomainRenewalQuote:
    return quote_domain_renewals(DomainRenewalRequest(items, today, TERMS, price))


def test_three_domains_active_grace_and_redemption() -> None:
    active = domain("a", date(2024, 6, 15))
    grace = domain("b", date(2024, 2, 10))  # expired 20 days ago, grace runs to 03-11
    redemption = domain("c", date(2024, 1, 5))  # grace ended 02-04, redemption runs to 03-05
    result = quote(DomainRenewal(active, 2), DomainRenewal(grace, 1), DomainRenewal(redemption, 1))
    rows = [
        (ln.state, ln.days_until_expiry, ln.new_expiry, ln.price, ln.restore_fee, ln.total)
        for ln in result.lines
    ]
    assert rows == [
        # 2024-03-01 -> 2024-06-15: 30 (rest of March) + 1 + 30 + 31 + 14 = 106 days.
        (
            DomainState.ACTIVE,
            106,
            date(2026, 6, 15),
            Money("24.00", "USD"),
            None,
            Money("24", "USD"),
        ),
        (DomainState.GRACE, -20, date(2025, 2, 10), USD12, None, USD12),
        (
            DomainState.REDEMPTION,
            -56,
            date(2025, 1, 5),
            USD12,
            Money("80", "USD"),
            Money("92", "USD"),
        ),
    ]
    # 24 + 12 + 92 = 128.
    assert result.total == Money("128.00", "USD")
    assert "+ 2 years from the current expiry = 2026-06-15" in result.lines[0].explanation
    assert "restore fee" in result.lines[2].explanation


def test_past_redemption_is_refused() -> None:
    # Expired 2023-12-01: grace to 12-31, redemption to 2024-01-30; today is 2024-03-01.
    with pytest.raises(ValidationError) as info:
        quote(
            DomainRenewal(domain("a", date(2024, 6, 15)), 1),
            DomainRenewal(domain("d", date(2023, 12, 1)), 1),
        )
    assert info.value.field == "items[1].service"
    assert "redemption ended 2024-01-30" in info.value.reason


def test_redemption_without_a_restore_fee_is_refused() -> None:
    request = DomainRenewalRequest(
        (DomainRenewal(domain("c", date(2024, 1, 5)), 1),), TODAY, DomainTerms()
    )
    with pytest.raises(ValidationError) as info:
        quote_domain_renewals(request)
    assert "no restore fee" in info.value.reason


def test_ten_years_ahead_is_the_cap() -> None:
    # 2024-06-15 + 9 = 2033-06-15 <= 2034-03-01; + 10 = 2034-06-15 > 2034-03-01.
    assert quote(DomainRenewal(domain("a", date(2024, 6, 15)), 9)).lines[0].new_expiry == date(
        2033, 6, 15
    )
    with pytest.raises(ValidationError) as info:
        quote(DomainRenewal(domain("a", date(2024, 6, 15)), 10))
    assert info.value.field == "items[0].years"
    assert "latest 2034-03-01" in info.value.reason


def test_leap_day_expiry_clamps_to_28_february() -> None:
    line = quote(DomainRenewal(domain("a", date(2024, 2, 29)), 1), today=date(2024, 2, 1)).lines[0]
    assert line.new_expiry == date(2025, 2, 28)


def test_price_callable_replaces_the_override() -> None:
    def price(s: Service, years: int) -> Money:
        return Money("10.00", "USD") * years - Money("1.00", "USD")

    line = quote(DomainRenewal(domain("a", date(2024, 6, 15)), 3), price=price).lines[0]
    assert line.price == Money("29.00", "USD")


def test_biennial_domain_counts_cycles() -> None:
    s = attrs.evolve(domain("a", date(2024, 6, 15)), cycle=BIENNIALLY)
    line = quote(DomainRenewal(s, 4)).lines[0]
    assert (line.cycles, line.price) == (2, Money("24.00", "USD"))
    with pytest.raises(ValidationError) as info:
        quote(DomainRenewal(s, 3))
    assert info.value.field == "items[0].years"


def test_monthly_billed_domain_counts_months() -> None:
    s = attrs.evolve(
        domain("a", date(2024, 6, 15)), cycle=MONTHLY, price_override=Money("1", "USD")
    )
    assert quote(DomainRenewal(s, 1)).lines[0].price == Money("12", "USD")


def test_no_price_is_refused() -> None:
    s = attrs.evolve(domain("a", date(2024, 6, 15)), price_override=None)
    with pytest.raises(ValidationError) as info:
        quote(DomainRenewal(s, 1))
    assert info.value.field == "items[0].price"


def test_expiry_falls_back_to_the_next_due_date() -> None:
    s = attrs.evolve(domain("a", date(2024, 6, 15)), expires_on=None)
    assert quote(DomainRenewal(s, 1)).lines[0].current_expiry == date(2024, 6, 15)


def test_empty_request_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        quote()
    assert info.value.field == "items"


def test_domain_listed_twice_is_refused() -> None:
    a = domain("a", date(2024, 6, 15))
    with pytest.raises(ValidationError) as info:
        quote(DomainRenewal(a, 1), DomainRenewal(a, 2))
    assert info.value.field == "items[1]"


@pytest.mark.parametrize("years", [0, 11, True])
def test_years_out_of_range_are_refused(years: object) -> None:
    with pytest.raises(ValidationError):
        DomainRenewal(domain("a", date(2024, 6, 15)), years)  # type: ignore[arg-type]


def test_cancelled_domain_service_is_refused() -> None:
    with pytest.raises(InvalidTransitionError):
        quote(DomainRenewal(domain("a", date(2024, 6, 15), status=ServiceStatus.CANCELLED), 1))


def test_mixed_currencies_are_refused() -> None:
    eur = attrs.evolve(domain("e", date(2024, 6, 15)), price_override=Money("9", "EUR"))
    with pytest.raises(CurrencyMismatchError):
        quote(DomainRenewal(domain("a", date(2024, 6, 15)), 1), DomainRenewal(eur, 1))


def test_apply_moves_due_date_and_expiry_once() -> None:
    s = domain("b", date(2024, 2, 10))
    line = quote(DomainRenewal(s, 2)).lines[0]
    paid = apply_domain_renewal(s, line, TODAY)
    assert (paid.service.next_due_date, paid.service.expires_on) == (
        date(2026, 2, 10),
        date(2026, 2, 10),
    )
    again = apply_domain_renewal(paid.service, line, TODAY)
    assert not again.applied
    assert again.service == paid.service


def test_apply_refuses_a_line_of_another_domain() -> None:
    line = quote(DomainRenewal(domain("b", date(2024, 2, 10)), 1)).lines[0]
    with pytest.raises(ValidationError):
        apply_domain_renewal(domain("x", date(2024, 2, 10)), line, TODAY)


@given(
    expiry=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    early=st.integers(1, 400),
    years=st.integers(1, 5),
)
def test_renewing_early_never_loses_days(expiry: date, early: int, years: int) -> None:
    # The same domain renewed on its expiry day or `early` days before gets the same expiry.
    s = domain("a", expiry)
    on_day = quote(DomainRenewal(s, years), today=expiry).lines[0].new_expiry
    before = quote(DomainRenewal(s, years), today=expiry - timedelta(days=early)).lines[0]
    assert before.new_expiry == on_day
    assert (before.new_expiry - expiry).days >= 365 * years


@pytest.mark.parametrize(
    ("field", "value"), [("grace_days", -1), ("redemption_days", 366), ("max_years", 0)]
)
def test_terms_out_of_range_are_refused(field: str, value: int) -> None:
    with pytest.raises(ValidationError) as info:
        DomainTerms(**{field: value})  # type: ignore[arg-type]
    assert info.value.field == field


def test_request_day_must_be_a_date() -> None:
    from datetime import UTC, datetime

    with pytest.raises(ValidationError):
        DomainRenewalRequest((), datetime(2024, 3, 1, tzinfo=UTC))


def test_expiry_day_itself_is_in_grace() -> None:
    # On the expiry date the domain has expired: grace, 0 days until expiry.
    line = quote(DomainRenewal(domain("a", TODAY), 1)).lines[0]
    assert (line.state, line.days_until_expiry) == (DomainState.GRACE, 0)
