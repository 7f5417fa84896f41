"""Invoice grouping keys of due items: (client, currency, due date), on columns.

The invoicing engine's default grouping puts one client's items of one currency that fall due
on one date on one invoice. :func:`invoice_groups` finds those groups for a whole batch of
:class:`~hostbill_core.batch.due.DueItems` at once: the distinct keys, sorted by client,
currency and date, how many items each holds and the exact sum of their prices (before
proration, discounts and tax, which the invoicing engine applies per line).

>>> from datetime import date
>>> from hostbill_core.batch.frame import ServiceFrame
>>> from hostbill_core.batch.due import due_in_window
>>> frame = ServiceFrame(client=[0, 0, 1], anchor_month=[24312] * 3, anchor_day=[1, 1, 1],
...     cycle_unit=[2, 2, 2], cycle_length=[1, 1, 1], billing_day=[0] * 3,
...     price=[499, 1200, 499], currency=[0, 0, 0], status=[1] * 3, next_due=[0] * 3,
...     currencies=("USD",))
>>> groups = invoice_groups(frame, due_in_window(frame, date(2026, 1, 1), date(2026, 3, 1)))
>>> [groups.key(g) for g in range(len(groups))]
[(0, 'USD', datetime.date(2026, 1, 1)), (0, 'USD', datetime.date(2026, 2, 1)),
 (1, 'USD', datetime.date(2026, 1, 1)), (1, 'USD', datetime.date(2026, 2, 1))]
>>> groups.count.tolist(), groups.total.tolist()
([2, 2, 1, 1], [1699, 1699, 499, 499])
"""

from __future__ import annotations

from datetime import date

import attrs
import numpy as np

from hostbill_core.batch.days import EPOCH_ORDINAL, Int64Array
from hostbill_core.batch.due import DueItems
from hostbill_core.batch.frame import ServiceFrame
from hostbill_core.errors import ValidationError
from hostbill_core.model.ids import ClientId

__all__ = ["InvoiceGroups", "invoice_groups"]

_INT64_MAX = int(np.iinfo(np.int64).max)


@attrs.frozen(eq=False)
class InvoiceGroups:
    """Distinct (client, currency, due date) keys of due items, one invoice draft each.

    Attributes:
        client: client index per group.
        currency: currency index per group (into ``currencies``).
        due: due date per group, as a day number.
        count: how many items per group.
        total: the exact sum of the items' prices per group, in minor units.
        item_group: for each item (in the order given), the index of its group.
        currencies: ISO 4217 codes by currency index.
        client_ids: client ids by client index, when the frame has labels.
    """

    client: Int64Array
    currency: Int64Array
    due: Int64Array
    count: Int64Array
    total: Int64Array
    item_group: Int64Array
    currencies: tuple[str, ...]
    client_ids: tuple[ClientId, ...] | None

    def __len__(self) -> int:
        return len(self.client)

    def key(self, group: int) -> tuple[ClientId | int, str, date]:
        """The key of ``group``: client id (or index without labels), currency, due date."""
        client = int(self.client[group])
        return (
            client if self.client_ids is None else self.client_ids[client],
            self.currencies[int(self.currency[group])],
            date.fromordinal(int(self.due[group]) + EPOCH_ORDINAL),
        )


def invoice_groups(frame: ServiceFrame, items: DueItems) -> InvoiceGroups:
    """Group due items by (client, currency, due date), sorted by those keys.

    Raises:
        ValidationError: an item's row is not a row of ``frame``, or a group total beyond
            int64.
    """
    if len(items) and (int(items.rows.min()) < 0 or int(items.rows.max()) >= len(frame)):
        raise ValidationError("items.rows", int(items.rows.max()), "rows of the frame only")
    client, currency = frame.client[items.rows], frame.currency[items.rows]
    order = np.lexsort((items.due, currency, client))
    keys = (client[order], currency[order], items.due[order])
    changed = np.zeros(len(order), dtype=np.bool_)
    if len(order):
        changed[0] = True
        for column in keys:
            changed[1:] |= column[1:] != column[:-1]
    starts = np.flatnonzero(changed)
    count = np.diff(np.r_[starts, len(order)])
    prices = frame.price[items.rows][order]
    largest = int(np.abs(prices).max()) if len(prices) else 0
    if len(count) and largest * int(count.max()) > _INT64_MAX:
        raise ValidationError("price", largest, "a group's total would overflow int64")
    item_group = np.empty(len(order), dtype=np.int64)
    item_group[order] = np.cumsum(changed) - 1
    return InvoiceGroups(
        client=keys[0][starts],
        currency=keys[1][starts],
        due=keys[2][starts],
        count=count.astype(np.int64),
        total=np.add.reduceat(prices, starts) if len(starts) else prices,
        item_group=item_group,
        currencies=frame.currencies,
        client_ids=None if frame.labels is None else frame.labels.client_ids,
    )
