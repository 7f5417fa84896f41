"""Typed identifiers: each aggregate's id is its own ``NewType`` over ``str``.

A mypy-checked ``ServiceId`` cannot be passed where a ``ClientId`` is expected, although both
are plain strings at run time and in storage.
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "ClientId",
    "ContactId",
    "CreditEntryId",
    "InvoiceId",
    "OrderId",
    "PaymentId",
    "PlanId",
    "ProductId",
    "QuoteId",
    "ServiceGroupId",
    "ServiceId",
]

ClientId = NewType("ClientId", str)
ContactId = NewType("ContactId", str)
ProductId = NewType("ProductId", str)
PlanId = NewType("PlanId", str)
ServiceId = NewType("ServiceId", str)
ServiceGroupId = NewType("ServiceGroupId", str)
OrderId = NewType("OrderId", str)
InvoiceId = NewType("InvoiceId", str)
PaymentId = NewType("PaymentId", str)
CreditEntryId = NewType("CreditEntryId", str)
QuoteId = NewType("QuoteId", str)
