"""Hypothesis strategies for fraud contexts and configurations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from hostbill_core.fraud import (
    BUILTIN_SIGNALS,
    EarlierOrders,
    ExternalScore,
    FraudConfig,
    FraudContext,
    GeoIPInfo,
    Thresholds,
)
from hostbill_core.model import OrderStatus, ProductType

from .factories import IP, make_client, make_context, make_order, make_past

#: Every configurable points setting of every built-in signal (product_risk: per type).
POINT_FIELDS: dict[str, tuple[str, ...]] = {
    "product_risk": ("points",),
    "country_mismatch": ("points",),
    "high_risk_country": ("points",),
    "email_domain": ("free_points", "disposable_points"),
    "velocity": ("ip_points", "email_points", "card_points"),
    "history": ("rejected_points", "accepted_points"),
    "account_age": ("points",),
    "first_order_value": ("points",),
    "contact_details": ("missing_phone_points", "name_is_email_points", "postcode_points"),
    "anonymiser": ("proxy_points", "hosting_points"),
    "external_score": ("points",),
}
POINT_SETTINGS = [(signal, field) for signal, fields in POINT_FIELDS.items() for field in fields]

_POSTCODES = {"GB": "SW1A 1AA", "US": "94105", "DE": "10115"}
_KEYS = ("client", "email", "ip", "card")
points = st.integers(-100, 100)

# Built once: constructing strategies inside a composite on every example is slow.
_history = st.lists(st.tuples(st.integers(0, 200), st.sampled_from(list(OrderStatus))), max_size=4)
_client_choices = st.tuples(
    st.sampled_from(sorted(_POSTCODES)),
    st.sampled_from(["ann@shop.example", "ann@gmail.com", "x@mailinator.com"]),
    st.booleans(),  # name is the email
    st.booleans(),  # phone given
    st.booleans(),  # postcode fits
    st.integers(0, 30),  # account age in days
)
_order_choices = st.tuples(
    st.lists(st.sampled_from(list(ProductType)), min_size=1, max_size=3),
    st.sampled_from(["5.00", "300.00"]),
    st.integers(1, 3),
    st.booleans(),  # placed by admin
    st.sampled_from(["", "fp"]),  # card fingerprint
)
_geo = st.none() | st.builds(
    GeoIPInfo, st.sampled_from(["GB", "US", "NG", ""]), st.booleans(), st.booleans()
)
_external = st.none() | st.builds(
    ExternalScore, st.decimals(Decimal("0.01"), Decimal(99), places=2)
)


def _earlier(key: str, rows: list[tuple[int, OrderStatus]]) -> tuple:
    return tuple(
        make_past(
            f"{key}{i}",
            status=status,
            before=timedelta(hours=hours, minutes=1),
            client_id="c1" if key == "client" else "c-other",
            ip=IP if key == "ip" else "198.51.100.1",
            card="fp" if key == "card" else "",
        )
        for i, (hours, status) in enumerate(sorted(rows, key=lambda r: -r[0]))
    )


@st.composite
def contexts(draw: st.DrawFn) -> FraudContext:
    country, email, name_is_email, phone, fits, age = draw(_client_choices)
    client = make_client(
        name=email if name_is_email else "Ann Smith",
        email=email,
        phone="+44 20 7946 0000" if phone else "",
        country=country,
        postcode=_POSTCODES[country] if fits else "??",
        active_from=date(2024, 5, 1) - timedelta(days=age),
    )
    types, price, quantity, admin, card = draw(_order_choices)
    order = make_order(types=tuple(types), price=price, quantity=quantity, placed_by_admin=admin)
    earlier = EarlierOrders(*(_earlier(key, draw(_history)) for key in _KEYS))
    context = make_context(
        client=client, order=order, card=card, earlier=earlier, external=draw(_external)
    )
    return attrs.evolve(context, geo=draw(_geo))


def with_points(
    config: FraudConfig, signal: str, field: str, value: int, kind: ProductType = ProductType.VPS
) -> FraudConfig:
    """``config`` with one points setting changed (for product_risk: the points of ``kind``)."""
    found = config.signal(signal)
    if signal == "product_risk":
        table = dict(found.points)  # type: ignore[attr-defined]
        table[kind] = value
        new = attrs.evolve(found, points=table)  # type: ignore[misc]
    else:
        new = attrs.evolve(found, **{field: value})  # type: ignore[misc]
    signals = tuple(new if s.name == signal else s for s in config.signals)
    return attrs.evolve(config, signals=signals)


_all_points = st.lists(
    points,
    min_size=len(POINT_SETTINGS) + len(ProductType),
    max_size=len(POINT_SETTINGS) + len(ProductType),
)
_thresholds = st.tuples(st.integers(0, 100), st.integers(0, 100))


@st.composite
def configs(draw: st.DrawFn) -> FraudConfig:
    """The default signals with random points, a high-risk list, random thresholds."""
    values = iter(draw(_all_points))
    settings: dict[str, dict[str, object]] = {name: {} for name in BUILTIN_SIGNALS}
    settings["high_risk_country"]["countries"] = frozenset({"NG"})
    for signal, field in POINT_SETTINGS:
        if signal != "product_risk":
            settings[signal][field] = next(values)
    settings["product_risk"]["points"] = {kind: next(values) for kind in ProductType}
    signals = tuple(cls(**settings[name]) for name, cls in BUILTIN_SIGNALS.items())
    review, reject = sorted(draw(_thresholds))
    return FraudConfig(Thresholds(review, reject), signals)
