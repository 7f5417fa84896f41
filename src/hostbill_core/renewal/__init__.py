"""The renewal engine: billing periods, due dates, the renewal sequence and domain renewals.

Every function here is pure: services, settings and dates come in as arguments, and results
carry an ``explanation`` of every date they produce.
"""

from hostbill_core.renewal.periods import BilledPeriod, billing_periods

__all__ = ["BilledPeriod", "billing_periods"]
