"""Grouping billable items into invoice drafts, by grouping keys declared as data.

Every draft belongs to one client and one currency. By default a draft holds the items of one
client, currency and due date; a :class:`GroupingPolicy` adds keys (billing contact, service
group, one invoice per service) or merges everything due within N days of the earliest item
of a run. The result depends only on the set of items: any order of the same items gives the
same drafts, in the same order, with the same line order (see :mod:`.groups`), and grouping
the items of a result again gives that result (idempotent).

>>> from datetime import date
>>> from hostbill_core.money import to_money
>>> def item(key, day, amount):
...     return BillableItem("c1", "USD", date(2026, 3, day), key, to_money(amount, "USD"),
...                         LineKind.MANUAL, key)
>>> items = [item("b", 1, "5.00"), item("a", 1, "2.50"), item("c", 3, "1.00")]
>>> [(d.due_date.day, [i.key for i in d.items]) for d in group_items(items).drafts]
[(1, ['a', 'b']), (3, ['c'])]
>>> merged = group_items(items, GroupingPolicy.merge_within(2)).drafts
>>> [(d.due_date.day, d.total) for d in merged]
[(1, Money('8.50', 'USD'))]
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from operator import attrgetter, itemgetter
from typing import Any

import attrs

from hostbill_core.errors import ConfigurationError
from hostbill_core.invoicing.drafts import InvoiceDraft, new_draft
from hostbill_core.invoicing.groups import GroupLayout
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.invoicing.plain import by_client, check_keys, plain_drafts
from hostbill_core.model.ids import ServiceGroupId
from hostbill_core.model.invoices import LineKind
from hostbill_core.model.services import ServiceGroup

__all__ = [
    "BillableItem",
    "GroupKey",
    "GroupingPolicy",
    "GroupingResult",
    "InvoiceDraft",
    "LineKind",
    "group_items",
]


class GroupKey(enum.Enum):
    """A property that items on one invoice share (the client is always shared)."""

    CURRENCY = "currency"
    DUE_DATE = "due_date"
    BILLING_CONTACT = "billing_contact"
    SERVICE_GROUP = "service_group"
    SERVICE = "service"


_FIELDS = {
    GroupKey.CURRENCY: "currency",
    GroupKey.DUE_DATE: "due_date",
    GroupKey.BILLING_CONTACT: "billing_contact_id",
    GroupKey.SERVICE_GROUP: "group_id",
    GroupKey.SERVICE: "service_id",
}
_OPTIONAL = frozenset({GroupKey.BILLING_CONTACT, GroupKey.SERVICE_GROUP, GroupKey.SERVICE})
_ORDER = tuple(GroupKey)
_GROUP_ID = attrgetter("group_id")
_FIRST = itemgetter(0)
_MINOR_TOTAL = attrgetter("minor_total")
_KEY = attrgetter("key")
_DUE_DATE = attrgetter("due_date")
_CURRENCY = attrgetter("currency")
_new = object.__new__


def _canonical(keys: Iterable[GroupKey]) -> tuple[GroupKey, ...]:
    given = set(keys)
    for key in given:
        if not isinstance(key, GroupKey):
            raise ConfigurationError("grouping.keys", key, f"use {[k.value for k in GroupKey]}")
    return tuple(k for k in _ORDER if k in given)


@attrs.frozen
class GroupingPolicy:
    """Which items share an invoice.

    Attributes:
        keys: the properties items on one invoice share, besides the client; must include
            ``CURRENCY`` (an invoice has one currency). Order does not matter.
        merge_within_days: with ``DUE_DATE`` among the keys, items due within this many days
            of the earliest item of a run share an invoice due on that earliest date; None
            (the default) splits by exact due date.

    Raises:
        ConfigurationError: ``CURRENCY`` missing, a negative day count, or a merge window
            without ``DUE_DATE``.
    """

    keys: tuple[GroupKey, ...] = attrs.field(
        default=(GroupKey.CURRENCY, GroupKey.DUE_DATE), converter=_canonical
    )
    merge_within_days: int | None = None

    def __attrs_post_init__(self) -> None:
        if GroupKey.CURRENCY not in self.keys:
            raise ConfigurationError("grouping.keys", self.keys, "include CURRENCY")
        days = self.merge_within_days
        if days is None:
            return
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ConfigurationError("grouping.merge_within_days", days, "0 or more days")
        if GroupKey.DUE_DATE not in self.keys:
            raise ConfigurationError(
                "grouping.merge_within_days", days, "a merge window needs the DUE_DATE key"
            )

    @classmethod
    def per_service(cls) -> GroupingPolicy:
        """One invoice per client, currency, due date and service."""
        return cls((GroupKey.CURRENCY, GroupKey.DUE_DATE, GroupKey.SERVICE))

    @classmethod
    def merge_within(cls, days: int) -> GroupingPolicy:
        """One invoice per client and currency for everything due within ``days`` days."""
        return cls(merge_within_days=days)

    @property
    def describe(self) -> str:
        """The policy in words."""
        text = "client, " + ", ".join(k.value.replace("_", " ") for k in self.keys)
        if self.merge_within_days is not None:
            text += f" (due dates within {self.merge_within_days} day(s) merged)"
        return text


@attrs.frozen
class GroupingResult:
    """The drafts, ordered by client, currency, due date and the other keys."""

    drafts: tuple[InvoiceDraft, ...]
    policy: GroupingPolicy

    @property
    def explanation(self) -> str:
        """How the items were grouped."""
        count = sum(len(d.items) for d in self.drafts)
        return (
            f"{count} item(s) into {len(self.drafts)} draft(s), one per "
            f"{self.policy.describe}; lines by due date, service group, natural key"
        )


def group_items(
    items: Iterable[BillableItem],
    policy: GroupingPolicy | None = None,
    groups: Iterable[ServiceGroup] = (),
) -> GroupingResult:
    """Group billable items into invoice drafts.

    Args:
        items: the items to invoice, each with a distinct natural key.
        policy: the grouping keys (default: client, currency, due date).
        groups: the service groups the items name (every group an item names must be here).

    Raises:
        ValidationError: two items with one key; an item naming an unknown group, another
            client's group, or a group that does not hold its service.
    """
    policy = policy or GroupingPolicy()
    batch = items if isinstance(items, list | tuple) else list(items)
    plain = not (policy.merge_within_days or _OPTIONAL.intersection(policy.keys))
    buckets, grouped = by_client(batch) if plain else ({}, check_keys(batch))
    layout = GroupLayout.of(groups)
    if grouped:
        for index, item in enumerate(batch):
            layout.check(index, item)
    if plain and not layout.shown:
        drafts = plain_drafts(buckets, GroupKey.DUE_DATE in policy.keys)
    else:
        drafts = _keyed_drafts(batch, policy, layout)
    return GroupingResult(tuple(drafts), policy)


def _keyed_drafts(
    batch: Sequence[BillableItem], policy: GroupingPolicy, layout: GroupLayout
) -> list[InvoiceDraft]:
    """Drafts for any policy: buckets by the policy's keys, cut into merge-window runs."""
    order = _line_order(policy, layout)
    buckets: defaultdict[Hashable, list[BillableItem]] = defaultdict(list)
    for key, item in zip(map(_bucket_key(policy), batch), batch, strict=True):
        buckets[key].append(item)
    drafts: list[InvoiceDraft] = []
    window = policy.merge_within_days
    for _key, bucket in sorted(buckets.items(), key=_FIRST):
        if len(bucket) > 1:
            bucket.sort(key=order)
        drafts.extend(_draft(run, layout) for run in _runs(bucket, window))
    return drafts


def _line_order(policy: GroupingPolicy, layout: GroupLayout) -> Callable[[BillableItem], Any]:
    if layout.shown:
        return layout.sort_key()
    if GroupKey.DUE_DATE in policy.keys and not policy.merge_within_days:
        return attrgetter("key")  # one due date per bucket: the natural key orders the lines
    return attrgetter("due_date", "key")


def _bucket_key(policy: GroupingPolicy) -> Callable[[BillableItem], Hashable]:
    keys = [k for k in policy.keys if not (k is GroupKey.DUE_DATE and policy.merge_within_days)]
    names = ["client_id", *(_FIELDS[k] for k in keys)]
    if not _OPTIONAL.intersection(keys):
        return attrgetter(*names)
    getters = [attrgetter(name) for name in names]
    # None becomes "" so that keys compare (ids are never empty): ungrouped sorts first.
    return lambda item: tuple("" if (v := g(item)) is None else v for g in getters)


def _runs(bucket: list[BillableItem], window: int | None) -> Iterable[list[BillableItem]]:
    if not window:
        yield bucket
        return
    # The bucket is in line order, due date first: each run is a slice, still in line order.
    run: list[BillableItem] = []
    for item in bucket:
        if run and (item.due_date - run[0].due_date).days > window:
            yield run
            run = []
        run.append(item)
    yield run


def _draft(run: list[BillableItem], layout: GroupLayout) -> InvoiceDraft:
    titles: tuple[tuple[ServiceGroupId, str], ...] = ()
    if layout.shown:
        present = {i.group_id for i in run if i.group_id is not None and layout.shows(i.group_id)}
        titles = tuple(sorted((g, layout.shown[g].name) for g in present))
    return new_draft(tuple(run), titles)
