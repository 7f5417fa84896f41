"""The catalogue as one run sees it: products and plans by id, loaded once, read many times."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from hostbill_core.errors import ConfigurationError
from hostbill_core.model import PaymentType, PlanId, PricePlan, Product, ProductId, ProductType
from hostbill_core.ports import UnitOfWork

__all__ = ["Catalogue"]


def _frozen_products(value: Mapping[ProductId, Product]) -> Mapping[ProductId, Product]:
    return MappingProxyType(dict(value))


def _frozen_plans(value: Mapping[PlanId, PricePlan]) -> Mapping[PlanId, PricePlan]:
    return MappingProxyType(dict(value))


@attrs.frozen(unsafe_hash=False)
class Catalogue:
    """Products and price plans by id.

    The billing run loads it once, in its own unit of work, and shares it between clients: the
    catalogue changes rarely and a run must price every client of one day alike.
    """

    products: Mapping[ProductId, Product] = attrs.field(converter=_frozen_products)
    plans: Mapping[PlanId, PricePlan] = attrs.field(converter=_frozen_plans)
    product_types: Mapping[ProductId, ProductType] = attrs.field(init=False)

    @product_types.default
    def _types(self) -> Mapping[ProductId, ProductType]:
        return MappingProxyType({pid: p.type for pid, p in self.products.items()})

    @classmethod
    def load(cls, uow: UnitOfWork) -> Catalogue:
        """Every product and plan stored."""
        products = {ProductId(p.id): p for p in uow.products.list()}
        plans = {PlanId(p.id): p for p in uow.plans.list()}
        return cls(products, plans)

    def plan(self, plan_id: PlanId) -> PricePlan:
        """The plan ``plan_id``.

        Raises:
            ConfigurationError: the catalogue has no such plan.
        """
        plan = self.plans.get(plan_id)
        if plan is None:
            raise ConfigurationError("plan_id", plan_id, "no such plan in the catalogue")
        return plan

    def renews(self, plan_id: PlanId) -> bool:
        """True when services on ``plan_id`` renew (a recurring plan); free and one-time don't."""
        plan = self.plans.get(plan_id)
        return plan is not None and plan.payment_type is PaymentType.RECURRING

    def product_name(self, product_id: ProductId) -> str:
        """The product's name, or its id when the catalogue lacks it."""
        product = self.products.get(product_id)
        return product.name if product is not None else product_id
