"""The mark of a complete billing day: a rerun of the day skips clients nothing changed for.

When a client's day is complete (every pass ran, the client is not locked out) and the run
writes its :class:`~hostbill_core.model.BillingState` anyway (it did something: a run that
changes nothing writes nothing), the state carries a mark: the day, a digest of the run's
settings and catalogue, and a digest of the versions of the client, of each of its services
and of the state itself as the run leaves them. A rerun of the same day reads the marks
of a batch's states and the versions of those clients and their services (``versions``, no
record decoded); a client whose mark is reproduced exactly is skipped, reported as examined
with nothing to do. That is what the full rerun would find, by idempotence: the day's
outcome for a client depends on the day, the settings, the catalogue, the client, its
services and its state, and any change to one of the last three bumps a version. (Invoices
and credit matter only to a client with something left to do, or locked out: neither is
marked. A waiting end-of-term cancellation request only takes events away, so one made
after the mark leaves nothing more to do; carrying one out saves its service.) The versions
are those the run itself read and wrote, so a change made by another worker meanwhile is
never covered by a mark.

>>> day = day_fingerprint(date(2026, 3, 1), "settings", "catalogue")
>>> day
'2026-03-01/...'
>>> mark(day, "c1", 3, [("s1", 2), ("s2", 1)], 5) == mark(day, "c1", 3, [("s1", 2), ("s2", 1)], 5)
True
>>> mark(day, "c1", 3, [("s1", 2), ("s2", 1)], 5) == mark(day, "c1", 3, [("s1", 3), ("s2", 1)], 5)
False
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from functools import cache
from importlib import metadata

import attrs

from hostbill_core.model import ClientId
from hostbill_core.ports import UnitOfWork

__all__ = ["canonical", "day_fingerprint", "mark", "quiet_clients"]


def canonical(value: object) -> str:
    """A text of ``value`` that two equal values share in any process.

    ``repr`` is not that: a frozenset's order follows hashes that change per process. Attrs
    classes list their fields, mappings and sets are sorted, enums are written by name.
    """
    cls = type(value)
    if attrs.has(cls):
        fields = (f"{f.name}={canonical(getattr(value, f.name))}" for f in attrs.fields(cls))
        return f"{cls.__qualname__}({', '.join(fields)})"
    if isinstance(value, Mapping):
        items = sorted(f"{canonical(k)}: {canonical(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(canonical(v) for v in value) + ")"
    if isinstance(value, enum.Enum):
        return f"{type(value).__qualname__}.{value.name}"
    return repr(value)


@cache
def _library() -> str:
    try:
        return metadata.version("hostbill-core")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def day_fingerprint(as_of: date, *inputs: object) -> str:
    """``<day>/<digest>``: the run's day and a digest of what every client's run depends on.

    Args:
        as_of: the day run.
        inputs: the settings and the catalogue (anything whose change changes a day's
            outcome), digested with the library's version through :func:`canonical`.
    """
    text = "\n".join([_library(), *(canonical(value) for value in inputs)])
    return f"{as_of.isoformat()}/{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def mark(
    fingerprint: str,
    client_id: str,
    client_version: int,
    services: Iterable[tuple[str, int]],
    state_version: int,
) -> str:
    """The mark of a client's complete day: the day's fingerprint and a digest of versions.

    Args:
        fingerprint: :func:`day_fingerprint` of the run.
        client_id: the client.
        client_version: the client's version.
        services: ``(id, version)`` of each of its services, ordered by id.
        state_version: the version its billing state has once the mark is stored.
    """
    pairs = ";".join(f"{id}:{version}" for id, version in services)
    text = f"{client_id}\n{client_version}\n{state_version}\n{pairs}"
    return f"{fingerprint}/{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def quiet_clients(
    uow: UnitOfWork,
    fingerprint: str,
    client_ids: Collection[ClientId],
    marks: Mapping[ClientId, tuple[str, int]],
) -> dict[ClientId, int]:
    """The clients whose mark for this day still holds, with their number of services.

    ``marks`` holds each client's billing state's ``(checked, version)``
    (:meth:`~hostbill_core.ports.BillingStates.marks`). Reads the versions of marked clients
    and their services only (two queries); a run whose day has not been marked yet reads
    nothing.
    """
    prefix = f"{fingerprint}/"
    marked = [c for c in client_ids if c in marks and marks[c][0].startswith(prefix)]
    if not fingerprint or not marked:
        return {}
    clients = uow.clients.versions(marked)
    services = uow.services.versions(marked)
    quiet: dict[ClientId, int] = {}
    for client_id in marked:
        checked, state_version = marks[client_id]
        record = clients.get(client_id)
        pairs = services.get(client_id, ())
        if record and checked == mark(fingerprint, client_id, record[0][1], pairs, state_version):
            quiet[client_id] = len(pairs)
    return quiet
