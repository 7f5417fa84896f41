"""Due dates on columns: the n-th, the next after a date, and every one in a window.

Each row's series is the one :func:`hostbill_core.calendar.due_date` defines, ``anchor + n ×
cycle`` counted from the anchor: month and year cycles keep the anchor's day, clamped to each
month's end; day and week cycles add a fixed number of days. With ``billing_day=True`` a row
of a month or year cycle that has a billing day keeps that day instead (as
``calendar.add_months(anchor, n × months, sticky_day=billing_day)``: the renewal engine's
series, :func:`hostbill_core.renewal.schedule.next_due_after`); day and week cycles ignore the
billing day.

How the next due date is found without a loop: on a month cycle of ``m`` months, the rows
whose sticky day is above ``after``'s day may still fall due in ``after``'s own month ``A``;
for the others the first candidate month is ``A + 1``. The first month of the series on or
after a candidate ``T`` is ``T + (anchor_month − T) mod m``, and its day is the sticky day
clamped to that month's length, read from a small table of (month, day) → day number built for
the call. On a day cycle of ``L`` days it is ``after + 1 + (anchor − after − 1) mod L``. Work
runs in chunks of :data:`CHUNK` rows so the temporaries stay in the processor's cache.

>>> from datetime import date
>>> from hostbill_core.batch.days import to_dates
>>> from hostbill_core.batch.frame import ServiceFrame
>>> frame = ServiceFrame(client=[0, 0], anchor_month=[24120, 24120], anchor_day=[31, 31],
...     cycle_unit=[2, 0], cycle_length=[1, 30], billing_day=[0, 0], price=[100, 100],
...     currency=[0, 0], status=[1, 1], next_due=[0, 0], currencies=("USD",))
>>> to_dates(next_due(frame, date(2010, 2, 28)))    # monthly; every 30 days
[datetime.date(2010, 3, 31), datetime.date(2010, 3, 2)]
>>> items = due_in_window(frame, date(2010, 2, 1), date(2010, 4, 1))
>>> items.rows, to_dates(items.due)
(array([0, 0, 1]), [datetime.date(2010, 2, 28), datetime.date(2010, 3, 31),
                    datetime.date(2010, 3, 2)])
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np

from hostbill_core.batch.days import (
    FIRST_DAY,
    FIRST_MONTH,
    LAST_DAY,
    LAST_MONTH,
    Int64Array,
    day_number,
    month_index,
    month_table,
)
from hostbill_core.batch.frame import ServiceFrame
from hostbill_core.errors import ValidationError

__all__ = ["CHUNK", "DueItems", "due_at", "due_in_window", "next_due", "sticky_days"]

#: Rows per chunk: 2^16 rows keep a chunk's int64 temporaries (512 KiB each) in cache.
CHUNK = 1 << 16
Bools = np.ndarray[Any, np.dtype[np.bool_]]
_CALENDAR = 2  # cycle_unit codes 2 (month) and 3 (year) are calendar cycles


@attrs.frozen(eq=False)
class DueItems:
    """Service × due-date pairs: row ``rows[k]`` of the frame falls due on ``due[k]``.

    Ordered by row, then date. ``due`` holds day numbers.
    """

    rows: Int64Array
    due: Int64Array

    def __len__(self) -> int:
        return len(self.rows)


def sticky_days(frame: ServiceFrame, billing_day: bool) -> Int64Array:
    """The day of month each row's month and year due dates aim at, before clamping.

    The anchor's day, or with ``billing_day=True`` the billing day where a row has one.
    """
    if not billing_day:
        return frame.anchor_day
    days: Int64Array = np.where(frame.billing_day > 0, frame.billing_day, frame.anchor_day)
    return days


def _in_month(months: Int64Array, sticky: Int64Array, out: Int64Array) -> None:
    """Day numbers of day ``sticky`` (clamped to the month's end) of each month index.

    The months must lie in years 1–9999 (the caller checks).
    """
    before, length = month_table()
    np.take(length, months, out=out)
    np.minimum(out, sticky, out=out)
    out += before.take(months)


def _next_calendar(
    anchor_month: Int64Array, sticky: Int64Array, months: Int64Array, after: date
) -> Int64Array:
    """Month index of each row's first calendar due date strictly after ``after``.

    With ``T = A + 1 − c`` the first candidate month (:func:`_first_target`), it is
    ``T + (anchor_month − T) mod m``.
    """
    start, early = _first_target(after, sticky)
    found = anchor_month - start
    found += early
    np.remainder(found, months, out=found)
    found += start
    found -= early
    return found


def _next_fixed(anchor: Int64Array, days: Int64Array, after: int) -> Int64Array:
    """Day number of each row's first fixed-length due date strictly after day ``after``."""
    found = anchor - (after + 1)
    np.remainder(found, days, out=found)
    found += after + 1
    if found.size and int(found.max()) > LAST_DAY:
        raise ValidationError("after", after, "a due date falls after 9999-12-31")
    return found


def _anchor_days(anchor_month: Int64Array, anchor_day: Int64Array) -> Int64Array:
    before, _length = month_table()
    days: Int64Array = before.take(anchor_month) + anchor_day
    return days


def _first_target(after: date, sticky: Int64Array) -> tuple[int, Bools | int]:
    """``(A + 1, c)``: the first candidate month of each row is ``A + 1 − c``.

    ``A`` is ``after``'s month index; ``c`` is 1 for the rows that may still fall due in
    ``A`` itself (sticky day above ``after``'s day, ``after`` not the month's last day).
    """
    _before, length = month_table()
    first = month_index(after)
    if after.day == length[first]:
        return first + 1, 0
    early: Bools = sticky > after.day
    return first + 1, early


def _day_table(after: date, rows: int) -> tuple[Int64Array, bool]:
    """The look-up of :func:`_next_in_table`: entry ``r × 32 + s`` is the due day ``s``.

    That is day ``s`` (clamped to the month's end) of month ``A + 1 − c(s) + r``, with ``A``
    and ``c`` as in :func:`_first_target`, for ``r`` below ``rows``. Months past 9999-12 hold
    ``LAST_DAY + 1``; the flag says whether any do.
    """
    before, length = month_table()
    days = np.arange(32)
    start, early = _first_target(after, days)
    months = start - np.asarray(early) + np.arange(rows)[:, None]  # shape (rows, 32)
    inside = months <= LAST_MONTH
    safe = np.where(inside, months, LAST_MONTH)
    table = np.where(inside, before[safe] + np.minimum(days, length[safe]), LAST_DAY + 1)
    return table.ravel(), not bool(inside.all())


def _next_in_table(
    anchor_month: Int64Array,
    sticky: Int64Array,
    months: Int64Array,
    after: date,
    table: Int64Array,
    *,
    out: Int64Array,
) -> None:
    """One chunk's next calendar due dates, written into ``out``.

    With ``T = A + 1 − c`` the first candidate month (:func:`_first_target`), the due month
    is ``T + r`` for ``r = (anchor_month − T) mod m``, and the date is one look-up of
    ``r × 32 + sticky day`` in the :func:`_day_table`.
    """
    start, early = _first_target(after, sticky)
    found = anchor_month - start
    found += early
    np.remainder(found, months, out=found)
    found <<= 5
    found |= sticky
    np.take(table, found, out=out, mode="clip")  # in range: r < rows, 1 ≤ s ≤ 31


def next_due(frame: ServiceFrame, after: date, *, billing_day: bool = False) -> Int64Array:
    """Each row's first due date strictly after ``after``, as day numbers.

    Row by row equal to :func:`hostbill_core.calendar.next_due_date` (``billing_day=False``);
    the series runs both ways, so for ``after`` before the anchor the answer may precede it.
    Every row of a chunk goes through the calendar kernel; the (usually few) day and week
    rows are then computed apart and written over their places.

    Raises:
        ValidationError: ``after`` is not a date, or a due date would fall after 9999-12-31.
    """
    day = day_number(after, "after")
    out = np.empty(len(frame), dtype=np.int64)
    if not len(frame):
        return out
    sticky = sticky_days(frame, billing_day)
    table, truncated = _day_table(after, int(frame.cycle_length.max()) + 1)
    fixed = frame.fixed_rows
    for lo in range(0, len(frame), CHUNK):
        part = slice(lo, lo + CHUNK)
        lengths = frame.cycle_length[part]
        _next_in_table(frame.anchor_month[part], sticky[part], lengths, after, table, out=out[part])
        rows = fixed[np.searchsorted(fixed, lo) : np.searchsorted(fixed, lo + CHUNK)]
        if rows.size:
            anchor = _anchor_days(frame.anchor_month[rows], frame.anchor_day[rows])
            out[rows] = _next_fixed(anchor, frame.cycle_length[rows], day)
    if truncated and int(out.max()) > LAST_DAY:
        raise ValidationError("after", after, "a due date falls after 9999-12-31")
    return out


@attrs.frozen(eq=False)
class _Series:
    """The columns that define each row's due-date series."""

    anchor_month: Int64Array
    anchor_day: Int64Array
    calendar: np.ndarray[Any, np.dtype[np.bool_]]
    length: Int64Array
    sticky: Int64Array

    @classmethod
    def of(cls, frame: ServiceFrame, billing_day: bool) -> _Series:
        calendar = frame.cycle_unit >= _CALENDAR
        sticky = sticky_days(frame, billing_day)
        return cls(frame.anchor_month, frame.anchor_day, calendar, frame.cycle_length, sticky)

    def take(self, rows: Int64Array) -> _Series:
        return _Series(*(column[rows] for column in attrs.astuple(self, recurse=False)))

    def first_index_after(self, after: date) -> Int64Array:
        """The series index ``n`` of each row's first due date strictly after ``after``."""
        months = np.where(self.calendar, self.length, 1)
        found = _next_calendar(self.anchor_month, self.sticky, months, after)
        by_month = (found - self.anchor_month) // months
        anchor = _anchor_days(self.anchor_month, self.anchor_day)
        by_day = (day_number(after) - anchor) // self.length + 1
        index: Int64Array = np.where(self.calendar, by_month, by_day)
        return index

    def due_at(self, n: Int64Array) -> Int64Array:
        """Each row's n-th due date, as day numbers."""
        steps = n * self.length
        months = self.anchor_month + np.where(self.calendar, steps, 0)
        if months.size and (int(months.min()) < FIRST_MONTH or int(months.max()) > LAST_MONTH):
            raise ValidationError("n", n.tolist()[:3], "a due date falls outside years 1–9999")
        out = np.empty(len(months), dtype=np.int64)
        _in_month(months, self.sticky, out)
        fixed = _anchor_days(self.anchor_month, self.anchor_day) + steps
        result: Int64Array = np.where(self.calendar, out, fixed)
        if result.size and (int(result.min()) < FIRST_DAY or int(result.max()) > LAST_DAY):
            raise ValidationError("n", n.tolist()[:3], "a due date falls outside years 1–9999")
        return result


def due_at(frame: ServiceFrame, n: int | Int64Array, *, billing_day: bool = False) -> Int64Array:
    """Each row's n-th due date (n = 0 is the anchor; n may be negative), as day numbers.

    Row by row equal to :func:`hostbill_core.calendar.due_date` (``billing_day=False``).

    Args:
        frame: the services.
        n: one index for every row, or an int64 column of one index per row.
        billing_day: aim at the billing day where a month or year row has one.

    Raises:
        ValidationError: a due date outside years 1–9999.
    """
    index = np.broadcast_to(np.asarray(n, dtype=np.int64), (len(frame),))
    return _Series.of(frame, billing_day).due_at(index)


def due_in_window(
    frame: ServiceFrame, start: date, end: date, *, billing_day: bool = False
) -> DueItems:
    """Every due date of every row in ``[start, end)``: one item per (row, date) pair.

    Raises:
        ValidationError: ``end`` is not after ``start``, or a date outside years 1–9999.
    """
    if day_number(end, "end") <= day_number(start, "start"):
        raise ValidationError("end", end, f"a window ends after it starts ({start.isoformat()})")
    if start <= date.min:
        raise ValidationError("start", start, "a window starts after 0001-01-01")
    series = _Series.of(frame, billing_day)
    first = series.first_index_after(start - timedelta(days=1))
    counts = series.first_index_after(end - timedelta(days=1)) - first
    rows = np.repeat(np.arange(len(frame), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    n = first[rows] + np.arange(len(rows), dtype=np.int64) - starts[rows]
    return DueItems(rows, series.take(rows).due_at(n))
