"""The billing run: worked examples, idempotence, dry run, catch-up."""

from datetime import date

import attrs

from hostbill_core.model import InvoiceStatus, ServiceStatus
from hostbill_core.testing.fakes import RecordingEventSink
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings

from .billing_shop import client, seed, service, snapshot

SETTINGS = BillingSettings()


def test_month_end_anchor_invoices_february_then_march(uow):
    # Anchored 31 Jan: due dates 28 Feb (clamped), 31 Mar (the anchor's day again).
    # Lead 14 days: the 28 Feb renewal is invoiced on 14 Feb, for [28 Feb, 31 Mar).
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    report = run_billing(uow, date(2026, 2, 14), SETTINGS)
    (issued,) = report.invoices
    assert (issued.number, issued.due_date, str(issued.total.amount)) == (
        "INV-1", date(2026, 2, 28), "10.00",
    )  # fmt: skip
    with uow() as work:
        line = work.invoices.get(issued.invoice_id).lines[0]
    assert line.key == "renewal/s1/2026-02-28..2026-03-31"


def test_second_run_of_the_same_day_changes_nothing(uow):
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    first = run_billing(uow, date(2026, 3, 10), SETTINGS)
    before = snapshot(uow)
    second = run_billing(uow, date(2026, 3, 10), SETTINGS)
    assert first.invoices
    assert first.actions
    assert second.clients == ()
    assert snapshot(uow) == before


def test_dry_run_reports_what_the_run_does_and_writes_nothing(uow):
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    before = snapshot(uow)
    sink = RecordingEventSink()
    dry = run_billing(uow, date(2026, 3, 10), SETTINGS, dry_run=True, events=sink)
    assert snapshot(uow) == before
    assert sink.events == []
    real = run_billing(uow, date(2026, 3, 10), SETTINGS, events=sink)
    assert dry == attrs.evolve(real, dry_run=True)
    assert sink.events == list(real.events)


def test_catch_up_does_everything_missed(uow):
    # Never run until 10 March: invoice (14 Feb), reminders (14 and 21 Feb), overdue email
    # (28 Feb) and the day-7 suspension (7 Mar) all happen in this one run.
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    report = run_billing(uow, date(2026, 3, 10), SETTINGS)
    names = [e.name for e in report.events]
    assert names == [
        "invoice.issued", "renewal.reminder", "renewal.reminder", "renewal.expiry_email",
        "service.suspended", "renewal.expiry_email",
    ]  # fmt: skip
    with uow() as work:
        assert work.services.get("s1").status is ServiceStatus.SUSPENDED
        (invoice,) = work.invoices.list()
    assert invoice.status is InvoiceStatus.UNPAID
