"""Revenue forecast per month and currency, and the monthly run rate, on columns.

**Forecast.** For each calendar month of the horizon and each currency, the sum of the prices
of every renewal falling due in that month: every date of a service's due-date series (see
:mod:`hostbill_core.batch.due`) that lies in the month and on or after the service's
``next_due`` (earlier dates are already invoiced), for services whose status is among
``statuses`` (default: active). A weekly service can renew four or five times in a month. The
sums are exact int64 minor units; nothing is rounded.

**Run rate.** The recurring revenue of one month: each price normalised to one month exactly
(a month or year cycle of ``m`` months: ``price / m``; a day or week cycle of ``L`` days:
``price × 146097 / (4800 × L)``, the mean Gregorian month of 30.436875 days), summed per
currency as an exact fraction and rounded once, by a named :class:`RoundingPolicy`.

>>> from datetime import date
>>> from hostbill_core.batch.days import day_numbers
>>> from hostbill_core.batch.frame import ServiceFrame
>>> firsts = day_numbers([date(2026, 1, 31), date(2026, 1, 15), date(2026, 1, 1)])
>>> frame = ServiceFrame(client=[0, 1, 2], anchor_month=[24312, 24312, 24312],
...     anchor_day=[31, 15, 1], cycle_unit=[2, 3, 1], cycle_length=[1, 12, 7],
...     billing_day=[0, 0, 0], price=[499, 4990, 100], currency=[0, 0, 1],
...     status=[1, 1, 1], next_due=firsts, currencies=("USD", "EUR"))
>>> f = forecast(frame, date(2026, 1, 1), 2)
>>> f.currencies, f.totals.tolist()        # Jan: 499 + 4990 USD, 5 Thursdays × 100 EUR
(('EUR', 'USD'), [[500, 5489], [400, 499]])
>>> r = run_rate(frame)
>>> r.amounts["USD"], r.amounts["EUR"]     # 4.99 + 49.90 / 12; 1.00 × 30.436875 / 7
(Money('9.15', 'USD'), Money('4.35', 'EUR'))
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from moneyed import Money

from hostbill_core.batch.days import (
    FIRST_MONTH,
    LAST_MONTH,
    Int64Array,
    month_index,
    month_table,
)
from hostbill_core.batch.due import CHUNK, sticky_days
from hostbill_core.batch.frame import STATUSES, ServiceFrame
from hostbill_core.errors import ValidationError
from hostbill_core.model.services import ServiceStatus
from hostbill_core.money import RoundingPolicy, from_minor, minor_units

__all__ = ["Forecast", "RunRate", "forecast", "run_rate"]

_INT64_MAX = int(np.iinfo(np.int64).max)
_CALENDAR = 2
_MONTH_DAYS = Fraction(146097, 4800)  # days in a 400-year Gregorian cycle / its months
Bools = np.ndarray[Any, np.dtype[np.bool_]]
#: Rows per chunk of the month loop: 2^12 rows keep each int64 temporary at 32 KiB, below
#: glibc's 128 KiB mmap threshold. Dask's workers set ``MALLOC_TRIM_THRESHOLD_``, which pins
#: that threshold; with larger temporaries every one of them was a fresh ``mmap`` and the
#: forecast ran twice as slowly on a worker as in a plain process.
_MONTH_CHUNK = 1 << 12


@attrs.frozen(eq=False)
class Forecast:
    """Renewal revenue per month (rows) and currency (columns), in minor units.

    Attributes:
        months: the first day of each month of the horizon.
        currencies: ISO 4217 codes, sorted; the columns of ``totals``.
        totals: int64, shape (months, currencies): the prices of the renewals due.
        renewals: int64, same shape: how many renewals fall due.
        explanation: how the figures were derived.
    """

    months: tuple[date, ...]
    currencies: tuple[str, ...]
    totals: Int64Array
    renewals: Int64Array
    explanation: str

    def amount(self, month: date, currency: str) -> Money:
        """The forecast revenue of ``month`` (any day in it) in ``currency``.

        Raises:
            ValidationError: a month outside the horizon or a currency not forecast.
        """
        first = month.replace(day=1)
        if first not in self.months:
            raise ValidationError("month", month, "outside the forecast's horizon")
        if currency not in self.currencies:
            raise ValidationError("currency", currency, f"forecast has {self.currencies}")
        units = self.totals[self.months.index(first), self.currencies.index(currency)]
        return from_minor(int(units), currency)

    def merge(self, other: Forecast) -> Forecast:
        """The forecast of both sets of services (same horizon), currencies united."""
        if other.months != self.months:
            raise ValidationError("months", other.months, "merge forecasts of one horizon")
        codes = tuple(sorted(set(self.currencies) | set(other.currencies)))
        shape = (len(self.months), len(codes))
        totals, renewals = np.zeros(shape, np.int64), np.zeros(shape, np.int64)
        for part in (self, other):
            at = [codes.index(c) for c in part.currencies]
            totals[:, at] += part.totals
            renewals[:, at] += part.renewals
        return attrs.evolve(self, currencies=codes, totals=totals, renewals=renewals)


@attrs.frozen
class RunRate:
    """Monthly recurring revenue per currency, rounded once.

    Attributes:
        exact: per currency, the exact monthly amount in minor units (a fraction).
        amounts: per currency, the amount rounded to the minor unit by ``policy``.
        policy: the rounding applied, once per currency.
        explanation: the derivation of every amount.
    """

    exact: Mapping[str, Fraction]
    amounts: Mapping[str, Money]
    policy: RoundingPolicy
    explanation: str


def _frames(frames: ServiceFrame | Iterable[ServiceFrame]) -> Iterable[ServiceFrame]:
    return (frames,) if isinstance(frames, ServiceFrame) else frames


def _kept(frame: ServiceFrame, statuses: Iterable[ServiceStatus]) -> Bools:
    codes = [STATUSES.index(s) for s in statuses]
    kept: Bools = np.isin(frame.status, codes)
    return kept


def _check_prices(frame: ServiceFrame) -> None:
    # A chunk's sum of price × renewals (at most 31 a month) must stay within int64.
    largest = int(np.abs(frame.price).max()) if len(frame) else 0
    if largest * CHUNK * 31 > _INT64_MAX:
        raise ValidationError("price", largest, "a price beyond 4.5 × 10^12 minor units")


def _month_counts(part: _Part, month: int) -> Int64Array:
    """How many of each row's due dates fall in ``month``, on or after its next due date."""
    before, length = month_table()
    due: Bools = (part.anchor_month - month) % part.months == 0
    due &= before[month] + np.minimum(part.sticky, length[month]) >= part.next_due
    counts: Int64Array = due.astype(np.int64)
    if part.fixed.size:
        low = np.maximum(before[month] + 1, part.fixed_next_due)
        high = before[month] + length[month]
        span = (high - part.fixed_anchor) // part.fixed_days
        span -= (low - 1 - part.fixed_anchor) // part.fixed_days
        counts[part.fixed] = np.where(low <= high, span, 0)
    return counts


@attrs.frozen(eq=False)
class _Part:
    """One chunk of a frame, with what every month of the forecast reuses."""

    anchor_month: Int64Array
    sticky: Int64Array
    months: Int64Array
    next_due: Int64Array
    fixed: Int64Array
    fixed_anchor: Int64Array
    fixed_days: Int64Array
    fixed_next_due: Int64Array

    @classmethod
    def of(cls, frame: ServiceFrame, part: slice, sticky: Int64Array) -> _Part:
        unit, lengths = frame.cycle_unit[part], frame.cycle_length[part]
        fixed = np.flatnonzero(unit < _CALENDAR)
        before, _length = month_table()
        anchors = before[frame.anchor_month[part][fixed]] + frame.anchor_day[part][fixed]
        return cls(
            anchor_month=frame.anchor_month[part],
            sticky=sticky[part],
            months=np.where(unit < _CALENDAR, 1, lengths) if fixed.size else lengths,
            next_due=frame.next_due[part],
            fixed=fixed,
            fixed_anchor=anchors,
            fixed_days=lengths[fixed],
            fixed_next_due=frame.next_due[part][fixed],
        )


def _forecast_frame(
    frame: ServiceFrame, months: range, kept: Bools, billing_day: bool
) -> tuple[list[list[int]], list[list[int]]]:
    """Sums per month and currency index of one frame, as Python ints."""
    _check_prices(frame)
    sticky = sticky_days(frame, billing_day)
    totals = [[0] * len(frame.currencies) for _ in months]
    renewals = [[0] * len(frame.currencies) for _ in months]
    for lo in range(0, len(frame), _MONTH_CHUNK):
        part = slice(lo, lo + _MONTH_CHUNK)
        chunk = _Part.of(frame, part, sticky)
        price, currency, keep = frame.price[part], frame.currency[part], kept[part]
        masks = [keep & (currency == c) for c in range(len(frame.currencies))]
        for row, month in enumerate(months):
            counts = _month_counts(chunk, month)
            paid = price * counts
            for c, mask in enumerate(masks):
                totals[row][c] += int(paid.sum(where=mask))
                renewals[row][c] += int(counts.sum(where=mask))
    return totals, renewals


def forecast(
    frames: ServiceFrame | Iterable[ServiceFrame],
    first_month: date,
    months: int,
    *,
    statuses: Iterable[ServiceStatus] = (ServiceStatus.ACTIVE,),
    billing_day: bool = False,
) -> Forecast:
    """Renewal revenue of ``months`` calendar months from ``first_month``, per currency.

    Args:
        frames: one frame, or an iterable of frames (chunks streamed from a store): only one
            chunk is held at a time.
        first_month: any day of the first month.
        months: the horizon, 1 or more months.
        statuses: the statuses whose services count (default: active only).
        billing_day: follow the billing-day series (see :func:`~hostbill_core.batch.next_due`).

    Raises:
        ValidationError: ``months`` below 1, a horizon beyond year 9999, or a price beyond
            4.5 × 10^12 minor units.
    """
    first = month_index(first_month, "first_month")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValidationError("months", months, "a horizon of 1 month or more")
    if not FIRST_MONTH <= first + months - 1 <= LAST_MONTH:
        raise ValidationError("months", months, "the horizon passes year 9999")
    horizon = range(first, first + months)
    wanted = tuple(statuses)
    days = tuple(date(m // 12, m % 12 + 1, 1) for m in horizon)
    empty = np.zeros((months, 0), np.int64)
    result = Forecast(days, (), empty, empty, "")
    for frame in _frames(frames):
        totals, renewals = _forecast_frame(frame, horizon, _kept(frame, wanted), billing_day)
        shape = (months, len(frame.currencies))
        sums = [np.array(t, dtype=np.int64).reshape(shape) for t in (totals, renewals)]
        result = result.merge(Forecast(days, frame.currencies, sums[0], sums[1], ""))
    return attrs.evolve(result, explanation=_explain(days, wanted))


def _explain(months: tuple[date, ...], statuses: tuple[ServiceStatus, ...]) -> str:
    names = ", ".join(s.value for s in statuses)
    return (
        f"Renewals due {months[0].isoformat()} to {months[-1].isoformat()} (month by month): "
        "every due date of each service's anchored series on or after its next due date, "
        f"statuses {names}, priced at its price per cycle; exact sums in minor units, "
        "no rounding."
    )


def _cycle_sums(frame: ServiceFrame, kept: Bools) -> dict[tuple[str, bool, int], int]:
    """Exact sums of the kept prices per (currency, fixed-length cycle?, length)."""
    _check_prices(frame)
    sums: dict[tuple[str, bool, int], int] = {}
    for lo in range(0, len(frame), CHUNK):
        part = slice(lo, lo + CHUNK)
        keep = kept[part]
        fixed = frame.cycle_unit[part][keep] < _CALENDAR
        key = (frame.currency[part][keep] << 32) | (fixed.astype(np.int64) << 31)
        key |= frame.cycle_length[part][keep]
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if key.size else order
        totals = np.add.reduceat(frame.price[part][keep][order], starts) if key.size else order
        for k, total in zip(ordered[starts].tolist(), totals.tolist(), strict=True):
            group = (frame.currencies[k >> 32], bool(k >> 31 & 1), k & (2**31 - 1))
            sums[group] = sums.get(group, 0) + total
    return sums


def _round_exact(exact: Fraction, currency: str, policy: RoundingPolicy) -> Money:
    """Round an exact amount of minor units once, with ``policy``, to a Money."""
    digits = len(str(exact.numerator)) + len(str(exact.denominator)) + 10
    with decimal.localcontext() as ctx:
        ctx.prec = digits  # enough that only the policy's quantisation rounds
        major = (Decimal(exact.numerator) / Decimal(exact.denominator)).scaleb(
            -minor_units(currency)
        )
    return Money(policy.quantize(major, currency), currency)


def run_rate(
    frames: ServiceFrame | Iterable[ServiceFrame],
    *,
    policy: RoundingPolicy | None = None,
    statuses: Iterable[ServiceStatus] = (ServiceStatus.ACTIVE,),
) -> RunRate:
    """Monthly recurring revenue per currency: prices normalised to a month, rounded once.

    Args:
        frames: one frame, or an iterable of frames streamed chunk by chunk.
        policy: the one rounding of each currency's exact total (default ROUND_HALF_UP).
        statuses: the statuses whose services count (default: active only).

    Raises:
        ValidationError: a price beyond 4.5 × 10^12 minor units.
    """
    rounding = policy or RoundingPolicy()
    wanted = tuple(statuses)
    exact: dict[str, Fraction] = {}
    for frame in _frames(frames):
        for (code, fixed, length), total in _cycle_sums(frame, _kept(frame, wanted)).items():
            per_month = total * _MONTH_DAYS / length if fixed else Fraction(total, length)
            exact[code] = exact.get(code, Fraction(0)) + per_month
    codes = sorted(exact)
    amounts = {code: _round_exact(exact[code], code, rounding) for code in codes}
    lines = [
        f"{code}: {exact[code].numerator}/{exact[code].denominator} minor units a month, "
        f"{rounding.mode} → {amounts[code].amount} {code}"
        for code in codes
    ]
    return RunRate(
        exact={code: exact[code] for code in codes},
        amounts=amounts,
        policy=rounding,
        explanation=(
            "Each price normalised to one month exactly (month and year cycles: price ÷ "
            "months; day and week cycles: price × 146097 ÷ (4800 × days), the mean Gregorian "
            "month), summed per currency, rounded once. " + "; ".join(lines)
        ),
    )
