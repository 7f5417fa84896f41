"""The columnar batch engine: billing arithmetic over int64 numpy columns, exactly.

One :class:`ServiceFrame` holds many services as columns (client index, anchor month and day,
cycle unit and length, billing day, price in minor units, currency index, status, next due
date). The functions here compute on whole columns what the object API computes one service
at a time, with the same results row by row: next due dates, every due date in a window,
proration with a named rounding mode, revenue forecasts and run rates, invoice grouping keys.

Dates are **day numbers**: int64 counts of days since 1970-01-01, the epoch of numpy's
``datetime64[D]`` (``days.view("datetime64[D]")`` shows them as dates, at no cost);
:func:`day_number` and :func:`to_dates` convert. Months are **month indexes**,
``year × 12 + month − 1``. Money is int64 minor units (USD cents, whole yen); nothing here uses
a float.

numpy is an optional dependency (``pip install "hostbill-core[batch]"``); ``import
hostbill_core`` works without it, and importing this package without it raises
:class:`~hostbill_core.errors.ConfigurationError`.

>>> from datetime import date
>>> from hostbill_core.batch import ServiceFrame, next_due, to_dates
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.model import Service
>>> from hostbill_core.money import to_money
>>> s = Service("s1", "c1", "p1", "m1", MONTHLY, date(2024, 1, 31), date(2024, 2, 29),
...             price_override=to_money("4.99", "USD"))
>>> frame = ServiceFrame.from_services([s])
>>> to_dates(next_due(frame, date(2024, 2, 29)))
[datetime.date(2024, 3, 31)]
"""

from hostbill_core.errors import ConfigurationError

try:
    import numpy  # noqa: F401
except ImportError as missing:  # pragma: no cover - exercised in a subprocess test
    raise ConfigurationError(
        "extra",
        "batch",
        'hostbill_core.batch needs numpy: pip install "hostbill-core[batch]"',
    ) from missing

from hostbill_core.batch.days import (
    NO_DAY,
    day_number,
    day_numbers,
    month_index,
    to_dates,
)
from hostbill_core.batch.due import DueItems, due_at, due_in_window, next_due
from hostbill_core.batch.forecast import Forecast, RunRate, forecast, run_rate
from hostbill_core.batch.frame import ServiceFrame, ServiceLabels
from hostbill_core.batch.grouping import InvoiceGroups, invoice_groups
from hostbill_core.batch.proration import prorate
from hostbill_core.batch.stream import stream_frames
from hostbill_core.batch.synthetic import synthetic_frame, synthetic_frames

__all__ = [
    "NO_DAY",
    "DueItems",
    "Forecast",
    "InvoiceGroups",
    "RunRate",
    "ServiceFrame",
    "ServiceLabels",
    "day_number",
    "day_numbers",
    "due_at",
    "due_in_window",
    "forecast",
    "invoice_groups",
    "month_index",
    "next_due",
    "prorate",
    "run_rate",
    "stream_frames",
    "synthetic_frame",
    "synthetic_frames",
    "to_dates",
]
