"""Input checks shared by the renewal modules; each raises ValidationError naming the field."""

from __future__ import annotations

from datetime import date, datetime

from hostbill_core.errors import ValidationError


def require_date(field: str, value: object) -> None:
    """Refuse anything but a calendar date (a datetime is refused too: it is a date subclass)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, value, "a calendar date (datetime.date) is required")
