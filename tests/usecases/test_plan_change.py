"""Plan changes: immediate upgrade invoiced, downgrade credited, end of term scheduled."""

from datetime import date

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.model import ServiceStatus
from hostbill_core.money import to_money
from hostbill_core.pricing import ChangeSettings, ChangeTiming
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.plan_change import ChangePlan, change_plan

from .billing_shop import client, seed, service, snapshot

SETTINGS = BillingSettings()


def paid_shop(uow, plan="basic"):
    # Paid through [1 Apr, 1 May): next due 1 May, anchor 1 Mar.
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 3, 1), date(2026, 5, 1), plan=plan)])


def test_an_immediate_upgrade_invoices_the_difference_for_the_rest_of_the_period(uow):
    paid_shop(uow)
    result = change_plan(uow, ChangePlan("s1", "pro", MONTHLY, date(2026, 4, 16)), SETTINGS)
    # 15 of 30 days of [1 Apr, 1 May) remain: credit −(10.00 × 1/2) = −5.00,
    # charge 20.00 × 1/2 = 10.00; net 5.00 invoiced now. The due date stays 1 May.
    assert result.invoice.total == to_money("5.00", "USD")
    assert (result.service.plan_id, result.service.next_due_date) == ("pro", date(2026, 5, 1))
    # The next renewal is priced at the new plan.
    report = run_billing(uow, date(2026, 4, 20), SETTINGS)
    assert [i.total for i in report.invoices] == [to_money("20.00", "USD")]


def test_an_immediate_downgrade_goes_to_the_credit_balance(uow):
    paid_shop(uow, plan="pro")
    result = change_plan(uow, ChangePlan("s1", "basic", MONTHLY, date(2026, 4, 16)), SETTINGS)
    # credit −(20.00 × 1/2) = −10.00, charge 10.00 × 1/2 = 5.00: net −5.00 to credit.
    assert result.invoice is None
    assert result.credit.amount == to_money("5.00", "USD")
    # The next renewal (10.00, invoiced 17 Apr) takes the 5.00 credit: 5.00 left to pay.
    (invoice,) = run_billing(uow, date(2026, 4, 20), SETTINGS).invoices
    assert (invoice.total, invoice.credit_applied) == (
        to_money("10.00", "USD"), to_money("5.00", "USD"),
    )  # fmt: skip


def test_a_change_of_cycle_credits_the_rest_and_starts_a_new_series(uow):
    paid_shop(uow)
    result = change_plan(uow, ChangePlan("s1", "basic", ANNUALLY, date(2026, 4, 16)), SETTINGS)
    # unused 15/30 of 10.00 = 5.00 credited; the annual series starts 16 Apr, due at once.
    assert result.credit.amount == to_money("5.00", "USD")
    assert (result.service.anchor, result.service.next_due_date) == (
        date(2026, 4, 16), date(2026, 4, 16),
    )  # fmt: skip
    (invoice,) = run_billing(uow, date(2026, 4, 16), SETTINGS).invoices
    # 100.00 a year, 5.00 of credit applied.
    assert (invoice.total, invoice.credit_applied) == (
        to_money("100.00", "USD"), to_money("5.00", "USD"),
    )  # fmt: skip


def test_an_end_of_term_change_is_billed_from_the_next_due_date(uow):
    paid_shop(uow)
    end_of_term = ChangeSettings(timing=ChangeTiming.END_OF_TERM)
    result = change_plan(
        uow, ChangePlan("s1", "pro", MONTHLY, date(2026, 4, 16), end_of_term), SETTINGS
    )
    assert (result.scheduled.on, result.invoice) == (date(2026, 5, 1), None)
    report = run_billing(uow, date(2026, 4, 20), SETTINGS)  # the 1 May renewal: at Pro
    assert [i.total for i in report.invoices] == [to_money("20.00", "USD")]
    assert [a.kind.value for a in report.actions] == ["plan_change"]
    assert run_billing(uow, date(2026, 4, 20), SETTINGS).clients == ()


def test_refusals_store_nothing(uow):
    paid_shop(uow)
    seed_cancelled = service("s2", "c1", date(2026, 3, 1), status=ServiceStatus.CANCELLED)
    with uow() as work:
        work.services.add(seed_cancelled)
        work.commit()
    before = snapshot(uow)
    with pytest.raises(ValidationError):  # outside the paid period [1 Apr, 1 May)
        change_plan(uow, ChangePlan("s1", "pro", MONTHLY, date(2026, 5, 2)), SETTINGS)
    with pytest.raises(ValidationError):  # a plan of another product
        change_plan(uow, ChangePlan("s1", "com", ANNUALLY, date(2026, 4, 16)), SETTINGS)
    with pytest.raises(InvalidTransitionError):
        change_plan(uow, ChangePlan("s2", "pro", MONTHLY, date(2026, 4, 16)), SETTINGS)
    assert snapshot(uow) == before
