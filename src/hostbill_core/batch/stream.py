"""Frames streamed in chunks from any store, through the ports.

:func:`stream_frames` reads a store client by client (``uow.services.list(client_id=…)``)
and yields a :class:`~hostbill_core.batch.frame.ServiceFrame` whenever it holds
``chunk_size`` services or more, so only one chunk of models and columns is alive at a time.
Every chunk has its own lookup tables (client and currency indexes are local to it); the
aggregates of :mod:`hostbill_core.batch.forecast` merge chunks by currency code.

>>> from datetime import date
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.calendar import MONTHLY
>>> from hostbill_core.model import Service
>>> from hostbill_core.money import to_money
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     for i in range(5):
...         _ = uow.services.add(Service(f"s{i}", f"c{i % 3}", "p", "m", MONTHLY,
...             date(2026, 1, 5), date(2026, 1, 5), price_override=to_money(10, "USD")))
...     uow.commit()
>>> with store.unit_of_work() as uow:
...     sizes = [len(f) for f in stream_frames(uow, chunk_size=2, client_ids=["c0", "c1", "c2"])]
>>> sizes
[2, 2, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from hostbill_core.batch.frame import PriceOf, ServiceFrame
from hostbill_core.errors import ValidationError
from hostbill_core.model import ClientId, Service
from hostbill_core.ports import UnitOfWork

__all__ = ["stream_frames"]


def stream_frames(
    uow: UnitOfWork,
    *,
    chunk_size: int = 100_000,
    price_of: PriceOf | None = None,
    client_ids: Iterable[ClientId] | None = None,
    due_by: date | None = None,
) -> Iterator[ServiceFrame]:
    """Yield the services of a store as frames of about ``chunk_size`` rows.

    Args:
        uow: an open unit of work (only read from).
        chunk_size: a frame is yielded once it holds this many services; one client's
            services are never split, so a frame may hold a few more.
        price_of: the price of a service without ``price_override`` (see
            :meth:`ServiceFrame.from_services`).
        client_ids: the clients to read, in order; default every client of
            ``uow.clients.list()``. Pass a lazy iterable (ids read page by page) to keep memory
            flat in the number of clients too: the port's ``list`` returns a whole tuple.
        due_by: only services whose ``next_due_date`` is on or before this date.

    Raises:
        ValidationError: ``chunk_size`` below 1; the errors of ``from_services``.
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValidationError("chunk_size", chunk_size, "a chunk holds 1 service or more")
    ids = client_ids if client_ids is not None else (c.id for c in uow.clients.list())
    buffer: list[Service] = []
    for client_id in ids:
        buffer.extend(uow.services.list(client_id=client_id, due_by=due_by))
        if len(buffer) >= chunk_size:
            yield ServiceFrame.from_services(buffer, price_of)
            buffer = []
    if buffer:
        yield ServiceFrame.from_services(buffer, price_of)
