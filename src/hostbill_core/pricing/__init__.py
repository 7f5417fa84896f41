"""The pricing engine: price resolution, proration, plan changes, discounts, tax, currency change.

Every function here is pure: the date, the rates and the settings come in as arguments, and
every amount comes back with its derivation (an ``explanation``). Amounts are computed exactly
and rounded once, where the docstring says, with a named
:class:`~hostbill_core.money.RoundingPolicy` (ROUND_HALF_UP unless told).

The order money flows in: price (:func:`price_for`) → proration (:func:`prorate`,
:func:`charge`, :func:`change_plan`) → discounts (:func:`apply_discounts`: client discount,
then promotion) → tax (:func:`tax_lines`).
"""

from hostbill_core.pricing.alignment import AlignedStart, align_to_billing_day
from hostbill_core.pricing.change_policy import (
    ChangeSettings,
    ChangeTiming,
    DowngradeCredit,
    PlanChangeLine,
    PlanChangeLineKind,
    PlanChangeOutcome,
    PlanChangeRequest,
    Settlement,
    settle_plan_change,
)
from hostbill_core.pricing.charges import Charge, ChargeLine, charge
from hostbill_core.pricing.currency_change import (
    AmountChange,
    Basis,
    CurrencyChangeMode,
    CurrencyChangePlan,
    CurrencyChangeRequest,
    inverse_request,
    plan_currency_change,
)
from hostbill_core.pricing.discounts import (
    AmountOff,
    ClientDiscount,
    DiscountedPrice,
    DiscountLine,
    DiscountRequest,
    PercentOff,
    Promotion,
    PromotionTerm,
    apply_discounts,
    redeem,
)
from hostbill_core.pricing.plan_change import PlanChange, change_plan
from hostbill_core.pricing.proration import (
    ACTUAL_DAYS,
    BY_SECOND,
    NO_PRORATION,
    ProrationConvention,
    ProrationMethod,
    prorate,
)
from hostbill_core.pricing.resolve import ResolvedPrice, price_for
from hostbill_core.pricing.tax import TaxedInvoice, TaxedLine, tax_lines
from hostbill_core.pricing.tax_rules import (
    EU_MEMBER_STATES,
    REVERSE_CHARGE_NOTE,
    TaxCustomer,
    TaxDecision,
    TaxRounding,
    TaxRule,
    TaxSettings,
    applicable_taxes,
)

__all__ = [
    "ACTUAL_DAYS",
    "BY_SECOND",
    "EU_MEMBER_STATES",
    "NO_PRORATION",
    "REVERSE_CHARGE_NOTE",
    "AlignedStart",
    "AmountChange",
    "AmountOff",
    "Basis",
    "ChangeSettings",
    "ChangeTiming",
    "Charge",
    "ChargeLine",
    "ClientDiscount",
    "CurrencyChangeMode",
    "CurrencyChangePlan",
    "CurrencyChangeRequest",
    "DiscountLine",
    "DiscountRequest",
    "DiscountedPrice",
    "DowngradeCredit",
    "PercentOff",
    "PlanChange",
    "PlanChangeLine",
    "PlanChangeLineKind",
    "PlanChangeOutcome",
    "PlanChangeRequest",
    "Promotion",
    "PromotionTerm",
    "ProrationConvention",
    "ProrationMethod",
    "ResolvedPrice",
    "Settlement",
    "TaxCustomer",
    "TaxDecision",
    "TaxRounding",
    "TaxRule",
    "TaxSettings",
    "TaxedInvoice",
    "TaxedLine",
    "align_to_billing_day",
    "applicable_taxes",
    "apply_discounts",
    "change_plan",
    "charge",
    "inverse_request",
    "plan_currency_change",
    "price_for",
    "prorate",
    "redeem",
    "settle_plan_change",
    "tax_lines",
]
