"""The profile change log: who changed which field of a client's profile, when."""

from __future__ import annotations

from datetime import datetime

import attrs

from hostbill_core.model.checks import aware_instant, identifier

__all__ = ["ProfileChange"]


@attrs.frozen
class ProfileChange:
    """One change of one profile field.

    Attributes:
        field: the field's dotted path, e.g. ``"details.address.city"``.
        old: the value before, as text ("" for none).
        new: the value after, as text.
        actor: who made it, an actor reference such as ``"staff:ann"``.
        at: when, an aware datetime in UTC.
    """

    field: str = attrs.field(validator=identifier)
    old: str
    new: str
    actor: str = attrs.field(validator=identifier)
    at: datetime = attrs.field(validator=aware_instant)
