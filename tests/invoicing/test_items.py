from datetime import date

import pytest

from hostbill_core.calendar import Period
from hostbill_core.errors import ConflictError, CurrencyMismatchError, ValidationError
from hostbill_core.invoicing.items import BillableQueue, enqueue, natural_key, take_due
from hostbill_core.model import LineKind

from .factories import DAY, item, usd


def test_natural_key_names_kind_subject_and_half_open_period() -> None:
    period = Period(date(2026, 1, 31), date(2026, 2, 28))
    assert natural_key(LineKind.RENEWAL, "s9", period) == "renewal/s9/2026-01-31..2026-02-28"
    assert natural_key(LineKind.QUOTE, "q1-2") == "quote/q1-2"


@pytest.mark.parametrize("subject", ["", "a/b"])
def test_natural_key_refuses_empty_or_slashed_subject(subject: str) -> None:
    with pytest.raises(ValidationError) as caught:
        natural_key(LineKind.MANUAL, subject)
    assert caught.value.field == "subject"


def test_item_total_is_net_plus_taxes() -> None:
    # 10.00 net + 2.00 VAT = 12.00
    assert item("a", "10.00", tax="2.00").total == usd("12.00")


def test_item_refuses_an_amount_finer_than_the_minor_unit() -> None:
    with pytest.raises(ValidationError) as caught:
        item("a", "10.005")
    assert caught.value.field == "amount"


def test_item_refuses_a_fractional_yen_tax() -> None:
    with pytest.raises(ValidationError) as caught:
        item("a", "1000", currency="JPY", tax="0.5")
    assert caught.value.field == "taxes[0]"


def test_item_refuses_amount_in_another_currency() -> None:
    from hostbill_core.invoicing.items import BillableItem

    with pytest.raises(CurrencyMismatchError):
        BillableItem("c1", "EUR", DAY, "x", usd("1.00"), LineKind.MANUAL, "k")


def test_item_refuses_blank_key() -> None:
    with pytest.raises(ValidationError) as caught:
        item(" ")
    assert caught.value.field == "key"


def test_to_line_keeps_or_drops_the_group() -> None:
    billed = item("a", service="s1", group="g1")
    assert billed.to_line().group_id == "g1"
    assert billed.to_line(grouped=False).group_id is None
    assert billed.to_line().key == "a"


def test_enqueue_skips_queued_and_invoiced_keys() -> None:
    queue = BillableQueue("c1", (item("a"),))
    update = enqueue(queue, [item("a"), item("b"), item("c")], invoiced_keys={"c"})
    assert [i.key for i in update.queue.items] == ["a", "b"]
    assert update.skipped == ("a", "c")
    assert [i.key for i in update.added] == ["b"]
    assert update.explanation.startswith("1 item(s) queued, 2 skipped")


def test_enqueue_twice_changes_nothing() -> None:
    first = enqueue(BillableQueue("c1"), [item("a"), item("b")])
    second = enqueue(first.queue, [item("a"), item("b")])
    assert second.queue == first.queue
    assert second.added == ()


def test_enqueue_refuses_a_different_item_under_a_queued_key() -> None:
    queue = BillableQueue("c1", (item("a", "10.00"),))
    with pytest.raises(ConflictError):
        enqueue(queue, [item("a", "11.00")])


def test_queue_refuses_another_clients_item() -> None:
    with pytest.raises(ValidationError) as caught:
        BillableQueue("c1", (item("a", client="c2"),))
    assert caught.value.field == "items[0].client_id"


def test_queue_refuses_a_key_twice() -> None:
    with pytest.raises(ValidationError):
        BillableQueue("c1", (item("a"), item("a", "2.00")))


def test_take_due_splits_on_the_date_inclusive() -> None:
    queue = BillableQueue("c1", (item("a", due=date(2026, 3, 1)), item("b", due=date(2026, 3, 2))))
    taken = take_due(queue, date(2026, 3, 1))
    assert [i.key for i in taken.due] == ["a"]
    assert [i.key for i in taken.queue.items] == ["b"]
    assert queue.keys == {"a", "b"}


def test_an_item_knows_its_total_in_minor_units_and_keeps_it_through_evolve() -> None:
    from datetime import date

    import attrs

    from hostbill_core.invoicing.items import BillableItem
    from hostbill_core.model import LineKind, TaxAmount
    from hostbill_core.money import to_money

    tax = (TaxAmount("VAT", "0.21", to_money("2.10", "EUR")),)
    one = BillableItem(
        "c1", "EUR", date(2026, 3, 1), "Web", to_money("10.00", "EUR"), LineKind.MANUAL, "k",
        taxes=tax,
    )  # fmt: skip
    assert one.minor_total == 1210  # 10.00 + 2.10 = 12.10 EUR
    assert attrs.evolve(one, amount=to_money("-1.00", "EUR")).minor_total == 110  # -1.00 + 2.10
    assert "minor_total" not in repr(one)
