"""The scenario's catalogue and rates, looked up while a scenario is read and checked."""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.calendar import BillingCycle
from hostbill_core.model import PriceEntry, PricePlan, Product
from hostbill_core.money import ExchangeRate

__all__ = ["Catalogue"]


@attrs.frozen
class Catalogue:
    """Products, plans and exchange rates, by id and by date."""

    products: tuple[Product, ...] = ()
    plans: tuple[PricePlan, ...] = ()
    rates: tuple[ExchangeRate, ...] = ()

    @property
    def product_ids(self) -> str:
        """The product ids, for messages."""
        return ", ".join(p.id for p in self.products) or "none defined"

    @property
    def plan_ids(self) -> str:
        """The plan ids, for messages."""
        return ", ".join(p.id for p in self.plans) or "none defined"

    def product(self, id: str) -> Product | None:
        """The product ``id``, or None."""
        return next((p for p in self.products if p.id == id), None)

    def plan(self, id: str) -> PricePlan | None:
        """The plan ``id``, or None."""
        return next((p for p in self.plans if p.id == id), None)

    def with_plan(self, plan: PricePlan) -> Catalogue:
        """A copy with ``plan`` added."""
        return attrs.evolve(self, plans=(*self.plans, plan))

    def price(self, plan_id: str, cycle: BillingCycle | None, currency: str) -> PriceEntry | None:
        """The plan's price for ``cycle`` in ``currency``, or None."""
        plan = self.plan(plan_id)
        return None if plan is None else plan.entry(cycle, currency)

    def cycles(self, plan_id: str, currency: str) -> str:
        """The cycles the plan is priced for in ``currency``, for messages."""
        plan = self.plan(plan_id)
        found = [str(e.cycle) for e in plan.prices if e.currency == currency] if plan else []
        return ", ".join(found) or f"none in {currency}"

    def has_rate(self, base: str, quote: str, on: date) -> bool:
        """True when a rate of the pair (either way round) is dated on or before ``on``."""
        pair = {base, quote}
        return any({r.base, r.quote} == pair and r.as_of <= on for r in self.rates)
