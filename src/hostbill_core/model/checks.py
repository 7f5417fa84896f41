"""Validators shared by the models: each raises :class:`~hostbill_core.errors.ValidationError`.

They are attrs validators (``(instance, attribute, value)``) or small predicates used in
``__attrs_post_init__``; the error names the model's field and the refused value.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from moneyed import Money

from hostbill_core.calendar import require_date
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import currency_code

__all__ = [
    "aware_instant",
    "calendar_date",
    "check_currency",
    "code",
    "email",
    "emails",
    "identifier",
    "non_negative_money",
    "optional_calendar_date",
    "same_currency",
    "version_number",
]


def identifier(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """An identifier is a non-empty string without surrounding spaces."""
    if not isinstance(value, str) or not value or value.strip() != value:
        raise ValidationError(attribute.name, value, "an id is a non-empty string, no spaces")


def code(value: object) -> str:
    """Converter: check an ISO 4217 currency code and return it."""
    return currency_code(value)  # type: ignore[arg-type]


def calendar_date(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """A calendar date is a ``datetime.date`` and not a ``datetime``."""
    require_date(attribute.name, value)


def optional_calendar_date(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """None, or a calendar date."""
    if value is not None:
        calendar_date(_instance, attribute, value)


def aware_instant(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """An instant is an aware ``datetime`` in UTC; a naive one is refused."""
    if not isinstance(value, datetime):
        raise ValidationError(attribute.name, value, "an instant is an aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            attribute.name, value, "naive datetime: give an aware one, e.g. tzinfo=UTC"
        )
    if value.utcoffset() != timedelta(0):
        raise ValidationError(
            attribute.name, value, f"store instants in UTC: {value.astimezone(UTC).isoformat()}"
        )


def non_negative_money(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """A price or fee is a Money of zero or more."""
    if not isinstance(value, Money):
        raise ValidationError(attribute.name, value, "an amount is a moneyed.Money")
    if value.amount < 0:
        raise ValidationError(attribute.name, value, "must not be negative")


def check_currency(field: str, money: Money, currency: str) -> None:
    """Raise :class:`CurrencyMismatchError` when ``money`` is not in ``currency``."""
    if money.currency.code != currency:
        raise CurrencyMismatchError(currency, money.currency.code, field)


def same_currency(field: str, amounts: tuple[Money, ...], currency: str) -> None:
    """Every amount is in ``currency``."""
    for i, money in enumerate(amounts):
        check_currency(f"{field}[{i}]", money, currency)


def version_number(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """A stored version is a whole number of 0 (never saved) or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "a version is an int of 0 or more")


def email(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """An email address: one ``@`` with text on both sides and no spaces."""
    if not isinstance(value, str) or not _looks_like_email(value):
        raise ValidationError(attribute.name, value, "an email address such as ann@example.com")


def emails(_instance: Any, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    """Every item of a tuple is an email address."""
    for i, item in enumerate(value):
        if not isinstance(item, str) or not _looks_like_email(item):
            raise ValidationError(
                f"{attribute.name}[{i}]", item, "an email address such as ann@example.com"
            )


def _looks_like_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    # ``text.split() == [text]``: no whitespace anywhere (``str.split`` cuts at exactly the
    # characters ``str.isspace`` names), tested in C rather than character by character.
    return bool(at and local and domain and "@" not in domain and text.split() == [text])
