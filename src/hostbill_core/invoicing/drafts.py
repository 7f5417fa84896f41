"""Invoice drafts: the items of one future invoice, and the fast ways grouping builds them.

:func:`new_draft` and :func:`new_drafts` fill a draft's slots directly instead of calling the
generated ``__init__``: :class:`InvoiceDraft` has no validator or converter, so the result is
equal and indistinguishable (the tests compare the two), and grouping a million items makes
hundreds of thousands of drafts.
"""

from __future__ import annotations

from collections import deque
from datetime import date
from functools import cached_property
from itertools import repeat
from operator import attrgetter

import attrs
from moneyed import Money

from hostbill_core.invoicing.groups import InvoiceSection, sections
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.model.ids import ClientId, ContactId, InvoiceId, ServiceGroupId
from hostbill_core.model.invoices import ClientSnapshot, Invoice, InvoiceLine
from hostbill_core.money import from_minor

__all__ = ["InvoiceDraft", "new_draft", "new_drafts"]

_MINOR_TOTAL = attrgetter("minor_total")
_new = object.__new__
_FEW = 8  # up to this many drafts, new_drafts fills each in turn (timeit: cheaper up to ~10)


@attrs.frozen
class InvoiceDraft:
    """The items of one future invoice, in line order (built by ``group_items``).

    Attributes:
        items: the items (one or more, one client and currency), in invoice line order,
            which starts with the earliest due date.
        titles: (group id, name) of every shown service group on the draft.
        minor_total: the exact sum of the items' totals in minor units (derived from
            ``items``, not an argument).
    """

    items: tuple[BillableItem, ...]
    titles: tuple[tuple[ServiceGroupId, str], ...] = ()
    minor_total: int = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "minor_total", sum(map(_MINOR_TOTAL, self.items)))

    @property
    def client_id(self) -> ClientId:
        """The client billed."""
        return self.items[0].client_id

    @property
    def currency(self) -> str:
        """The currency of every item."""
        return self.items[0].currency

    @property
    def due_date(self) -> date:
        """The earliest due date of the items: the invoice's due date."""
        return self.items[0].due_date

    @cached_property
    def lines(self) -> tuple[InvoiceLine, ...]:
        """The invoice lines; lines of hidden groups carry no group."""
        shown = dict(self.titles)
        return tuple(item.to_line(grouped=item.group_id in shown) for item in self.items)

    @property
    def sections(self) -> tuple[InvoiceSection, ...]:
        """The lines cut into ungrouped runs and runs under a shown group's name."""
        return sections(self.lines, dict(self.titles), [i.due_date for i in self.items])

    @property
    def total(self) -> Money:
        """The exact sum of the items' totals (net plus taxes), built from ``minor_total``."""
        return from_minor(self.minor_total, self.currency)

    @property
    def keys(self) -> tuple[str, ...]:
        """The natural keys of the items, in line order."""
        return tuple(item.key for item in self.items)

    @property
    def billing_contact_id(self) -> ContactId | None:
        """The billing contact all items share, or None when they share none."""
        contacts = {item.billing_contact_id for item in self.items}
        return contacts.pop() if len(contacts) == 1 else None

    @property
    def explanation(self) -> str:
        """The draft in words."""
        return (
            f"{len(self.items)} item(s) of client {self.client_id} due from "
            f"{self.due_date.isoformat()}, total {self.currency} {self.total.amount}"
        )

    def to_invoice(
        self, invoice_id: InvoiceId, client: ClientSnapshot | None = None, notes: str = ""
    ) -> Invoice:
        """Return the draft as an :class:`Invoice` in status DRAFT (not yet numbered)."""
        return Invoice(
            id=invoice_id,
            client_id=self.client_id,
            currency=self.currency,
            due_date=self.due_date,
            lines=self.lines,
            client=client,
            notes=notes,
        )


def new_draft(
    items: tuple[BillableItem, ...], titles: tuple[tuple[ServiceGroupId, str], ...] = ()
) -> InvoiceDraft:
    """``InvoiceDraft(items, titles)`` without the generated ``__init__``'s per-call set-up.

    InvoiceDraft has no validator or converter, so filling its slots directly builds an
    equal, indistinguishable instance (the tests compare the two); it matters when a run
    makes one draft per few items.
    """
    return _filled(items, titles, sum(map(_MINOR_TOTAL, items)))


def _filled(
    items: tuple[BillableItem, ...], titles: tuple[tuple[ServiceGroupId, str], ...], total: int
) -> InvoiceDraft:
    draft: InvoiceDraft = _new(InvoiceDraft)
    _set_items(draft, items)
    _set_titles(draft, titles)
    _set_total(draft, total)
    return draft


def new_drafts(runs: list[tuple[BillableItem, ...]], totals: list[int]) -> list[InvoiceDraft]:
    """Untitled drafts of ``runs`` with minor-unit totals ``totals``, built as new_draft does.

    Each slot is filled across all drafts at once: no Python call per draft. A few drafts
    (a client's day, mostly one) are filled one by one: setting up the bulk fill costs more.
    """
    count = len(runs)
    if count <= _FEW:
        return [_filled(run, (), total) for run, total in zip(runs, totals, strict=True)]
    drafts: list[InvoiceDraft] = list(map(_new, repeat(InvoiceDraft, count)))
    deque(map(_set_items, drafts, runs), maxlen=0)
    deque(map(_set_titles, drafts, repeat((), count)), maxlen=0)
    deque(map(_set_total, drafts, totals), maxlen=0)
    return drafts


# The slots' own setters (frozen attrs classes refuse ordinary attribute assignment).
_set_items = InvoiceDraft.__dict__["items"].__set__
_set_titles = InvoiceDraft.__dict__["titles"].__set__
_set_total = InvoiceDraft.__dict__["minor_total"].__set__
