"""Validators shared by the built-in signals' settings."""

from __future__ import annotations

from typing import Any

import attrs

from hostbill_core.errors import ValidationError

__all__ = ["MAX_POINTS", "flag", "points", "positive"]

#: Points are whole numbers from -MAX_POINTS to MAX_POINTS (the score scale is 0–100).
MAX_POINTS = 100


def points(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Points are a whole number from -100 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_POINTS:
        raise ValidationError(attribute.name, value, "points are a whole number from -100 to 100")


def positive(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """A count or a number of days of 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(attribute.name, value, "a whole number of 1 or more")


def flag(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """A switch is a bool (not 0/1, not a string)."""
    if not isinstance(value, bool):
        raise ValidationError(attribute.name, value, "true or false")
