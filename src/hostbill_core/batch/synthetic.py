"""Generated frames: a large hosting shop's services as columns, for what-ifs and benchmarks.

:func:`synthetic_frame` draws ``n`` services from a seeded generator (the same seed gives the
same frame) with the mix of a shared-hosting business: mostly monthly and annual cycles, some
quarterly, semi-annual, biennial and triennial, a few weekly and 30-day ones; anchors over the
ten years before ``start`` (so month ends and 29 February occur); clients numbered in order,
every other one holding two services (``n`` services, ``⌈2n/3⌉`` clients); a tenth have a
billing day; prices in USD, EUR, JPY and KWD. The frame has no labels: it makes no
``Service`` models.

>>> from datetime import date
>>> frame = synthetic_frame(1000, seed=7, start=date(2026, 1, 1))
>>> len(frame), frame.currencies
(1000, ('USD', 'EUR', 'JPY', 'KWD'))
>>> bool((frame.next_due >= day_number(date(2026, 1, 1))).all())
True
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import numpy as np

from hostbill_core.batch.days import Int64Array, day_number
from hostbill_core.batch.due import next_due
from hostbill_core.batch.frame import ServiceFrame
from hostbill_core.errors import ValidationError

__all__ = ["synthetic_frame"]

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


def synthetic_frame(n: int, *, seed: int = 0, start: date = date(2026, 1, 1)) -> ServiceFrame:
    """``n`` generated services whose next due dates are on or after ``start``.

    Raises:
        ValidationError: ``n`` below 0.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValidationError("n", n, "a frame of 0 services or more")
    rng = np.random.default_rng(seed)
    first = day_number(start)
    anchors = rng.integers(first - 3652, first, size=n, dtype=np.int64)
    months = anchors.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    month_starts = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    cycle = _CYCLES[_pick(rng, _CYCLES[:, 2], n)]
    currency = _pick(rng, _PRICES[:, 2], n)
    low, high = _PRICES[currency, 0], _PRICES[currency, 1]
    billing = np.where(rng.random(n) < 0.1, rng.integers(1, 32, size=n), 0)
    frame = ServiceFrame(
        client=np.arange(n, dtype=np.int64) * 2 // 3,
        anchor_month=months + 1970 * 12,
        anchor_day=anchors - month_starts + 1,
        cycle_unit=cycle[:, 0].copy(),
        cycle_length=cycle[:, 1].copy(),
        billing_day=np.where(cycle[:, 0] >= 2, billing, 0),
        price=low + rng.integers(0, 1 << 62, size=n, dtype=np.int64) % (high - low + 1),
        currency=currency.astype(np.int64),
        status=_pick(rng, _STATUS_WEIGHTS, n).astype(np.int64),
        next_due=np.zeros(n, dtype=np.int64),
        currencies=_CURRENCIES,
    )
    return attrs.evolve(frame, next_due=next_due(frame, start - timedelta(1), billing_day=True))
