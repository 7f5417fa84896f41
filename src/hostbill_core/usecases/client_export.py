"""GDPR details request: everything held about a client as one structured document.

The document is the :class:`ClientExport` unstructured by the cattrs converter: plain JSON
values (strings, numbers, lists, objects), money as ``"EUR 10.00"``, instants in ISO with
their offset. It structures back into the same :class:`ClientExport`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from hostbill_core.model import ClientId
from hostbill_core.permissions import Action, Actor
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.serialization import HostbillConverter, make_converter
from hostbill_core.usecases.client_records import ClientRecords, authorise, load_records

__all__ = ["ClientExport", "ExportRequest", "ExportResult", "export_client"]


@attrs.frozen
class ExportRequest:
    """Export everything about ``client_id`` for ``actor`` (the owner, or staff) at ``at``."""

    actor: Actor
    client_id: ClientId
    at: datetime


@attrs.frozen
class ClientExport:
    """The exported data: when, by whom, and the client's records."""

    exported_at: datetime
    exported_by: str
    records: ClientRecords


@attrs.frozen
class ExportResult:
    """The export, its JSON-ready document, and what it holds in words."""

    export: ClientExport
    document: dict[str, Any]
    explanation: str


def export_client(
    request: ExportRequest,
    uow: UnitOfWorkFactory,
    converter: HostbillConverter | None = None,
) -> ExportResult:
    """Gather and unstructure everything stored about a client; nothing is written.

    Args:
        request: who asks, for which client, when.
        uow: opens the unit of work to read from.
        converter: the converter to unstructure with (a new one by default).

    Raises:
        PermissionDeniedError: the actor may not export this client's data.
        NotFoundError: no such client.
    """
    authorise(request.actor, Action.CLIENT_EXPORT, request.client_id, request.at)
    with uow() as work:
        records = load_records(work, request.client_id)
    export = ClientExport(request.at, request.actor.ref, records)
    document = (converter or make_converter()).unstructure(export)
    explanation = f"client {request.client_id} exported by {request.actor.ref}: {records.counts()}"
    return ExportResult(export, document, explanation)
