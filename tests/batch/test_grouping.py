from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostbill_core.batch import DueItems, ServiceFrame, due_in_window, invoice_groups, to_dates
from hostbill_core.calendar import next_due_date
from hostbill_core.errors import ValidationError
from hostbill_core.invoicing.grouping import BillableItem, GroupingResult, group_items
from hostbill_core.model import LineKind, Service
from hostbill_core.money import to_minor, to_money

from .builders import service
from .strategies import days, services


def _object_api_drafts(svcs: list[Service], start: date, end: date) -> GroupingResult:
    """The invoicing engine's drafts of every renewal due in [start, end) (calendar API)."""
    items = []
    for s in svcs:
        assert s.price_override is not None
        due = next_due_date(s.anchor, s.cycle, start - timedelta(days=1))
        while due < end:
            items.append(
                BillableItem(
                    s.client_id,
                    s.price_override.currency.code,
                    due,
                    s.id,
                    s.price_override,
                    LineKind.RENEWAL,
                    f"{s.id}@{due}",
                    service_id=s.id,
                )
            )
            due = next_due_date(s.anchor, s.cycle, due)
    return group_items(items)


@settings(max_examples=2000)
@given(services(max_size=16), days(), st.integers(1, 120))
def test_groups_equal_the_invoicing_engines_default_drafts(
    svcs: list[Service], start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    frame = ServiceFrame.from_services(svcs)
    items = due_in_window(frame, start, end)
    groups = invoice_groups(frame, items)
    drafts = _object_api_drafts(svcs, start, end).drafts
    got = {groups.key(g): (int(groups.count[g]), int(groups.total[g])) for g in range(len(groups))}
    assert got == {
        (d.client_id, d.currency, d.due_date): (len(d.items), to_minor(d.total)) for d in drafts
    }
    for k, group in enumerate(groups.item_group.tolist()):  # each item points at its key
        assert frame.labels is not None
        client = frame.labels.client_ids[int(frame.client[items.rows[k]])]
        assert groups.key(group)[0] == client
        assert groups.key(group)[2] == to_dates(items.due[[k]])[0]


def test_grouping_worked_example() -> None:
    # Client a: two USD services due 1 Feb and one EUR service due 1 Feb → two invoices;
    # client b: one USD service due 1 Feb and again 1 Mar → two invoices.
    def svc(i: int, client: str, price: str, code: str) -> Service:
        return service(to_money(price, code), sid=f"s{i}", client=client, due=date(2026, 2, 1))

    frame = ServiceFrame.from_services(
        [
            svc(1, "a", "4.99", "USD"),
            svc(2, "a", "10.00", "USD"),
            svc(3, "a", "3.00", "EUR"),
            svc(4, "b", "4.99", "USD"),
        ]
    )
    groups = invoice_groups(frame, due_in_window(frame, date(2026, 2, 1), date(2026, 3, 2)))
    # currency index: USD 0, EUR 1 (order of appearance); keys sort by client, currency, date.
    assert [groups.key(g) for g in range(len(groups))] == [
        ("a", "USD", date(2026, 2, 1)),
        ("a", "USD", date(2026, 3, 1)),
        ("a", "EUR", date(2026, 2, 1)),
        ("a", "EUR", date(2026, 3, 1)),
        ("b", "USD", date(2026, 2, 1)),
        ("b", "USD", date(2026, 3, 1)),
    ]
    assert groups.total.tolist() == [1499, 1499, 300, 300, 499, 499]  # 4.99 + 10.00 = 14.99
    assert groups.count.tolist() == [2, 2, 1, 1, 1, 1]


def test_no_items_make_no_groups() -> None:
    frame = ServiceFrame.from_services([])
    groups = invoice_groups(frame, DueItems(np.zeros(0, np.int64), np.zeros(0, np.int64)))
    assert len(groups) == 0


def test_items_of_rows_outside_the_frame_are_refused() -> None:
    frame = ServiceFrame.from_services([])
    with pytest.raises(ValidationError) as raised:
        invoice_groups(frame, DueItems(np.array([0]), np.array([0])))
    assert raised.value.field == "items.rows"


def test_a_group_total_that_would_overflow_is_refused() -> None:
    svc = service(to_money(4 * 10**18, "JPY"))
    frame = ServiceFrame.from_services([svc])
    items = DueItems(np.array([0, 0, 0]), np.array([0, 0, 0]))
    with pytest.raises(ValidationError, match="overflow"):
        invoice_groups(frame, items)
