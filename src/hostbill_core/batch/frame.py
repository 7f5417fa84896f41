"""The columnar frame of services: int64 columns for the arithmetic, labels for the way back.

A :class:`ServiceFrame` holds ``n`` services as int64 columns of length ``n``. The columns the
engine computes on are the frame's own fields; what only the way back to models needs (service
ids, names, product and plan, group, expiry, version) sits in optional
:class:`ServiceLabels`, so a frame generated for a what-if carries no strings at all.

Codes:
    ``cycle_unit``: 0 day, 1 week, 2 month, 3 year (:data:`UNITS`); ``cycle_length`` counts
    days for day and week cycles (a 2-week cycle is 14) and months for month and year cycles
    (an annual cycle is 12). ``status``: the position in :data:`STATUSES` (0 pending, 1
    active, …). ``billing_day``: 1–31, or 0 for none. ``price``: minor units of
    ``currencies[currency]``. ``client``: the position of the client's id in
    ``ServiceLabels.client_ids`` (or any client number, for a frame without labels).

>>> from datetime import date
>>> from hostbill_core.calendar import BillingCycle
>>> from hostbill_core.model import Service
>>> from hostbill_core.money import to_money
>>> s = Service("s1", "c1", "p1", "m1", BillingCycle.weeks(2), date(2024, 1, 31),
...             date(2024, 2, 14), price_override=to_money("9.50", "USD"))
>>> frame = ServiceFrame.from_services([s])
>>> frame.cycle_unit, frame.cycle_length, frame.price, frame.currencies
(array([1]), array([14]), array([950]), ('USD',))
>>> frame.to_services() == (s,)
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
import numpy as np
from moneyed import Money

from hostbill_core.batch.days import (
    EPOCH_ORDINAL,
    FIRST_DAY,
    FIRST_MONTH,
    LAST_DAY,
    LAST_MONTH,
    Int64Array,
    month_table,
)
from hostbill_core.batch.labels import LabelColumns, ServiceLabels
from hostbill_core.calendar import BillingCycle, CycleUnit
from hostbill_core.errors import ValidationError
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.money import to_minor

__all__ = ["STATUSES", "UNITS", "PriceOf", "ServiceFrame", "ServiceLabels"]

#: Cycle units by code: ``cycle_unit == 2`` is a month cycle.
UNITS: tuple[CycleUnit, ...] = (CycleUnit.DAY, CycleUnit.WEEK, CycleUnit.MONTH, CycleUnit.YEAR)
#: Service statuses by code: ``status == STATUSES.index(ServiceStatus.ACTIVE)`` is active.
STATUSES: tuple[ServiceStatus, ...] = tuple(ServiceStatus)
_UNIT_CODE = {unit: code for code, unit in enumerate(UNITS)}
_STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
_BASE = (1, 7, 1, 12)  # cycle_length = count × _BASE[code]
_CALENDAR = 2  # unit codes from 2 up are calendar (month and year) cycles
_LONGEST = 2**31 - 1  # cycle_length bound: kernels pack it with other fields
_INT64 = 2**63

#: The price of a service without a ``price_override``: its plan's price, as the caller knows it.
PriceOf = Callable[[Service], Money]

_COLUMNS = (
    "client",
    "anchor_month",
    "anchor_day",
    "cycle_unit",
    "cycle_length",
    "billing_day",
    "price",
    "currency",
    "status",
    "next_due",
)


def _as_array(value: Any) -> Int64Array:
    array: Int64Array = np.asarray(value)
    return array


_REASONS = {
    "anchor_day": "an anchor day past its month's end",
    "cycle_length": "a week cycle counts 7 days a week, a year cycle 12 months a year",
}


def _refuse(name: str, column: Int64Array, bad: np.ndarray[Any, np.dtype[np.bool_]]) -> None:
    rows = np.flatnonzero(bad)
    if rows.size:
        raise ValidationError(f"{name}[{rows[0]}]", int(column[rows[0]]), _REASONS[name])


@attrs.frozen(eq=False)
class ServiceFrame:
    """Many services as int64 columns of equal length (see the module docstring for codes).

    Attributes:
        client: client index.
        anchor_month: the anchor's month index (``year × 12 + month − 1``).
        anchor_day: the anchor's day of month, 1–31.
        cycle_unit: 0 day, 1 week, 2 month, 3 year.
        cycle_length: days (day and week cycles) or months (month and year cycles), ≥ 1.
        billing_day: 1–31, or 0 for none.
        price: the price per cycle in minor units of its currency.
        currency: index into ``currencies``.
        status: index into :data:`STATUSES`.
        next_due: the service's next due date, as a day number.
        currencies: ISO 4217 codes, by currency index.
        labels: what the way back to models needs, or None.

    Raises:
        ValidationError: a column that is not one-dimensional int64, columns of unequal
            length, or a value outside its column's range (an anchor day past its month's
            end, a week cycle not a multiple of 7 days, a year cycle not of 12 months …).
    """

    client: Int64Array = attrs.field(converter=_as_array)
    anchor_month: Int64Array = attrs.field(converter=_as_array)
    anchor_day: Int64Array = attrs.field(converter=_as_array)
    cycle_unit: Int64Array = attrs.field(converter=_as_array)
    cycle_length: Int64Array = attrs.field(converter=_as_array)
    billing_day: Int64Array = attrs.field(converter=_as_array)
    price: Int64Array = attrs.field(converter=_as_array)
    currency: Int64Array = attrs.field(converter=_as_array)
    status: Int64Array = attrs.field(converter=_as_array)
    next_due: Int64Array = attrs.field(converter=_as_array)
    currencies: tuple[str, ...]
    labels: ServiceLabels | None = None
    #: Positions of the day and week rows, ascending (kernels treat them apart).
    fixed_rows: Int64Array = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        n = len(self.client)
        for name in _COLUMNS:
            column = getattr(self, name)
            if column.ndim != 1 or column.dtype != np.int64:
                raise ValidationError(name, column.dtype, "a column is a 1-dimensional int64 array")
            if len(column) != n:
                raise ValidationError(name, len(getattr(self, name)), f"every column has {n} rows")
        if self.labels is not None and len(self.labels) != n:
            raise ValidationError("labels", len(self.labels), f"labels need {n} rows")
        if n:
            self._check_ranges()
        object.__setattr__(self, "fixed_rows", np.flatnonzero(self.cycle_unit < _CALENDAR))

    def _check_ranges(self) -> None:
        limits = {
            "client": (0, None),
            "anchor_month": (FIRST_MONTH, LAST_MONTH),
            "anchor_day": (1, 31),
            "cycle_unit": (0, len(UNITS) - 1),
            "cycle_length": (1, _LONGEST),
            "billing_day": (0, 31),
            "currency": (0, len(self.currencies) - 1),
            "status": (0, len(STATUSES) - 1),
            "next_due": (FIRST_DAY, LAST_DAY),
        }
        for name, (low, high) in limits.items():
            column = getattr(self, name)
            least, most = int(column.min()), int(column.max())
            if least < low or (high is not None and most > high):
                bad = least if least < low else most
                raise ValidationError(name, bad, f"outside {low}–{high if high else '…'}")
        _before, length = month_table()
        _refuse("anchor_day", self.anchor_day, self.anchor_day > length[self.anchor_month])
        weeks = (self.cycle_unit == 1) & (self.cycle_length % 7 != 0)
        years = (self.cycle_unit == 3) & (self.cycle_length % 12 != 0)
        _refuse("cycle_length", self.cycle_length, weeks | years)

    def __len__(self) -> int:
        return len(self.client)

    @property
    def anchor(self) -> Int64Array:
        """The anchors as day numbers."""
        before, _length = month_table()
        days: Int64Array = before[self.anchor_month] + self.anchor_day
        return days

    def select(self, rows: Int64Array | np.ndarray[Any, np.dtype[np.bool_]]) -> ServiceFrame:
        """The frame of the given rows: integer positions, or a boolean mask of length ``n``."""
        picked = {name: getattr(self, name)[rows] for name in _COLUMNS}
        labels = None if self.labels is None else self.labels.select(rows)
        return ServiceFrame(**picked, currencies=self.currencies, labels=labels)

    @classmethod
    def from_services(
        cls, services: Iterable[Service], price_of: PriceOf | None = None
    ) -> ServiceFrame:
        """Build a frame from ``Service`` models, labels included, in the given order.

        Args:
            services: the services.
            price_of: the price of a service that has no ``price_override`` (usually its
                plan's price for its cycle and the client's currency); a price must be at
                its currency's minor unit.

        Raises:
            ValidationError: a service without ``price_override`` when ``price_of`` is None,
                or a price finer than its currency's minor unit.
        """
        builder = _Builder(price_of)
        for i, service in enumerate(services):
            builder.add(i, service)
        return builder.frame()

    def to_services(self) -> tuple[Service, ...]:
        """The ``Service`` models of the rows, equal to the ones the frame was built from.

        A row's price comes back as ``price_override`` only where the service had one.

        Raises:
            ValidationError: the frame has no labels (it was generated from columns).
        """
        if self.labels is None:
            raise ValidationError("labels", None, "a frame without labels cannot make models")
        return tuple(self._service(i, self.labels) for i in range(len(self)))

    def _service(self, i: int, labels: ServiceLabels) -> Service:
        year, month0 = divmod(int(self.anchor_month[i]), 12)
        unit = UNITS[int(self.cycle_unit[i])]
        cycle = BillingCycle(unit, int(self.cycle_length[i]) // _BASE[_UNIT_CODE[unit]])
        currency = self.currencies[int(self.currency[i])]
        billing_day = int(self.billing_day[i])
        return labels.service(
            i,
            client_id=labels.client_ids[int(self.client[i])],
            cycle=cycle,
            anchor=(year, month0 + 1, int(self.anchor_day[i])),
            next_due=int(self.next_due[i]),
            status=STATUSES[int(self.status[i])],
            billing_day=billing_day or None,
            price=(int(self.price[i]), currency),
        )


class _Builder:
    """Accumulates services into Python lists of ints, then makes the columns at once."""

    def __init__(self, price_of: PriceOf | None) -> None:
        self.price_of = price_of
        self.columns: dict[str, list[int]] = {name: [] for name in _COLUMNS}
        self.currencies: dict[str, int] = {}
        self.labels = LabelColumns()

    def _price(self, i: int, service: Service) -> tuple[int, str]:
        money = service.price_override
        if money is None:
            if self.price_of is None:
                raise ValidationError(
                    f"services[{i}].price_override", None, "no price: pass price_of, or set one"
                )
            money = self.price_of(service)
        if not isinstance(money, Money):
            raise ValidationError(f"services[{i}].price", money, "a price is a moneyed.Money")
        units = to_minor(money)
        if not -_INT64 <= units < _INT64:
            raise ValidationError(f"services[{i}].price", money, "beyond int64 minor units")
        return units, money.currency.code

    def add(self, i: int, service: Service) -> None:
        units, code = self._price(i, service)
        anchor, cycle = service.anchor, service.cycle
        code_of_unit = _UNIT_CODE[cycle.unit]
        row = (
            self.labels.client_index(service.client_id),
            anchor.year * 12 + anchor.month - 1,
            anchor.day,
            code_of_unit,
            cycle.count * _BASE[code_of_unit],
            service.billing_day or 0,
            units,
            self.currencies.setdefault(code, len(self.currencies)),
            _STATUS_CODE[service.status],
            service.next_due_date.toordinal() - EPOCH_ORDINAL,
        )
        for name, value in zip(_COLUMNS, row, strict=True):
            self.columns[name].append(value)
        self.labels.add(service)

    def frame(self) -> ServiceFrame:
        arrays = {name: np.array(values, dtype=np.int64) for name, values in self.columns.items()}
        return ServiceFrame(
            **arrays, currencies=tuple(self.currencies), labels=self.labels.finish()
        )
