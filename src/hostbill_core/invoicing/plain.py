"""The common grouping, by client, currency and due date, in few passes over the items.

:func:`~hostbill_core.invoicing.grouping.group_items` comes here for a policy of client,
currency and (optionally) due date, without shown service groups: the policy of most
businesses and of the billing run. :func:`by_client` reads every item once, collecting its
natural key in one set and its client's bucket; :func:`plain_drafts` then orders each
client's items and cuts them into drafts. The result equals the general path's (a property
test compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from hostbill_core.errors import ValidationError
from hostbill_core.invoicing.drafts import InvoiceDraft, new_drafts
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.model.ids import ClientId

__all__ = ["by_client", "check_keys", "plain_drafts", "refuse_duplicate"]

_KEY = attrgetter("key")
_DUE_DATE = attrgetter("due_date")
_CURRENCY = attrgetter("currency")
_GROUP_ID = attrgetter("group_id")
_MINOR_TOTAL = attrgetter("minor_total")


def by_client(batch: Sequence[BillableItem]) -> tuple[dict[ClientId, list[BillableItem]], bool]:
    """Each client's items, and whether any item names a service group, in one pass.

    The pass also collects the natural keys in one set to refuse a key given twice: every
    item is read once here, while it is in the processor's cache.

    Raises:
        ValidationError: two items with one key.
    """
    seen: set[str] = set()
    add = seen.add
    by_client: dict[ClientId, list[BillableItem]] = {}
    get = by_client.get
    grouped = False
    for item in batch:
        add(item.key)
        if item.group_id is not None:
            grouped = True
        run = get(item.client_id)
        if run is None:
            by_client[item.client_id] = [item]
        else:
            run.append(item)
    if len(seen) != len(batch):
        refuse_duplicate(batch)
    return by_client, grouped


def check_keys(batch: Sequence[BillableItem]) -> bool:
    """Refuse a key given twice; return whether any item names a service group."""
    if len(set(map(_KEY, batch))) != len(batch):
        refuse_duplicate(batch)
    return any(map(_GROUP_ID, batch))


def refuse_duplicate(batch: Sequence[BillableItem]) -> None:
    """Raise for the first item whose key an earlier item holds.

    Raises:
        ValidationError: naming ``items[index].key``.
    """
    seen: set[str] = set()
    for index, item in enumerate(batch):
        if item.key in seen:
            raise ValidationError(f"items[{index}].key", item.key, "an item is invoiced once")
        seen.add(item.key)


def plain_drafts(
    by_client: dict[ClientId, list[BillableItem]], by_due_date: bool
) -> list[InvoiceDraft]:
    """Drafts split by client, currency and (``by_due_date``) due date: the common case.

    Each client's items are put in (currency, due date, natural key) order, which is the
    draft order and the line order together, by three stable sorts, least significant key
    first (three one-key sorts cost less than one sort on tuples), and cut into runs of one
    currency (and due date) whose minor units are summed on the way. Same drafts as
    :func:`~hostbill_core.invoicing.grouping.group_items` gives for any policy.
    """
    runs: list[tuple[BillableItem, ...]] = []
    totals: list[int] = []
    cut = _cut_by_due_date if by_due_date else _cut_by_currency
    for client_id in sorted(by_client):
        run = by_client[client_id]
        if len(run) == 1:
            runs.append((run[0],))
            totals.append(run[0].minor_total)
            continue
        run.sort(key=_KEY)
        run.sort(key=_DUE_DATE)
        run.sort(key=_CURRENCY)
        cut(tuple(run), runs, totals)
    return new_drafts(runs, totals)


def _cut_by_due_date(
    run: tuple[BillableItem, ...], runs: list[tuple[BillableItem, ...]], totals: list[int]
) -> None:
    """Append each stretch of ``run`` with one currency and due date, and its minor units."""
    head = run[0]
    currency, due, total, start = head.currency, head.due_date, head.minor_total, 0
    for index in range(1, len(run)):
        item = run[index]
        if item.due_date != due or item.currency != currency:
            runs.append(run[start:index])
            totals.append(total)
            currency, due, total, start = item.currency, item.due_date, 0, index
        total += item.minor_total
    runs.append(run[start:])
    totals.append(total)


def _cut_by_currency(
    run: tuple[BillableItem, ...], runs: list[tuple[BillableItem, ...]], totals: list[int]
) -> None:
    """Append each stretch of ``run`` with one currency, and its minor units."""
    start = 0
    for index in range(1, len(run)):
        if run[index].currency != run[start].currency:
            runs.append(run[start:index])
            totals.append(sum(map(_MINOR_TOTAL, run[start:index])))
            start = index
    runs.append(run[start:])
    totals.append(sum(map(_MINOR_TOTAL, run[start:])))
