"""Merge two clients: everything of the source moves to the target, then the source goes.

Every kind of :data:`~hostbill_core.usecases.client_records.CLIENT_OWNED` is re-assigned to
the target (contacts, services with domains among them, service groups, orders, invoices,
payments, credit entries, quotes, promotion redemptions, cancellation requests, refunds and
queued items), except the billing state, folded as below; the source client is removed, all
in one unit of work.

Billing state
    What the billing run remembers of the source (its :class:`~hostbill_core.model.BillingState`,
    stored under the client's own id) is folded into the target's: the event keys carried out
    (they name services, which move too) and the scheduled plan changes are joined, and the
    target is locked out when either was, since the source's overdue invoices move with it
    (the next billing run lets the target back in when nothing is overdue). The source's state
    is removed: nothing of the merged-away client is left behind.

Currencies
    Clients in the same currency merge as they are. When they differ the merge is refused
    unless the request carries an exchange rate from the source's currency to the target's:
    that explicit choice converts the services' price overrides (rounded once, to the target
    currency's minor unit, ROUND_HALF_UP) and carries the source's credit balance over the way
    the invoicing engine changes a ledger's currency (``invoicing.credit.change_currency``):
    one entry closes it in the source currency, one opens it, converted, in the target's; a
    zero balance moves nothing. The moved entries keep their history, and those in the source
    currency then sum to zero. Queued items are charges not yet invoiced, so they move as a
    currency change moves them (``pricing.convert_queued_item``): one in the source currency
    is converted, its net amount and each tax on their own, each rounded once to the target
    currency's minor unit, ROUND_HALF_UP, and joins the target's next invoice; one in the
    target's currency moves as it is; one in any other currency refuses the merge, between
    clients in the same currency too (it could join no invoice of the target). Since
    :func:`~hostbill_core.usecases.queue.queue_item` refuses an item in another currency than
    the client's, only an item stored before that rule can do so. Invoices, payments, orders,
    quotes and refunds are records of what happened and keep the currency they were made in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

import attrs

from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.invoicing.credit import CreditLedger, CurrencyChangeRequest, change_currency
from hostbill_core.model import (
    BillingState,
    Client,
    ClientId,
    CreditEntryId,
    QueuedItem,
    QueuedItemId,
    Service,
)
from hostbill_core.money import ExchangeRate, RoundingPolicy, convert
from hostbill_core.permissions import Action, Actor
from hostbill_core.ports import EventSink, UnitOfWork, UnitOfWorkFactory
from hostbill_core.pricing.currency_items import CurrencyChangeMode, Mover, convert_queued_item
from hostbill_core.usecases.client_records import (
    ClientRecords,
    authorise,
    emit,
    load_records,
)

__all__ = ["MergeRequest", "MergeResult", "merge_clients"]


@attrs.frozen
class MergeRequest:
    """Merge ``source_id`` into ``target_id``.

    Attributes:
        rate: from the source's currency to the target's; required when they differ,
            refused when they do not.
    """

    actor: Actor
    source_id: ClientId
    target_id: ClientId
    at: datetime
    rate: ExchangeRate | None = None


@attrs.frozen
class MergeResult:
    """The target after the merge, how many of each kind moved, and the story in words."""

    target: Client
    moved: Mapping[str, int]
    explanation: str


def _check_currencies(request: MergeRequest, source: Client, target: Client) -> None:
    rate = request.rate
    if source.currency == target.currency:
        if rate is not None:
            raise ValidationError("rate", rate, "both clients bill in the same currency")
        return
    if rate is None:
        raise CurrencyMismatchError(
            target.currency, source.currency, "merge: pass an exchange rate to convert"
        )
    if (rate.base, rate.quote) != (source.currency, target.currency):
        wanted = f"{source.currency}→{target.currency}"
        raise ValidationError("rate", rate, f"a rate {wanted} is needed")


def _moved_service(service: Service, target: ClientId, rate: ExchangeRate | None) -> Service:
    price = service.price_override
    if rate is not None and price is not None:
        price = convert(price, rate)
    return attrs.evolve(service, client_id=target, price_override=price)


def _queued(
    request: MergeRequest, records: ClientRecords, target: Client
) -> tuple[dict[QueuedItemId, QueuedItem], list[str]]:
    """The source's queued items as they move, and the conversions in words.

    Raises:
        ValidationError: an item in neither the source's nor the target's currency.
    """
    rate, why = request.rate, f"merge into client {request.target_id}"
    moved: dict[QueuedItemId, QueuedItem] = {}
    told: list[str] = []
    for i, queued in enumerate(records.queued_items):
        _check_queued_currency(i, queued, records.client, target)
        item = attrs.evolve(queued, client_id=request.target_id)
        if rate is not None and item.currency == rate.base:
            mover = Mover(
                rate.base, rate.quote, CurrencyChangeMode.RECALCULATE, rate, RoundingPolicy()
            )
            item, _ = convert_queued_item(item, mover, why)
            told.append(
                f"{item.id} {queued.amount.amount} {rate.base} → {item.amount.amount} {rate.quote}"
            )
        moved[item.id] = item
    return moved, told


def _check_queued_currency(i: int, item: QueuedItem, source: Client, target: Client) -> None:
    """Refuse a queued item in neither client's currency: it could join no target invoice.

    Such an item was stored before ``queue_item`` refused one in another currency than the
    client's.
    """
    if item.currency in (source.currency, target.currency):
        return
    if source.currency == target.currency:
        where = f"is not in {target.currency}"
    else:
        where = f"is in neither {source.currency} nor {target.currency}"
    raise ValidationError(
        f"queued_items[{i}].currency",
        item.currency,
        f"queued item {item.id} {where}: remove it, or queue it again in a currency the "
        "client is billed in",
    )


def _carry_credit(
    work: UnitOfWork, request: MergeRequest, records: ClientRecords, rate: ExchangeRate
) -> str:
    """Close the moved balance in the source currency and open it converted (invoicing's rule)."""
    currency = records.client.currency
    moved = tuple(
        attrs.evolve(e, client_id=request.target_id)
        for e in records.credit
        if e.amount.currency.code == currency
    )
    stem = f"merge-{request.source_id}-into-{request.target_id}"
    change = change_currency(
        CreditLedger(request.target_id, currency, moved),
        CurrencyChangeRequest(
            rate,
            CreditEntryId(f"{stem}-out"),
            CreditEntryId(f"{stem}-in"),
            request.at,
            request.actor.ref,
        ),
    )
    for entry in (change.closing, change.opening):
        if entry is not None:
            work.credit.add(entry)
    return f"credit of client {request.source_id}: {change.explanation}"


def _fold_state(work: UnitOfWork, source: BillingState, target_id: ClientId) -> None:
    """Join the source's billing state into the target's and remove the source's."""
    kept = work.billing_states.find(target_id)
    base = kept if kept is not None else BillingState.new(target_id)
    folded = attrs.evolve(
        base,
        done=(*base.done, *source.done),
        locked_out=base.locked_out or source.locked_out,
        scheduled=(*base.scheduled, *source.scheduled),
    )
    if kept is None:
        work.billing_states.add(folded)
    elif folded != kept:
        work.billing_states.save(folded)
    work.billing_states.remove(source.id)


def _move_all(
    work: UnitOfWork,
    request: MergeRequest,
    records: ClientRecords,
    queued: Mapping[QueuedItemId, QueuedItem],
) -> dict[str, int]:
    target, rate = request.target_id, request.rate
    moved: dict[str, int] = {}
    for name, items in records.owned():
        repository = getattr(work, name)
        for item in items:
            if name == "billing_states":  # stored under the client's id: folded, not moved
                _fold_state(work, item, target)
            elif name == "services":
                repository.save(_moved_service(item, target, rate))
            elif name == "queued_items":
                repository.save(queued[item.id])
            else:
                repository.save(attrs.evolve(item, client_id=target))
        moved[name] = len(items)
    return moved


def merge_clients(
    request: MergeRequest, uow: UnitOfWorkFactory, events: EventSink | None = None
) -> MergeResult:
    """Move everything of the source client to the target and remove the source.

    Raises:
        PermissionDeniedError: the actor is not staff with ``clients.lifecycle``.
        ValidationError: source and target are the same, the rate is not the one needed, or
            a queued item of the source is in neither client's currency (field
            ``queued_items[i].currency``).
        CurrencyMismatchError: the currencies differ and no rate was given.
        NotFoundError: either client does not exist.
    """
    if request.source_id == request.target_id:
        raise ValidationError("target_id", request.target_id, "a client is not merged into itself")
    for client_id in (request.source_id, request.target_id):
        authorise(request.actor, Action.CLIENT_MERGE, client_id, request.at)
    with uow() as work:
        records = load_records(work, request.source_id)
        target = work.clients.get(request.target_id)
        _check_currencies(request, records.client, target)
        queued, converted = _queued(request, records, target)
        moved = _move_all(work, request, records, queued)
        told = [f"client {request.source_id} merged into {target.id} by {request.actor.ref}"]
        told.append(records.counts() + " moved")
        if request.rate is not None:
            told.append(_carry_credit(work, request, records, request.rate))
        if converted:
            rounding = f"each amount rounded once, {RoundingPolicy().mode}"
            told.append(
                f"queued items of client {request.source_id} converted: "
                f"{', '.join(converted)} ({rounding})"
            )
        work.clients.remove(request.source_id)
        work.commit()
    explanation = "; ".join(told)
    emit(events, "client.merged", target.id, explanation)
    return MergeResult(target, MappingProxyType(moved), explanation)
