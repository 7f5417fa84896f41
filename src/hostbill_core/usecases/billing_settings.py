"""The business's settings for the billing run: one value gathering every engine's settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from hostbill_core.errors import ConfigurationError
from hostbill_core.invoicing.credit import CreditSettings
from hostbill_core.invoicing.grouping import GroupingPolicy
from hostbill_core.invoicing.lifecycle import Numbering, NumberingMode
from hostbill_core.model import ClientId
from hostbill_core.money import RoundingPolicy
from hostbill_core.pricing import ClientDiscount, TaxSettings
from hostbill_core.renewal import RenewalSequence, RenewalSettings

__all__ = ["BillingSettings"]


def _discounts(value: Mapping[ClientId, ClientDiscount]) -> Mapping[ClientId, ClientDiscount]:
    table = dict(value)
    for client_id, discount in table.items():
        if not isinstance(discount, ClientDiscount):
            raise ConfigurationError(
                f"client_discounts[{client_id}]", discount, "a pricing.ClientDiscount"
            )
    return MappingProxyType(table)


def _template(_instance: object, _attribute: object, value: object) -> None:
    try:
        str(value).format(series="INV", number=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigurationError(
            "invoice_template", value, f"use {{series}} and {{number}} only ({error})"
        ) from None


def _look_ahead(_instance: object, _attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ConfigurationError("look_ahead_days", value, "a number of days, 0 or more, or None")


@attrs.frozen(unsafe_hash=False)
class BillingSettings:
    """Everything the billing run and the payment use cases are configured with.

    Attributes:
        renewal: lead times and the "continue invoicing while unpaid" switch.
        sequence: reminders before a due date, expiry steps after an unpaid one.
        tax: the tax rules, inclusive or exclusive prices, per-line or per-invoice rounding.
        credit: apply the credit balance to new invoices (default on); negative balances.
        grouping: which items share an invoice (default: one per client, currency, due date).
        numbering: final number on issue, or proforma first and final on payment.
        series: the series of final invoice numbers.
        proforma_series: the series of proforma numbers.
        invoice_template: how a number is written, with ``{series}`` and ``{number}``.
        client_discounts: a standing discount per client, applied to every renewal.
        rounding: the rounding of a converted price or a percentage discount.
        actor: who the run acts as in the credit log.
        look_ahead_days: the run visits clients with a service due within this many days
            (None: the longest business lead time or reminder); set it at least as long as
            any client's own lead time.

    Raises:
        ConfigurationError: a discount that is not a ClientDiscount, a bad template.
    """

    renewal: RenewalSettings = RenewalSettings()
    sequence: RenewalSequence = RenewalSequence()
    tax: TaxSettings = TaxSettings()
    credit: CreditSettings = CreditSettings()
    grouping: GroupingPolicy = GroupingPolicy()
    numbering: NumberingMode = NumberingMode.ON_ISSUE
    series: str = "INV"
    proforma_series: str = "PRO"
    invoice_template: str = attrs.field(default="{series}-{number}", validator=_template)
    client_discounts: Mapping[ClientId, ClientDiscount] = attrs.field(
        factory=dict, converter=_discounts
    )
    rounding: RoundingPolicy = RoundingPolicy()
    actor: str = "billing-run"
    look_ahead_days: int | None = attrs.field(default=None, validator=_look_ahead)

    def numbering_with(self, next_number: Callable[[str], int]) -> Numbering:
        """The invoice numbering, taking numbers from ``next_number`` (the port's ``next``)."""
        return Numbering(
            next_number, self.numbering, self.series, self.proforma_series, self.invoice_template
        )
