from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.errors import ValidationError
from hostbill_core.money import to_money
from hostbill_core.simulation import (
    MonthRevenue,
    Scenario,
    SimulationResult,
    load_scenario,
    simulate,
)
from hostbill_core.simulation.explain import service_calendar
from hostbill_core.simulation.run import _records, _run_day
from hostbill_core.simulation.seed import all_clients
from hostbill_core.simulation.shop import Shop

from .builders import ANN_VPS, SMALL, event, order_event, plan, small_with, table

# small.toml, 1 January to 31 March 2026, lead time 7 days, one reminder 3 days before:
# - ann (USD, pays on time), web monthly from 15 Dec: invoices 8 Jan, 8 Feb, 8 Mar (10.00
#   each), paid on the 15th; 5.00 credit on 1 Feb is applied to the 8 Feb invoice, so she
#   pays 5.00 then;
# - bob (USD, never pays), web monthly from 20 Dec: invoice 13 Jan (10.00), overdue 20 Jan,
#   suspended 27 Jan (day 7), cancelled 19 Feb (day 30);
# - cleo (EUR, 5 days late), web monthly from 10 Jan: invoices 3 Jan, 3 Feb, 3 Mar (9.00),
#   paid on the 15th of each month.


def usd(amount: str) -> object:
    return to_money(amount, "USD")


def eur(amount: str) -> object:
    return to_money(amount, "EUR")


@pytest.fixture(scope="module")
def small() -> Scenario:
    return load_scenario(SMALL)


def test_small_scenario_exact_timeline_and_summary(small: Scenario) -> None:
    result = simulate(small)
    counts = Counter(entry.kind for entry in result.timeline)
    assert counts == {
        "invoice.issued": 7,  # ann 3, bob 1, cleo 3
        "payment.received": 6,  # ann 3, cleo 3
        "service.renewed": 6,
        "renewal.reminder": 7,  # one per invoice
        "renewal.expiry_email": 6,  # cleo's 3 overdue notices; bob: overdue, disabled, cancelled
        "service.suspended": 1,
        "service.cancelled": 1,
        "credit.added": 1,
    }
    bob = [(e.on, e.kind) for e in result.timeline if e.subject == "bob-web"]
    assert (date(2026, 1, 27), "service.suspended") in bob
    assert (date(2026, 2, 19), "service.cancelled") in bob
    paid = [(e.on, e.amount) for e in result.timeline if e.kind == "payment.received"]
    assert paid == [
        (date(2026, 1, 15), usd("10.00")),
        (date(2026, 1, 15), eur("9.00")),
        (date(2026, 2, 15), usd("5.00")),  # 10.00 less the 5.00 credit
        (date(2026, 2, 15), eur("9.00")),
        (date(2026, 3, 15), usd("10.00")),
        (date(2026, 3, 15), eur("9.00")),
    ]
    summary = result.summary
    assert summary.revenue == (
        MonthRevenue("2026-01", "EUR", eur("9.00"), eur("9.00")),
        MonthRevenue("2026-01", "USD", usd("20.00"), usd("10.00")),  # ann + bob invoiced
        MonthRevenue("2026-02", "EUR", eur("9.00"), eur("9.00")),
        MonthRevenue("2026-02", "USD", usd("10.00"), usd("5.00")),
        MonthRevenue("2026-03", "EUR", eur("9.00"), eur("9.00")),
        MonthRevenue("2026-03", "USD", usd("10.00"), usd("10.00")),
    )
    assert summary.run_rate == {"EUR": eur("9.00"), "USD": usd("10.00")}  # bob's is cancelled
    assert summary.outstanding == {"USD": usd("10.00")}  # bob's invoice
    assert (summary.clients, summary.invoices_issued) == (3, 7)
    assert (summary.suspended, summary.terminated) == (0, 1)
    assert summary.services == {"active": 2, "cancelled": 1}
    assert summary.credit_balances == {}  # ann's 5.00 went to her February invoice
    # 8 shop records (1 product, 1 plan, 3 clients, 3 services), 7 invoices, 6 payments,
    # 2 credit entries (the 5.00 added, the 5.00 applied)
    assert result.added == 23
    assert result.errors == ()


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_rerun_on_the_same_store_adds_nothing(small: Scenario, kind: str, tmp_path: Path) -> None:
    store = MemoryStore() if kind == "memory" else SqliteStore(tmp_path / "shop.sqlite")
    first = simulate(small, store=store)
    second = simulate(small, store=store)
    assert (first.added, second.added) == (23, 0)
    assert second.timeline == ()
    assert second.summary == first.summary


def _replay_every_day(scenario: Scenario, store: MemoryStore) -> Shop:
    """A new shop over `store`, started and run through each day of `scenario` once more."""
    shop = Shop(
        scenario,
        store.unit_of_work,
        {c.id: scenario.payers[c.payer] for c in all_clients(scenario)},
    )
    shop.start()
    day = scenario.start
    while day <= scenario.until:
        _run_day(shop, day)
        day += timedelta(days=1)
    return shop


def test_replaying_finished_days_creates_nothing(small: Scenario) -> None:
    store = MemoryStore()
    simulate(small, store=store)
    before = _records(store.unit_of_work)
    shop = _replay_every_day(small, store)  # as if every day had been cut short after its work
    assert _records(store.unit_of_work) == before
    assert shop.timeline == []
    assert shop.errors == []


def test_resuming_with_a_later_until_equals_one_run(small: Scenario) -> None:
    whole = simulate(small)
    store = MemoryStore()
    first = simulate(small, date(2026, 2, 15), store=store)
    rest = simulate(small, store=store)
    assert first.timeline + rest.timeline == whole.timeline
    assert first.added + rest.added == whole.added
    assert rest.summary == whole.summary
    assert simulate(small, date(2026, 2, 1), store=store).added == 0  # an earlier until: nothing


def test_same_scenario_same_result(small: Scenario) -> None:
    assert simulate(small) == simulate(small)


def test_until_before_start_is_refused(small: Scenario) -> None:
    with pytest.raises(ValidationError, match="on or after the scenario's start"):
        simulate(small, date(2025, 12, 31))


def test_progress_reports_each_day(small: Scenario) -> None:
    seen: list[tuple[int, int]] = []
    simulate(small, date(2026, 1, 3), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


EVENTS = (
    event("2026-02-20", "currency", client="ann", currency="EUR"),
    event("2026-02-25", "cancel", service="cleo-web"),
    event("2026-01-25", "payment", client="bob", amount="4.00"),
    event("2026-01-05", "credit", "take-back", client="cleo", amount="-1.00"),
)


def test_currency_change_cancel_manual_payment_and_a_refusal() -> None:
    scenario = small_with(*EVENTS, source="small+events")
    result = simulate(scenario)
    by_kind = {(e.kind, e.client_id): e for e in result.timeline}
    # bob pays 4.00 of his 10.00 invoice by hand: 6.00 stays outstanding
    assert by_kind["payment.received", "bob"].amount == usd("4.00")
    # ann moves to EUR on 20 Feb at 0.90: her March renewal is 10.00 × 0.90 = 9.00 EUR
    assert "USD → EUR (recalculate) at 0.90" in by_kind["client.currency_changed", "ann"].detail
    march = [e for e in result.timeline if e.kind == "invoice.issued" and e.client_id == "ann"]
    assert march[-1].amount == eur("9.00")
    # cleo asks on 25 Feb to cancel at the end of her paid period (10 Mar): the request is
    # stored, and carried out on 10 Mar; the run does not invoice the term starting then
    # (its lead day, 3 Mar, passes with no invoice), so there is no open invoice to cancel
    requested = by_kind["service.cancellation_requested", "cleo"]
    assert requested.on == date(2026, 2, 25)
    assert requested.detail.endswith("at the end of the term paid for, 2026-03-10")
    cleo_issued = [
        e.on for e in result.timeline if e.kind == "invoice.issued" and e.client_id == "cleo"
    ]
    assert [on for on in cleo_issued if on > date(2026, 2, 25)] == []
    cancelled = by_kind["service.cancelled", "cleo"]
    assert (cancelled.on, cancelled.detail) == (
        date(2026, 3, 10),
        "service cleo-web cancelled on 2026-03-10 (active → cancelled); "
        "open invoices cancelled: none",
    )
    # taking back credit cleo does not have is refused; the simulation goes on
    (error,) = result.errors
    assert (error.on, error.client_id) == (date(2026, 1, 5), "cleo")
    assert "negative credit is not allowed" in error.error
    summary = result.summary
    assert summary.outstanding == {"USD": usd("6.00")}
    assert summary.run_rate == {"EUR": eur("9.00"), "USD": usd("0.00")}  # only ann's is active
    assert summary.services == {"active": 1, "cancelled": 2}


ORDERS_AND_CHANGES = (
    table("products", id="vps", type="vps"),
    plan("vps-1", "vps", prices={"USD": {"monthly": "30.00"}}, setup={"USD": "5.00"}),
    plan("web-2", "web", prices={"USD": {"monthly": "20.00"}}),
    plan("web-0", "web", prices={"EUR": {"monthly": "5.00"}}),
    order_event("2026-01-10", "o1", "ann", ANN_VPS),
    event("2026-01-12", "review", order="o1", decision="approve"),
    order_event("2026-01-21", "o2", "bob", {"plan": "vps-1", "cycle": "monthly"}),
    event("2026-01-22", "review", order="o2", decision="reject"),
    event("2026-03-01", "upgrade", service="ann-web", plan="web-2"),
    event("2026-02-20", "downgrade", service="cleo-web", plan="web-0"),
)


@pytest.fixture(scope="module")
def ordered() -> tuple[SimulationResult, MemoryStore]:
    store = MemoryStore()
    scenario = small_with(*ORDERS_AND_CHANGES, source="orders")
    return simulate(scenario, store=store), store


def _entries(result: SimulationResult, client: str, *kinds: str) -> list[tuple[date, str, object]]:
    return [
        (e.on, e.subject, e.amount)
        for e in result.timeline
        if e.client_id == client and e.kind in kinds
    ]


def test_orders_are_reviewed_and_their_first_invoice_follows(
    ordered: tuple[SimulationResult, MemoryStore],
) -> None:
    result, store = ordered
    assert result.errors == ()
    # ann's VPS order is held for review (the VPS hard rule), approved on the 12th; its first
    # invoice is the first month and the setup fee, 30.00 + 5.00, due on the order day and
    # paid that day (held or not); its service o1-1 starts on approval and renews monthly
    # from 10 January
    assert _entries(result, "ann", "order.placed", "order.reviewed") == [
        (date(2026, 1, 10), "o1", None),
        (date(2026, 1, 12), "o1", None),
    ]
    vps = [(e.on, e.amount) for e in result.timeline if e.kind == "payment.received"]
    assert (date(2026, 1, 10), usd("35.00")) in vps
    renewed = [e.on for e in result.timeline if e.subject == "o1-1" and e.kind == "service.renewed"]
    assert renewed == [date(2026, 1, 12), date(2026, 2, 10), date(2026, 3, 10)]
    # bob's order is rejected: no service, and its unpaid first invoice is cancelled
    with store.unit_of_work() as uow:
        assert uow.services.find("o2-1") is None
        statuses = {i.total.amount: i.status.value for i in uow.invoices.list(client_id="bob")}
    assert statuses == {Decimal("10.00"): "unpaid", Decimal("35.00"): "cancelled"}


def test_upgrade_now_and_downgrade_at_the_end_of_the_term(
    ordered: tuple[SimulationResult, MemoryStore],
) -> None:
    result, _ = ordered
    # ann-web, paid for [15 Feb, 15 Mar), moves to web-2 on 1 March: 14 of 28 days remain,
    # credit 10.00 × 1/2 = 5.00, charge 20.00 × 1/2 = 10.00, net 5.00 invoiced and paid at once;
    # the 15 March renewal is at the new price
    assert _entries(result, "ann", "plan.changed") == [(date(2026, 3, 1), "ann-web", None)]
    ann = _entries(result, "ann", "invoice.issued")
    assert (date(2026, 3, 1), "INV-9", usd("5.00")) in ann
    assert ann[-1] == (date(2026, 3, 8), "INV-12", usd("20.00"))
    # cleo's downgrade on 20 Feb waits for the end of her paid term, 10 March: her renewal
    # invoiced on 3 March is at web-0's 5.00
    assert _entries(result, "cleo", "plan.change_scheduled") == [
        (date(2026, 2, 20), "cleo-web", None)
    ]
    assert _entries(result, "cleo", "invoice.issued")[-1] == (
        date(2026, 3, 3),
        "INV-11",
        eur("5.00"),
    )
    # run rate: ann's web-2 20.00 + her VPS 30.00; cleo's web-0 5.00; bob's is cancelled
    assert result.summary.run_rate == {"EUR": eur("5.00"), "USD": usd("50.00")}


def test_orders_and_changes_are_not_repeated_on_a_rerun(
    ordered: tuple[SimulationResult, MemoryStore],
) -> None:
    _, store = ordered
    before = _records(store.unit_of_work)
    shop = _replay_every_day(small_with(*ORDERS_AND_CHANGES, source="orders"), store)
    assert _records(store.unit_of_work) == before
    assert (shop.timeline, shop.errors) == ([], [])


def test_another_shop_on_the_same_store_is_refused(small: Scenario) -> None:
    from hostbill_core.errors import ConflictError
    from hostbill_core.simulation import bundled_example
    from hostbill_core.simulation.whatif import raise_prices

    store = MemoryStore()
    simulate(small, date(2026, 1, 5), store=store)
    with pytest.raises(ConflictError, match="another shop's clients: use another database"):
        simulate(bundled_example(), store=store)
    with pytest.raises(ConflictError, match=r"priceplan 'web-1'.*stored otherwise than"):
        simulate(raise_prices(small, 10), store=store)
    assert simulate(small, date(2026, 1, 5), store=store).added == 0  # nothing was stored


ONE_TIME_ORDER = (
    plan("migrate", "web", payment="one_time", prices={"USD": "25.00"}, setup={"USD": "5.00"}),
    plan("web-free", "web", payment="free"),
    order_event(
        "2026-01-05",
        "o9",
        "ann",
        {"plan": "migrate", "name": "move"},
        {"plan": "web-free", "name": "free.ann.example"},
    ),
)


def test_a_one_time_and_a_free_item_are_invoiced_once_and_never_renewed() -> None:
    scenario = small_with(*ONE_TIME_ORDER, source="one-time")
    store = MemoryStore()
    result = simulate(scenario, store=store)
    assert result.errors == ()
    # One first invoice: 25.00 once + 5.00 setup + 0.00 free = 30.00, paid by ann (on time)
    # on the order day; both services start then, and nothing bills them again to 31 March.
    ordered = [e for e in result.timeline if e.kind == "invoice.issued" and e.on.day == 5]
    assert [(e.on, e.amount) for e in ordered] == [(date(2026, 1, 5), usd("30.00"))]
    started = [(e.on, e.subject) for e in result.timeline if e.kind == "service.activated"]
    assert started == [(date(2026, 1, 5), "o9-1"), (date(2026, 1, 5), "o9-2")]
    with store.unit_of_work() as uow:
        lines = [ln for i in uow.invoices.list(client_id="ann") for ln in i.lines]
        assert sorted(ln.key for ln in lines if ln.service_id in ("o9-1", "o9-2")) == [
            "one_time/o9-1",
            "one_time/o9-2",
            "setup/o9-1",
        ]
        assert {s.status.value for s in uow.services.list(client_id="ann")} == {"active"}
    # the run rate counts recurring prices only: ann's web-1 10.00
    assert result.summary.run_rate["USD"] == usd("10.00")
    with store.unit_of_work() as uow:
        calendar = service_calendar(uow, "o9-1", scenario.settings.billing)
    assert (
        calendar.splitlines()[1] == "  no events: plan migrate is one-time or free, it never renews"
    )


def test_an_end_of_period_cancellation_survives_a_resumed_run() -> None:
    scenario = small_with(*EVENTS, source="small+events")
    store = MemoryStore()
    first = simulate(scenario, date(2026, 3, 1), store=store)  # cleo asks on 25 Feb
    assert first.count("service.cancellation_requested") == 1
    resumed = simulate(scenario, store=store)  # a new run, from 2 March: the request is stored
    (cancelled,) = [e for e in resumed.timeline if e.kind == "service.cancelled"]
    assert (cancelled.on, cancelled.subject) == (date(2026, 3, 10), "cleo-web")
