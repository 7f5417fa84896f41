"""What stays the same for every client of one billing run: the day, settings, catalogue, rates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import cast

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ConfigurationError
from hostbill_core.model import Client, ClientSettings, PlanId, Service
from hostbill_core.ports import ExchangeRates
from hostbill_core.renewal import RenewalContext
from hostbill_core.renewal.plan import Planner
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.catalogue import Catalogue
from hostbill_core.usecases.renewal_items import renewal_price

__all__ = ["RunContext"]

_NO_OVERRIDES = ClientSettings()


@attrs.frozen(unsafe_hash=False)
class RunContext:
    """The day, the settings, the catalogue and the rates port of one run.

    Attributes:
        as_of: the day run; events dated up to it are carried out.
        settings: the business's billing settings.
        catalogue: products and plans, loaded once for the run.
        rates: the exchange rates port (None: plans must price every client currency).
        fingerprint: the billing run's
            :func:`~hostbill_core.usecases.billing_marks.run_fingerprint`, with which it marks
            each client's complete day ("" for other use cases: they mark nothing).
        renewal: the renewal context of clients without overrides (product types known).
        planner: the renewal plans of ``renewal`` (each compiled once for the run).
    """

    as_of: date
    settings: BillingSettings
    catalogue: Catalogue
    rates: ExchangeRates | None = None
    fingerprint: str = ""
    renewal: RenewalContext = attrs.field(init=False)
    planner: Planner = attrs.field(init=False, eq=False, repr=False)
    _prices: dict[tuple[PlanId, BillingCycle, str], tuple[Money, str]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )

    @renewal.default
    def _renewal(self) -> RenewalContext:
        types = cast("Mapping[object, object]", self.catalogue.product_types)
        return RenewalContext(self.settings.renewal, types)

    @planner.default
    def _planner(self) -> Planner:
        return Planner(self.settings.sequence, self.renewal)

    @property
    def at(self) -> datetime:
        """The run's instant for ledger entries: midnight UTC of ``as_of``."""
        return self.instant(self.as_of)

    @staticmethod
    def instant(day: date) -> datetime:
        """Midnight UTC of ``day``: the instant of ledger entries made for a day."""
        return datetime.combine(day, time(), UTC)

    @property
    def look_ahead(self) -> int:
        """Days after ``as_of`` a service may be due and have an event today.

        The earliest event of a due date is its invoice (the lead time, or the first reminder
        when the invoice goes with it) or its first reminder: the longest of the business's
        lead times and reminder days, unless the settings give ``look_ahead_days``.
        """
        given = self.settings.look_ahead_days
        if given is not None:
            return given
        renewal = self.settings.renewal
        return max(
            renewal.invoice_lead_days,
            *renewal.lead_days_by_type.values(),
            *self.settings.sequence.reminder_days,
        )

    def price(self, service: Service, client: Client) -> tuple[Money, str]:
        """:func:`~hostbill_core.usecases.renewal_items.renewal_price` on the run's day.

        A plan's price for a cycle and currency is the same for every client of the run (the
        catalogue, the settings and the day are the run's): it is resolved once and kept. A
        service's own price override is not kept; a refusal is raised again each time.
        """
        if service.price_override is not None:
            return renewal_price(
                service, client, self.catalogue, self.settings, rates=self.rates, on=self.as_of
            )
        key = (service.plan_id, service.cycle, client.currency)
        found = self._prices.get(key)
        if found is None:
            found = self._prices[key] = renewal_price(
                service, client, self.catalogue, self.settings, rates=self.rates, on=self.as_of
            )
        return found

    def renewal_context(self, client: Client) -> RenewalContext:
        """The renewal context for ``client``: its own lead time and switch, if it set any.

        Raises:
            ConfigurationError: the client's lead time is longer than the run looks ahead (its
                invoices could be missed): raise ``look_ahead_days`` in the settings.
        """
        if client.settings == _NO_OVERRIDES:
            return self.renewal
        lead = client.settings.invoice_lead_days
        if lead is not None and lead > self.look_ahead:
            raise ConfigurationError(
                "look_ahead_days",
                self.look_ahead,
                f"client {client.id} invoices {lead} days ahead: look ahead at least that far",
            )
        return attrs.evolve(self.renewal, clients={client.id: client.settings})
