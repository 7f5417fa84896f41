"""Lifecycle calendar and actions due: one generator, unique keys, payment stops the sequence."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import ANNUALLY, MONTHLY, QUARTERLY, BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model import ClientId, ClientSettings, ProductId, ProductType, ServiceStatus
from hostbill_core.renewal import (
    EventKind,
    ExpiryAction,
    ExpiryStep,
    LifecycleEvent,
    RenewalContext,
    RenewalPayment,
    RenewalSequence,
    RenewalSettings,
    actions_due,
    apply_expiry_actions,
    lifecycle_calendar,
    next_event_on,
    renew_on_payment,
)
from hostbill_core.renewal.plan import Planner

from .helpers import service

A = ExpiryAction
S = ServiceStatus
CONTINUE = RenewalContext(RenewalSettings(continue_invoicing_when_unpaid=True))


def _rows(events: tuple[LifecycleEvent, ...]) -> list[tuple[str, str]]:
    return [(e.on.isoformat(), e.key) for e in events]


def test_default_calendar_of_a_month_end_service() -> None:
    # Next due 2024-02-29; lead 14 -> invoice 02-15; reminders 14 and 7 days before;
    # expiry steps on days 0, 7 (03-07) and 30 (03-30).
    s = service(date(2024, 1, 31), date(2024, 2, 29))
    events = lifecycle_calendar(s, RenewalSequence(), date(2024, 12, 31))
    assert _rows(events) == [
        ("2024-02-15", "s1/2024-02-29/invoice"),
        ("2024-02-15", "s1/2024-02-29/reminder-14"),
        ("2024-02-22", "s1/2024-02-29/reminder-7"),
        ("2024-02-29", "s1/2024-02-29/due"),
        ("2024-02-29", "s1/2024-02-29/expiry-0"),
        ("2024-03-07", "s1/2024-02-29/expiry-7"),
        ("2024-03-30", "s1/2024-02-29/expiry-30"),
    ]
    assert events[0].explanation == (
        "invoice for the renewal due 2024-02-29, issued 14 days before it (lead time)"
    )
    assert events[5].actions == (A.DISABLE, A.SEND_TEMPLATE)
    assert events[5].templates == ("service-disabled",)
    assert events[5].kind is EventKind.EXPIRY


def test_continue_invoicing_lists_later_due_dates_until_the_cancel_step() -> None:
    # Later due date 2024-03-31 (anchor 31 Jan + 2 months): invoice 03-17, reminders 03-17
    # and 03-24; its due date (03-31) is after the cancel on 03-30, so it is not listed.
    s = service(date(2024, 1, 31), date(2024, 2, 29))
    events = lifecycle_calendar(s, RenewalSequence(), date(2024, 12, 31), context=CONTINUE)
    later = [row for row in _rows(events) if "2024-03-31" in row[1]]
    assert later == [
        ("2024-03-17", "s1/2024-03-31/invoice"),
        ("2024-03-17", "s1/2024-03-31/reminder-14"),
        ("2024-03-24", "s1/2024-03-31/reminder-7"),
    ]
    assert events[-1].key == "s1/2024-02-29/expiry-30"


def test_without_a_cancel_step_later_due_dates_run_until_the_window_ends() -> None:
    seq = RenewalSequence(reminder_days=(), steps=(ExpiryStep(3, (A.DISABLE,)),))
    s = service(date(2024, 1, 15))
    events = lifecycle_calendar(s, seq, date(2024, 4, 15), context=CONTINUE)
    dues = [e.due_date.isoformat() for e in events if e.kind is EventKind.DUE]
    assert dues == ["2024-01-15", "2024-02-15", "2024-03-15", "2024-04-15"]
    # Only the oldest unpaid due date has expiry steps.
    assert [e.key for e in events if e.kind is EventKind.EXPIRY] == ["s1/2024-01-15/expiry-3"]


def test_invoice_with_the_first_reminder() -> None:
    seq = RenewalSequence(reminder_days=(21, 3), invoice_with_reminder=True)
    s = service(date(2024, 5, 1))
    invoice = lifecycle_calendar(s, seq, date(2024, 5, 1))[0]
    assert (invoice.on, invoice.step) == (date(2024, 4, 10), "invoice")
    assert "with the first reminder, 21 days before it" in invoice.explanation


def test_invoice_with_reminder_keeps_a_longer_lead_time() -> None:
    seq = RenewalSequence(reminder_days=(7,), invoice_with_reminder=True)
    invoice = lifecycle_calendar(service(date(2024, 5, 1)), seq, date(2024, 5, 1))[0]
    assert invoice.on == date(2024, 4, 17)


def test_lead_time_comes_from_product_type_and_client() -> None:
    context = RenewalContext(
        RenewalSettings(lead_days_by_type={ProductType.DOMAIN: 30}),
        product_types={ProductId("dom"): ProductType.DOMAIN},
        clients={ClientId("c9"): ClientSettings(invoice_lead_days=2)},
    )
    seq = RenewalSequence(reminder_days=())
    domain = service(date(2024, 5, 31), product="dom")
    assert lifecycle_calendar(domain, seq, date(2024, 6, 1), context=context)[0].on == date(
        2024, 5, 1
    )
    mine = service(date(2024, 5, 31), product="dom", client="c9")
    assert lifecycle_calendar(mine, seq, date(2024, 6, 1), context=context)[0].on == date(
        2024, 5, 29
    )


def test_steps_are_filtered_by_product_type() -> None:
    seq = RenewalSequence(
        reminder_days=(),
        steps=(
            ExpiryStep(1, (A.LOCKOUT,)),
            ExpiryStep(5, (A.DISABLE,), product_types=frozenset({ProductType.HOSTING})),
        ),
    )
    context = RenewalContext(product_types={ProductId("web"): ProductType.HOSTING})
    web = service(date(2024, 1, 15), product="web")
    other = service(date(2024, 1, 15), product="?")
    until = date(2024, 3, 1)
    assert [e.step for e in lifecycle_calendar(web, seq, until, context=context)][-2:] == [
        "expiry-1",
        "expiry-5",
    ]
    assert [e.step for e in lifecycle_calendar(other, seq, until, context=context)][-1] == (
        "expiry-1"
    )


@pytest.mark.parametrize("status", [S.PENDING, S.TERMINATED, S.CANCELLED, S.FRAUD])
def test_services_not_live_have_no_events(status: S) -> None:
    s = service(date(2024, 1, 15), status=status)
    assert lifecycle_calendar(s, RenewalSequence(), date(2025, 1, 1)) == ()
    assert actions_due([s], date(2024, 1, 15), RenewalSequence()) == ()


def test_suspended_services_keep_their_sequence() -> None:
    s = service(date(2024, 1, 15), status=S.SUSPENDED)
    assert [e.step for e in actions_due([s], date(2024, 2, 14), RenewalSequence())] == ["expiry-30"]


def test_since_limits_the_calendar() -> None:
    s = service(date(2024, 1, 31), date(2024, 2, 29))
    events = lifecycle_calendar(s, RenewalSequence(), date(2024, 3, 7), since=date(2024, 2, 29))
    assert [e.step for e in events] == ["due", "expiry-0", "expiry-7"]


def test_payment_stops_the_sequence_for_that_due_date() -> None:
    s = service(date(2024, 1, 31), date(2024, 2, 29))
    paid = renew_on_payment(RenewalPayment(s, date(2024, 2, 29), date(2024, 2, 20))).service
    events = lifecycle_calendar(paid, RenewalSequence(), date(2024, 12, 31))
    assert all(e.due_date == date(2024, 3, 31) for e in events)
    assert actions_due([paid], date(2024, 3, 7), RenewalSequence()) == ()


def test_actions_due_on_one_day_across_services() -> None:
    seq = RenewalSequence()
    a = service(date(2024, 3, 1), sid="a")  # due 03-01: expiry-7 on 03-08
    b = service(date(2024, 3, 22), sid="b")  # due 03-22: invoice + reminder-14 on 03-08
    c = service(date(2024, 6, 1), sid="c")  # nothing on 03-08
    events = actions_due([a, b, c], date(2024, 3, 8), seq)
    assert [e.key for e in events] == [
        "a/2024-03-01/expiry-7",
        "b/2024-03-22/invoice",
        "b/2024-03-22/reminder-14",
    ]


def test_done_keys_never_fire_twice() -> None:
    s = service(date(2024, 3, 22))
    first = actions_due([s], date(2024, 3, 8), RenewalSequence())
    again = actions_due([s], date(2024, 3, 8), RenewalSequence(), done={e.key for e in first})
    assert len(first) == 2
    assert again == ()


def test_a_planner_kept_across_calls_gives_the_same_events() -> None:
    # One planner for the sequence and context serves many calls (the billing run's clients).
    seq = RenewalSequence()
    planner = Planner(seq, CONTINUE)
    for due in (date(2024, 3, 1), date(2024, 3, 22), date(2024, 2, 10)):
        s = service(due)
        alone = actions_due([s], date(2024, 3, 8), seq, context=CONTINUE, since=date(2024, 1, 1))
        kept = actions_due(
            [s], date(2024, 3, 8), seq, context=CONTINUE, since=date(2024, 1, 1), planner=planner
        )
        assert kept == alone
        assert kept  # each due date has events in the window


def test_catch_up_after_missed_runs() -> None:
    # Last run on 03-05; the run on 03-09 catches up 03-06 .. 03-09, in date order.
    a = service(date(2024, 3, 1), sid="a")
    b = service(date(2024, 3, 20), sid="b")
    events = actions_due([b, a], date(2024, 3, 9), RenewalSequence(), since=date(2024, 3, 5))
    assert _rows(events) == [
        ("2024-03-06", "b/2024-03-20/invoice"),
        ("2024-03-06", "b/2024-03-20/reminder-14"),
        ("2024-03-08", "a/2024-03-01/expiry-7"),
    ]


def test_next_event_on_is_the_calendars_next_day_of_the_kinds_asked() -> None:
    # Next due 2024-02-29, default sequence (see the calendar above): after 02-15 (invoice
    # and first reminder) comes the 7-day reminder on 02-22; the due date 02-29 has the
    # due-date event and expiry-0, so without DUE and EXPIRY the next after 02-22 is none
    # before the 30-day step... which is an EXPIRY too: nothing (no later due dates).
    s = service(date(2024, 1, 31), date(2024, 2, 29))
    seq = RenewalSequence()
    assert next_event_on([s], date(2024, 2, 15), seq) == date(2024, 2, 22)
    assert next_event_on([s], date(2024, 2, 22), seq) == date(2024, 2, 29)
    acting = (EventKind.INVOICE, EventKind.REMINDER)
    assert next_event_on([s], date(2024, 2, 22), seq, kinds=acting) is None
    assert next_event_on([s], date(2024, 3, 7), seq) == date(2024, 3, 30)
    assert next_event_on([s], date(2024, 3, 30), seq) is None
    # Invoicing on while unpaid: the next due date 2024-03-31 invoices on 03-17 (14 days
    # before), earlier than the 30-day step on 03-30.
    assert next_event_on([s], date(2024, 3, 7), seq, context=CONTINUE) == date(2024, 3, 17)
    other = service(date(2024, 1, 10), date(2024, 3, 10), sid="s2")  # invoice 02-25
    assert next_event_on([s, other], date(2024, 2, 22), seq) == date(2024, 2, 25)
    assert next_event_on([], date(2024, 2, 22), seq) is None


def test_next_event_on_needs_a_date() -> None:
    with pytest.raises(ValidationError, match="after"):
        next_event_on([], "2024-02-22", RenewalSequence())  # type: ignore[arg-type]


def test_actions_due_since_must_be_before_on() -> None:
    with pytest.raises(ValidationError) as info:
        actions_due([], date(2024, 3, 9), RenewalSequence(), since=date(2024, 3, 9))
    assert info.value.field == "since"


def test_actions_due_on_must_be_a_date() -> None:
    with pytest.raises(ValidationError) as info:
        actions_due([], "2024-03-09", RenewalSequence())  # type: ignore[arg-type]
    assert info.value.field == "on"


def test_calendar_since_after_until_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        lifecycle_calendar(service(), RenewalSequence(), date(2024, 1, 1), since=date(2024, 2, 1))
    assert info.value.field == "since"


def test_calendar_until_must_be_a_date() -> None:
    with pytest.raises(ValidationError) as info:
        lifecycle_calendar(service(), RenewalSequence(), None)  # type: ignore[arg-type]
    assert info.value.field == "until"


# --- carrying out expiry steps ---------------------------------------------------------------


def _step(s_due: date, on: date) -> LifecycleEvent:
    (event,) = actions_due([service(s_due)], on, RenewalSequence())
    return event


def test_disable_suspends_and_cancel_cancels() -> None:
    s = service(date(2024, 3, 1))
    disabled = apply_expiry_actions(s, _step(date(2024, 3, 1), date(2024, 3, 8)))
    assert disabled.status is S.SUSPENDED
    # Disabling again is skipped; the cancel step cancels the suspended service.
    assert apply_expiry_actions(disabled, _step(date(2024, 3, 1), date(2024, 3, 8))) == disabled
    cancelled = apply_expiry_actions(disabled, _step(date(2024, 3, 1), date(2024, 3, 31)))
    assert cancelled.status is S.CANCELLED


def test_a_paid_service_ignores_a_stale_step() -> None:
    s = service(date(2024, 3, 1))
    event = _step(date(2024, 3, 1), date(2024, 3, 8))
    paid = renew_on_payment(RenewalPayment(s, date(2024, 3, 1), date(2024, 3, 7))).service
    assert apply_expiry_actions(paid, event) == paid


def test_a_step_for_another_service_is_refused() -> None:
    event = _step(date(2024, 3, 1), date(2024, 3, 8))
    with pytest.raises(ValidationError):
        apply_expiry_actions(service(date(2024, 3, 1), sid="other"), event)


# --- properties ------------------------------------------------------------------------------


@st.composite
def sequences(draw: st.DrawFn) -> RenewalSequence:
    reminders = draw(st.lists(st.integers(1, 40), unique=True, max_size=3))
    days = sorted(draw(st.lists(st.integers(0, 60), unique=True, max_size=4)))
    steps = []
    for day in days:
        action = draw(st.sampled_from([A.LOCKOUT, A.DISABLE]))
        steps.append(ExpiryStep(day, (action,)))
    if steps and draw(st.booleans()):
        last = steps[-1]
        steps[-1] = ExpiryStep(last.day, (*last.actions, A.CANCEL))
    return RenewalSequence(
        reminder_days=tuple(reminders),
        invoice_with_reminder=draw(st.booleans()),
        steps=tuple(steps),
    )


CYCLES = st.sampled_from(
    [MONTHLY, QUARTERLY, ANNUALLY, BillingCycle.weeks(1), BillingCycle.days(10)]
)
CONTEXTS = st.builds(
    RenewalContext,
    st.builds(
        RenewalSettings,
        invoice_lead_days=st.integers(0, 45),
        continue_invoicing_when_unpaid=st.booleans(),
    ),
)


@given(
    anchor=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    cycle=CYCLES,
    seq=sequences(),
    context=CONTEXTS,
    days=st.integers(0, 400),
)
def test_calendar_keys_are_unique_and_dates_ordered(
    anchor: date, cycle: BillingCycle, seq: RenewalSequence, context: RenewalContext, days: int
) -> None:
    s = service(anchor, cycle=cycle)
    events = lifecycle_calendar(s, seq, anchor + timedelta(days=days), context=context)
    keys = [e.key for e in events]
    assert len(keys) == len(set(keys))
    assert [e.on for e in events] == sorted(e.on for e in events)


@given(
    anchor=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    cycle=CYCLES,
    seq=sequences(),
    context=CONTEXTS,
    quiet_days=st.lists(st.integers(-50, 70), max_size=8),
)
def test_preview_equals_run(
    anchor: date,
    cycle: BillingCycle,
    seq: RenewalSequence,
    context: RenewalContext,
    quiet_days: list[int],
) -> None:
    s = service(anchor, cycle=cycle)
    start, until = anchor - timedelta(days=50), anchor + timedelta(days=70)
    preview = lifecycle_calendar(s, seq, until, context=context, since=start)
    # Every day the preview lists, and some drawn days, run exactly the preview's events.
    days = {e.on for e in preview} | {anchor + timedelta(days=d) for d in quiet_days}
    for day in days:
        expected = tuple(e for e in preview if e.on == day)
        assert set(actions_due([s], day, seq, context=context)) == set(expected)
        assert len(actions_due([s], day, seq, context=context)) == len(expected)
    # One catch-up run over the whole window does the same as the preview.
    caught_up = actions_due([s], until, seq, context=context, since=start - timedelta(days=1))
    assert sorted(caught_up, key=lambda e: e.key) == sorted(preview, key=lambda e: e.key)


@given(
    anchor=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    cycle=CYCLES,
    seq=sequences(),
    context=CONTEXTS,
    after=st.integers(-60, 500),
    kinds=st.sets(st.sampled_from(EventKind), min_size=1),
)
def test_next_event_on_is_the_first_calendar_day_after(
    *,
    anchor: date,
    cycle: BillingCycle,
    seq: RenewalSequence,
    context: RenewalContext,
    after: int,
    kinds: set[EventKind],
) -> None:
    s = service(anchor, cycle=cycle)
    day = anchor + timedelta(days=after)
    # The calendar over the next three years covers a year's cycle and the longest sequence.
    calendar = lifecycle_calendar(
        s, seq, day + timedelta(days=3 * 366), context=context, since=day + timedelta(days=1)
    )
    expected = min((e.on for e in calendar if e.kind in kinds), default=None)
    assert next_event_on([s], day, seq, context=context, kinds=kinds) == expected
