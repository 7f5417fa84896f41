"""Helpers shared by the renewal modules: input checks and locale-free display of amounts."""

from __future__ import annotations

from moneyed import Money

from hostbill_core.calendar import require_date

__all__ = ["require_date", "show_money"]


def show_money(money: Money) -> str:
    """A locale-free rendering for explanations: ``12.00 USD``."""
    return f"{money.amount} {money.currency.code}"
