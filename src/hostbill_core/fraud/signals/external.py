"""The external risk score (minFraud-like, 0.01–99) mapped onto our points."""

from __future__ import annotations

from typing import ClassVar

import attrs

from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import points

__all__ = ["ExternalScoreSignal", "scaled_points"]


def scaled_points(score_ratio: tuple[int, int], pts: int) -> int:
    """``score × pts / 100`` rounded half away from zero (ROUND_HALF_UP), exactly.

    ``score_ratio`` is the score as ``(numerator, denominator)``, e.g.
    ``Decimal("49.5").as_integer_ratio()``; integer arithmetic keeps the result exact and
    independent of any decimal context.

    >>> scaled_points((99, 1), 50), scaled_points((20, 1), 50), scaled_points((99, 1), -50)
    (50, 10, -50)
    """
    numerator, denominator = score_ratio
    top, bottom = abs(pts) * numerator, 100 * denominator
    half_up = (2 * top + bottom) // (2 * bottom)
    return half_up if pts >= 0 else -half_up


@attrs.frozen
class ExternalScoreSignal:
    """Points from an outside service's score: ``score × points / 100``, ROUND_HALF_UP.

    With the default 50 points, a score of 99 gives 50 (49.5 rounds up) and a score of 20
    gives 10. Silent when there is no external service or it had no answer.
    """

    name: ClassVar[str] = "external_score"
    points: int = attrs.field(default=50, validator=points)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """One contribution when the service answered."""
        external = context.external
        if external is None:
            return ()
        pts = scaled_points(external.score.as_integer_ratio(), self.points)
        reasons = "; ".join(external.reasons)
        return (
            Contribution(
                self.name,
                pts,
                f"external risk score {external.score} of 99 × {self.points}/100 → {pts} "
                "(ROUND_HALF_UP)" + (f"; the service says: {reasons}" if reasons else ""),
                (("score", str(external.score)), ("service_reasons", reasons)),
            ),
        )
