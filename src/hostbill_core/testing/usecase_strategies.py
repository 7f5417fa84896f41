"""Hypothesis strategies for what the use cases store beside the core models.

Promotion redemptions (``place_order``) and cancellation requests (``cancel_service``); the
core models' strategies are in :mod:`hostbill_core.testing.strategies`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from hostbill_core.model import CancellationRequest, PromotionRedemption, ServiceId
from hostbill_core.testing.value_strategies import (
    billing_cycles,
    calendar_dates,
    currencies,
    identifiers,
    money,
)

__all__ = ["cancellation_requests", "promotion_redemptions"]


@st.composite
def promotion_redemptions(draw: st.DrawFn) -> PromotionRedemption:
    """One use of a code: a percentage or an amount off, for some cycles or for ever."""
    order = draw(identifiers("order"))
    percent = draw(st.none() | st.decimals(Decimal("0.01"), Decimal(100), places=2))
    amount = None if percent is not None else draw(money(draw(currencies()), min_units=1))
    return PromotionRedemption(
        order,
        draw(st.sampled_from(["SPRING", "WELCOME", "HOST-50"])),
        draw(identifiers("client")),
        order,
        draw(calendar_dates()),
        draw(st.integers(1, 10**6)),
        service_ids=(ServiceId(f"{order}-1"),),
        percent_off=percent,
        amount_off=amount,
        cycles=draw(st.none() | st.integers(1, 24)),
        product_ids=tuple(draw(st.lists(identifiers("product"), max_size=2))),
        billing_cycles=tuple(draw(st.lists(billing_cycles(), max_size=2))),
        once_per_client=draw(st.booleans()),
    )


@st.composite
def cancellation_requests(draw: st.DrawFn) -> CancellationRequest:
    """An end-of-term cancellation, waiting or carried out."""
    service = draw(identifiers("service"))
    asked = draw(calendar_dates(max_value=date(2098, 12, 31)))
    return CancellationRequest(
        service,
        draw(identifiers("client")),
        service,
        asked,
        asked + timedelta(days=draw(st.integers(0, 400))),
        draw(st.sampled_from(["", "moving to another host", "no longer needed"])),
        draw(st.none() | st.integers(0, 400).map(lambda n: asked + timedelta(days=n))),
    )
