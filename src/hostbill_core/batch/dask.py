"""Forecasts and what-if runs partitioned over Dask workers.

Each task receives only the bounds of its partition — a seed and a size for a generated shop,
or a store URL and a range of client ids — builds its own columns where it runs, and returns
an aggregate (a :class:`~hostbill_core.batch.forecast.Forecast`: months × currencies of int64).
No list of Python objects crosses a process boundary: that costs about thirty times the work
itself here. Aggregates are merged exactly (integer sums), so the result equals the
single-process one to the minor unit, whatever the number of workers.

The billing run itself is partitioned the same way (:func:`run_billing_partitioned`): one
task per range of client ids, each opening its own units of work on a store that allows
concurrent writers, returning counts and exact totals.

Install ``pip install "hostbill-core[distributed]"``. Every function takes a
``distributed.Client`` (or ``None`` to run the same tasks in this process, for tests and small
shops).

>>> from datetime import date
>>> parts = generated_partitions(total=2_000, size=1_000, seed=7)
>>> one = forecast_partitions(None, parts, date(2026, 1, 1), months=3)
>>> one.totals.shape
(3, 4)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from hostbill_core.batch.forecast import Forecast, forecast
from hostbill_core.batch.frame import ServiceFrame
from hostbill_core.batch.proration import prorate
from hostbill_core.batch.stream import stream_frames
from hostbill_core.batch.synthetic import synthetic_frames
from hostbill_core.errors import ConfigurationError, NotFoundError, ValidationError
from hostbill_core.model import ClientId, Service
from hostbill_core.money import Money, RoundingPolicy
from hostbill_core.usecases.billing_report import BillingRunReport
from hostbill_core.usecases.billing_settings import BillingSettings

__all__ = [
    "ClientRange",
    "GeneratedPartition",
    "RangeReport",
    "StorePartition",
    "WhatIf",
    "forecast_partitions",
    "generated_partitions",
    "run_billing_partitioned",
    "what_if_price_change",
]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, value, "a whole number, 0 or more")


@attrs.frozen
class GeneratedPartition:
    """A generated shop's slice: ``size`` services drawn from ``seed`` (``synthetic_frames``)."""

    seed: int = attrs.field(validator=_positive)
    size: int = attrs.field(validator=_positive)

    def frames(self, start: date) -> Iterator[ServiceFrame]:
        """The partition's services, built where the task runs, one block at a time.

        The blocks of :func:`~hostbill_core.batch.synthetic.synthetic_frames` (8,192 rows):
        no array of the partition's size is ever made.
        """
        return synthetic_frames(self.size, seed=self.seed, start=start)


@attrs.frozen
class StorePartition:
    """The services of the clients ``first <= id < last`` (by id order) of a SQL store.

    ``url`` is a SQLAlchemy URL every worker can reach (``postgresql+psycopg://…``, or
    ``sqlite:///…`` on a shared disk); ``chunk_size`` bounds the rows held at once.
    """

    url: str
    first: str
    last: str
    chunk_size: int = attrs.field(default=100_000, validator=_positive)

    def frames(self, start: date) -> list[ServiceFrame]:
        """The partition's services, streamed from the store in chunks.

        A service without a price override is priced from its plan, for its cycle, in its
        client's currency.
        """
        from hostbill_core.adapters.sql import SqlStore

        store = SqlStore(self.url)
        try:
            with store.unit_of_work() as uow:
                clients = {c.id: c for c in uow.clients.list() if self.first <= c.id < self.last}
                plans = {p.id: p for p in uow.plans.list()}

                def price_of(service: Service) -> Money:
                    currency = clients[service.client_id].currency
                    entry = plans[service.plan_id].entry(service.cycle, currency)
                    if entry is None:
                        raise NotFoundError("price", f"{service.plan_id} {service.cycle}")
                    return entry.price

                ids = [ClientId(id) for id in sorted(clients)]
                frames = stream_frames(
                    uow, chunk_size=self.chunk_size, client_ids=ids, price_of=price_of
                )
                return list(frames)
        finally:
            store.close()


Partition = GeneratedPartition | StorePartition


def generated_partitions(total: int, size: int, seed: int = 0) -> tuple[GeneratedPartition, ...]:
    """Cut a generated shop of ``total`` services into partitions of at most ``size``.

    Partition ``i`` draws from seed ``seed + i``, so the shop is the same however it is run.

    Raises:
        ValidationError: ``total`` below 0 or ``size`` below 1.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValidationError("size", size, "a partition holds 1 service or more")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValidationError("total", total, "a shop of 0 services or more")
    bounds = range(0, total, size)
    return tuple(GeneratedPartition(seed + i, min(size, total - lo)) for i, lo in enumerate(bounds))


def _scaled(frame: ServiceFrame, factor: Fraction) -> ServiceFrame:
    """Prices times ``factor``, rounded half-up to the minor unit, in integers."""
    if factor == 1:
        return frame
    price = prorate(frame.price, factor.numerator, factor.denominator, RoundingPolicy())
    return attrs.evolve(frame, price=price)


def _forecast_task(partition: Partition, start: date, months: int, factor: Fraction) -> Forecast:
    frames = (_scaled(frame, factor) for frame in partition.frames(start))
    return forecast(frames, start, months)


def _merge(parts: Sequence[Forecast]) -> Forecast:
    return functools.reduce(Forecast.merge, parts)


def _run(
    client: Any, task: Callable[..., Forecast], partitions: Sequence[Partition], *args: Any
) -> Forecast:
    if not partitions:
        raise ValidationError("partitions", partitions, "give at least one partition")
    if client is None:
        return _merge([task(p, *args) for p in partitions])
    futures = client.map(task, partitions, *[[a] * len(partitions) for a in args], pure=False)
    merged: Forecast = client.submit(_merge, futures).result()
    return merged


def forecast_partitions(
    client: Any, partitions: Sequence[Partition], start: date, months: int
) -> Forecast:
    """The revenue forecast of every partition's services, merged exactly.

    Args:
        client: a ``distributed.Client``, or None to run the tasks here, one after another.
        partitions: the slices; each task builds its own columns from its bounds.
        start: the first month of the horizon (any day in it).
        months: the horizon's length in months.

    Returns:
        One :class:`Forecast`, equal to the forecast of all services in one frame.
    """
    _require_dask(client)
    return _run(client, _forecast_task, partitions, start, months, Fraction(1))


@attrs.frozen(eq=False)
class WhatIf:
    """A baseline forecast beside the forecast with every price changed by ``factor``."""

    factor: Fraction
    baseline: Forecast
    changed: Forecast

    @property
    def difference(self) -> Any:
        """``changed.totals − baseline.totals`` in minor units (months × currencies)."""
        return self.changed.totals - self.baseline.totals


def what_if_price_change(
    client: Any, partitions: Sequence[Partition], start: date, months: int, factor: Fraction
) -> WhatIf:
    """Forecast with every price times ``factor`` (e.g. ``Fraction(11, 10)`` for +10 %).

    Each changed price is rounded once, half-up, to its minor unit before it is summed.

    Raises:
        ValidationError: a negative or non-Fraction factor.
    """
    if not isinstance(factor, Fraction) or factor < 0:
        raise ValidationError("factor", factor, "a non-negative Fraction such as Fraction(11, 10)")
    _require_dask(client)
    baseline = _run(client, _forecast_task, partitions, start, months, Fraction(1))
    changed = _run(client, _forecast_task, partitions, start, months, factor)
    return WhatIf(factor, baseline, changed)


def _require_dask(client: Any) -> None:
    if client is None:
        return
    try:
        import distributed  # noqa: F401
    except ImportError:  # pragma: no cover - a client cannot exist without it
        raise ConfigurationError(
            "extra", "distributed", 'pip install "hostbill-core[distributed]"'
        ) from None


@attrs.frozen
class ClientRange:
    """The clients ``first <= id < last`` of the store at ``url`` (a SQLAlchemy URL).

    For the billing run the store must allow concurrent writers: PostgreSQL or MySQL for
    several machines; an SQLite file works for worker processes of one machine.
    """

    url: str
    first: str
    last: str


@attrs.frozen
class RangeReport:
    """What the billing run did over some client ranges: counts and exact totals only.

    Attributes:
        clients_examined: clients visited.
        invoices: invoices issued.
        actions: renewal-sequence actions carried out.
        invoiced: the total invoiced per currency, as exact decimal strings.
        failures: ``(client id, error type, message)`` of every client that failed.
    """

    clients_examined: int
    invoices: int
    actions: int
    invoiced: tuple[tuple[str, str], ...]
    failures: tuple[tuple[str, str, str], ...]

    def merge(self, other: RangeReport) -> RangeReport:
        """Both reports added up (totals per currency summed exactly)."""
        totals: dict[str, Decimal] = {}
        for code, amount in (*self.invoiced, *other.invoiced):
            totals[code] = totals.get(code, Decimal(0)) + Decimal(amount)
        return RangeReport(
            self.clients_examined + other.clients_examined,
            self.invoices + other.invoices,
            self.actions + other.actions,
            tuple((code, str(totals[code])) for code in sorted(totals)),
            tuple(sorted((*self.failures, *other.failures))),
        )

    @classmethod
    def of(cls, report: BillingRunReport) -> RangeReport:
        """The counts and totals of one billing-run report."""
        return cls(
            report.clients_examined,
            len(report.invoices),
            sum(len(run.actions) for run in report.clients),
            tuple((code, str(m.amount)) for code, m in sorted(report.invoiced.items())),
            tuple(
                (str(run.client_id), run.failure.error_type, run.failure.message)
                for run in report.clients
                if run.failure is not None
            ),
        )


def _ids_in_range(store: Any, first: str, last: str) -> Iterator[ClientId]:
    """The range's client ids, read page by page (memory flat in the number of clients)."""
    after: str | None = None
    while True:
        with store.unit_of_work() as uow:
            page = uow.clients.client_ids(after=after, limit=500)
        for id in page:
            if id >= last:
                return
            if id >= first:
                yield id
        if len(page) < 500:
            return
        after = page[-1]


def _billing_task(part: ClientRange, as_of: date, settings: BillingSettings) -> RangeReport:
    from hostbill_core.adapters.sql import SqlStore
    from hostbill_core.usecases import run_billing

    store = SqlStore(part.url)
    try:
        ids = _ids_in_range(store, part.first, part.last)
        return RangeReport.of(run_billing(store.unit_of_work, as_of, settings, clients=ids))
    finally:
        store.close()


def _merge_reports(parts: Sequence[RangeReport]) -> RangeReport:
    return functools.reduce(RangeReport.merge, parts)


def run_billing_partitioned(
    client: Any, ranges: Sequence[ClientRange], as_of: date, settings: BillingSettings
) -> RangeReport:
    """The billing run for ``as_of`` over client-id ranges, one task per range.

    Each task opens its own store and runs :func:`~hostbill_core.usecases.run_billing` on its
    clients, one unit of work per client; the per-range reports are merged. Reruns are
    idempotent, as the run itself is: a range whose worker died is simply run again, and what
    it had committed is not created twice.

    Raises:
        ValidationError: no ranges.
    """
    if not ranges:
        raise ValidationError("ranges", ranges, "give at least one client range")
    _require_dask(client)
    if client is None:
        return _merge_reports([_billing_task(r, as_of, settings) for r in ranges])
    futures = client.map(
        _billing_task, ranges, [as_of] * len(ranges), [settings] * len(ranges), pure=False
    )
    merged: RangeReport = client.submit(_merge_reports, futures).result()
    return merged
