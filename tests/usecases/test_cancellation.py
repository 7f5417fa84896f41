"""Cancelling services on request: at once or at the end of the paid term, open invoices."""

from datetime import UTC, date, datetime

import attrs
import pytest

from hostbill_core.errors import InvalidTransitionError, NotFoundError, ValidationError
from hostbill_core.invoicing.lifecycle import send_to_collections
from hostbill_core.model import CancellationRequest, InvoiceStatus, Payment, ServiceStatus
from hostbill_core.money import to_money
from hostbill_core.simulation.explain import service_calendar
from hostbill_core.testing import RecordingEventSink
from hostbill_core.usecases import (
    AddCredit,
    BillingSettings,
    CancellationMode,
    add_credit,
    cancel_due_services,
    cancel_service,
    run_billing,
)
from hostbill_core.usecases.billing_client import bill_client
from hostbill_core.usecases.billing_context import RunContext
from hostbill_core.usecases.catalogue import Catalogue
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices

from .billing_shop import client, seed, service, snapshot

END = CancellationMode.END_OF_TERM
NOW = CancellationMode.IMMEDIATE
SETTINGS = BillingSettings()  # invoices 14 days ahead; suspend on day 7, cancel on day 30


def shop(uow, *extra):
    # s1: 10.00 USD monthly, anchored 31 Jan, paid through 28 Feb (next due).
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28)), *extra])


def invoices(uow):
    with uow() as work:
        return {i.number: i for i in work.invoices.list(client_id="c1")}


def test_an_immediate_cancellation_cancels_the_service_and_its_renewal_invoice(uow):
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)  # INV-1: 10.00 for [28 Feb, 31 Mar)
    sink = RecordingEventSink()
    outcome = cancel_service(uow, "s1", on=date(2026, 2, 20), mode=NOW, events=sink)
    assert outcome.service.status is ServiceStatus.CANCELLED
    assert invoices(uow)["INV-1"].status is InvoiceStatus.CANCELLED
    assert outcome.cancelled_invoices == (invoices(uow)["INV-1"].id,)
    assert outcome.explanation == (
        "service s1 cancelled on 2026-02-20 (active → cancelled); open invoices cancelled: INV-1"
    )
    assert sink.names() == ["service.cancelled"]
    # Nothing follows: no reminder, no suspension, no lockout for the cancelled term.
    later = run_billing(uow, date(2026, 4, 1), SETTINGS)
    assert (later.invoices, later.actions, later.events) == ((), (), ())


def test_an_end_of_term_request_waits_for_the_end_of_the_paid_term(uow):
    shop(uow)
    outcome = cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END, reason="moving")
    assert outcome.service.status is ServiceStatus.ACTIVE
    assert outcome.request == CancellationRequest(
        "s1", "c1", "s1", date(2026, 2, 10), date(2026, 2, 28), "moving", version=1
    )
    assert [e.name for e in outcome.events] == ["service.cancellation_requested"]
    assert cancel_due_services(uow, date(2026, 2, 27)).outcomes == ()
    (done,) = cancel_due_services(uow, date(2026, 2, 28)).outcomes
    assert (done.service.status, done.request.carried_out_on) == (
        ServiceStatus.CANCELLED,
        date(2026, 2, 28),
    )
    before = snapshot(uow)
    assert cancel_due_services(uow, date(2026, 2, 28)).outcomes == ()  # a second run: nothing
    assert snapshot(uow) == before


def test_the_run_does_not_bill_the_term_after_a_waiting_request(uow):
    # s2, same dates, no request: billed as usual, so the filter is per service.
    shop(uow, service("s2", "c1", date(2026, 1, 31), date(2026, 2, 28), plan="pro"))
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    # 14 Feb is s1's and s2's lead day (28 Feb - 14 days): only s2's term is invoiced.
    first = run_billing(uow, date(2026, 2, 14), SETTINGS)
    # s2's plan "pro": 20.00 a month, one line
    assert [(i.number, i.total, i.lines) for i in first.invoices] == [
        ("INV-1", to_money("20.00", "USD"), 1)
    ]
    assert [line.service_id for line in invoices(uow)["INV-1"].lines] == ["s2"]
    # Through 1 April (s1's day 30 after 28 Feb: 2 March + 30 = 30 March) nothing of s1
    # fires: no reminder (14 and 7 days before), no overdue email, no suspension, no cancel.
    for day in (date(2026, 2, 21), date(2026, 2, 28), date(2026, 3, 7), date(2026, 4, 1)):
        later = run_billing(uow, day, SETTINGS)
        assert [a for a in later.actions if a.subject == "s1"] == []
        assert [e for e in later.events if e.subject == "s1"] == []
    with uow() as work:
        assert work.services.get("s1").status is ServiceStatus.ACTIVE
    (done,) = cancel_due_services(uow, date(2026, 4, 1)).outcomes
    assert done.explanation == (
        "service s1 cancelled on 2026-02-28 (active → cancelled); open invoices cancelled: none"
    )


def test_a_request_in_the_lead_time_stops_reminders_and_its_day_cancels_the_invoice(uow):
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)  # INV-1: 10.00 for [28 Feb, 31 Mar)
    cancel_service(uow, "s1", on=date(2026, 2, 20), mode=END)
    # 21 Feb is the 7-day reminder of 28 Feb's term: not sent, the term is not renewed.
    reminder = run_billing(uow, date(2026, 2, 21), SETTINGS)
    assert (reminder.invoices, reminder.actions, reminder.events) == ((), (), ())
    (done,) = cancel_due_services(uow, date(2026, 2, 28)).outcomes
    assert done.cancelled_invoices == (invoices(uow)["INV-1"].id,)
    assert invoices(uow)["INV-1"].status is InvoiceStatus.CANCELLED


def pay(uow, amount, day):
    paid = Payment("p1", "c1", datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                   to_money(amount, "USD"))  # fmt: skip
    return pay_invoice(uow, PayInvoices(paid, day))


def test_a_term_paid_after_an_end_of_term_request_does_not_start(uow):
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)  # INV-1: 10.00 for [28 Feb, 31 Mar)
    cancel_service(uow, "s1", on=date(2026, 2, 20), mode=END)  # effective 28 Feb
    outcome = pay(uow, "10.00", date(2026, 2, 22))
    # The payment is applied (INV-1 paid in full), but the request lets no term start on
    # 28 Feb: s1 is not renewed, and the outcome says why.
    paid = invoices(uow)["INV-1"]
    assert paid.status is InvoiceStatus.PAID
    assert (outcome.services, outcome.actions, outcome.events) == ((), (), ())
    assert outcome.not_renewed == (
        ("s1", "its cancellation takes effect on 2026-02-28: the term from 2026-02-28 paid "
               "for does not start"),
    )  # fmt: skip
    with uow() as work:
        assert work.services.get("s1").next_due_date == date(2026, 2, 28)
    # On the day the service is cancelled and the paid invoice listed: refunding or
    # crediting the 10.00 is for staff, as for any invoice with money on it.
    (done,) = cancel_due_services(uow, date(2026, 2, 28)).outcomes
    reason = "paid for the term from 2026-02-28, which does not start"
    assert done.service.status is ServiceStatus.CANCELLED
    assert done.kept_invoices == ((paid.id, reason),)
    assert done.explanation == (
        "service s1 cancelled on 2026-02-28 (active → cancelled); open invoices cancelled: "
        f"none; invoice {paid.id} kept: {reason}"
    )
    assert invoices(uow)["INV-1"] == paid
    later = run_billing(uow, date(2026, 4, 1), SETTINGS)
    assert (later.invoices, later.actions, later.events) == ((), (), ())


def test_a_term_paid_before_the_request_is_renewed_and_the_request_follows_it(uow):
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)  # INV-1: 10.00 for [28 Feb, 31 Mar)
    outcome = pay(uow, "10.00", date(2026, 2, 16))
    assert [s.next_due_date for s in outcome.services] == [date(2026, 3, 31)]
    assert outcome.not_renewed == ()
    asked = cancel_service(uow, "s1", on=date(2026, 2, 20), mode=END)
    # The term paid for runs to 31 March: that is the request's day, and nothing is kept.
    assert asked.request.effective_on == date(2026, 3, 31)
    (done,) = cancel_due_services(uow, date(2026, 3, 31)).outcomes
    assert (done.cancelled_invoices, done.kept_invoices) == ((), ())


def test_an_immediate_cancellation_lists_a_paid_term_that_has_not_started(uow):
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)  # INV-1: 10.00 for [28 Feb, 31 Mar)
    pay(uow, "10.00", date(2026, 2, 16))  # renewed: next due 31 March
    paid = invoices(uow)["INV-1"]
    # Cancelled 20 Feb, before the paid term starts on 28 Feb: the invoice is listed.
    early = cancel_service(uow, "s1", on=date(2026, 2, 20))
    assert early.kept_invoices == (
        (paid.id, "paid for the term from 2026-02-28, which does not start"),
    )


def test_an_immediate_cancellation_keeps_quiet_about_a_paid_term_that_started(uow):
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)
    pay(uow, "10.00", date(2026, 2, 16))
    # Cancelled 1 March, within the paid term [28 Feb, 31 Mar): nothing to list.
    late = cancel_service(uow, "s1", on=date(2026, 3, 1))
    assert (late.cancelled_invoices, late.kept_invoices) == ((), ())


def test_a_run_with_a_waiting_request_is_idempotent_and_its_dry_run_exact(uow):
    shop(uow, service("s2", "c1", date(2026, 1, 31), date(2026, 2, 28), plan="pro"))
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    dry = run_billing(uow, date(2026, 3, 10), SETTINGS, dry_run=True)
    real = run_billing(uow, date(2026, 3, 10), SETTINGS)
    assert dry == attrs.evolve(real, dry_run=True)
    # s2 alone: invoiced and reminded 14 Feb (28 Feb - 14), reminded 21 Feb (- 7), overdue
    # email 28 Feb, suspended 7 March (28 Feb + 7 days); s1 has no event at all.
    assert [a.key for a in real.actions] == ["s2/2026-02-28/expiry-7"]
    assert [e.subject for e in real.events][1:] == ["s2"] * 5
    assert [i.number for i in real.invoices] == ["INV-1"]
    before = snapshot(uow)
    again = run_billing(uow, date(2026, 3, 10), SETTINGS)
    assert (again.invoices, again.actions, again.events) == ((), (), ())
    assert snapshot(uow) == before


def test_a_waiting_request_leaves_the_clients_mark_no_day_to_wake_on(uow):
    # After the run of 14 Feb (invoice and first reminder of 28 Feb), the client's next event
    # is the 7-day reminder on 21 Feb. An end-of-term request then ends s1 on 28 Feb: the run
    # of 21 Feb sends nothing and marks the client again with no day to wake on (no due date
    # of s1 before the request's day is left), so no later run bills it in full.
    shop(uow)
    run_billing(uow, date(2026, 2, 14), SETTINGS)
    cancel_service(uow, "s1", on=date(2026, 2, 20), mode=END)
    assert run_billing(uow, date(2026, 2, 21), SETTINGS).clients == ()
    with uow() as work:
        assert work.billing_states.get("c1").checked.split("/")[1:3] == [
            "2026-02-21",
            "9999-12-31",
        ]


def test_a_client_billed_alone_reads_its_waiting_requests_too(uow):
    # bill_client without the page's records (a batch that failed bills each client alone)
    shop(uow)
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    with uow() as work:
        catalogue = Catalogue.load(work)
    with uow() as work:
        run = bill_client(work, "c1", RunContext(date(2026, 2, 14), SETTINGS, catalogue))
    assert (run.invoices, run.actions, run.events) == ((), (), ())


def test_the_calendar_preview_stops_where_a_waiting_request_ends_the_service(uow):
    shop(uow)
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    with uow() as work:
        text = service_calendar(work, "s1", SETTINGS)
    # next due 28 Feb is the request's day: none of that term's events (invoice 14 Feb,
    # reminders, due, expiry steps) is listed, as the run proposes none of them
    assert text.splitlines()[1:] == [
        "  2026-02-28  cancelled at the end of the term paid for (requested on 2026-02-10): "
        "no term from 2026-02-28 is billed"
    ]


def test_a_late_job_cancels_as_of_the_end_of_the_term(uow):
    shop(uow)
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    (done,) = cancel_due_services(uow, date(2026, 3, 3)).outcomes
    assert done.explanation.startswith("service s1 cancelled on 2026-02-28")
    assert done.request.carried_out_on == date(2026, 2, 28)


def test_end_of_term_without_a_paid_term_ahead_is_at_once(uow):
    # next due 28 Feb, asked on 2 March: overdue, nothing paid ahead
    shop(uow)
    outcome = cancel_service(uow, "s1", on=date(2026, 3, 2), mode=END)
    assert (outcome.service.status, outcome.request) == (ServiceStatus.CANCELLED, None)


def test_an_immediate_cancellation_carries_out_a_waiting_request(uow):
    shop(uow)
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    outcome = cancel_service(uow, "s1", on=date(2026, 2, 12), mode=NOW)
    assert outcome.request.carried_out_on == date(2026, 2, 12)
    assert cancel_due_services(uow, date(2026, 2, 28)) == cancel_due_services(uow, date(2026, 1, 1))


def test_invoices_with_other_services_money_or_collections_are_kept_and_listed(uow):
    s2 = service("s2", "c1", date(2026, 1, 31), date(2026, 2, 28), plan="pro")
    s3 = service("s3", "c1", date(2026, 1, 15), date(2026, 2, 15))
    shop(uow, s2, s3)
    # 14 Feb: one invoice for s1 and s2 due 28 Feb (INV-2), s3's due 15 Feb (INV-1)
    run_billing(uow, date(2026, 2, 14), SETTINGS)
    mine = invoices(uow)["INV-1"]
    with uow() as work:
        work.invoices.save(send_to_collections(mine, date(2026, 2, 20)).invoice)
        work.commit()
    kept_s1 = cancel_service(uow, "s1", on=date(2026, 2, 21))
    shared = invoices(uow)["INV-2"].id
    assert kept_s1.kept_invoices == ((shared, "it also bills s2"),)
    tail = f"open invoices cancelled: none; invoice {shared} kept: it also bills s2"
    assert kept_s1.explanation.endswith(tail)
    kept_s3 = cancel_service(uow, "s3", on=date(2026, 2, 21))
    assert kept_s3.kept_invoices == ((invoices(uow)["INV-1"].id, "handed to collections"),)
    assert invoices(uow)["INV-2"].status is InvoiceStatus.UNPAID


def test_an_invoice_with_credit_on_it_is_kept(uow):
    shop(uow)
    at = datetime(2026, 2, 1, tzinfo=UTC)
    add_credit(uow, AddCredit("c1", to_money("3.00", "USD"), "e1", at))
    run_billing(uow, date(2026, 2, 14), SETTINGS)  # INV-1: 10.00, 3.00 of it from credit
    outcome = cancel_service(uow, "s1", on=date(2026, 2, 20))
    assert outcome.kept_invoices == ((invoices(uow)["INV-1"].id, "payment or credit is on it"),)


def test_a_service_that_ended_before_its_day_only_closes_its_request(uow):
    shop(uow)
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    with uow() as work:
        work.services.save(attrs.evolve(work.services.get("s1"), status=ServiceStatus.TERMINATED))
        work.commit()
    (done,) = cancel_due_services(uow, date(2026, 2, 28)).outcomes
    assert done.explanation == "service s1 was terminated already: nothing to cancel"
    assert (done.request.carried_out_on, done.events) == (date(2026, 2, 28), ())


def test_a_failing_request_is_reported_and_the_others_carried_out(uow):
    shop(uow, service("s2", "c1", date(2026, 1, 31), date(2026, 2, 28)))
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    cancel_service(uow, "s2", on=date(2026, 2, 10), mode=END)
    with uow() as work:
        work.services.remove("s1")  # gone from under its request
        work.commit()
    due = cancel_due_services(uow, date(2026, 2, 28))
    assert [o.service.id for o in due.outcomes] == ["s2"]
    ((service_id, failure),) = due.failures
    assert (service_id, failure.error_type) == ("s1", "NotFoundError")
    with uow() as work:
        assert work.cancellation_requests.get("s1").pending  # waits for the next run


def test_an_unknown_service_is_not_found_and_nothing_is_stored(uow):
    shop(uow)
    before = snapshot(uow)
    with pytest.raises(NotFoundError):
        cancel_service(uow, "nope", on=date(2026, 2, 10))
    assert snapshot(uow) == before


@pytest.mark.parametrize("status", [ServiceStatus.CANCELLED, ServiceStatus.TERMINATED])
@pytest.mark.parametrize("mode", [NOW, END])
def test_a_cancelled_or_terminated_service_is_refused(uow, status, mode):
    shop(uow)
    with uow() as work:
        work.services.save(attrs.evolve(work.services.get("s1"), status=status))
        work.commit()
    before = snapshot(uow)
    with pytest.raises(InvalidTransitionError) as caught:
        cancel_service(uow, "s1", on=date(2026, 2, 10), mode=mode)
    assert (caught.value.current, caught.value.target) == (status.value, "cancelled")
    assert snapshot(uow) == before


def test_a_second_end_of_term_request_is_refused(uow):
    shop(uow)
    cancel_service(uow, "s1", on=date(2026, 2, 10), mode=END)
    before = snapshot(uow)
    with pytest.raises(InvalidTransitionError, match="requested again"):
        cancel_service(uow, "s1", on=date(2026, 2, 11), mode=END)
    assert snapshot(uow) == before


def test_a_day_that_is_not_a_date_is_refused(uow):
    shop(uow)
    with pytest.raises(ValidationError) as caught:
        cancel_service(uow, "s1", on=datetime(2026, 2, 10, tzinfo=UTC))
    assert caught.value.field == "on"
    with pytest.raises(ValidationError):
        cancel_due_services(uow, "2026-02-10")
