"""Anonymise a client: clear personal data that billing does not need, keep billing records.

What changes, in one unit of work:

- the profile: name and email replaced by placeholders; company, phone, street address and
  extra invoice addresses cleared; the country (a tax matter), VAT number and settings kept;
  the change log replaced by one entry recording the anonymisation;
- contacts: removed;
- services terminated, their waiting end-of-term cancellation requests closed on the day,
  unpaid invoices and open orders cancelled (as a full close), and the client closed unless
  it is already closed, archived or deleted: nothing of the client waits for a later day;
- invoices: kept, with the client's name and email on them anonymised;
- orders: kept, with the IP address they were placed from replaced by ``0.0.0.0``;
- free text written about the client is cleared: the reasons of refunds and cancellation
  requests, the notes of credit entries, a service group's description; a service group's
  name becomes its id. Amounts, dates, links and who acted stay, so the ledgers still add up;
- kept as they are: payments (the gateway's reference is needed to reconcile), quotes, and
  what was sold as it was documented: invoice notes and lines, order and quote lines, queued
  items and service names (a domain or host name, as the invoice lines name it).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from hostbill_core.model import Address, Client, ClientId, ClientStatus, ContactDetails
from hostbill_core.model.changes import ProfileChange
from hostbill_core.permissions import Action, Actor
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.usecases.client_records import ClientRecords, authorise, emit, load_records
from hostbill_core.usecases.client_status import StatusResult, end_everything

__all__ = ["AnonymiseRequest", "anonymise_client", "placeholder"]

_STILL_OPEN = frozenset({ClientStatus.ACTIVE, ClientStatus.INACTIVE})


@attrs.frozen
class AnonymiseRequest:
    """Anonymise ``client_id`` on behalf of ``actor`` (staff) at ``at``."""

    actor: Actor
    client_id: ClientId
    at: datetime


def placeholder(client_id: ClientId) -> ContactDetails:
    """The name and email an anonymised client is known by.

    >>> placeholder(ClientId("c-42"))
    ContactDetails(name='Anonymised client c-42', email='client-c-42@anonymised.invalid', ...)
    """
    local = client_id.replace("@", "_")
    return ContactDetails(f"Anonymised client {client_id}", f"client-{local}@anonymised.invalid")


def _anonymous_profile(client: Client, actor: str, at: datetime) -> Client:
    details = placeholder(client.id)
    status = ClientStatus.CLOSED if client.status in _STILL_OPEN else client.status
    return attrs.evolve(
        client,
        details=attrs.evolve(details, address=Address(country=client.details.address.country)),
        status=status,
        billing_contact_id=None,
        invoice_recipients=(),
        changes=(ProfileChange("profile", "", "anonymised", actor, at),),
    )


def _scrub_records(work: UnitOfWork, client: Client) -> str:
    records = load_records(work, client.id)
    for contact in records.contacts:
        work.contacts.remove(contact.id)
    for invoice in records.invoices:
        if invoice.client is not None:
            named = attrs.evolve(
                invoice.client, name=client.details.name, email=client.details.email
            )
            work.invoices.save(attrs.evolve(invoice, client=named))
    for order in records.orders:
        work.orders.save(attrs.evolve(order, ip="0.0.0.0"))
    return (
        f"{len(records.contacts)} contact(s) removed, names on {len(records.invoices)} "
        f"invoice(s) and IPs of {len(records.orders)} order(s) anonymised, free text of "
        f"{_clear_free_text(work, records)} record(s) cleared"
    )


def _clear_free_text(work: UnitOfWork, records: ClientRecords) -> int:
    # Saves only the records that held some text; returns how many.
    cleared: list[object] = []
    for refund in records.refunds:
        if refund.reason:
            cleared.append(work.refunds.save(attrs.evolve(refund, reason="")))
    for request in records.cancellation_requests:
        if request.reason:
            cleared.append(work.cancellation_requests.save(attrs.evolve(request, reason="")))
    for entry in records.credit:
        if entry.note:
            cleared.append(work.credit.save(attrs.evolve(entry, note="")))
    for group in records.service_groups:
        if group.description or group.name != group.id:
            blank = attrs.evolve(group, name=group.id, description="")
            cleared.append(work.service_groups.save(blank))
    return len(cleared)


def anonymise_client(
    request: AnonymiseRequest, uow: UnitOfWorkFactory, events: EventSink | None = None
) -> StatusResult:
    """Anonymise a client; all or nothing.

    Raises:
        PermissionDeniedError: the actor is not staff with ``clients.lifecycle``.
        NotFoundError: no such client.
    """
    authorise(request.actor, Action.CLIENT_ANONYMISE, request.client_id, request.at)
    with uow() as work:
        records = load_records(work, request.client_id)
        ended = end_everything(work, records, request.at.date())
        client = work.clients.save(
            _anonymous_profile(records.client, request.actor.ref, request.at)
        )
        scrubbed = _scrub_records(work, client)
        work.commit()
    explanation = f"client {client.id} anonymised by {request.actor.ref}: {ended}; {scrubbed}"
    emit(events, "client.anonymised", client.id, explanation)
    return StatusResult(client, explanation)
