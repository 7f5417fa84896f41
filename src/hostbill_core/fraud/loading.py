"""Load a :class:`~hostbill_core.fraud.FraudConfig` from plain data (parsed TOML or JSON).

Every key is checked; a mistake raises :class:`~hostbill_core.errors.ValidationError` whose
``field`` is the dotted path of the offending value (``"signals.velocity.window_hours"``).

>>> config = load_config({
...     "thresholds": {"review": 25, "reject": 80},
...     "signals": {"velocity": {"window_hours": 6}, "external_score": {"enabled": False}},
...     "hard_rules": {"product_risk.vps": "review", "anonymiser.proxy": "reject"},
... })
>>> config.thresholds
Thresholds(review=25, reject=80)
>>> [rule.match for rule in config.hard_rules]
['product_risk.vps', 'anonymiser.proxy']
>>> load_config({"thresholds": {"review": 80, "reject": 20}})
Traceback (most recent call last):
...
hostbill_core.errors.ValidationError: thresholds.review=80: the review threshold must not be ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TypeVar, cast

import attrs
from attrs import AttrsInstance

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.config import (
    DEFAULT_HARD_RULES,
    FraudConfig,
    HardRule,
    SkipRules,
    Thresholds,
)
from hostbill_core.fraud.contribution import Decision
from hostbill_core.fraud.signals import BUILTIN_SIGNALS, POSTCODE_PATTERNS, Signal
from hostbill_core.model import ProductType

__all__ = ["SignalLoader", "load_config"]

#: Builds a custom signal from its section of the configuration (without ``"enabled"``).
#: It raises ValidationError for bad settings; the loader prefixes the section's path.
SignalLoader = Callable[[Mapping[str, object]], Signal]

T = TypeVar("T", bound=AttrsInstance)
_TOP = ("thresholds", "signals", "hard_rules", "skip")


def load_config(
    data: Mapping[str, object], extra_signals: Mapping[str, SignalLoader] | None = None
) -> FraudConfig:
    """Build a configuration from ``data``; what it leaves out keeps its default.

    Args:
        data: ``{"thresholds": {...}, "signals": {name: {...}}, "hard_rules": {match:
            "review" | "reject"}, "skip": {...}}``. Built-in signals are on unless their
            section says ``"enabled": false``; a ``hard_rules`` table replaces the default.
        extra_signals: loaders of custom signals by name; each runs after the built-ins,
            with its section (or ``{}``), unless disabled.

    Raises:
        ValidationError: an unknown key or signal, a value of the wrong type or range,
            thresholds out of order, a negative window, a hard rule about an unknown signal.
    """
    top = _section(data, "config")
    _known_keys(top, _TOP, "")
    signals = _signals(_section(top.get("signals", {}), "signals"), dict(extra_signals or {}))
    names = {s.name for s in signals}
    if "hard_rules" in top:
        hard_rules = _hard_rules(_section(top["hard_rules"], "hard_rules"), names)
    else:  # the defaults, less those about a disabled signal
        hard_rules = tuple(rule for rule in DEFAULT_HARD_RULES if rule.signal in names)
    thresholds = _build(Thresholds, _section(top.get("thresholds", {}), "thresholds"), "thresholds")
    skip = _build(SkipRules, _section(top.get("skip", {}), "skip"), "skip")
    return FraudConfig(thresholds, signals, hard_rules, skip)


def _section(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ValidationError(path, value, "a table of settings (a dict with string keys)")
    return value


def _known_keys(section: Mapping[str, object], known: tuple[str, ...], path: str) -> None:
    for key in section:
        if key not in known:
            raise ValidationError(
                f"{path}{key}", section[key], f"unknown setting; known: {', '.join(known)}"
            )


def _build(cls: type[T], section: Mapping[str, object], path: str) -> T:
    fields = tuple(f.name for f in attrs.fields(cls) if f.init)
    _known_keys(section, fields, f"{path}.")
    try:
        return cls(**section)
    except ValidationError as error:
        raise ValidationError(f"{path}.{error.field}", error.value, error.reason) from None


def _signals(section: Mapping[str, object], extra: dict[str, SignalLoader]) -> tuple[Signal, ...]:
    known = (*BUILTIN_SIGNALS, *extra)
    _known_keys(section, known, "signals.")
    built: list[Signal] = []
    for name in known:
        path = f"signals.{name}"
        settings = dict(_section(section.get(name, {}), path))
        enabled = settings.pop("enabled", True)
        if not isinstance(enabled, bool):
            raise ValidationError(f"{path}.enabled", enabled, "true or false")
        if not enabled:
            continue
        if name in extra:
            built.append(_custom(extra[name], settings, path))
        else:
            built.append(_builtin(name, settings, path))
    return tuple(built)


def _custom(loader: SignalLoader, settings: Mapping[str, object], path: str) -> Signal:
    try:
        return loader(settings)
    except ValidationError as error:
        raise ValidationError(f"{path}.{error.field}", error.value, error.reason) from None


def _builtin(name: str, settings: dict[str, object], path: str) -> Signal:
    cls = cast("type[AttrsInstance]", BUILTIN_SIGNALS[name])
    aliases = _ALIASES.get(name, {})
    known = tuple(aliases.get(f.name, f.name) for f in attrs.fields(cls) if f.init)
    _known_keys(settings, known, f"{path}.")
    adapt = _ADAPTERS.get(name)
    if adapt is not None:
        adapt(settings, path)
    built = _build(cls, settings, path)
    return cast(Signal, built)


def _whole(value: object, path: str, reason: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(path, value, reason)
    return value


def _velocity(settings: dict[str, object], path: str) -> None:
    if "window_hours" in settings:
        hours = settings.pop("window_hours")
        reason = "a window is a positive whole number of hours"
        settings["window"] = timedelta(hours=_whole(hours, f"{path}.window_hours", reason))


def _product_risk(settings: dict[str, object], path: str) -> None:
    if "points" not in settings:
        return
    table = _section(settings["points"], f"{path}.points")
    kinds = {kind.value: kind for kind in ProductType}
    for key in table:
        if key not in kinds:
            raise ValidationError(
                f"{path}.points.{key}", key, f"a product type: {', '.join(kinds)}"
            )
    settings["points"] = {kinds[key]: value for key, value in table.items()}


def _contact_details(settings: dict[str, object], path: str) -> None:
    if "postcode_patterns" in settings:
        extra = _section(settings["postcode_patterns"], f"{path}.postcode_patterns")
        settings["postcode_patterns"] = {**POSTCODE_PATTERNS, **extra}


def _mapping_setting(key: str) -> Callable[[dict[str, object], str], None]:
    def check(settings: dict[str, object], path: str) -> None:
        if key in settings:
            _section(settings[key], f"{path}.{key}")

    return check


# Settings whose name in a document differs from the signal's field (field: document key).
_ALIASES: Mapping[str, Mapping[str, str]] = {"velocity": {"window": "window_hours"}}

_ADAPTERS: Mapping[str, Callable[[dict[str, object], str], None]] = {
    "velocity": _velocity,
    "product_risk": _product_risk,
    "contact_details": _contact_details,
    "first_order_value": _mapping_setting("limits"),
}


def _hard_rules(section: Mapping[str, object], names: set[str]) -> tuple[HardRule, ...]:
    rules: list[HardRule] = []
    for match, value in section.items():
        path = f"hard_rules.{match}"
        if match.partition(".")[0] not in names:
            raise ValidationError(
                path, match, f"no signal of that name is on; on: {', '.join(sorted(names))}"
            )
        if value not in ("review", "reject"):
            raise ValidationError(path, value, "'review' or 'reject'")
        rules.append(HardRule(match, Decision(value)))
    return tuple(rules)
