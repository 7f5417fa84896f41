"""Paying invoices: renewals from the due date, unsuspension, unlock, never twice."""

from datetime import UTC, date, datetime

import pytest

from hostbill_core.errors import ConflictError, CurrencyMismatchError, ValidationError
from hostbill_core.model import InvoiceStatus, Payment, ServiceStatus
from hostbill_core.money import to_money
from hostbill_core.renewal import ExpiryAction, ExpiryStep, RenewalSequence, RenewalSettings
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices

from .billing_shop import client, seed, service, snapshot

SETTINGS = BillingSettings()


def payment(pid: str, amount: str, currency: str = "USD", day: date = date(2026, 3, 12), **kw):
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return Payment(pid, "c1", at, to_money(amount, currency), **kw)


def pay(uow, pid: str, amount: str, day: date, currency: str = "USD", **kw):
    request = PayInvoices(
        payment(pid, amount, currency, day, **kw), day, credit_entry_id=f"{pid}-c"
    )
    return pay_invoice(uow, request)


def suspended_shop(uow):
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    run_billing(uow, date(2026, 3, 10), SETTINGS)  # invoiced 14 Feb, suspended 7 Mar


def test_paying_a_suspended_service_renews_from_the_due_date_and_unsuspends(uow):
    suspended_shop(uow)
    outcome = pay(uow, "p1", "10.00", date(2026, 3, 12))
    (renewed,) = outcome.services
    # Paid 12 days late for the renewal due 28 Feb: next due = anchor 31 Jan + 2 × P1M
    # = 31 Mar (from the due date, not from 12 Mar), and paid up: suspended → active.
    assert (renewed.next_due_date, renewed.status) == (date(2026, 3, 31), ServiceStatus.ACTIVE)
    assert [e.name for e in outcome.events] == ["service.renewed", "service.unsuspended"]


def test_the_same_renewal_paid_twice_extends_once(uow):
    suspended_shop(uow)
    (paid,) = pay(uow, "p1", "10.00", date(2026, 3, 12)).application.invoices
    before = snapshot(uow)
    # A duplicate callback for the same invoice: it is paid, so the payment is refused.
    with pytest.raises(ValidationError):
        pay_invoice(uow, PayInvoices(payment("p2", "10.00"), date(2026, 3, 12), (paid.id,)))
    assert snapshot(uow) == before
    with uow() as work:
        assert work.services.get("s1").next_due_date == date(2026, 3, 31)


def test_credit_paid_renewal_in_the_run_and_a_later_payment_extend_once(uow):
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    add_credit(
        uow, AddCredit("c1", to_money("10.00", "USD"), "e1", datetime(2026, 2, 1, tzinfo=UTC))
    )
    report = run_billing(uow, date(2026, 2, 14), SETTINGS)
    # The credit pays the 10.00 renewal on issue; the run renews once: 28 Feb → 31 Mar.
    assert [i.status for i in report.invoices] == [InvoiceStatus.PAID]
    assert [a.kind.value for a in report.actions] == ["renew"]
    with pytest.raises(ValidationError):  # nothing is left to pay
        pay(uow, "p1", "10.00", date(2026, 2, 20))
    with uow() as work:
        assert work.services.get("s1").next_due_date == date(2026, 3, 31)


def test_a_later_renewal_paid_first_waits_for_the_earlier_one(uow):
    continuing = BillingSettings(renewal=RenewalSettings(continue_invoicing_when_unpaid=True))
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    report = run_billing(uow, date(2026, 3, 17), continuing)
    feb, mar = report.invoices  # due 28 Feb and 31 Mar
    first = pay_invoice(
        uow, PayInvoices(payment("p1", "10.00"), date(2026, 3, 18), (mar.invoice_id,))
    )
    assert first.services == ()  # 31 Mar is paid, 28 Feb is not: no renewal yet
    second = pay_invoice(
        uow, PayInvoices(payment("p2", "10.00"), date(2026, 3, 18), (feb.invoice_id,))
    )
    (renewed,) = second.services
    assert renewed.next_due_date == date(2026, 4, 30)  # both cycles: 31 Jan + 3 × P1M


def test_jpy_client_pays_whole_yen(uow):
    seed(uow, [client("c1", "JPY")], [service("s1", "c1", date(2026, 1, 15), date(2026, 2, 15))])
    (invoice,) = run_billing(uow, date(2026, 2, 1), SETTINGS).invoices
    assert invoice.total == to_money("1500", "JPY")  # the plan's own JPY price, 0 decimals
    outcome = pay(uow, "p1", "2000", date(2026, 2, 10), "JPY")
    # 2000 − 1500 = 500 JPY overpaid, to credit; renewal 15 Feb → 15 Mar.
    assert outcome.application.credit_entry.amount == to_money("500", "JPY")
    assert outcome.services[0].next_due_date == date(2026, 3, 15)


def test_lockout_is_lifted_when_nothing_is_overdue(uow):
    locking = BillingSettings(
        sequence=RenewalSequence(steps=(ExpiryStep(3, (ExpiryAction.LOCKOUT,)),))
    )
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    report = run_billing(uow, date(2026, 3, 5), locking)
    assert [a.kind.value for a in report.actions] == ["lockout"]
    outcome = pay(uow, "p1", "10.00", date(2026, 3, 6))
    assert [e.name for e in outcome.events] == ["service.renewed", "client.unlocked"]
    with uow() as work:
        assert not work.billing_states.get("c1").locked_out


def test_a_refused_payment_stores_nothing(uow):
    suspended_shop(uow)
    before = snapshot(uow)
    with pytest.raises(CurrencyMismatchError):
        pay(uow, "p1", "10.00", date(2026, 3, 12), "EUR")
    with pytest.raises(ValidationError):  # an overpayment needs a credit entry id
        pay_invoice(uow, PayInvoices(payment("p2", "50.00"), date(2026, 3, 12)))
    assert snapshot(uow) == before


def test_a_gateway_transaction_is_recorded_once(uow):
    suspended_shop(uow)
    partial = pay(uow, "p1", "4.00", date(2026, 3, 12), gateway="card", transaction_id="tx1")
    assert partial.services == ()  # 6.00 still due: no renewal
    before = snapshot(uow)
    with pytest.raises(ConflictError):
        pay(uow, "p2", "6.00", date(2026, 3, 12), gateway="card", transaction_id="tx1")
    assert snapshot(uow) == before


def test_add_credit_refuses_another_currency_and_a_negative_balance(uow):
    seed(uow, [client("c1")])
    at = datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(CurrencyMismatchError):
        add_credit(uow, AddCredit("c1", to_money("1.00", "EUR"), "e1", at))
    with pytest.raises(ValidationError):
        add_credit(uow, AddCredit("c1", to_money("-1.00", "USD"), "e1", at))
    with uow() as work:
        assert work.credit.list() == ()


def test_the_run_lifts_a_lockout_once_nothing_is_due_unpaid(uow):
    from hostbill_core.invoicing.lifecycle import cancel

    locking = BillingSettings(
        sequence=RenewalSequence(steps=(ExpiryStep(3, (ExpiryAction.LOCKOUT,)),))
    )
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28))])
    run_billing(uow, date(2026, 3, 5), locking)  # invoiced 14 Feb, locked out 3 Mar
    with uow() as work:  # staff cancel the renewal invoice instead of chasing it
        (invoice,) = work.invoices.list()
        work.invoices.save(cancel(invoice).invoice)
        work.commit()
    report = run_billing(uow, date(2026, 3, 6), locking)
    assert [e.name for e in report.events] == ["client.unlocked"]
    with uow() as work:
        assert not work.billing_states.get("c1").locked_out
    assert run_billing(uow, date(2026, 3, 6), locking).clients == ()
