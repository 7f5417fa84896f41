"""When a simulated client pays an invoice: a pure function of profile, seed and invoice.

A rerun (or another order of work) therefore draws the same day.

Each invoice gets its own :class:`random.Random`, seeded with ``"<seed>/pay/<invoice>"``
(a string seed is hashed with SHA-512, the same on every platform and Python version). The
first draw decides a missed invoice (below ``miss``), the second the days late, uniformly in
``[low, high]``. A payment never comes before the invoice is issued.

>>> from datetime import date
>>> late = PayerProfile("late", days_late=(5, 20))
>>> day = payment_day(late, 7, "INV-12", due=date(2026, 3, 1), issued=date(2026, 2, 15))
>>> date(2026, 3, 6) <= day <= date(2026, 3, 21)
True
>>> day == payment_day(late, 7, "INV-12", due=date(2026, 3, 1), issued=date(2026, 2, 15))
True
>>> payment_day(PayerProfile("on-time"), 7, "INV-1", date(2026, 3, 1), date(2026, 3, 1))
datetime.date(2026, 3, 1)
>>> never = PayerProfile("never", never=True)
>>> payment_day(never, 7, "INV-1", date(2026, 3, 1), date(2026, 3, 1)) is None
True
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hostbill_core.simulation.scenario import PayerProfile

__all__ = ["PayerProfile", "payment_day"]


def payment_day(
    profile: PayerProfile, seed: int, invoice: str, due: date, issued: date
) -> date | None:
    """The day the client pays ``invoice`` in full, or None when it never does.

    Args:
        profile: the client's payer profile.
        seed: the scenario's seed.
        invoice: the invoice's stable name (its number).
        due: its due date.
        issued: the day it was issued.
    """
    if profile.never:
        return None
    rng = random.Random(f"{seed}/pay/{invoice}")
    if rng.random() < profile.miss:
        return None
    low, high = profile.days_late
    return max(issued, due + timedelta(days=rng.randint(low, high)))
