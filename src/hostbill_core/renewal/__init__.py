"""The renewal engine: billing periods, due dates, the renewal sequence and domain renewals.

Every function here is pure: services, settings and dates come in as arguments, and results
carry an ``explanation`` of every date they produce.
"""

from hostbill_core.renewal.contracts import (
    Contract,
    ContractAssignment,
    UncontractedService,
    assign_contract,
    services_without_contract,
)
from hostbill_core.renewal.domains import (
    DomainPrice,
    DomainRenewal,
    DomainRenewalLine,
    DomainRenewalQuote,
    DomainRenewalRequest,
    DomainState,
    DomainTerms,
    apply_domain_renewal,
    quote_domain_renewals,
)
from hostbill_core.renewal.forecast import PriceSource, UpcomingRenewal, upcoming_renewals
from hostbill_core.renewal.lifecycle import (
    EventKind,
    LifecycleEvent,
    actions_due,
    apply_expiry_actions,
    lifecycle_calendar,
    next_event_on,
)
from hostbill_core.renewal.periods import BilledPeriod, billing_periods
from hostbill_core.renewal.renew import (
    RENEWABLE,
    RenewalPayment,
    RenewalResult,
    renew_on_payment,
)
from hostbill_core.renewal.schedule import (
    due_index,
    first_index_on_or_after,
    next_due_after,
    next_due_dates,
    service_due_date,
)
from hostbill_core.renewal.sequence import (
    MAX_EXPIRY_DAY,
    ExpiryAction,
    ExpiryStep,
    RenewalSequence,
)
from hostbill_core.renewal.settings import DEFAULT_LEAD_DAYS, RenewalContext, RenewalSettings
from hostbill_core.renewal.states import (
    TRANSITIONS,
    activate,
    allowed_targets,
    cancel,
    clear_fraud,
    mark_fraud,
    suspend,
    terminate,
    transition,
    unsuspend,
)

__all__ = [
    "DEFAULT_LEAD_DAYS",
    "MAX_EXPIRY_DAY",
    "RENEWABLE",
    "TRANSITIONS",
    "BilledPeriod",
    "Contract",
    "ContractAssignment",
    "DomainPrice",
    "DomainRenewal",
    "DomainRenewalLine",
    "DomainRenewalQuote",
    "DomainRenewalRequest",
    "DomainState",
    "DomainTerms",
    "EventKind",
    "ExpiryAction",
    "ExpiryStep",
    "LifecycleEvent",
    "PriceSource",
    "RenewalContext",
    "RenewalPayment",
    "RenewalResult",
    "RenewalSequence",
    "RenewalSettings",
    "UncontractedService",
    "UpcomingRenewal",
    "actions_due",
    "activate",
    "allowed_targets",
    "apply_domain_renewal",
    "apply_expiry_actions",
    "assign_contract",
    "billing_periods",
    "cancel",
    "clear_fraud",
    "due_index",
    "first_index_on_or_after",
    "lifecycle_calendar",
    "mark_fraud",
    "next_due_after",
    "next_due_dates",
    "next_event_on",
    "quote_domain_renewals",
    "renew_on_payment",
    "service_due_date",
    "services_without_contract",
    "suspend",
    "terminate",
    "transition",
    "unsuspend",
    "upcoming_renewals",
]
