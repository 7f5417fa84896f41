from datetime import UTC, date, datetime

import attrs
import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.invoicing.queue import billable, joining, queue_entry
from hostbill_core.model import QueuedItem

from .factories import DAY, item

AT = datetime(2026, 2, 20, 9, tzinfo=UTC)


def test_an_item_round_trips_through_the_queue_without_group_or_contact() -> None:
    original = item("manual/a", "12.00", tax="2.40", service="s1", group="g-web", contact="k1")
    entry = queue_entry(original, AT, "ann")
    assert (entry.id, entry.key, entry.queued_at, entry.actor) == (
        "manual/a",
        "manual/a",
        AT,
        "ann",
    )
    back = billable(entry)
    assert back == attrs.evolve(original, group_id=None, billing_contact_id=None)
    assert back.minor_total == 1440  # 12.00 + 2.40


def test_queued_items_join_the_earliest_invoice_due_on_or_after_their_due_date() -> None:
    # Invoices being issued: USD due 5 March, JPY due 1 March. Queued: USD due 1 March
    # (joins, dated 5 March), USD due 6 March (waits), EUR (no EUR invoice: waits),
    # JPY due 1 March (joins).
    entries = [
        queue_entry(item("m/usd-early", due=DAY)),
        queue_entry(item("m/usd-late", due=date(2026, 3, 6))),
        queue_entry(item("m/eur", currency="EUR")),
        queue_entry(item("m/jpy", "500", currency="JPY")),
    ]
    picked = joining(entries, {"USD": date(2026, 3, 5), "JPY": DAY})
    assert [(i.key, i.due_date) for i in picked.items] == [
        ("m/jpy", DAY),
        ("m/usd-early", date(2026, 3, 5)),
    ]
    assert [e.key for e in picked.entries] == ["m/jpy", "m/usd-early"]
    assert (
        picked.explanation
        == "2 queued item(s) join the invoices due 2026-03-01 JPY, 2026-03-05 USD"
    )


def test_nothing_joins_from_an_empty_queue() -> None:
    # usecases.queue.with_queued returns the items as they are when nothing is queued.
    picked = joining((), {"USD": DAY, "EUR": date(2026, 3, 5)})
    assert (picked.entries, picked.items) == ((), ())


def test_a_joining_item_about_a_service_takes_the_services_group() -> None:
    entry = queue_entry(item("m/a", service="s1"))
    (joined,) = joining([entry], {"USD": DAY}, {"s1": "g-web"}).items  # type: ignore[dict-item]
    assert joined.group_id == "g-web"


def test_a_queued_item_is_rounded_and_in_its_currency() -> None:
    with pytest.raises(ValidationError):
        attrs.evolve(queue_entry(item("m/a")), amount=item("x", "1.005").amount)
    with pytest.raises(ValidationError):
        QueuedItem("q", "c1", "USD", DAY, "x", item("m/a").amount, " ")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        attrs.evolve(queue_entry(item("m/a")), queued_at=datetime(2026, 3, 1))
