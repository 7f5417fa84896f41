"""The built-in fraud signals, and the :class:`Signal` protocol custom ones follow.

Each built-in signal is a frozen value carrying its own settings; :data:`BUILTIN_SIGNALS`
lists their classes by name, in the order a default configuration runs them.
"""

from __future__ import annotations

from collections.abc import Mapping

from hostbill_core.fraud.signals.base import Signal
from hostbill_core.fraud.signals.contact import POSTCODE_PATTERNS, ContactDetailsSignal
from hostbill_core.fraud.signals.customer import (
    AccountAgeSignal,
    FirstOrderValueSignal,
    order_total,
)
from hostbill_core.fraud.signals.email import EmailDomainSignal, builtin_domains
from hostbill_core.fraud.signals.external import ExternalScoreSignal
from hostbill_core.fraud.signals.geography import (
    AnonymiserSignal,
    CountryMismatchSignal,
    HighRiskCountrySignal,
)
from hostbill_core.fraud.signals.history import ACCEPTED_STATUSES, HistorySignal
from hostbill_core.fraud.signals.product import ProductRiskSignal
from hostbill_core.fraud.signals.velocity import VelocitySignal

__all__ = [
    "ACCEPTED_STATUSES",
    "BUILTIN_SIGNALS",
    "POSTCODE_PATTERNS",
    "AccountAgeSignal",
    "AnonymiserSignal",
    "ContactDetailsSignal",
    "CountryMismatchSignal",
    "EmailDomainSignal",
    "ExternalScoreSignal",
    "FirstOrderValueSignal",
    "HighRiskCountrySignal",
    "HistorySignal",
    "ProductRiskSignal",
    "Signal",
    "VelocitySignal",
    "builtin_domains",
    "order_total",
]

#: The built-in signal classes by name, in the default configuration's order.
BUILTIN_SIGNALS: Mapping[str, type[Signal]] = {
    cls.name: cls
    for cls in (
        ProductRiskSignal,
        CountryMismatchSignal,
        HighRiskCountrySignal,
        EmailDomainSignal,
        VelocitySignal,
        HistorySignal,
        AccountAgeSignal,
        FirstOrderValueSignal,
        ContactDetailsSignal,
        AnonymiserSignal,
        ExternalScoreSignal,
    )
}
