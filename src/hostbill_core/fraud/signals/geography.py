"""Where the order comes from: country mismatch, high-risk countries, anonymisers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import points

__all__ = ["AnonymiserSignal", "CountryMismatchSignal", "HighRiskCountrySignal"]


@attrs.frozen
class CountryMismatchSignal:
    """Points when the IP's country differs from the client's billing country.

    Silent when either country is unknown (no GeoIP answer, no address country).
    """

    name: ClassVar[str] = "country_mismatch"
    points: int = attrs.field(default=15, validator=points)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """One contribution when both countries are known and differ."""
        geo = context.geo
        billing = context.billing_country
        if geo is None or not geo.country or not billing or geo.country == billing:
            return ()
        return (
            Contribution(
                self.name,
                self.points,
                f"IP {context.order.ip} is in {geo.country}, billing country is {billing}",
                (("ip_country", geo.country), ("billing_country", billing)),
            ),
        )


def _countries(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("countries", value, "a list of codes, e.g. ['XK']")
    codes = tuple(value)
    for code in codes:
        if not isinstance(code, str) or len(code) != 2 or not code.isalpha() or not code.isupper():
            raise ValidationError("countries", code, "an ISO 3166 alpha-2 code such as 'DE'")
    return frozenset(codes)


@attrs.frozen
class HighRiskCountrySignal:
    """Points when the IP's country or the billing country is on the business's list.

    The list is empty by default: which countries are high-risk is the business's call.
    """

    name: ClassVar[str] = "high_risk_country"
    points: int = attrs.field(default=25, validator=points)
    countries: frozenset[str] = attrs.field(default=frozenset(), converter=_countries)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """One contribution when either country is listed."""
        if not self.countries:
            return ()
        ip_country = context.geo.country if context.geo else ""
        found = sorted({c for c in (ip_country, context.billing_country) if c in self.countries})
        if not found:
            return ()
        return (
            Contribution(
                self.name,
                self.points,
                f"{' and '.join(found)} on the high-risk country list "
                f"(IP country {ip_country or 'unknown'}, "
                f"billing country {context.billing_country or 'unknown'})",
                (("countries", ",".join(found)),),
            ),
        )


@attrs.frozen
class AnonymiserSignal:
    """Points for an order placed through a proxy/VPN/Tor, or from a hosting network."""

    name: ClassVar[str] = "anonymiser"
    proxy_points: int = attrs.field(default=30, validator=points)
    hosting_points: int = attrs.field(default=15, validator=points)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """``anonymiser.proxy`` and ``anonymiser.hosting``, each when GeoIP flags it."""
        geo = context.geo
        if geo is None or not (geo.is_proxy or geo.is_hosting):
            return ()
        ip = context.order.ip
        found: list[Contribution] = []
        if geo.is_proxy:
            found.append(
                Contribution(
                    "anonymiser.proxy",
                    self.proxy_points,
                    f"IP {ip} is a known proxy, VPN or Tor exit",
                    (("ip", ip),),
                )
            )
        if geo.is_hosting:
            found.append(
                Contribution(
                    "anonymiser.hosting",
                    self.hosting_points,
                    f"IP {ip} belongs to a hosting or data-centre network",
                    (("ip", ip),),
                )
            )
        return tuple(found)
