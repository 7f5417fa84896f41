"""Tax rules and which of them apply to a client.

A :class:`TaxRule` is a named rate for a country, or for one state of it, at level 1 or 2; a
level-2 rule may be compound (charged on the net plus the level-1 tax, as Quebec's QST once
was). For a client, :func:`applicable_taxes` picks at most one rule per level: a rule for the
client's state wins over a rule for the whole country. A tax-exempt client pays none; an
organisation with a VAT number in another EU member state than the seller's pays none under
the EU reverse charge, and the invoice carries the legal note.

>>> rules = (TaxRule("GST", "0.05", "CA"), TaxRule("QST", "0.09975", "CA", "QC", level=2))
>>> decision = applicable_taxes(TaxCustomer("CA", "QC"), TaxSettings(rules))
>>> [(rule.name, str(rule.rate)) for rule in decision.rules]
[('GST', '0.05'), ('QST', '0.09975')]
>>> applicable_taxes(TaxCustomer("CA", "ON"), TaxSettings(rules)).rules[0].name
'GST'
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model import AccountType, Client
from hostbill_core.money import RoundingPolicy, to_decimal

__all__ = [
    "EU_MEMBER_STATES",
    "REVERSE_CHARGE_NOTE",
    "TaxCustomer",
    "TaxDecision",
    "TaxRounding",
    "TaxRule",
    "TaxSettings",
    "applicable_taxes",
]

#: The EU member states by ISO 3166 alpha-2 code (Greece is GR here, EL in VAT numbers).
# fmt: off
EU_MEMBER_STATES: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# fmt: on

#: The note an invoice under the EU reverse charge carries (Article 196 of the VAT Directive).
REVERSE_CHARGE_NOTE = (
    "Reverse charge: VAT to be accounted for by the recipient "
    "(Article 196, Council Directive 2006/112/EC)"
)


def _country(value: object) -> str:
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha() or not value.isupper():
        raise ValidationError("country", value, "an ISO 3166 alpha-2 code such as 'DE'")
    return value


def _rate(value: object) -> Decimal:
    rate = to_decimal(value, "rate")
    if not 0 <= rate < 1:
        raise ValidationError("rate", value, "a tax rate is a fraction: 0.19 for 19 %")
    return rate


def _level(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if value not in (1, 2) or isinstance(value, bool):
        raise ValidationError(attribute.name, value, "a tax level is 1 or 2")


@attrs.frozen
class TaxRule:
    """A tax rate for a country, or for one state of it.

    Attributes:
        name: the tax's name on an invoice ("VAT", "GST", "PST").
        rate: a fraction (``"0.19"`` for 19 %), 0 up to but not including 1.
        country: ISO 3166 alpha-2 code.
        state: the state or province ("QC", "CA"), or "" for the whole country.
        level: 1, or 2 for a second tax charged beside (or on top of) the first.
        compound: a level-2 tax charged on the net plus the level-1 tax.

    Raises:
        ValidationError: a bad rate, country or level, or a compound level-1 rule.
    """

    name: str
    rate: Decimal = attrs.field(converter=_rate)
    country: str = attrs.field(converter=_country)
    state: str = ""
    level: int = attrs.field(default=1, validator=_level)
    compound: bool = False

    def __attrs_post_init__(self) -> None:
        if self.compound and self.level != 2:
            raise ValidationError("compound", True, "only a level-2 tax can be compound")


class TaxRounding(enum.Enum):
    """Where tax is rounded: on each line (default) or once per invoice total."""

    PER_LINE = "per_line"
    PER_INVOICE = "per_invoice"


def _seller(value: object) -> str:
    return "" if value == "" else _country(value)


@attrs.frozen
class TaxSettings:
    """The business's tax settings.

    Attributes:
        rules: every tax rule the business charges.
        prices_include_tax: prices are gross (tax backed out) rather than net.
        rounding: per line (default) or per invoice total.
        policy: the rounding mode (ROUND_HALF_UP unless told).
        seller_country: the business's country, for the EU reverse charge ("" turns it off).
    """

    rules: tuple[TaxRule, ...] = ()
    prices_include_tax: bool = False
    rounding: TaxRounding = TaxRounding.PER_LINE
    policy: RoundingPolicy = RoundingPolicy()
    seller_country: str = attrs.field(default="", converter=_seller)


@attrs.frozen
class TaxCustomer:
    """What tax depends on about a client: where, what kind, exempt, VAT number."""

    country: str
    state: str = ""
    account_type: AccountType = AccountType.PRIVATE
    tax_exempt: bool = False
    vat_number: str = ""

    @classmethod
    def of(cls, client: Client) -> TaxCustomer:
        """The tax facts of a stored client (its address, type, exemption, VAT number)."""
        address = client.details.address
        return cls(
            address.country,
            address.state,
            client.account_type,
            client.tax_exempt,
            client.vat_number,
        )


@attrs.frozen
class TaxDecision:
    """The rules that apply to a client (level 1 first), and the note for the invoice."""

    rules: tuple[TaxRule, ...]
    note: str
    explanation: str


def applicable_taxes(customer: TaxCustomer, settings: TaxSettings) -> TaxDecision:
    """Pick the rules for ``customer``: one per level, a state's rule before the country's."""
    if customer.tax_exempt:
        return TaxDecision((), "Tax exempt", "the client is tax exempt: no tax")
    if _reverse_charge(customer, settings.seller_country):
        return TaxDecision(
            (),
            REVERSE_CHARGE_NOTE,
            f"EU reverse charge: organisation in {customer.country} with VAT number "
            f"{customer.vat_number}, seller in {settings.seller_country}: 0 %",
        )
    chosen: list[TaxRule] = []
    for level in (1, 2):
        candidates = [
            rule
            for rule in settings.rules
            if rule.level == level
            and rule.country == customer.country
            and rule.state in ("", customer.state)
        ]
        candidates.sort(key=lambda rule: rule.state == "")
        chosen.extend(candidates[:1])
    where = f"{customer.country}{'-' + customer.state if customer.state else ''}"
    found = ", ".join(f"{rule.name} {rule.rate}" for rule in chosen) or "no rule"
    return TaxDecision(tuple(chosen), "", f"taxes for {where}: {found}")


def _reverse_charge(customer: TaxCustomer, seller: str) -> bool:
    return (
        seller in EU_MEMBER_STATES
        and customer.country in EU_MEMBER_STATES
        and customer.country != seller
        and customer.account_type is AccountType.ORGANISATION
        and bool(customer.vat_number.strip())
    )
