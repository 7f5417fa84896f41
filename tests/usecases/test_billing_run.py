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


def test_service_groups_and_per_invoice_tax_shape_the_invoice(uow):
    from hostbill_core.model import ServiceGroup
    from hostbill_core.money import to_money
    from hostbill_core.pricing import TaxRounding, TaxRule, TaxSettings

    german = client("c1", "EUR")
    german = attrs.evolve(
        german, details=attrs.evolve(german.details, address=attrs.evolve(
            german.details.address, country="DE"))
    )  # fmt: skip
    anchor = date(2026, 1, 10)
    services = [service(f"s{i}", "c1", anchor, date(2026, 3, 10), group_id="g1") for i in (1, 2)]
    services.append(service("s3", "c1", anchor, date(2026, 3, 10)))
    group = ServiceGroup("g1", "c1", "Shop sites", service_ids=("s2", "s1"))
    seed(uow, [german], services, [group])
    tax = TaxSettings((TaxRule("VAT", "0.19", "DE"),), rounding=TaxRounding.PER_INVOICE)
    (issued,) = run_billing(uow, date(2026, 3, 1), BillingSettings(tax=tax)).invoices
    with uow() as work:
        invoice = work.invoices.get(issued.invoice_id)
    # Three 9.00 EUR renewals on one invoice (same due date): VAT 19 % rounded once on the
    # total: 27.00 × 0.19 = 5.13, shared 1.71 per line; total 32.13.
    assert [line.service_id for line in invoice.lines] == ["s3", "s2", "s1"]
    assert [line.group_id for line in invoice.lines] == [None, "g1", "g1"]
    assert invoice.tax_total == to_money("5.13", "EUR")
    assert issued.total == to_money("32.13", "EUR")


def test_a_client_lead_time_beyond_the_look_ahead_is_a_reported_configuration_error(uow):
    from hostbill_core.model import ClientSettings

    seed(
        uow,
        [client("c1", settings=ClientSettings(invoice_lead_days=30))],
        [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))],
    )
    report = run_billing(uow, date(2026, 2, 20), SETTINGS)
    (failed,) = report.failures
    assert failed.failure.error_type == "ConfigurationError"
    fixed = run_billing(uow, date(2026, 2, 20), BillingSettings(look_ahead_days=30))
    assert len(fixed.invoices) == 1


def test_a_day_that_is_not_a_date_is_refused():
    import pytest

    from hostbill_core.adapters.memory import MemoryStore
    from hostbill_core.errors import ValidationError

    with pytest.raises(ValidationError):
        run_billing(MemoryStore().unit_of_work, "2026-03-01", SETTINGS)
