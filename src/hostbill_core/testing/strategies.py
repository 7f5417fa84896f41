"""Hypothesis strategies for hostbill_core's primitives and models, for your tests and ours.

One import for all of them; they live in three modules by subject:
:mod:`~hostbill_core.testing.value_strategies` (currencies, money, dates, cycles, periods,
identifiers), :mod:`~hostbill_core.testing.client_strategies` (clients, contacts, grants,
invitations, storefront users, billing states) and
:mod:`~hostbill_core.testing.billing_strategies` (products, plans, services, groups, orders,
invoices, payments, credit entries, queued items, refunds, quotes).

Every strategy draws valid values (they pass the models' validators); amounts are exact and,
unless asked otherwise, already at their currency's minor unit.

>>> from hypothesis import given
>>> @given(money(currency="JPY"))
... def test_whole_yen(m):
...     assert m.amount == m.amount.to_integral_value()
>>> test_whole_yen()
"""

from __future__ import annotations

from hostbill_core.testing.billing_strategies import (
    credit_entries,
    invoices,
    orders,
    payments,
    price_plans,
    products,
    queued_items,
    quotes,
    refunds,
    service_groups,
    services,
)
from hostbill_core.testing.client_strategies import (
    billing_states,
    clients,
    contacts,
    grants,
    invitations,
    storefront_users,
)
from hostbill_core.testing.value_strategies import (
    CURRENCIES,
    aware_datetimes,
    billing_cycles,
    calendar_dates,
    currencies,
    emails,
    identifiers,
    money,
    periods,
    short_texts,
)

__all__ = [
    "CURRENCIES",
    "aware_datetimes",
    "billing_cycles",
    "billing_states",
    "calendar_dates",
    "clients",
    "contacts",
    "credit_entries",
    "currencies",
    "emails",
    "grants",
    "identifiers",
    "invitations",
    "invoices",
    "money",
    "orders",
    "payments",
    "periods",
    "price_plans",
    "products",
    "queued_items",
    "quotes",
    "refunds",
    "service_groups",
    "services",
    "short_texts",
    "storefront_users",
]
