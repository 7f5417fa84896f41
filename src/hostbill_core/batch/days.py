"""Day numbers and month indexes: the batch engine's integer calendar.

A **day number** is an int64 count of days since 1970-01-01 (numpy's ``datetime64[D]``
epoch), so ``days.view("datetime64[D]")`` shows a column as dates without copying. A **month
index** is ``year × 12 + month − 1``. The engine supports the years of
:class:`datetime.date`, 1 to 9999; a computation that would leave them raises
:class:`~hostbill_core.errors.ValidationError`, as :func:`hostbill_core.calendar.add_months`
does.

>>> day_number(date(1970, 1, 2)), month_index(date(2024, 2, 29))
(1, 24289)
>>> to_dates(day_numbers([date(2024, 2, 29)]) + 1)
[datetime.date(2024, 3, 1)]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from hostbill_core.errors import ValidationError

__all__ = [
    "EPOCH_ORDINAL",
    "FIRST_DAY",
    "FIRST_MONTH",
    "LAST_DAY",
    "LAST_MONTH",
    "NO_DAY",
    "Int64Array",
    "check_days",
    "day_number",
    "day_numbers",
    "month_index",
    "month_table",
    "to_dates",
]

#: A one-dimensional int64 column.
Int64Array: TypeAlias = npt.NDArray[np.int64]

#: The proleptic Gregorian ordinal of 1970-01-01, day number 0.
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
#: The sentinel day number meaning "no date" (an open-ended ``expires_on``).
NO_DAY = int(np.iinfo(np.int64).min)
#: The month indexes of January of year 1 and December of year 9999.
FIRST_MONTH, LAST_MONTH = 12, 9999 * 12 + 11
#: The day numbers of 0001-01-01 and 9999-12-31.
FIRST_DAY = date(1, 1, 1).toordinal() - EPOCH_ORDINAL
LAST_DAY = date(9999, 12, 31).toordinal() - EPOCH_ORDINAL


def _calendar_date(field: str, value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, value, "a calendar date (datetime.date) is required")
    return value


def day_number(day: date, field: str = "day") -> int:
    """The day number of ``day``: days since 1970-01-01 (negative before).

    Raises:
        ValidationError: ``day`` is not a ``datetime.date`` (a ``datetime`` is refused).
    """
    return _calendar_date(field, day).toordinal() - EPOCH_ORDINAL


def day_numbers(days: Iterable[date], field: str = "days") -> Int64Array:
    """A column of day numbers from calendar dates.

    Raises:
        ValidationError: an item is not a ``datetime.date``.
    """
    return np.fromiter((day_number(d, f"{field}[{i}]") for i, d in enumerate(days)), dtype=np.int64)


def month_index(day: date, field: str = "day") -> int:
    """The month index of ``day``: ``year × 12 + month − 1``.

    Raises:
        ValidationError: ``day`` is not a ``datetime.date``.
    """
    checked = _calendar_date(field, day)
    return checked.year * 12 + checked.month - 1


def to_dates(days: Int64Array) -> list[date]:
    """The calendar dates of a column of day numbers, as ``datetime.date`` objects.

    Raises:
        ValidationError: a day number outside years 1–9999 (such as :data:`NO_DAY`).
    """
    check_days(days, "days")
    dates: list[date] = days.astype("datetime64[D]").tolist()
    return dates


def check_days(days: Int64Array, field: str) -> None:
    """Raise unless every day number lies in years 1–9999.

    Raises:
        ValidationError: names ``field`` and the first day number out of range.
    """
    if days.size == 0:
        return
    low, high = int(days.min()), int(days.max())
    if low < FIRST_DAY or high > LAST_DAY:
        bad = low if low < FIRST_DAY else high
        raise ValidationError(field, bad, "a date falls outside years 1–9999")


@cache
def month_table() -> tuple[Int64Array, Int64Array]:
    """Two read-only columns indexed by month index: the day before the 1st, and the month's length.

    ``before[m] + d`` is the day number of day ``d`` of month ``m``; ``length[m]`` is 28 to 31.
    Entries below :data:`FIRST_MONTH` are unused (zero).
    """
    months = np.arange("0001-01", "10000-02", dtype="datetime64[M]")
    starts = months.astype("datetime64[D]").astype(np.int64)
    before = np.zeros(LAST_MONTH + 1, dtype=np.int64)
    length = np.zeros(LAST_MONTH + 1, dtype=np.int64)
    before[FIRST_MONTH:] = starts[:-1] - 1
    length[FIRST_MONTH:] = np.diff(starts)
    before.flags.writeable = False
    length.flags.writeable = False
    return before, length
