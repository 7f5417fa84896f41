"""The models: frozen attrs classes with typed ids; change one with ``attrs.evolve``.

Aggregates that are saved and changed (clients, contacts, products, plans, services, service
groups, orders, invoices, payments, credit entries, quotes) carry a ``version``: 0 until first
stored, then the version the store holds (see :mod:`hostbill_core.ports`).
"""

from hostbill_core.model.access import (
    Grant,
    Invitation,
    InvitationId,
    InvitationStatus,
    StorefrontUser,
    StorefrontUserId,
    StorefrontUserStatus,
)
from hostbill_core.model.billing import BillingState, ScheduledChange
from hostbill_core.model.cancellations import CancellationRequest
from hostbill_core.model.catalogue import PaymentType, PriceEntry, PricePlan, Product, ProductType
from hostbill_core.model.changes import ProfileChange
from hostbill_core.model.clients import (
    AccountType,
    Address,
    Client,
    ClientSettings,
    ClientStatus,
    ContactDetails,
    PaymentMethod,
)
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import (
    ClientId,
    ContactId,
    CreditEntryId,
    InvoiceId,
    OrderId,
    PaymentId,
    PlanId,
    ProductId,
    QuoteId,
    ServiceGroupId,
    ServiceId,
)
from hostbill_core.model.invoices import (
    ClientSnapshot,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    TaxAmount,
)
from hostbill_core.model.ledger import Allocation, CreditEntry, CreditReason, Payment
from hostbill_core.model.orders import Order, OrderItem, OrderStatus
from hostbill_core.model.promotions import PromotionRedemption
from hostbill_core.model.quotes import Quote, QuoteLine, QuoteStatus
from hostbill_core.model.services import Service, ServiceGroup, ServiceStatus

__all__ = [
    "AccountType",
    "Address",
    "Allocation",
    "BillingState",
    "CancellationRequest",
    "Client",
    "ClientId",
    "ClientSettings",
    "ClientSnapshot",
    "ClientStatus",
    "Contact",
    "ContactDetails",
    "ContactId",
    "CreditEntry",
    "CreditEntryId",
    "CreditReason",
    "Grant",
    "Invitation",
    "InvitationId",
    "InvitationStatus",
    "Invoice",
    "InvoiceId",
    "InvoiceLine",
    "InvoiceStatus",
    "LineKind",
    "Order",
    "OrderId",
    "OrderItem",
    "OrderStatus",
    "Payment",
    "PaymentId",
    "PaymentMethod",
    "PaymentType",
    "PlanId",
    "PriceEntry",
    "PricePlan",
    "Product",
    "ProductId",
    "ProductType",
    "ProfileChange",
    "PromotionRedemption",
    "Quote",
    "QuoteId",
    "QuoteLine",
    "QuoteStatus",
    "ScheduledChange",
    "Service",
    "ServiceGroup",
    "ServiceGroupId",
    "ServiceId",
    "ServiceStatus",
    "StorefrontUser",
    "StorefrontUserId",
    "StorefrontUserStatus",
    "TaxAmount",
]
