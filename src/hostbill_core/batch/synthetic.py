"""Generated frames: a large hosting shop's services as columns, for what-ifs and benchmarks.

:func:`synthetic_frames` draws ``n`` services from a seeded generator (the same seed and size
give the same services) with the mix of a shared-hosting business: mostly monthly and annual
cycles, some quarterly, semi-annual, biennial and triennial, a few weekly and 30-day ones;
anchors over the ten years before ``start`` (so month ends and 29 February occur); clients
numbered in order, every other one holding two services (``n`` services, ``⌈2n/3⌉``
clients); a tenth have a billing day; prices in USD, EUR, JPY and KWD. The frames have no
labels: they make no ``Service`` models.

The services are drawn :data:`BLOCK` rows at a time, one frame per block, so that a forecast
over a generated shop never holds an array larger than a block: a partition task on a Dask
worker then reuses the same small heap blocks instead of mapping fresh pages for every large
array (see :mod:`hostbill_core.batch.dask`). :func:`synthetic_frame` is the same services in
one frame.

>>> from datetime import date
>>> frame = synthetic_frame(1000, seed=7, start=date(2026, 1, 1))
>>> len(frame), frame.currencies
(1000, ('USD', 'EUR', 'JPY', 'KWD'))
>>> bool((frame.next_due >= day_number(date(2026, 1, 1))).all())
True
>>> [len(block) for block in synthetic_frames(20_000, seed=7)]
[8192, 8192, 3616]
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np

from hostbill_core.batch.days import Int64Array, day_number
from hostbill_core.batch.due import next_due
from hostbill_core.batch.frame import ServiceFrame
from hostbill_core.errors import ValidationError

__all__ = ["BLOCK", "synthetic_frame", "synthetic_frames"]

#: Rows drawn at a time: 2^13 rows keep each int64 column and temporary at 64 KiB, below
#: glibc's 128 KiB mmap threshold (which Dask's workers pin; see ``batch.dask``).
BLOCK = 1 << 13
# (unit code, length, weight): monthly, annual, quarterly, semi-annual, biennial,
# triennial, weekly, every 30 days.
_CYCLES = np.array(
    [(2, 1, 50), (3, 12, 25), (2, 3, 8), (2, 6, 5), (3, 24, 5), (3, 36, 3), (1, 7, 2), (0, 30, 2)]
)
_CURRENCIES = ("USD", "EUR", "JPY", "KWD")
# Per currency: price range in minor units (USD/EUR cents, whole yen, KWD fils) and weight.
_PRICES = np.array([(199, 9_999, 50), (199, 8_999, 30), (300, 12_000, 15), (600, 30_000, 5)])
# Statuses by code (pending, active, suspended, terminated, cancelled, fraud) and weights.
_STATUS_WEIGHTS = np.array([3, 85, 4, 3, 4, 1])


def _pick(rng: np.random.Generator, weights: Int64Array, n: int) -> Int64Array:
    picked: Int64Array = rng.choice(len(weights), size=n, p=weights / weights.sum())
    return picked


def _block(rng: np.random.Generator, lo: int, n: int, start: date) -> ServiceFrame:
    """Rows ``lo`` to ``lo + n`` of a generated shop, drawn from ``rng``."""
    first = day_number(start)
    anchors = rng.integers(first - 3652, first, size=n, dtype=np.int64)
    months = anchors.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    month_starts = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    cycle = _pick(rng, _CYCLES[:, 2], n)
    unit = _CYCLES[cycle, 0]
    currency = _pick(rng, _PRICES[:, 2], n)
    low, high = _PRICES[currency, 0], _PRICES[currency, 1]
    billing = np.where(rng.random(n) < 0.1, rng.integers(1, 32, size=n), 0)
    frame = ServiceFrame(
        client=np.arange(lo, lo + n, dtype=np.int64) * 2 // 3,
        anchor_month=months + 1970 * 12,
        anchor_day=anchors - month_starts + 1,
        cycle_unit=unit,
        cycle_length=_CYCLES[cycle, 1],
        billing_day=np.where(unit >= 2, billing, 0),
        price=low + rng.integers(0, 1 << 62, size=n, dtype=np.int64) % (high - low + 1),
        currency=currency.astype(np.int64),
        status=_pick(rng, _STATUS_WEIGHTS, n).astype(np.int64),
        next_due=np.zeros(n, dtype=np.int64),
        currencies=_CURRENCIES,
    )
    return attrs.evolve(frame, next_due=next_due(frame, start - timedelta(1), billing_day=True))


def synthetic_frames(
    n: int, *, seed: int = 0, start: date = date(2026, 1, 1)
) -> Iterator[ServiceFrame]:
    """``n`` generated services due on or after ``start``, as frames of :data:`BLOCK` rows.

    The last frame holds the remaining rows; a shop of 0 services is one empty frame. Blocks
    are drawn one after another from one generator seeded with ``seed``, as they are asked
    for: only the block being used is held.

    Raises:
        ValidationError: ``n`` below 0.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValidationError("n", n, "a frame of 0 services or more")
    rng = np.random.default_rng(seed)
    return (_block(rng, lo, min(BLOCK, n - lo), start) for lo in range(0, max(n, 1), BLOCK))


def synthetic_frame(n: int, *, seed: int = 0, start: date = date(2026, 1, 1)) -> ServiceFrame:
    """The services of :func:`synthetic_frames` in one frame of ``n`` rows.

    Raises:
        ValidationError: ``n`` below 0.
    """
    blocks = list(synthetic_frames(n, seed=seed, start=start))
    columns: dict[str, Any] = {
        field.name: np.concatenate([getattr(block, field.name) for block in blocks])
        for field in attrs.fields(ServiceFrame)
        if field.init and field.name not in ("currencies", "labels")
    }
    return ServiceFrame(**columns, currencies=_CURRENCIES)
