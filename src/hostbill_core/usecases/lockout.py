"""The client-area lockout: set by an expiry step, lifted once nothing is overdue.

An expiry step with ``LOCKOUT`` locks the client out (the run records it in the client's
:class:`~hostbill_core.model.BillingState`); a payment (or the next run, after credit or a
cancelled invoice cleared the debt) lets the client back in when no unpaid invoice is due on
that day or earlier.
"""

from __future__ import annotations

from datetime import date

from hostbill_core.model import ClientId, InvoiceStatus
from hostbill_core.ports import UnitOfWork
from hostbill_core.usecases.billing_report import BillingEvent

__all__ = ["has_overdue", "unlocked"]

_OPEN = (InvoiceStatus.UNPAID, InvoiceStatus.COLLECTIONS)


def has_overdue(uow: UnitOfWork, client_id: ClientId, on: date) -> bool:
    """True when an unpaid invoice of the client is due on or before ``on``."""
    return any(
        i.status in _OPEN and i.due_date <= on for i in uow.invoices.list(client_id=client_id)
    )


def unlocked(client_id: ClientId, on: date) -> BillingEvent:
    """The ``client.unlocked`` event of ``on``."""
    text = f"nothing overdue on {on.isoformat()}: client {client_id} let back in"
    key = f"{client_id}/{on.isoformat()}/unlock"
    return BillingEvent("client.unlocked", client_id, client_id, key, on, "", text)
