"""Calendar arithmetic for billing: cycles, half-open periods and anchored due dates.

The n-th due date of a service is computed from its anchor, never by adding a cycle to the
previous due date, so a service anchored on 31 January is due on 28 (or 29) February, 31 March
and 30 April: the day clamps to the month's end and returns to the anchor's day as soon as the
month allows. Day and week cycles add a fixed number of days.

Examples:
    >>> [due_date(date(2011, 1, 31), MONTHLY, n).isoformat() for n in range(1, 4)]
    ['2011-02-28', '2011-03-31', '2011-04-30']
    >>> next_due_date(date(2024, 2, 29), ANNUALLY, date(2024, 3, 1))
    datetime.date(2025, 2, 28)

Periods are half-open, ``[start, end)``: a period from 1 March to 1 April holds 31 days and
does not contain 1 April.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import enum
import re
from datetime import date, datetime, timedelta
from typing import ClassVar

import attrs

from hostbill_core.errors import ValidationError

__all__ = [
    "ANNUALLY",
    "BIENNIALLY",
    "MONTHLY",
    "QUARTERLY",
    "SEMIANNUALLY",
    "TRIENNIALLY",
    "BillingCycle",
    "CycleUnit",
    "Period",
    "add_months",
    "days_in_month",
    "due_date",
    "next_due_date",
    "require_date",
]


class CycleUnit(enum.Enum):
    """The unit a billing cycle counts in."""

    DAY = "D"
    WEEK = "W"
    MONTH = "M"
    YEAR = "Y"


_ISO_CYCLE = re.compile(r"P([1-9][0-9]*)([DWMY])")


def _positive_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("count", value, "a cycle counts a whole number of units, 1 or more")
    return value


@attrs.frozen(order=False)
class BillingCycle:
    """A billing cycle: ``count`` days, weeks, months or years.

    Month and year cycles are calendar cycles (a year is 12 months, due dates clamp to the
    month's end); day and week cycles are fixed lengths. The text form is ISO 8601's
    duration (``P1M``, ``P3M``, ``P1Y``, ``P2W``, ``P30D``), used by the serialiser.

    >>> BillingCycle.months(3) == QUARTERLY
    True
    >>> str(BIENNIALLY), BillingCycle.parse("P2W")
    ('P2Y', BillingCycle(unit=<CycleUnit.WEEK: 'W'>, count=2))
    """

    unit: CycleUnit
    count: int = attrs.field(converter=_positive_count)

    MONTHLY: ClassVar[BillingCycle]
    QUARTERLY: ClassVar[BillingCycle]
    SEMIANNUALLY: ClassVar[BillingCycle]
    ANNUALLY: ClassVar[BillingCycle]
    BIENNIALLY: ClassVar[BillingCycle]
    TRIENNIALLY: ClassVar[BillingCycle]

    @classmethod
    def days(cls, n: int) -> BillingCycle:
        """A cycle of ``n`` days."""
        return cls(CycleUnit.DAY, n)

    @classmethod
    def weeks(cls, n: int) -> BillingCycle:
        """A cycle of ``n`` weeks (7 × n days)."""
        return cls(CycleUnit.WEEK, n)

    @classmethod
    def months(cls, n: int) -> BillingCycle:
        """A cycle of ``n`` calendar months."""
        return cls(CycleUnit.MONTH, n)

    @classmethod
    def years(cls, n: int) -> BillingCycle:
        """A cycle of ``n`` calendar years."""
        return cls(CycleUnit.YEAR, n)

    @classmethod
    def parse(cls, text: str) -> BillingCycle:
        """Read the ISO 8601 duration form (``P1M``).

        Raises:
            ValidationError: the text is not ``P`` + a positive integer + one of D, W, M, Y.
        """
        match = _ISO_CYCLE.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValidationError("cycle", text, "write a cycle as P1M, P3M, P1Y, P2W or P30D")
        return cls(CycleUnit(match.group(2)), int(match.group(1)))

    @property
    def is_calendar(self) -> bool:
        """True for month and year cycles, whose length in days varies."""
        return self.unit in (CycleUnit.MONTH, CycleUnit.YEAR)

    @property
    def in_months(self) -> int:
        """The cycle's length in months (a year is 12).

        Raises:
            ValidationError: for a day or week cycle, which has no length in months.
        """
        if self.unit is CycleUnit.MONTH:
            return self.count
        if self.unit is CycleUnit.YEAR:
            return 12 * self.count
        raise ValidationError("cycle", str(self), "a day or week cycle has no length in months")

    @property
    def in_days(self) -> int:
        """The cycle's length in days, for day and week cycles.

        Raises:
            ValidationError: for a month or year cycle, whose length in days varies.
        """
        if self.unit is CycleUnit.DAY:
            return self.count
        if self.unit is CycleUnit.WEEK:
            return 7 * self.count
        raise ValidationError("cycle", str(self), "a month or year cycle has no fixed length")

    def __str__(self) -> str:
        return f"P{self.count}{self.unit.value}"


MONTHLY = BillingCycle.MONTHLY = BillingCycle.months(1)
QUARTERLY = BillingCycle.QUARTERLY = BillingCycle.months(3)
SEMIANNUALLY = BillingCycle.SEMIANNUALLY = BillingCycle.months(6)
ANNUALLY = BillingCycle.ANNUALLY = BillingCycle.years(1)
BIENNIALLY = BillingCycle.BIENNIALLY = BillingCycle.years(2)
TRIENNIALLY = BillingCycle.TRIENNIALLY = BillingCycle.years(3)


def require_date(field: str, value: object) -> None:
    """Refuse anything but a calendar date, naming ``field`` (a datetime is refused too).

    Raises:
        ValidationError: ``value`` is not a ``datetime.date``, or is a ``datetime``.
    """
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, value, "a calendar date (datetime.date) is required")


@attrs.frozen(order=True)
class Period:
    """A half-open run of calendar days, ``[start, end)``; ``start < end``.

    >>> p = Period(date(2024, 2, 1), date(2024, 3, 1))
    >>> p.days, p.contains(date(2024, 2, 29)), p.contains(date(2024, 3, 1))
    (29, True, False)
    >>> p.overlap(Period(date(2024, 2, 20), date(2024, 4, 1)))
    Period(start=datetime.date(2024, 2, 20), end=datetime.date(2024, 3, 1))

    Raises:
        ValidationError: ``end`` is not after ``start``, or either is not a date.
    """

    start: date
    end: date

    def __attrs_post_init__(self) -> None:
        require_date("start", self.start)
        require_date("end", self.end)
        if self.end <= self.start:
            raise ValidationError(
                "end", self.end, f"a period ends after it starts ({self.start.isoformat()})"
            )

    @property
    def days(self) -> int:
        """The number of days in the period (end − start)."""
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        """True when ``start <= day < end``."""
        return self.start <= day < self.end

    def overlap(self, other: Period) -> Period | None:
        """The period both share, or None when they share no day."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start < end else None

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


def days_in_month(year: int, month: int) -> int:
    """The number of days in a month of the proleptic Gregorian calendar."""
    return _stdlib_calendar.monthrange(year, month)[1]


def add_months(day: date, months: int, sticky_day: int | None = None) -> date:
    """Move ``day`` by ``months`` calendar months, clamping to the month's end.

    Args:
        day: the date to move from.
        months: how many months to move; may be negative.
        sticky_day: the day of month to aim at (default: ``day.day``); clamped to the target
            month's length, so 31 gives 30 April and 28/29 February.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValidationError("months", months, f"moves {day.isoformat()} out of years 1–9999")
    target = day.day if sticky_day is None else sticky_day
    return date(year, month + 1, min(target, days_in_month(year, month + 1)))


def due_date(anchor: date, cycle: BillingCycle, n: int) -> date:
    """The n-th due date of a service anchored on ``anchor``: ``anchor + n × cycle``.

    Computed from the anchor, not from the previous due date; for month and year cycles the
    day sticks to the anchor's day, clamped to each month's end. ``n`` may be negative
    (due dates before the anchor).

    >>> due_date(date(2024, 2, 29), ANNUALLY, 4)
    datetime.date(2028, 2, 29)
    """
    if cycle.is_calendar:
        return add_months(anchor, n * cycle.in_months)
    return anchor + timedelta(days=n * cycle.in_days)


def next_due_date(anchor: date, cycle: BillingCycle, after: date) -> date:
    """The first due date of the series ``anchor + n × cycle`` strictly after ``after``.

    The series runs in both directions, so for ``after`` before the anchor the answer may be
    a date before the anchor too.

    >>> next_due_date(date(2011, 1, 31), MONTHLY, date(2011, 2, 28))
    datetime.date(2011, 3, 31)
    """
    if not cycle.is_calendar:
        return due_date(anchor, cycle, (after - anchor).days // cycle.in_days + 1)
    # The n-th due date of a calendar cycle lies in month anchor + n × k. With n the floor of
    # the months from the anchor to `after` over k, that month is at most after's month: the
    # n-th date is the answer when it is later in after's own month, else the (n+1)-th is.
    span = (after.year - anchor.year) * 12 + after.month - anchor.month
    n = span // cycle.in_months
    candidate = due_date(anchor, cycle, n)
    return candidate if candidate > after else due_date(anchor, cycle, n + 1)
