"""Helpers shared by the renewal modules: input checks and locale-free display of amounts."""

from __future__ import annotations

from datetime import date, datetime

from moneyed import Money

from hostbill_core.errors import ValidationError


def require_date(field: str, value: object) -> None:
    """Refuse anything but a calendar date (a datetime is refused too: it is a date subclass)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, value, "a calendar date (datetime.date) is required")


def show_money(money: Money) -> str:
    """A locale-free rendering for explanations: ``12.00 USD``."""
    return f"{money.amount} {money.currency.code}"
