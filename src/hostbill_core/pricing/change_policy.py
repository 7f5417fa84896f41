"""The business's plan-change policy: when a change takes effect and where its money goes.

:func:`settle_plan_change` takes one :class:`PlanChangeRequest` (the paid period, the change
date, the old and new price, cycle and setup fee, and the :class:`ChangeSettings`) and returns
one :class:`PlanChangeOutcome`: the lines to bill, their net, and how the net is settled.

* ``IMMEDIATE`` (default): the rest of the period is credited at the old price and charged at
  the new one (:func:`~hostbill_core.pricing.change_plan`); the due date does not move. A change
  of cycle (monthly → annual) starts a new anchor on the change date and charges the full new
  cycle less the credit.
* ``END_OF_TERM``: nothing is prorated; the new plan starts when the paid period ends.
* A net charge is invoiced. A net credit (a downgrade) goes to the client's credit balance
  (default), is refunded, or is dropped, as the business chooses.
* Optionally an upgrade also charges the difference of the setup fees, when the new one is
  higher.

>>> from datetime import date
>>> from hostbill_core.calendar import ANNUALLY, MONTHLY, Period
>>> from hostbill_core.money import to_money
>>> outcome = settle_plan_change(PlanChangeRequest(
...     Period(date(2026, 4, 1), date(2026, 5, 1)), date(2026, 4, 16),
...     to_money("10.00", "USD"), MONTHLY, to_money("100.00", "USD"), ANNUALLY))
>>> [(line.kind.value, str(line.amount.amount)) for line in outcome.lines]
[('credit', '-5.00'), ('charge', '100.00')]
>>> outcome.net, outcome.settlement.value, outcome.new_anchor, outcome.next_due_date
(Money('95.00', 'USD'), 'invoice', datetime.date(2026, 4, 16), datetime.date(2027, 4, 16))
"""

from __future__ import annotations

import enum
from datetime import date

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle, Period, due_date
from hostbill_core.errors import CurrencyMismatchError, ValidationError
from hostbill_core.money import RoundingPolicy, sum_money, zero
from hostbill_core.pricing._exact import arithmetic, exponent_of
from hostbill_core.pricing.plan_change import change_plan
from hostbill_core.pricing.proration import ACTUAL_DAYS, ProrationConvention, prorate

__all__ = [
    "ChangeSettings",
    "ChangeTiming",
    "DowngradeCredit",
    "PlanChangeLine",
    "PlanChangeLineKind",
    "PlanChangeOutcome",
    "PlanChangeRequest",
    "Settlement",
    "settle_plan_change",
]


class ChangeTiming(enum.Enum):
    """When a plan change takes effect."""

    IMMEDIATE = "immediate"
    END_OF_TERM = "end_of_term"


class DowngradeCredit(enum.Enum):
    """What happens to the net credit of a downgrade."""

    CREDIT_BALANCE = "credit_balance"
    REFUND = "refund"
    DROP = "drop"


class Settlement(enum.Enum):
    """How the net of a change is settled."""

    INVOICE = "invoice"
    CREDIT_BALANCE = "credit_balance"
    REFUND = "refund"
    DROPPED = "dropped"
    NOTHING = "nothing"


class PlanChangeLineKind(enum.Enum):
    """What a line of a plan change is."""

    CREDIT = "credit"
    CHARGE = "charge"
    SETUP_DIFFERENCE = "setup_difference"


@attrs.frozen
class ChangeSettings:
    """The business's plan-change settings.

    Attributes:
        timing: immediate (prorated) or at the end of the paid term.
        downgrade: where a net credit goes: the credit balance, a refund, or nowhere.
        charge_setup_difference: an upgrade also charges new setup fee − old setup fee.
        convention: how the rest of the period is measured (actual days unless told).
        policy: the rounding of every amount (ROUND_HALF_UP unless told).
    """

    timing: ChangeTiming = ChangeTiming.IMMEDIATE
    downgrade: DowngradeCredit = DowngradeCredit.CREDIT_BALANCE
    charge_setup_difference: bool = False
    convention: ProrationConvention = ACTUAL_DAYS
    policy: RoundingPolicy = RoundingPolicy()


@attrs.frozen
class PlanChangeRequest:
    """A service's change of plan (and perhaps of cycle) on a date within its paid period.

    Attributes:
        period: the paid period of the old plan the change falls in.
        on: the change date.
        old_price: the old plan's price per ``old_cycle``.
        old_cycle: the old billing cycle.
        new_price: the new plan's price per ``new_cycle``.
        new_cycle: the new billing cycle.
        old_setup_fee: the old plan's setup fee (None: zero).
        new_setup_fee: the new plan's setup fee (None: zero).
        settings: the business's change policy.
    """

    period: Period
    on: date
    old_price: Money
    old_cycle: BillingCycle
    new_price: Money
    new_cycle: BillingCycle
    old_setup_fee: Money | None = None
    new_setup_fee: Money | None = None
    settings: ChangeSettings = ChangeSettings()


@attrs.frozen
class PlanChangeLine:
    """One line a plan change bills: a credit (negative), a charge, or a setup difference."""

    kind: PlanChangeLineKind
    amount: Money
    explanation: str


@attrs.frozen
class PlanChangeOutcome:
    """What a plan change bills and how its net is settled.

    Attributes:
        effective_on: the day the new plan starts (and the lines are billed).
        lines: the credit, charge and setup-difference lines (zero lines are left out).
        net: the exact sum of the lines.
        settlement: invoice a net charge; a net credit per the downgrade setting.
        settled_amount: the amount invoiced, credited, refunded or dropped (zero or more).
        new_anchor: the service's new anchor when the cycle changes, else None.
        next_due_date: the service's next due date after the change.
        explanation: the derivation of every line and of the settlement.
    """

    effective_on: date
    lines: tuple[PlanChangeLine, ...]
    net: Money
    settlement: Settlement
    settled_amount: Money
    new_anchor: date | None
    next_due_date: date
    explanation: str


def settle_plan_change(request: PlanChangeRequest) -> PlanChangeOutcome:
    """Apply the change policy to one plan change; see the module docstring.

    Raises:
        CurrencyMismatchError: prices or setup fees in more than one currency.
        ValidationError: a negative price or fee, or a change date outside the period.
    """
    code = _currency(request)
    settings = request.settings
    if settings.timing is ChangeTiming.END_OF_TERM:
        effective, anchor, next_due = _end_of_term(request)
        lines: list[PlanChangeLine] = []
    elif request.old_cycle == request.new_cycle:
        effective, anchor, next_due = request.on, None, request.period.end
        lines = _same_cycle(request)
    else:
        effective, anchor = request.on, request.on
        next_due = due_date(request.on, request.new_cycle, 1)
        lines = _new_cycle(request, Period(request.on, next_due))
    lines.extend(_setup_difference(request, code))
    kept = tuple(line for line in lines if line.amount.amount != 0)
    net = sum_money((line.amount for line in kept), code)
    settlement, settled = _settle(net, settings.downgrade)
    steps = [f"{line.kind.value} {line.amount.amount}: {line.explanation}" for line in kept]
    explanation = "; ".join(
        [
            f"{settings.timing.value} change effective {effective.isoformat()}",
            *steps,
            f"net {net.amount} {code} → {settlement.value} {settled.amount}",
        ]
    )
    return PlanChangeOutcome(
        effective, kept, net, settlement, settled, anchor, next_due, explanation
    )


def _currency(request: PlanChangeRequest) -> str:
    code = request.old_price.currency.code if isinstance(request.old_price, Money) else ""
    amounts = {
        "old_price": request.old_price,
        "new_price": request.new_price,
        "old_setup_fee": request.old_setup_fee,
        "new_setup_fee": request.new_setup_fee,
    }
    for field, amount in amounts.items():
        if amount is None:
            continue
        if not isinstance(amount, Money) or amount.amount < 0:
            raise ValidationError(field, amount, "a price or fee is a Money of zero or more")
        if amount.currency.code != code:
            raise CurrencyMismatchError(code, amount.currency.code, field)
    return code


def _end_of_term(request: PlanChangeRequest) -> tuple[date, date | None, date]:
    end = request.period.end
    if not request.period.start <= request.on <= end:
        raise ValidationError("on", request.on, f"the change date must lie within {request.period}")
    return end, (end if request.old_cycle != request.new_cycle else None), end


def _same_cycle(request: PlanChangeRequest) -> list[PlanChangeLine]:
    settings = request.settings
    change = change_plan(
        request.old_price,
        request.new_price,
        request.period,
        request.on,
        convention=settings.convention,
        policy=settings.policy,
    )
    why = change.explanation
    return [
        PlanChangeLine(PlanChangeLineKind.CREDIT, change.credit, why),
        PlanChangeLine(PlanChangeLineKind.CHARGE, change.charge, why),
    ]


def _new_cycle(request: PlanChangeRequest, new_period: Period) -> list[PlanChangeLine]:
    settings = request.settings
    share = settings.convention.remaining(request.period, request.on)
    credit = -prorate(request.old_price, share, settings.policy)
    rest = settings.convention.describe(request.period, request.on)
    exponent = exponent_of(request.old_price.currency)
    return [
        PlanChangeLine(
            PlanChangeLineKind.CREDIT,
            credit,
            f"unused {rest} at {request.old_price.amount} per {request.old_cycle}: "
            f"−({arithmetic(request.old_price.amount, share, -credit.amount, exponent)}) "
            f"({settings.policy.mode})",
        ),
        PlanChangeLine(
            PlanChangeLineKind.CHARGE,
            request.new_price,
            f"new cycle {request.new_cycle} anchored on {request.on.isoformat()}: "
            f"full period {new_period} at {request.new_price.amount}",
        ),
    ]


def _setup_difference(request: PlanChangeRequest, code: str) -> list[PlanChangeLine]:
    if not request.settings.charge_setup_difference:
        return []
    old = request.old_setup_fee or zero(code)
    new = request.new_setup_fee or zero(code)
    if new <= old:
        return []
    return [
        PlanChangeLine(
            PlanChangeLineKind.SETUP_DIFFERENCE,
            new - old,
            f"setup fee difference {new.amount} − {old.amount} = {(new - old).amount}",
        )
    ]


def _settle(net: Money, downgrade: DowngradeCredit) -> tuple[Settlement, Money]:
    if net.amount > 0:
        return Settlement.INVOICE, net
    if net.amount == 0:
        return Settlement.NOTHING, net
    settled = -net
    if downgrade is DowngradeCredit.REFUND:
        return Settlement.REFUND, settled
    if downgrade is DowngradeCredit.DROP:
        return Settlement.DROPPED, settled
    return Settlement.CREDIT_BALANCE, settled
