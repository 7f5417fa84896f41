"""The mark of a complete billing day: later runs skip clients with nothing new to do.

When a client's day is complete (every pass ran, the client is not locked out), the run
marks its :class:`~hostbill_core.model.BillingState`: a digest of the run's settings and
catalogue, the day run, the first later day with an event for the client's services as they
are (its wake day: :func:`~hostbill_core.renewal.next_event_on`), and a digest of the
versions of the client, of each of its services and of the state itself as the run leaves
them. A later run of any day from the marked one up to the day before the wake day reads the
marks of a batch and the versions of those clients and their services (no record decoded); a
client whose mark holds is skipped, reported as examined with nothing to do. That is what the
full run would find: the outcome of a client's day depends on the settings, the catalogue,
the client, its services, its state and the events dated up to the day; any change to one of
the first five changes the mark's digests, and no event falls between the marked day and the
wake day. (Invoices and credit matter only to a client with an event to carry out, or locked
out: neither is skipped. A waiting end-of-term cancellation request only takes events away,
so one made after the mark leaves nothing more to do; carrying one out saves its service.)
The versions are those the run itself read and wrote, so a change made by another worker
meanwhile is never covered by a mark.

A client billed whose stored state did not change is still written when its mark does not
hold (a new day, something changed, or never marked), so that the next runs can skip it; a
rerun of the same day finds the marks holding and writes nothing. A client the run never had
anything to do for has no state and no mark: each run bills it in full (one whose services
the run cancelled, leaving no event key to keep, is marked all the same).

>>> settings = run_fingerprint("settings", "catalogue")
>>> day, wake = date(2026, 3, 1), date(2026, 3, 8)
>>> versions = Versions("c1", 3, (("s1", 2), ("s2", 1)), 5)
>>> text = mark(settings, day, wake, versions)
>>> holds(text, settings, date(2026, 3, 7), versions)
True
>>> holds(text, settings, date(2026, 3, 8), versions)  # the wake day
False
>>> holds(text, settings, date(2026, 3, 2), attrs.evolve(versions, client=4))  # c1 changed
False
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Collection, Mapping
from datetime import date
from functools import cache
from importlib import metadata

import attrs

from hostbill_core.model import ClientId
from hostbill_core.ports import UnitOfWork

__all__ = [
    "NEVER",
    "Versions",
    "canonical",
    "holds",
    "mark",
    "quiet_clients",
    "run_fingerprint",
]


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


NEVER = date.max
"""The wake day of a client with no event to come: its mark holds until something changes."""


def run_fingerprint(*inputs: object) -> str:
    """A digest of what every client's run depends on besides the day and its own records.

    Args:
        inputs: the settings and the catalogue (anything whose change changes a day's
            outcome), digested with the library's version through :func:`canonical`.
    """
    text = "\n".join([_library(), *(canonical(value) for value in inputs)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@attrs.frozen
class Versions:
    """What a mark covers of a client: the versions of the client, its services and state.

    Attributes:
        client_id: the client.
        client: the client's version.
        services: ``(id, version)`` of each of its services, ordered by id.
        state: the version its billing state has once the mark is stored.
    """

    client_id: str
    client: int
    services: tuple[tuple[str, int], ...]
    state: int

    @property
    def digest(self) -> str:
        """A digest of every version (32 hexadecimal digits)."""
        pairs = ";".join(f"{id}:{version}" for id, version in self.services)
        text = f"{self.client_id}\n{self.client}\n{self.state}\n{pairs}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def mark(fingerprint: str, day: date, wake: date, versions: Versions) -> str:
    """The mark of a client's complete ``day``: ``fingerprint/day/wake/versions digest``.

    Args:
        fingerprint: :func:`run_fingerprint` of the run.
        day: the day run.
        wake: the first later day with an event for the client (:data:`NEVER` for none).
        versions: the versions of the client, its services and its state as marked.
    """
    return f"{fingerprint}/{day.isoformat()}/{wake.isoformat()}/{versions.digest}"


def holds(checked: str, fingerprint: str, day: date, versions: Versions) -> bool:
    """Whether the mark ``checked`` covers a run of ``day`` over ``versions``.

    It does when it was made with the same settings and catalogue (``fingerprint``), on
    ``day`` or before, ``day`` is before its wake day, and every version is the one marked.
    A mark of another form (an earlier library's, or none) never holds.
    """
    return _covers(checked, fingerprint, day) and _same_versions(checked, versions)


def _covers(checked: str, fingerprint: str, day: date) -> bool:
    """Whether ``checked`` is a mark of ``fingerprint`` whose days include ``day``."""
    parts = checked.split("/")
    return len(parts) == 4 and parts[0] == fingerprint and parts[1] <= day.isoformat() < parts[2]


def _same_versions(checked: str, versions: Versions) -> bool:
    """Whether the mark ``checked`` ends with the digest of ``versions``."""
    return checked.rsplit("/", 1)[-1] == versions.digest


def quiet_clients(
    uow: UnitOfWork,
    fingerprint: str,
    day: date,
    client_ids: Collection[ClientId],
    marks: Mapping[ClientId, tuple[str, int]],
) -> dict[ClientId, int]:
    """The clients whose mark holds for a run of ``day``, with their number of services.

    ``marks`` holds each client's billing state's ``(checked, version)``
    (:meth:`~hostbill_core.ports.BillingStates.marks`). Reads the versions of the clients
    whose mark is of these settings and covers ``day``, and of their services (two queries);
    a run that finds no such mark reads nothing.
    """
    marked = [c for c in client_ids if c in marks and _covers(marks[c][0], fingerprint, day)]
    if not fingerprint or not marked:
        return {}
    clients = uow.clients.versions(marked)
    services = uow.services.versions(marked)
    quiet: dict[ClientId, int] = {}
    for client_id in marked:  # their marks cover the day: the versions decide (see holds)
        checked, state_version = marks[client_id]
        record = clients.get(client_id)
        pairs = services.get(client_id, ())
        if record and _same_versions(
            checked, Versions(client_id, record[0][1], pairs, state_version)
        ):
            quiet[client_id] = len(pairs)
    return quiet
