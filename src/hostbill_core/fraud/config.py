"""The fraud configuration: thresholds, signals, hard rules and skip rules, as one value.

A configuration is data: a frozen value built in code (:func:`default_config`,
``attrs.evolve``) or loaded from a plain dict (:func:`~hostbill_core.fraud.load_config`).
Every part checks itself on construction and raises
:class:`~hostbill_core.errors.ValidationError` naming the offending field.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache
from typing import Any

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.contribution import Contribution, Decision
from hostbill_core.fraud.signals import BUILTIN_SIGNALS, Signal
from hostbill_core.fraud.signals.points import flag

__all__ = [
    "DEFAULT_HARD_RULES",
    "FraudConfig",
    "HardRule",
    "IPNetwork",
    "SkipRules",
    "Thresholds",
    "default_config",
]

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _score(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError(attribute.name, value, "a threshold is a whole score from 0 to 100")


@attrs.frozen
class Thresholds:
    """Scores at which an order goes to review and is rejected (0–100, inclusive bounds).

    A score of ``review`` or more is REVIEW, of ``reject`` or more is REJECT.

    Raises:
        ValidationError: a threshold outside 0–100, or ``review`` above ``reject``.
    """

    review: int = attrs.field(default=30, validator=_score)
    reject: int = attrs.field(default=70, validator=_score)

    def __attrs_post_init__(self) -> None:
        if self.review > self.reject:
            raise ValidationError(
                "review",
                self.review,
                f"the review threshold must not be above the reject threshold ({self.reject})",
            )

    def decide(self, score: int) -> Decision:
        """The decision the thresholds give ``score``."""
        if score >= self.reject:
            return Decision.REJECT
        if score >= self.review:
            return Decision.REVIEW
        return Decision.ACCEPT


def _forcing(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in (Decision.REVIEW, Decision.REJECT):
        raise ValidationError(attribute.name, value, "a hard rule forces REVIEW or REJECT")


def _rule_name(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value or value != value.strip():
        raise ValidationError(attribute.name, value, "a signal or contribution name")


@attrs.frozen
class HardRule:
    """When a contribution named ``match`` is present, the decision is at least ``decision``.

    ``match`` is a signal name (``"anonymiser"``: any of its contributions) or a full
    contribution name (``"anonymiser.proxy"``). It applies whatever the points.
    """

    match: str = attrs.field(validator=_rule_name)
    decision: Decision = attrs.field(validator=_forcing)
    _prefix: str = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # A signal name also matches "<signal>.<part>"; a full name matches only itself.
        object.__setattr__(self, "_prefix", "" if "." in self.match else f"{self.match}.")

    def matches(self, contribution: Contribution) -> bool:
        """True when ``contribution`` is named ``match`` or belongs to signal ``match``."""
        name = contribution.name
        return name == self.match or (bool(self._prefix) and name.startswith(self._prefix))

    @property
    def signal(self) -> str:
        """The signal the rule is about."""
        return self.match.partition(".")[0]


def _networks(value: Iterable[object]) -> tuple[IPNetwork, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("allowed_ips", value, "a list of addresses, e.g. ['192.0.2.0/24']")
    networks: list[IPNetwork] = []
    for i, item in enumerate(value):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))  # type: ignore[arg-type]
        except (ValueError, TypeError):
            raise ValidationError(
                f"allowed_ips[{i}]", item, "an IP address or network, e.g. '198.51.100.0/24'"
            ) from None
    return tuple(networks)


def _optional_count(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError(attribute.name, value, "a number of orders of 1 or more, or None")


@attrs.frozen
class SkipRules:
    """Orders that are accepted without scoring.

    Attributes:
        admin_orders: skip orders staff placed for a client (``order.placed_by_admin``).
        allowed_ips: addresses or networks whose orders are skipped (an office, a partner).
        trusted_after: skip clients with at least this many accepted earlier orders and no
            rejected one (by client, email, IP or card); None never skips on history.
    """

    admin_orders: bool = attrs.field(default=True, validator=flag)
    allowed_ips: tuple[IPNetwork, ...] = attrs.field(default=(), converter=_networks)
    trusted_after: int | None = attrs.field(default=None, validator=_optional_count)


#: A VPS order always goes to review, as HostShop does.
DEFAULT_HARD_RULES = (HardRule("product_risk.vps", Decision.REVIEW),)


def _signals(_instance: Any, attribute: attrs.Attribute[Any], value: tuple[Signal, ...]) -> None:
    names = [signal.name for signal in value]
    for name in names:
        if names.count(name) > 1:
            raise ValidationError(f"signals.{name}", name, "each signal appears once")


@attrs.frozen
class FraudConfig:
    """Everything that decides an assessment, as one frozen value.

    Raises:
        ValidationError: two signals with one name, or a hard rule about a signal that is
            not configured.
    """

    thresholds: Thresholds = Thresholds()
    signals: tuple[Signal, ...] = attrs.field(
        factory=lambda: tuple(cls() for cls in BUILTIN_SIGNALS.values()), validator=_signals
    )
    hard_rules: tuple[HardRule, ...] = attrs.field(factory=lambda: DEFAULT_HARD_RULES)
    skip: SkipRules = SkipRules()

    def __attrs_post_init__(self) -> None:
        names = {signal.name for signal in self.signals}
        for i, rule in enumerate(self.hard_rules):
            if rule.signal not in names:
                raise ValidationError(
                    f"hard_rules[{i}].match",
                    rule.match,
                    f"no signal {rule.signal!r} is configured; known: {', '.join(sorted(names))}",
                )

    def signal(self, name: str) -> Signal:
        """The configured signal called ``name``.

        Raises:
            ValidationError: no such signal is configured.
        """
        for signal in self.signals:
            if signal.name == name:
                return signal
        raise ValidationError("signal", name, "not configured in this FraudConfig")


@cache
def default_config() -> FraudConfig:
    """The default configuration (built once, on first use; it is immutable).

    Every built-in signal with its default settings; review at 30, reject at 70; a VPS is
    always reviewed; admin-placed orders skip scoring.
    """
    return FraudConfig()
