from datetime import date
from decimal import Decimal

import pytest

from hostbill_core.errors import (
    CurrencyMismatchError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from hostbill_core.model import QueuedItem, TaxAmount
from hostbill_core.money import ExchangeRate, sum_money, to_money
from hostbill_core.testing import RecordingEventSink
from hostbill_core.usecases.client_merge import MergeRequest, merge_clients

from .shop import AT, OWNER, STAFF, seed, snapshot

USD_EUR = ExchangeRate("USD", "EUR", Decimal("0.9"), date(2026, 3, 10))


def test_same_currency_merge_moves_everything_and_removes_the_source(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    events = RecordingEventSink()
    result = merge_clients(MergeRequest(STAFF, "c1", "c2", AT), uow, events)
    assert dict(result.moved) == {
        "contacts": 1,
        "services": 2,
        "service_groups": 1,
        "orders": 2,
        "invoices": 2,
        "payments": 1,
        "credit": 2,
        "quotes": 1,
        "billing_states": 1,
        "promotion_redemptions": 1,
        "cancellation_requests": 1,
        "refunds": 1,
        "queued_items": 1,
    }
    after = snapshot(uow)
    assert [c.id for c in after["clients"]] == ["c2"]
    assert {
        item.client_id
        for name, items in after.items()
        if name not in ("clients", "products", "plans")
        for item in items
    } == {"c2"}
    assert [s.id for s in after["services"]] == ["c1-d1", "c1-s1", "c2-d1", "c2-s1"]
    # c1 had 20.00 - 5.50 = 14.50 credit, c2 the same: 29.00 together, no entry added.
    assert sum_money((e.amount for e in after["credit"]), "EUR") == to_money("29.00", "EUR")
    assert len(after["credit"]) == 4
    assert events.names() == ["client.merged"]
    assert result.explanation.startswith("client c1 merged into c2 by staff:eve; 1 contacts")


def test_the_billing_state_is_folded_into_the_target_and_the_source_state_removed(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    merge_clients(MergeRequest(STAFF, "c1", "c2", AT), uow)
    (state,) = snapshot(uow)["billing_states"]
    # c2 keeps its id and version 1 -> 2; c1's keys and scheduled change join c2's, and c1
    # was locked out, so the merged client is (its overdue invoices moved with it).
    assert (state.id, state.version, state.locked_out) == ("c2", 2, True)
    assert state.done == ("c1-s1/2026-03-31/reminder-7", "c2-s1/2026-03-31/reminder-7")
    assert [c.service_id for c in state.scheduled] == ["c2-s1", "c1-s1"]


def test_promotion_redemptions_move_and_keep_the_keys_of_who_redeemed_them(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    merge_clients(MergeRequest(STAFF, "c1", "c2", AT), uow)
    moved = snapshot(uow)["promotion_redemptions"]
    assert [(r.id, r.client_id, r.redeemed_by) for r in moved] == [
        ("c1-o1", "c2", "c1"),
        ("c2-o1", "c2", "c2"),
    ]
    with uow() as work:
        # SPRING is once per client: both clients' keys stay, so c2 may not use it again.
        assert work.promotion_redemptions.owner_of_key("promotion/SPRING/client/c1") == "c1-o1"


def test_a_target_without_billing_state_gets_the_source_state_under_its_own_id(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    with uow() as work:
        work.billing_states.remove("c1")
        work.commit()
    merge_clients(MergeRequest(STAFF, "c2", "c1", AT), uow)
    (state,) = snapshot(uow)["billing_states"]
    # c1 had no state left to keep: c2's (not locked out) is added anew under c1's id.
    assert (state.id, state.client_id, state.version, state.locked_out) == ("c1", "c1", 1, False)
    assert state.done == ("c2-s1/2026-03-31/reminder-7",)


def test_different_currencies_are_refused_without_a_rate(uow):
    seed(uow, ("c1", "EUR"), ("c3", "USD"))
    before = snapshot(uow)
    with pytest.raises(CurrencyMismatchError) as caught:
        merge_clients(MergeRequest(STAFF, "c3", "c1", AT), uow)
    assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")
    assert snapshot(uow) == before


def test_an_explicit_rate_converts_prices_and_carries_the_credit_over(uow):
    seed(uow, ("c1", "EUR"), ("c3", "USD"))
    result = merge_clients(MergeRequest(STAFF, "c3", "c1", AT, USD_EUR), uow)
    after = snapshot(uow)
    moved = {s.id: s for s in after["services"]}
    # 9.99 USD x 0.9 = 8.991 EUR, rounded once ROUND_HALF_UP to 8.99 EUR.
    assert moved["c3-s1"].price_override == to_money("8.99", "EUR")
    # c3's balance 20.00 - 5.50 = 14.50 USD closes in USD and opens as 13.05 EUR.
    usd = [e.amount for e in after["credit"] if e.amount.currency.code == "USD"]
    eur = [e.amount for e in after["credit"] if e.amount.currency.code == "EUR"]
    assert sum_money(usd, "USD") == to_money("0", "USD")
    assert to_money("13.05", "EUR") in eur
    # c1's own 14.50 EUR plus the 13.05 EUR carried over.
    assert sum_money(eur, "EUR") == to_money("27.55", "EUR")
    # Invoices are records: they keep the currency they were issued in.
    assert {i.currency for i in after["invoices"] if i.id.startswith("c3")} == {"USD"}
    assert result.explanation.endswith(
        "; credit of client c3: 14.50 USD × 0.9 = 13.05 EUR (ROUND_HALF_UP, rate of 2026-03-10)"
        "; queued items of client c3 converted: c3-k1 15.00 USD → 13.50 EUR (each amount "
        "rounded once, ROUND_HALF_UP)"
    )


def _queue(uow, *items):
    with uow() as work:
        for item in items:
            work.queued_items.add(item)
        work.commit()


def test_an_explicit_rate_converts_the_queued_items_in_the_source_currency(uow):
    seed(uow, ("c1", "EUR"), ("c3", "USD"))
    vat = TaxAmount("VAT", Decimal("0.21"), to_money("2.05", "USD"))
    _queue(
        uow,
        QueuedItem("c3-k2", "c3", "USD", date(2026, 4, 1), "Migration", to_money("9.99", "USD"),
                   "c3-migration-1", taxes=(vat,), explanation="agreed by phone"),
        QueuedItem("c3-k3", "c3", "EUR", date(2026, 4, 1), "Setup", to_money("5.00", "EUR"),
                   "c3-setup-1"),
    )  # fmt: skip
    result = merge_clients(MergeRequest(STAFF, "c3", "c1", AT, USD_EUR), uow)
    moved = {q.id: q for q in snapshot(uow)["queued_items"] if q.id.startswith("c3")}
    assert {q.client_id for q in moved.values()} == {"c1"}
    # 15.00 USD x 0.9 = 13.5 -> 13.50 EUR; 9.99 x 0.9 = 8.991 -> 8.99 EUR and its tax
    # 2.05 x 0.9 = 1.845 -> 1.85 EUR (each rounded once, ROUND_HALF_UP); c3-k3 was in EUR
    # already and moves as it is.
    assert (moved["c3-k1"].currency, moved["c3-k1"].amount) == ("EUR", to_money("13.50", "EUR"))
    assert moved["c3-k2"].amount == to_money("8.99", "EUR")
    assert moved["c3-k2"].taxes == (TaxAmount("VAT", Decimal("0.21"), to_money("1.85", "EUR")),)
    assert moved["c3-k2"].explanation == (
        "agreed by phone; merge into client c1: 9.99 USD × 0.9 (2026-03-10) = 8.991 → 8.99 EUR "
        "(ROUND_HALF_UP)"
    )
    assert moved["c3-k3"].amount == to_money("5.00", "EUR")
    assert "queued items of client c3 converted: c3-k1 15.00 USD → 13.50 EUR, c3-k2 9.99 " in (
        result.explanation
    )


@pytest.mark.parametrize(
    ("source", "target", "rate", "where"),
    [
        (("c3", "USD"), ("c1", "EUR"), USD_EUR, "is in neither USD nor EUR"),
        # Same currency: only an item stored before queue_item refused another currency.
        (("c3", "EUR"), ("c1", "EUR"), None, "is not in EUR"),
    ],
)
def test_a_queued_item_in_neither_clients_currency_refuses_the_merge(
    uow, source, target, rate, where
):
    seed(uow, target, source)
    _queue(
        uow,
        QueuedItem("c3-k2", "c3", "GBP", date(2026, 4, 1), "Migration", to_money("9.99", "GBP"),
                   "c3-migration-1"),
    )  # fmt: skip
    before = snapshot(uow)
    with pytest.raises(ValidationError) as caught:
        merge_clients(MergeRequest(STAFF, "c3", "c1", AT, rate), uow)
    assert (caught.value.field, caught.value.value) == ("queued_items[1].currency", "GBP")
    assert caught.value.reason == (
        f"queued item c3-k2 {where}: remove it, or queue it again in a currency the client is "
        "billed in"
    )
    assert snapshot(uow) == before


def test_the_rate_must_be_the_one_needed(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"), ("c3", "USD"))
    with pytest.raises(ValidationError) as caught:
        merge_clients(MergeRequest(STAFF, "c3", "c1", AT, USD_EUR.inverse()), uow)
    assert caught.value.reason == "a rate USD→EUR is needed"
    with pytest.raises(ValidationError) as caught:
        merge_clients(MergeRequest(STAFF, "c2", "c1", AT, USD_EUR), uow)
    assert caught.value.reason == "both clients bill in the same currency"


def test_a_client_is_not_merged_into_itself(uow):
    seed(uow, ("c1", "EUR"))
    with pytest.raises(ValidationError):
        merge_clients(MergeRequest(STAFF, "c1", "c1", AT), uow)


def test_merging_with_a_missing_client_is_not_found(uow):
    seed(uow, ("c1", "EUR"))
    before = snapshot(uow)
    with pytest.raises(NotFoundError):
        merge_clients(MergeRequest(STAFF, "c1", "nobody", AT), uow)
    assert snapshot(uow) == before


def test_only_staff_merge(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    with pytest.raises(PermissionDeniedError) as caught:
        merge_clients(MergeRequest(OWNER, "c1", "c2", AT), uow)
    assert caught.value.reason == "client.merge is staff work; ask the business's staff"
