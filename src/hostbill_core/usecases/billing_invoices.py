"""Renewal invoices of one client's billing day: price, reconcile, group, tax, issue, credit.

An invoice event whose renewal line already exists on any invoice (natural key) proposes
nothing: that is the reconciliation. The others are priced, grouped with the business's
grouping policy and the client's service groups, taxed per invoice (so per-invoice rounding
sees the whole invoice), issued with the next number of the series, and paid from the credit
balance as far as it goes when the settings say so. An invoice's id is derived from its first
line's key, which no other invoice can hold: the same proposal gets the same id in a dry run
and in the real run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import attrs

from hostbill_core.invoicing.credit import CreditRequest, apply_credit_on_issue
from hostbill_core.invoicing.grouping import InvoiceDraft, group_items
from hostbill_core.invoicing.items import BillableItem, natural_key
from hostbill_core.invoicing.lifecycle import issue_new
from hostbill_core.model import (
    CreditEntryId,
    InvoiceId,
    InvoiceStatus,
    LineKind,
    ServiceGroup,
    ServiceId,
)
from hostbill_core.pricing import TaxCustomer, tax_lines
from hostbill_core.renewal import LifecycleEvent
from hostbill_core.usecases.billing_report import BillingEvent, IssuedInvoice
from hostbill_core.usecases.billing_work import ClientWork
from hostbill_core.usecases.queue import with_queued
from hostbill_core.usecases.renewal_items import renewal_items, renewal_period

__all__ = ["invoice_id_for", "issue_draft", "issue_renewals"]


def invoice_id_for(client_id: str, first_key: str) -> InvoiceId:
    """The id of the invoice whose first line has natural key ``first_key``.

    >>> invoice_id_for("c1", "renewal/s1/2026-03-01..2026-04-01")
    'c1-inv-5bc7dc5752e251d7'
    """
    digest = hashlib.sha256(first_key.encode()).hexdigest()[:16]
    return InvoiceId(f"{client_id}-inv-{digest}")


def _proposed(work: ClientWork, events: Sequence[LifecycleEvent]) -> list[BillableItem]:
    run, uow = work.run, work.uow
    items: list[BillableItem] = []
    promotions = None  # the client's promotion redemptions, read once and only when pricing
    for event in events:
        service = work.services[event.service_id]
        if event.due_date >= service.next_due_date:  # not renewed meanwhile
            period = renewal_period(service, event.due_date)
            if uow.invoices.owner_of_key(natural_key(LineKind.RENEWAL, service.id, period)) is None:
                if promotions is None:
                    promotions = work.promotions()
                items.extend(
                    renewal_items(
                        service, event.due_date, work.client, run.catalogue, run.settings,
                        on=run.as_of, rates=run.rates, promotions=promotions, period=period,
                        price=run.price(service, work.client),
                    )
                )  # fmt: skip
        work.done.add(event.key)
    return items


def issue_renewals(work: ClientWork, events: Sequence[LifecycleEvent]) -> bool:
    """Issue the invoices of ``events`` not yet invoiced; True when credit renewed a service.

    Raises:
        ConfigurationError, CurrencyMismatchError, ValidationError: from pricing or grouping.
    """
    items = _proposed(work, events)
    if not items:
        return False
    items = with_queued(work, items)  # the client's queued items join these invoices
    groups: tuple[ServiceGroup, ...] = ()
    if any(item.group_id is not None for item in items):
        groups = work.uow.service_groups.list(client_id=work.client.id)
    paid: set[ServiceId] = set()
    for draft in group_items(items, work.run.settings.grouping, groups).drafts:
        if issue_draft(work, draft):
            paid.update(i.service_id for i in draft.items if i.service_id is not None)
    return bool(paid) and work.renew(paid)


def _taxed(work: ClientWork, draft: InvoiceDraft) -> tuple[InvoiceDraft, str]:
    tax = work.run.settings.tax
    if not tax.rules:
        return draft, ""
    taxed = tax_lines([i.amount for i in draft.items], TaxCustomer.of(work.client), tax)
    items = tuple(
        attrs.evolve(item, amount=line.amount, taxes=line.taxes)
        for item, line in zip(draft.items, taxed.lines, strict=True)
    )
    return InvoiceDraft(items, draft.titles), taxed.note


def issue_draft(work: ClientWork, draft: InvoiceDraft) -> bool:
    """Tax, number and issue one draft, apply credit, record it; True when it is paid.

    Raises:
        ValidationError: a negative total; ConflictError: a line's key is already invoiced.
    """
    run, uow, client = work.run, work.uow, work.client
    draft, note = _taxed(work, draft)
    invoice_id = invoice_id_for(client.id, draft.items[0].key)  # the first line's key
    numbering, details, credit_settings = work.issuing()
    notes = "\n".join(n for n in (note, client.invoice_note) if n)
    issued = issue_new(draft.to_invoice(invoice_id, details, notes), run.as_of, numbering)
    request = CreditRequest(CreditEntryId(f"{invoice_id}-credit"), run.at, run.settings.actor)
    credit = apply_credit_on_issue(
        work.ledger(draft.currency), issued.invoice, request, numbering, credit_settings
    )
    invoice = uow.invoices.add(credit.invoice)
    if credit.entry is not None:
        uow.credit.add(credit.entry)
        work.ledgers[draft.currency] = credit.ledger
    number = invoice.number or invoice.proforma_number or ""
    work.invoices.append(
        IssuedInvoice(
            invoice.id, number, invoice.due_date, invoice.total, invoice.credit_applied,
            invoice.status, len(invoice.lines),
        )
    )  # fmt: skip
    text = f"{issued.explanation}; {credit.explanation}"
    key = f"invoice/{invoice.id}/issued"
    work.emit(BillingEvent("invoice.issued", client.id, invoice.id, key, run.as_of, "", text))
    return invoice.status is InvoiceStatus.PAID
