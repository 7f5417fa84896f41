from datetime import date

import pytest

from hostbill_core.calendar import ANNUALLY, MONTHLY, QUARTERLY, Period
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import to_money
from hostbill_core.pricing import NO_PRORATION
from hostbill_core.pricing.change_policy import (
    ChangeSettings,
    ChangeTiming,
    DowngradeCredit,
    PlanChangeLineKind,
    PlanChangeRequest,
    Settlement,
    settle_plan_change,
)

APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))  # 30 days
MID_APRIL = date(2026, 4, 16)  # 15 of 30 days remain
DEFAULTS = ChangeSettings()


def usd(amount: str):
    return to_money(amount, "USD")


def request(
    old: str, new: str, *, settings: ChangeSettings = DEFAULTS, **kw: object
) -> PlanChangeRequest:
    fields = {"old_cycle": MONTHLY, "new_cycle": MONTHLY, **kw}
    return PlanChangeRequest(
        APRIL, MID_APRIL, usd(old), new_price=usd(new), settings=settings, **fields
    )  # type: ignore[arg-type]


def test_immediate_upgrade_is_invoiced_and_keeps_the_due_date():
    # credit −5.00, charge 10.00 → net 5.00 invoiced; still due 1 May
    outcome = settle_plan_change(request("10.00", "20.00"))
    assert [(line.kind, line.amount) for line in outcome.lines] == [
        (PlanChangeLineKind.CREDIT, usd("-5.00")),
        (PlanChangeLineKind.CHARGE, usd("10.00")),
    ]
    assert (outcome.settlement, outcome.settled_amount) == (Settlement.INVOICE, usd("5.00"))
    assert outcome.effective_on == MID_APRIL
    assert outcome.next_due_date == date(2026, 5, 1)
    assert outcome.new_anchor is None
    assert outcome.explanation.endswith("net 5.00 USD → invoice 5.00")


@pytest.mark.parametrize(
    ("setting", "settlement"),
    [
        (DowngradeCredit.CREDIT_BALANCE, Settlement.CREDIT_BALANCE),
        (DowngradeCredit.REFUND, Settlement.REFUND),
        (DowngradeCredit.DROP, Settlement.DROPPED),
    ],
)
def test_downgrade_credit_goes_where_the_business_says(
    setting: DowngradeCredit, settlement: Settlement
):
    # credit −(20.00 × 1/2) = −10.00, charge 10.00 × 1/2 = 5.00 → net −5.00: never taken as money
    outcome = settle_plan_change(
        request("20.00", "10.00", settings=ChangeSettings(downgrade=setting))
    )
    assert outcome.net == usd("-5.00")
    assert (outcome.settlement, outcome.settled_amount) == (settlement, usd("5.00"))


def test_monthly_to_annual_starts_a_new_anchor_and_charges_the_full_year_less_the_credit():
    # credit −(10.00 × 15/30) = −5.00; charge the full year [04-16, 2027-04-16) 100.00 → 95.00
    outcome = settle_plan_change(request("10.00", "100.00", new_cycle=ANNUALLY))
    assert [line.amount for line in outcome.lines] == [usd("-5.00"), usd("100.00")]
    assert outcome.net == usd("95.00")
    assert outcome.new_anchor == MID_APRIL
    assert outcome.next_due_date == date(2027, 4, 16)
    assert "full period [2026-04-16, 2027-04-16)" in outcome.explanation


def test_annual_to_monthly_downgrade_credits_the_unused_year():
    # Paid year [2026-01-01, 2027-01-01) (365 days), change 2026-07-02: 183 days remain.
    # credit −(120.00 × 183/365 = 60.164…) = −60.16, charge a month 10.00 → net −50.16 to credit
    year = Period(date(2026, 1, 1), date(2027, 1, 1))
    outcome = settle_plan_change(
        PlanChangeRequest(year, date(2026, 7, 2), usd("120.00"), ANNUALLY, usd("10.00"), MONTHLY)
    )
    assert outcome.net == usd("-50.16")
    assert (outcome.settlement, outcome.settled_amount) == (Settlement.CREDIT_BALANCE, usd("50.16"))
    assert outcome.next_due_date == date(2026, 8, 2)


def test_jpy_cycle_change_to_quarterly():
    # 3000 JPY/month → 8000 JPY/quarter on 16 April: credit −1500, charge 8000 → 6500;
    # next due 16 July
    outcome = settle_plan_change(
        PlanChangeRequest(
            APRIL, MID_APRIL, to_money("3000", "JPY"), MONTHLY, to_money("8000", "JPY"), QUARTERLY
        )
    )
    assert outcome.net == to_money("6500", "JPY")
    assert outcome.next_due_date == date(2026, 7, 16)


def test_end_of_term_change_bills_nothing_now():
    outcome = settle_plan_change(
        request("10.00", "20.00", settings=ChangeSettings(timing=ChangeTiming.END_OF_TERM))
    )
    assert outcome.lines == ()
    assert outcome.effective_on == date(2026, 5, 1)
    assert (outcome.settlement, outcome.net) == (Settlement.NOTHING, usd("0"))
    assert outcome.new_anchor is None


def test_end_of_term_cycle_change_anchors_on_the_term_end():
    settings = ChangeSettings(timing=ChangeTiming.END_OF_TERM)
    outcome = settle_plan_change(request("10.00", "100.00", new_cycle=ANNUALLY, settings=settings))
    assert outcome.new_anchor == date(2026, 5, 1)
    assert outcome.next_due_date == date(2026, 5, 1)


def test_setup_fee_difference_on_upgrade_when_enabled():
    # net 5.00 + setup difference 25.00 − 5.00 = 20.00 → 25.00
    settings = ChangeSettings(charge_setup_difference=True)
    outcome = settle_plan_change(
        request(
            "10.00",
            "20.00",
            old_setup_fee=usd("5.00"),
            new_setup_fee=usd("25.00"),
            settings=settings,
        )
    )
    assert outcome.lines[-1].kind is PlanChangeLineKind.SETUP_DIFFERENCE
    assert outcome.lines[-1].amount == usd("20.00")
    assert outcome.net == usd("25.00")


def test_setup_fee_difference_is_off_by_default_and_never_negative():
    plain = settle_plan_change(
        request("10.00", "20.00", old_setup_fee=usd("5.00"), new_setup_fee=usd("25.00"))
    )
    assert plain.net == usd("5.00")
    lower = settle_plan_change(
        request(
            "10.00",
            "20.00",
            old_setup_fee=usd("25.00"),
            new_setup_fee=usd("5.00"),
            settings=ChangeSettings(charge_setup_difference=True),
        )
    )
    assert lower.net == usd("5.00")


def test_no_proration_setting_changes_nothing_now():
    outcome = settle_plan_change(
        request("10.00", "20.00", settings=ChangeSettings(convention=NO_PRORATION))
    )
    assert outcome.lines == ()
    assert outcome.settlement is Settlement.NOTHING


def test_mixed_currencies_are_refused():
    with pytest.raises(CurrencyMismatchError) as caught:
        settle_plan_change(request("10.00", "20.00", new_setup_fee=to_money("1", "EUR")))
    assert caught.value.context == "new_setup_fee"


def test_negative_fee_is_refused():
    with pytest.raises(ValidationError, match="zero or more") as caught:
        settle_plan_change(request("10.00", "20.00", old_setup_fee=usd("-1.00")))
    assert caught.value.field == "old_setup_fee"


def test_end_of_term_change_date_outside_the_period_is_refused():
    settings = ChangeSettings(timing=ChangeTiming.END_OF_TERM)
    with pytest.raises(ValidationError, match="within"):
        settle_plan_change(
            PlanChangeRequest(
                APRIL, date(2026, 6, 1), usd("1"), MONTHLY, usd("2"), MONTHLY, settings=settings
            )
        )
