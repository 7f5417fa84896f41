"""Product risk: some product types (a VPS) are risky in themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import MAX_POINTS
from hostbill_core.model import ProductType

__all__ = ["ProductRiskSignal"]


def _type_points(
    value: Mapping[ProductType, int] | Iterable[tuple[ProductType, int]],
) -> tuple[tuple[ProductType, int], ...]:
    pairs = tuple(value.items() if isinstance(value, Mapping) else value)
    for kind, pts in pairs:
        if not isinstance(kind, ProductType):
            raise ValidationError("points", kind, "a key is a ProductType, e.g. ProductType.VPS")
        if isinstance(pts, bool) or not isinstance(pts, int) or abs(pts) > MAX_POINTS:
            raise ValidationError(
                f"points.{kind.value}", pts, "points are a whole number from -100 to 100"
            )
    if len({kind for kind, _ in pairs}) != len(pairs):
        raise ValidationError("points", pairs, "one entry per product type")
    return tuple(sorted(pairs, key=lambda pair: pair[0].value))


@attrs.frozen
class ProductRiskSignal:
    """Points for each listed product type the order contains (once per type).

    A listed type always contributes, even with 0 points, so a hard rule on
    ``"product_risk.vps"`` (the default: at least REVIEW) applies whatever its points.

    Attributes:
        points: ``{ProductType: points}``; unlisted types contribute nothing.
    """

    name: ClassVar[str] = "product_risk"
    points: tuple[tuple[ProductType, int], ...] = attrs.field(
        default=((ProductType.VPS, 10),), converter=_type_points
    )

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """One contribution per listed type present in the order."""
        types = context.request.item_types
        return tuple(
            Contribution(
                f"product_risk.{kind.value}",
                pts,
                f"the order includes {types.count(kind)} {kind.value} item(s), "
                "a product type listed as risky",
                (("product_type", kind.value), ("items", types.count(kind))),
            )
            for kind, pts in self.points
            if kind in types
        )
