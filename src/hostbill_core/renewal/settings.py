"""Renewal settings: invoice lead time and the "continue invoicing while unpaid" switch.

Lead time resolves from the most specific place that sets it: the client's own setting
(:class:`~hostbill_core.model.ClientSettings`), then the product type's, then the business
default (14 days). The switch resolves the same way, client first, then the business default
(off).

>>> settings = RenewalSettings(lead_days_by_type={ProductType.DOMAIN: 30})
>>> settings.lead_days(ProductType.HOSTING), settings.lead_days(ProductType.DOMAIN)
(14, 30)
>>> settings.lead_days(ProductType.DOMAIN, ClientSettings(invoice_lead_days=7))
7
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model.catalogue import ProductType
from hostbill_core.model.clients import ClientSettings
from hostbill_core.model.ids import ClientId, ProductId
from hostbill_core.model.services import Service

__all__ = ["DEFAULT_LEAD_DAYS", "RenewalContext", "RenewalSettings"]

DEFAULT_LEAD_DAYS = 14
"""Days before a due date that its renewal invoice is issued, unless a setting says otherwise."""

_MAX_LEAD_DAYS = 366


def _lead(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_LEAD_DAYS:
        raise ValidationError(field, value, f"a lead time is 0 to {_MAX_LEAD_DAYS} days")
    return value


def _lead_days(value: object) -> int:
    return _lead("invoice_lead_days", value)


def _lead_table(value: Mapping[ProductType, int]) -> Mapping[ProductType, int]:
    table = {}
    for key, days in dict(value).items():
        if not isinstance(key, ProductType):
            raise ValidationError("lead_days_by_type", key, "keys are ProductType members")
        table[key] = _lead(f"lead_days_by_type[{key.value}]", days)
    return MappingProxyType(table)


@attrs.frozen(unsafe_hash=False)
class RenewalSettings:
    """The business's renewal settings.

    Attributes:
        invoice_lead_days: days before a due date that its invoice is issued (default 14).
        lead_days_by_type: lead days per product type, overriding the default.
        continue_invoicing_when_unpaid: issue the next renewal's invoice while an earlier
            renewal of the same service is still unpaid (default off: one open renewal).

    Raises:
        ValidationError: a lead time outside 0–366 days, or a key that is not a ProductType.
    """

    invoice_lead_days: int = attrs.field(default=DEFAULT_LEAD_DAYS, converter=_lead_days)
    lead_days_by_type: Mapping[ProductType, int] = attrs.field(factory=dict, converter=_lead_table)
    continue_invoicing_when_unpaid: bool = False

    def lead_days(
        self, product_type: ProductType | None = None, client: ClientSettings | None = None
    ) -> int:
        """The lead time in days: the client's, else the product type's, else the default."""
        if client is not None and client.invoice_lead_days is not None:
            return client.invoice_lead_days
        if product_type is not None and product_type in self.lead_days_by_type:
            return self.lead_days_by_type[product_type]
        return self.invoice_lead_days

    def continues_invoicing(self, client: ClientSettings | None = None) -> bool:
        """Whether to invoice the next renewal while one is unpaid: the client's, else ours."""
        if client is not None and client.continue_invoicing_when_unpaid is not None:
            return client.continue_invoicing_when_unpaid
        return self.continue_invoicing_when_unpaid


def _frozen(value: Mapping[object, object]) -> Mapping[object, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(unsafe_hash=False)
class RenewalContext:
    """What the renewal engine needs to know about services beyond the services themselves.

    The caller loads these (the engine does no I/O): the business settings, each product's
    type (which expiry steps and lead time apply) and each client's setting overrides.
    A product missing from ``product_types`` has no type: only expiry steps for every type
    apply to it, and the default lead time. A client missing from ``clients`` has no overrides.
    """

    settings: RenewalSettings = RenewalSettings()
    product_types: Mapping[ProductId, ProductType] = attrs.field(factory=dict, converter=_frozen)
    clients: Mapping[ClientId, ClientSettings] = attrs.field(factory=dict, converter=_frozen)

    def product_type(self, service: Service) -> ProductType | None:
        """The service's product type, or None when the product is not listed."""
        return self.product_types.get(service.product_id)

    def lead_days(self, service: Service) -> int:
        """The invoice lead time for ``service`` (client, then product type, then default)."""
        return self.settings.lead_days(
            self.product_type(service), self.clients.get(service.client_id)
        )

    def continues_invoicing(self, service: Service) -> bool:
        """Whether ``service``'s next renewal is invoiced while an earlier one is unpaid."""
        return self.settings.continues_invoicing(self.clients.get(service.client_id))
