"""Hypothesis strategies for the batch tests: services whose dates stress the calendar.

Each service is drawn as a few flat integers (cheap to draw thousands of times) and decoded:
half the anchors fall on day 28–31 of a month of a leap, common or century year, the cycles
cover every unit with the common ones first, prices are in JPY, USD or KWD.
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from hostbill_core.calendar import BillingCycle, days_in_month
from hostbill_core.model import Service
from hostbill_core.money import from_minor

from .builders import service

#: The currencies of the identity tests: exponents 0 (JPY), 2 (USD) and 3 (KWD).
CODES = ("JPY", "USD", "KWD")
_YEARS = (2024, 2023, 2000, 1900, 2100, 1996, 1999, 2028, *range(1990, 2101))
_LATE = len(_YEARS) * 12 * 4  # (year, month, day 28–31) combinations
_FIRST, _LAST = date(1990, 1, 1).toordinal(), date(2100, 12, 31).toordinal()
#: Every cycle the testing strategies draw, the common ones first (they shrink towards them).
CYCLES = (
    *(BillingCycle.months(n) for n in (1, 12, 3, 6)),
    *(BillingCycle.years(n) for n in (1, 2, 3)),
    *(BillingCycle.months(n) for n in range(2, 37) if n not in (3, 6, 12)),
    *(BillingCycle.weeks(n) for n in range(1, 5)),
    *(BillingCycle.days(n) for n in range(1, 91)),
)


def decode_day(k: int) -> date:
    """Below ``_LATE``: day 28–31 (clamped) of a listed year's month; above: any date."""
    if k < _LATE:
        year_index, rest = divmod(k, 48)
        year, month = _YEARS[year_index], rest // 4 + 1
        return date(year, month, min(28 + rest % 4, days_in_month(year, month)))
    return date.fromordinal(_FIRST + (k - _LATE) % (_LAST - _FIRST + 1))


def days() -> st.SearchStrategy[date]:
    """A date from 1990 to 2100, about half of them on day 28–31."""
    return st.integers(0, 2 * _LATE).map(decode_day)


# One service is one integer, decoded field by field (one draw instead of six).
_FIELDS = (
    2 * _LATE + 1,  # anchor key
    len(CYCLES),  # cycle
    32,  # billing day, 0 for none
    len(CODES),  # currency
    10**9 + 1,  # price in minor units
    3401,  # next due date: −400 to 3000 days after the anchor
)
_ROWS = 1
for _size in _FIELDS:
    _ROWS *= _size


def _decode(key: int) -> list[int]:
    fields = []
    for size in _FIELDS:
        key, value = divmod(key, size)
        fields.append(value)
    return fields


def _service(i: int, key: int) -> Service:
    anchor_key, cycle, billing_day, code, units, shift = _decode(key % _ROWS)
    anchor = decode_day(anchor_key)
    return service(
        from_minor(units, CODES[code]),
        sid=f"s{i}",
        client=f"c{(units + i) % 7}",
        cycle=CYCLES[cycle],
        anchor=anchor,
        due=date.fromordinal(anchor.toordinal() + shift - 400),
        billing_day=billing_day or None,
    )


def _services(blob: bytes) -> list[Service]:
    return [
        _service(i, int.from_bytes(blob[k : k + 9], "little"))
        for i, k in enumerate(range(0, len(blob) - 8, 9))
    ]


@st.composite
def blobs(draw: st.DrawFn, width: int, min_count: int, max_count: int) -> bytes:
    """``width`` bytes for each of ``min_count`` to ``max_count`` items, in one draw.

    The count is drawn first, so examples really hold many items (a bare ``st.binary`` is
    mostly a few bytes long); shrinking still makes fewer and smaller items.
    """
    count = draw(st.integers(min_count, max_count))
    blob: bytes = draw(st.binary(min_size=width * count, max_size=width * count))
    return blob


def services(min_size: int = 10, max_size: int = 40) -> st.SearchStrategy[list[Service]]:
    """``min_size`` to ``max_size`` services of up to 7 clients, each with ``price_override``.

    Drawn as one byte string, 9 bytes a service, so an example of many services costs one
    draw; hypothesis still shrinks it (fewer bytes, smaller bytes: simpler services).
    """
    return blobs(9, min_size, max_size).map(_services)
