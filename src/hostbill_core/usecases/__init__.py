"""The application layer: each use case opens a unit of work, loads, calls engines, saves.

Billing run: :func:`run_billing` (:mod:`~hostbill_core.usecases.billing_run`), the daily job:
propose everything each client's history implies, reconcile with what exists, one unit of work
per client, with a dry run that reports exactly what the run would do.
Orders: :func:`place_order` and :func:`review_order` (:mod:`~hostbill_core.usecases.orders`).
Payments with renewals: :func:`pay_invoice`; plan changes: :func:`change_plan`; manual credit:
:func:`add_credit`; cancellations on request: :func:`cancel_service` and, daily,
:func:`cancel_due_services` (:mod:`~hostbill_core.usecases.cancellation`).
Payments: :mod:`~hostbill_core.usecases.payments` (one payment over several invoices).
Currency: :mod:`~hostbill_core.usecases.currency` (change a client's currency atomically).
Client lifecycle: :mod:`~hostbill_core.usecases.client_export` (GDPR data export),
:mod:`~hostbill_core.usecases.client_merge`, :mod:`~hostbill_core.usecases.client_anonymise`,
:mod:`~hostbill_core.usecases.client_status` (close, archive, soft delete) and
:mod:`~hostbill_core.usecases.profile` (profile edits with a change log and locked fields).
"""

from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.billing_report import (
    ActionKind,
    ActionTaken,
    BillingEvent,
    BillingRunReport,
    ClientFailure,
    ClientRun,
    IssuedInvoice,
)
from hostbill_core.usecases.billing_run import iter_billing_run, run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.cancellation import (
    CancellationMode,
    CancellationOutcome,
    DueCancellations,
    cancel_due_services,
    cancel_service,
)
from hostbill_core.usecases.orders import (
    OrderLine,
    OrderOutcome,
    PlaceOrder,
    ReviewDecision,
    ReviewOrder,
    place_order,
    review_order,
)
from hostbill_core.usecases.pay_invoice import PaymentOutcome, pay_invoice
from hostbill_core.usecases.plan_change import ChangePlan, PlanChangeResult, change_plan

__all__ = [
    "ActionKind",
    "ActionTaken",
    "AddCredit",
    "BillingEvent",
    "BillingRunReport",
    "BillingSettings",
    "CancellationMode",
    "CancellationOutcome",
    "ChangePlan",
    "ClientFailure",
    "ClientRun",
    "DueCancellations",
    "IssuedInvoice",
    "OrderLine",
    "OrderOutcome",
    "PaymentOutcome",
    "PlaceOrder",
    "PlanChangeResult",
    "ReviewDecision",
    "ReviewOrder",
    "add_credit",
    "cancel_due_services",
    "cancel_service",
    "change_plan",
    "iter_billing_run",
    "pay_invoice",
    "place_order",
    "review_order",
    "run_billing",
]
