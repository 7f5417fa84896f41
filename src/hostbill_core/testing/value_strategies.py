"""Hypothesis strategies for the primitives: currencies, money, dates, cycles, periods, ids.

The building blocks of :mod:`hostbill_core.testing.strategies` (which re-exports them): every
amount drawn is exact and at its currency's minor unit unless asked otherwise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from moneyed import Money

from hostbill_core.calendar import BillingCycle, Period
from hostbill_core.money import from_minor

__all__ = [
    "CURRENCIES",
    "aware_datetimes",
    "billing_cycles",
    "calendar_dates",
    "currencies",
    "emails",
    "identifiers",
    "money",
    "periods",
    "short_texts",
]

#: Currencies drawn by default: every ISO 4217 exponent from 0 (JPY) to 4 (CLF).
CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "JPY", "KWD", "BHD", "CLF", "CHF")


def currencies() -> st.SearchStrategy[str]:
    """A currency code from :data:`CURRENCIES`."""
    return st.sampled_from(CURRENCIES)


@st.composite
def money(
    draw: st.DrawFn,
    currency: str | None = None,
    min_units: int = 0,
    max_units: int = 10**9,
) -> Money:
    """An amount of ``min_units`` to ``max_units`` minor units (default 0 to 10^9)."""
    code = currency if currency is not None else draw(currencies())
    return from_minor(draw(st.integers(min_units, max_units)), code)


def calendar_dates(
    min_value: date = date(1990, 1, 1), max_value: date = date(2100, 12, 31)
) -> st.SearchStrategy[date]:
    """A calendar date, month ends and leap days included."""
    return st.dates(min_value, max_value)


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """An aware instant in UTC, whole microseconds."""
    return st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    )


def billing_cycles() -> st.SearchStrategy[BillingCycle]:
    """A cycle of 1–36 months, 1–3 years, 1–4 weeks or 1–90 days."""
    return st.one_of(
        st.integers(1, 36).map(BillingCycle.months),
        st.integers(1, 3).map(BillingCycle.years),
        st.integers(1, 4).map(BillingCycle.weeks),
        st.integers(1, 90).map(BillingCycle.days),
    )


@st.composite
def periods(draw: st.DrawFn, max_days: int = 800) -> Period:
    """A half-open period of 1 to ``max_days`` days."""
    start = draw(calendar_dates(max_value=date(2098, 1, 1)))
    return Period(start, start + timedelta(days=draw(st.integers(1, max_days))))


def identifiers(prefix: str = "id") -> st.SearchStrategy[Any]:
    """An identifier such as ``id-42`` (typed ``Any`` so it fits every id ``NewType``)."""
    return st.integers(0, 10**6).map(lambda n: f"{prefix}-{n}")


def short_texts() -> st.SearchStrategy[str]:
    """Free text of up to 20 characters of any valid UTF-8 (names, notes, descriptions)."""
    return st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)


def emails() -> st.SearchStrategy[str]:
    """A plain email address such as ``abc@example.org`` (lower-case letters, three TLDs)."""
    return st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.(com|org|de)", fullmatch=True)
