"""The renewal sequence: reminders before a due date, expiry steps after an unpaid one.

As in HostShop's renewal sequence: reminder emails go out some days before each due date (two
by default), optionally with the payable invoice; if the due date passes unpaid, expiry steps
run on chosen days 0–60 after it, each doing some actions (disable, cancel, lock out, send
templates) to the service types it is for.

A sequence is refused (:class:`~hostbill_core.errors.ValidationError`) when it could not be
run sensibly: a step beyond day 60, two steps on the same day for the same service type, or a
cancel on an earlier day than a disable for the same service type (nothing is left to disable
once cancelled).

>>> seq = RenewalSequence()
>>> seq.reminder_days, [step.day for step in seq.steps]
((14, 7), [0, 7, 30])
>>> RenewalSequence(steps=(ExpiryStep(61, (ExpiryAction.DISABLE,)),))
Traceback (most recent call last):
...
hostbill_core.errors.ValidationError: day=61: an expiry step runs 0 to 60 days after the due date
"""

from __future__ import annotations

import enum

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model.catalogue import ProductType

__all__ = ["MAX_EXPIRY_DAY", "ExpiryAction", "ExpiryStep", "RenewalSequence"]

MAX_EXPIRY_DAY = 60
"""The last day after an unpaid due date an expiry step may run on."""

_MAX_REMINDER_DAYS = 366


class ExpiryAction(enum.Enum):
    """What an expiry step does to an overdue service.

    DISABLE suspends the service; CANCEL cancels it (final); LOCKOUT locks the client out of
    the client area until paid; SEND_TEMPLATE sends the step's email templates.
    """

    DISABLE = "disable"
    CANCEL = "cancel"
    LOCKOUT = "lockout"
    SEND_TEMPLATE = "send_template"


def _day(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EXPIRY_DAY:
        raise ValidationError(
            attribute.name,
            value,
            f"an expiry step runs 0 to {MAX_EXPIRY_DAY} days after the due date",
        )


def _types(value: object) -> frozenset[ProductType]:
    items = frozenset(value) if isinstance(value, (set, frozenset, tuple, list)) else None
    if items is None or not all(isinstance(t, ProductType) for t in items):
        raise ValidationError("product_types", value, "a set of ProductType members (empty: all)")
    return items


@attrs.frozen
class ExpiryStep:
    """What happens ``day`` days after an unpaid due date.

    Attributes:
        day: days after the due date, 0 (the due date itself) to 60.
        actions: the actions, run in the order given.
        templates: the email templates SEND_TEMPLATE sends.
        product_types: the service types the step applies to; empty means every type.

    Raises:
        ValidationError: a day outside 0–60; no actions; an action listed twice;
            SEND_TEMPLATE without templates, or templates without SEND_TEMPLATE.
    """

    day: int = attrs.field(validator=_day)
    actions: tuple[ExpiryAction, ...]
    templates: tuple[str, ...] = ()
    product_types: frozenset[ProductType] = attrs.field(default=frozenset(), converter=_types)

    def __attrs_post_init__(self) -> None:
        if not self.actions or not all(isinstance(a, ExpiryAction) for a in self.actions):
            raise ValidationError("actions", self.actions, "one or more ExpiryAction members")
        if len(set(self.actions)) != len(self.actions):
            raise ValidationError("actions", self.actions, "each action appears once")
        sends = ExpiryAction.SEND_TEMPLATE in self.actions
        if sends != bool(self.templates):
            raise ValidationError(
                "templates", self.templates, "SEND_TEMPLATE and templates go together"
            )

    @property
    def step(self) -> str:
        """The step's name in idempotency keys: ``expiry-<day>``."""
        return f"expiry-{self.day}"

    def applies_to(self, product_type: ProductType | None) -> bool:
        """True when the step is for every type, or for ``product_type``."""
        return not self.product_types or product_type in self.product_types


def _default_steps() -> tuple[ExpiryStep, ...]:
    send = ExpiryAction.SEND_TEMPLATE
    return (
        ExpiryStep(0, (send,), ("renewal-overdue",)),
        ExpiryStep(7, (ExpiryAction.DISABLE, send), ("service-disabled",)),
        ExpiryStep(30, (ExpiryAction.CANCEL, send), ("service-cancelled",)),
    )


def _reminders(value: object) -> tuple[int, ...]:
    days = tuple(value) if isinstance(value, (tuple, list)) else None
    if days is None or not all(
        isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= _MAX_REMINDER_DAYS
        for d in days
    ):
        raise ValidationError(
            "reminder_days", value, f"days before the due date, each 1 to {_MAX_REMINDER_DAYS}"
        )
    if len(set(days)) != len(days):
        raise ValidationError("reminder_days", value, "each reminder day appears once")
    return tuple(sorted(days, reverse=True))


@attrs.frozen(cache_hash=True)
class RenewalSequence:
    """Reminders before each due date and expiry steps after an unpaid one.

    Attributes:
        reminder_days: days before the due date a reminder is sent (default 14 and 7),
            kept in descending order.
        invoice_with_reminder: issue the renewal invoice with the first reminder when that is
            earlier than the lead time would (default off).
        steps: the expiry steps, kept in day order (default: an overdue email on day 0,
            disable on day 7, cancel on day 30).

    Raises:
        ValidationError: reminder days outside 1–366 or repeated; two steps on one day for
            the same service type; a cancel before a disable for the same service type.
    """

    reminder_days: tuple[int, ...] = attrs.field(default=(14, 7), converter=_reminders)
    invoice_with_reminder: bool = False
    steps: tuple[ExpiryStep, ...] = attrs.field(factory=_default_steps)

    def __attrs_post_init__(self) -> None:
        if not all(isinstance(s, ExpiryStep) for s in self.steps):
            raise ValidationError("steps", self.steps, "a tuple of ExpiryStep")
        object.__setattr__(self, "steps", tuple(sorted(self.steps, key=lambda s: s.day)))
        for product_type in (None, *ProductType):
            self._check_type(product_type)

    def _check_type(self, product_type: ProductType | None) -> None:
        steps = self.steps_for(product_type)
        days = [s.day for s in steps]
        for day in days:
            if days.count(day) > 1:
                who = product_type.value if product_type else "every type"
                raise ValidationError("steps", day, f"two steps on day {day} apply to {who}")
        cancels = [s.day for s in steps if ExpiryAction.CANCEL in s.actions]
        disables = [s.day for s in steps if ExpiryAction.DISABLE in s.actions]
        if cancels and disables and min(cancels) < max(disables):
            who = product_type.value if product_type else "every type"
            raise ValidationError(
                "steps",
                min(cancels),
                f"cancel on day {min(cancels)} comes before disable on day {max(disables)} "
                f"for {who}: disable first",
            )

    def steps_for(self, product_type: ProductType | None) -> tuple[ExpiryStep, ...]:
        """The steps that apply to ``product_type`` (None: an untyped service), in day order."""
        return tuple(s for s in self.steps if s.applies_to(product_type))
