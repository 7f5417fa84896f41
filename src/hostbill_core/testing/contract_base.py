"""What the contract suite's tests share: small sample models and the store fixture.

:class:`ContractBase` declares the ``new_uow`` fixture every adapter's test class provides and
a helper that stores aggregates in one committed unit of work; the ``sample_*`` builders make
the small valid models the tests store (users may take them for their own adapter tests).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hostbill_core.calendar import MONTHLY
from hostbill_core.model import (
    Client,
    ClientId,
    ContactDetails,
    Invoice,
    InvoiceId,
    InvoiceLine,
    LineKind,
    PlanId,
    ProductId,
    Service,
    ServiceId,
)
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory

__all__ = ["ContractBase", "sample_client", "sample_invoice", "sample_service"]


def sample_client(id: str = "client-1", currency: str = "EUR") -> Client:
    """A small valid client."""
    return Client(
        ClientId(id), ContactDetails("Ann Example", "ann@example.com"), currency, date(2026, 1, 1)
    )


def sample_service(id: str = "service-1", client_id: str = "client-1") -> Service:
    """A monthly service anchored on 31 January 2026."""
    return Service(
        ServiceId(id),
        ClientId(client_id),
        ProductId("hosting"),
        PlanId("hosting-basic"),
        MONTHLY,
        date(2026, 1, 31),
        date(2026, 2, 28),
    )


def sample_invoice(id: str = "invoice-1", key: str = "service-1/2026-02-28/renewal") -> Invoice:
    """An unpaid EUR invoice with one keyed renewal line."""
    line = InvoiceLine("Hosting", to_money("10.00", "EUR"), LineKind.RENEWAL, key=key)
    return Invoice(InvoiceId(id), ClientId("client-1"), "EUR", date(2026, 2, 28), (line,))


class ContractBase:
    """The fixture and helper the contract's test classes share."""

    @pytest.fixture
    def new_uow(self) -> UnitOfWorkFactory:
        """Override: a factory of units of work over one fresh, empty store."""
        raise NotImplementedError("define a new_uow fixture in your subclass")

    def _add(self, new_uow: UnitOfWorkFactory, repo: str, *items: Any) -> list[Any]:
        with new_uow() as uow:
            stored = [getattr(uow, repo).add(item) for item in items]
            uow.commit()
        return stored
