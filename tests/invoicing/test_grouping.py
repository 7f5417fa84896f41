import pickle
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import ConfigurationError, ValidationError
from hostbill_core.invoicing.drafts import new_draft, new_drafts
from hostbill_core.invoicing.grouping import (
    GroupingPolicy,
    GroupKey,
    InvoiceDraft,
    _keyed_drafts,
    group_items,
)
from hostbill_core.invoicing.groups import GroupLayout
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.invoicing.plain import by_client, plain_drafts
from hostbill_core.model import InvoiceStatus, ServiceGroup, ServiceGroupId
from hostbill_core.money import sum_money, to_minor, to_money

from .factories import DAY, item, items, usd
from .factories import GROUPS as ALL_GROUPS

GROUPS = (
    ServiceGroup("g-web", "c1", "Web sites", service_ids=("s2", "s1")),
    ServiceGroup("g-lab", "c1", "Lab", service_ids=("s3",), show_on_invoice=False),
)


def test_default_is_one_invoice_per_client_currency_and_due_date() -> None:
    later = DAY + timedelta(days=1)
    result = group_items(
        [
            item("a"),
            item("b", due=later),
            item("c", client="c2"),
            item("d", currency="EUR"),
            item("e"),
        ]
    )
    assert [(d.client_id, d.currency, d.due_date, d.keys) for d in result.drafts] == [
        ("c1", "EUR", DAY, ("d",)),
        ("c1", "USD", DAY, ("a", "e")),
        ("c1", "USD", later, ("b",)),
        ("c2", "USD", DAY, ("c",)),
    ]
    assert result.explanation.startswith("5 item(s) into 4 draft(s), one per client, currency")


def test_a_group_shows_its_lines_under_its_name_in_the_groups_order() -> None:
    drafts = group_items(
        [
            item("z-plain"),
            item("s1-renewal", service="s1", group="g-web"),
            item("s2-renewal", service="s2", group="g-web"),
            item("a-plain"),
        ],
        groups=GROUPS,
    ).drafts
    (draft,) = drafts
    # Ungrouped lines first by key, then "Web sites" with s2 before s1 (the group's order).
    assert [(s.title, [line.key for line in s.lines]) for s in draft.sections] == [
        (None, ["a-plain", "z-plain"]),
        ("Web sites", ["s2-renewal", "s1-renewal"]),
    ]
    assert draft.sections[1].due_dates == (DAY,)


def test_a_hidden_group_lists_its_lines_as_ungrouped_lines() -> None:
    (draft,) = group_items(
        [item("m-lab", service="s3", group="g-lab"), item("b-plain"), item("z-plain")],
        groups=GROUPS,
    ).drafts
    assert [(s.title, [line.key for line in s.lines]) for s in draft.sections] == [
        (None, ["b-plain", "m-lab", "z-plain"])
    ]
    invoice = draft.to_invoice("inv-1")
    assert invoice.status is InvoiceStatus.DRAFT
    assert [line.group_id for line in invoice.lines] == [None, None, None]


def test_group_lines_with_different_due_dates_form_one_section_per_date() -> None:
    later = DAY + timedelta(days=3)
    (draft,) = group_items(
        [
            item("x", service="s1", group="g-web"),
            item("y", service="s1", group="g-web", due=later),
            item("p", due=later),
        ],
        GroupingPolicy.merge_within(5),
        GROUPS,
    ).drafts
    assert draft.due_date == DAY
    assert [(s.title, s.due_dates) for s in draft.sections] == [
        ("Web sites", (DAY,)),
        (None, (later,)),
        ("Web sites", (later,)),
    ]


def test_per_service_policy_gives_one_invoice_per_service() -> None:
    result = group_items(
        [item("a", service="s1"), item("b", service="s1"), item("c", service="s2"), item("d")],
        GroupingPolicy.per_service(),
    )
    assert [d.keys for d in result.drafts] == [("d",), ("a", "b"), ("c",)]


def test_billing_contact_as_a_key_splits_invoices() -> None:
    policy = GroupingPolicy((GroupKey.CURRENCY, GroupKey.DUE_DATE, GroupKey.BILLING_CONTACT))
    result = group_items([item("a", contact="k1"), item("b"), item("c", contact="k1")], policy)
    assert [(d.billing_contact_id, d.keys) for d in result.drafts] == [
        (None, ("b",)),
        ("k1", ("a", "c")),
    ]


def test_service_group_as_a_key_splits_invoices() -> None:
    policy = GroupingPolicy((GroupKey.CURRENCY, GroupKey.DUE_DATE, GroupKey.SERVICE_GROUP))
    result = group_items([item("a", service="s1", group="g-web"), item("b")], policy, groups=GROUPS)
    assert [d.keys for d in result.drafts] == [("b",), ("a",)]


def test_merge_within_n_days_starts_a_new_invoice_after_the_window() -> None:
    # Due 1, 3, 4 and 9 March, window 3 days: {1, 3, 4} due 1 March, then {9} due 9 March.
    days = [1, 3, 4, 9]
    result = group_items(
        [item(f"k{d}", due=date(2026, 3, d)) for d in days], GroupingPolicy.merge_within(3)
    )
    assert [(d.due_date.day, d.keys) for d in result.drafts] == [
        (1, ("k1", "k3", "k4")),
        (9, ("k9",)),
    ]


def test_without_the_due_date_key_everything_merges_at_the_earliest_date() -> None:
    policy = GroupingPolicy((GroupKey.CURRENCY,))
    result = group_items([item("a", due=date(2026, 5, 1)), item("b", due=date(2026, 4, 1))], policy)
    assert [(d.due_date, d.keys) for d in result.drafts] == [(date(2026, 4, 1), ("b", "a"))]


def test_a_jpy_invoice_sums_whole_yen() -> None:
    # 1,200 + 800 net, 120 + 80 tax: subtotal 2,000, tax 200, total 2,200 JPY.
    (draft,) = group_items(
        [item("a", "1200", currency="JPY", tax="120"), item("b", "800", currency="JPY", tax="80")]
    ).drafts
    invoice = draft.to_invoice("inv-jpy")
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (
        to_money("2000", "JPY"),
        to_money("200", "JPY"),
        to_money("2200", "JPY"),
    )
    assert "total JPY 2200" in draft.explanation


def test_refuses_one_key_twice() -> None:
    with pytest.raises(ValidationError) as caught:
        group_items([item("a"), item("b"), item("a", "1.00", due=date(2026, 4, 1))])
    assert caught.value.field == "items[2].key"


def test_refuses_an_item_naming_a_group_that_was_not_given() -> None:
    with pytest.raises(ValidationError, match="unknown group"):
        group_items([item("a", service="s1", group="g-web")])


@pytest.mark.parametrize(
    ("keys", "days"),
    [((GroupKey.DUE_DATE,), None), ((GroupKey.CURRENCY,), 3), ((GroupKey.CURRENCY,), -1)],
)
def test_policy_refuses_bad_settings(keys: tuple[GroupKey, ...], days: int | None) -> None:
    with pytest.raises(ConfigurationError):
        GroupingPolicy(keys, days)


def test_policy_refuses_a_key_that_is_not_a_group_key() -> None:
    with pytest.raises(ConfigurationError):
        GroupingPolicy(("currency",))  # type: ignore[arg-type]


def _totals(drafts_items: list[BillableItem], code: str) -> int:
    return to_minor(sum_money((i.total for i in drafts_items if i.currency == code), code))


POLICIES = st.sampled_from(
    [
        GroupingPolicy(),
        GroupingPolicy.per_service(),
        GroupingPolicy.merge_within(7),
        GroupingPolicy((GroupKey.CURRENCY, GroupKey.BILLING_CONTACT)),
    ]
)


@given(items(), POLICIES)
def test_grouping_conserves_every_item_and_minor_unit(
    batch: list[BillableItem], policy: GroupingPolicy
) -> None:
    drafts = group_items(batch, policy, ALL_GROUPS).drafts
    assert sorted(k for d in drafts for k in d.keys) == sorted(i.key for i in batch)
    for code in ("USD", "JPY"):
        invoiced = [d.to_invoice("i").total for d in drafts if d.currency == code]
        assert to_minor(sum_money(invoiced, code)) == _totals(batch, code)
    for draft in drafts:
        assert {i.client_id for i in draft.items} == {draft.client_id}
        assert {i.currency for i in draft.items} == {draft.currency}
        assert draft.due_date == min(i.due_date for i in draft.items)


@given(items(), POLICIES, st.randoms(use_true_random=False))
def test_grouping_is_deterministic_and_idempotent(
    batch: list[BillableItem], policy: GroupingPolicy, rnd: object
) -> None:
    first = group_items(batch, policy, ALL_GROUPS)
    shuffled = list(batch)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert group_items(shuffled, policy, ALL_GROUPS) == first
    again = group_items([i for d in first.drafts for i in d.items], policy, ALL_GROUPS)
    assert again == first


def test_draft_total_matches_its_invoice_and_lines_are_cached() -> None:
    (draft,) = group_items([item("a", "1.10", tax="0.22"), item("b", "2.00")]).drafts
    # 1.10 + 0.22 + 2.00 = 3.32
    assert draft.total == usd("3.32") == draft.to_invoice("x").total
    assert draft.lines is draft.lines


#: Every group of the factories hidden on invoices: no headings, so the lean path groups.
HIDDEN = tuple(attrs.evolve(g, show_on_invoice=False) for g in ALL_GROUPS)
PLAIN_POLICIES = st.sampled_from([GroupingPolicy(), GroupingPolicy((GroupKey.CURRENCY,))])


@given(items(max_size=25), PLAIN_POLICIES, st.randoms(use_true_random=False))
def test_the_lean_path_gives_the_drafts_of_the_keyed_path(
    batch: list[BillableItem], policy: GroupingPolicy, rnd: object
) -> None:
    rnd.shuffle(batch)  # type: ignore[attr-defined]
    expected = _keyed_drafts(batch, policy, GroupLayout.of(HIDDEN))
    assert list(group_items(batch, policy, HIDDEN).drafts) == expected
    by_due_date = GroupKey.DUE_DATE in policy.keys
    assert plain_drafts(by_client(batch)[0], by_due_date) == expected
    # not only equal: the same item objects in the same places
    plain = [[id(i) for i in d.items] for d in plain_drafts(by_client(batch)[0], by_due_date)]
    assert plain == [[id(i) for i in d.items] for d in expected]


def test_the_lean_path_orders_clients_currencies_due_dates_and_keys() -> None:
    later = DAY + timedelta(days=2)
    batch = [
        item("b", client="c2"),
        item("z", due=later),
        item("y", currency="EUR"),
        item("a", due=later),
        item("c"),
        item("m", client="c10"),
    ]
    drafts = group_items(batch).drafts
    # client ids compare as text: "c1" < "c10" < "c2"; EUR before USD; lines by key
    assert [(d.client_id, d.currency, d.due_date, d.keys) for d in drafts] == [
        ("c1", "EUR", DAY, ("y",)),
        ("c1", "USD", DAY, ("c",)),
        ("c1", "USD", later, ("a", "z")),
        ("c10", "USD", DAY, ("m",)),
        ("c2", "USD", DAY, ("b",)),
    ]


@pytest.mark.parametrize("titles", [(), (("g-c1", "Web"),)])
def test_a_draft_built_by_its_slots_is_indistinguishable(
    titles: tuple[tuple[ServiceGroupId, str], ...],
) -> None:
    lines = (item("a", service="c1-s2", group="g-c1"), item("b", "2.50"))
    fast, slow = new_draft(lines, titles), InvoiceDraft(lines, titles)
    assert type(fast) is InvoiceDraft
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert attrs.asdict(fast, recurse=False) == attrs.asdict(slow, recurse=False)
    assert fast.lines == slow.lines
    assert fast.sections == slow.sections
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert attrs.evolve(fast, titles=()) == attrs.evolve(slow, titles=())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fast.items = ()  # type: ignore[misc]


def test_drafts_built_slot_by_slot_across_a_run_equal_built_ones() -> None:
    runs = [(item("a", "1.10", tax="0.22"),), (item("b", "2.00"), item("c", "0.50"))]
    # 1.10 + 0.22 = 1.32 → 132; 2.00 + 0.50 = 2.50 → 250
    fast = new_drafts(runs, [132, 250])
    slow = [InvoiceDraft(run) for run in runs]
    assert fast == slow
    assert [d.minor_total for d in fast] == [d.minor_total for d in slow] == [132, 250]
    assert [repr(d) for d in fast] == [repr(d) for d in slow]


@pytest.mark.parametrize("count", [1, 2, 8, 9, 30])
def test_few_drafts_filled_one_by_one_equal_drafts_filled_in_bulk(count: int) -> None:
    # Up to 8 runs new_drafts fills each draft in turn, beyond in bulk: both build them.
    runs = [(item(f"k{n}", "1.10", tax="0.22"), item(f"l{n}", "2.00")) for n in range(count)]
    fast = new_drafts(runs, [332] * count)  # 1.10 + 0.22 + 2.00 = 3.32 → 332
    slow = [InvoiceDraft(run) for run in runs]
    assert fast == slow
    assert [(d.minor_total, repr(d)) for d in fast] == [(d.minor_total, repr(d)) for d in slow]


def test_no_groups_give_the_empty_layout_as_built() -> None:
    # GroupLayout.of(()) hands out one empty layout, equal to the one built from an empty list.
    assert GroupLayout.of(()) == GroupLayout.of([])
    assert GroupLayout.of(()) is GroupLayout.of(())
    assert not GroupLayout.of(()).shown


def test_a_draft_total_is_its_items_minor_units_as_money() -> None:
    # 1,980 + 198 tax and 330 + 33 tax: 2,541 JPY, whole yen
    (draft,) = group_items(
        [item("a", "1980", currency="JPY", tax="198"), item("b", "330", currency="JPY", tax="33")]
    ).drafts
    assert draft.minor_total == 2541
    assert draft.total == to_money("2541", "JPY")
    assert repr(draft.total) == "Money('2541', 'JPY')"


def test_the_lean_path_refuses_one_key_for_two_clients() -> None:
    with pytest.raises(ValidationError) as caught:
        group_items([item("a"), item("b", client="c2"), item("a", client="c3")])
    assert caught.value.field == "items[2].key"


def test_the_lean_path_notes_whether_an_item_names_a_group() -> None:
    assert by_client([item("a"), item("b", client="c2")])[1] is False
    buckets, grouped = by_client([item("a"), item("b", service="s1", group="g-web")])
    assert grouped is True
    assert [i.key for i in buckets["c1"]] == ["a", "b"]
