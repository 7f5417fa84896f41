"""The external risk score (minFraud-like, 0.01–99) mapped onto our points."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import ClassVar

import attrs

from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import points

__all__ = ["ExternalScoreSignal"]


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
        with localcontext(prec=40):  # exact whatever the caller's decimal context
            exact = external.score * self.points / 100
            pts = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        reasons = "; ".join(external.reasons)
        return (
            Contribution(
                self.name,
                pts,
                f"external risk score {external.score} of 99 × {self.points}/100 = {exact} "
                f"→ {pts} (ROUND_HALF_UP)" + (f"; the service says: {reasons}" if reasons else ""),
                (("score", str(external.score)), ("service_reasons", reasons)),
            ),
        )
