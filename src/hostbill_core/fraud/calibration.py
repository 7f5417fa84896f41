"""Calibration: how a configuration would have done on orders whose truth is known.

:func:`evaluate` scores every labelled order once and reports, for each candidate review
threshold, how many orders would be flagged and how many of those were fraud, so a
business can tune weights and thresholds in a notebook. Ratios are Decimals rounded to four
places, ROUND_HALF_UP.

>>> from hostbill_core.fraud.synthetic import synthetic_labelled_orders
>>> labelled = synthetic_labelled_orders(200, seed=7)
>>> result = evaluate(default_config(), labelled, thresholds=(30, 50, 70))
>>> result.total, result.frauds
(200, 9)
>>> print(result.table())
threshold  flagged  precision  recall  review rate
       30       27     0.2593  0.7778       0.1350
       50       16     0.3750  0.6667       0.0800
       70       15     0.4000  0.6667       0.0750
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.assess import assess
from hostbill_core.fraud.config import FraudConfig, default_config
from hostbill_core.fraud.context import FraudContext

__all__ = ["Evaluation", "LabelledOrder", "ThresholdMetrics", "evaluate"]

_PLACES = Decimal("0.0001")
_NEVER = -1


@attrs.frozen
class LabelledOrder:
    """An order's context and whether it turned out to be fraud."""

    context: FraudContext
    is_fraud: bool


@attrs.frozen
class ThresholdMetrics:
    """How a review threshold does on a labelled set.

    An order is *flagged* when its score reaches the threshold or a hard rule forces at least
    REVIEW; skipped orders are never flagged.

    Attributes:
        precision: true positives / flagged, or None when nothing is flagged.
        recall: true positives / frauds, or None when the set has no fraud.
        review_rate: flagged / orders: the share of orders staff would look at.
    """

    threshold: int
    flagged: int
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: Decimal | None
    recall: Decimal | None
    review_rate: Decimal


@attrs.frozen
class Evaluation:
    """The metrics of every threshold evaluated, in the order the thresholds were given."""

    total: int
    frauds: int
    rows: tuple[ThresholdMetrics, ...]

    def at(self, threshold: int) -> ThresholdMetrics:
        """The row of ``threshold``.

        Raises:
            ValidationError: that threshold was not evaluated.
        """
        for row in self.rows:
            if row.threshold == threshold:
                return row
        raise ValidationError("threshold", threshold, "not among the evaluated thresholds")

    def table(self) -> str:
        """The rows as a fixed-width text table (``-`` for an undefined ratio)."""
        lines = ["threshold  flagged  precision  recall  review rate"]
        lines.extend(
            f"{r.threshold:>9}  {r.flagged:>7}  {_text(r.precision):>9}  {_text(r.recall):>6}"
            f"  {_text(r.review_rate):>11}"
            for r in self.rows
        )
        return "\n".join(lines)


def _text(value: Decimal | None) -> str:
    return "-" if value is None else str(value)


def _ratio(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    with localcontext(prec=28):
        return (Decimal(part) / Decimal(whole)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def evaluate(
    config: FraudConfig | None,
    labelled_orders: Iterable[LabelledOrder],
    thresholds: Iterable[int] = range(0, 101, 5),
) -> Evaluation:
    """Score each labelled order with ``config`` and measure each review threshold.

    Args:
        config: the configuration to try (the default when None); its own thresholds are
            not used, only its signals, hard rules and skip rules.
        labelled_orders: contexts with their truth.
        thresholds: the review thresholds to measure, each 0–100.

    Raises:
        ValidationError: a threshold outside 0–100.
    """
    config = config or default_config()
    marks: list[tuple[int, bool]] = []  # (highest threshold that flags it, is_fraud)
    for labelled in labelled_orders:
        marks.append((_flagged_up_to(labelled.context, config), labelled.is_fraud))
    frauds = sum(1 for _, fraud in marks if fraud)
    rows = tuple(_row(_threshold(t), marks, frauds) for t in thresholds)
    return Evaluation(len(marks), frauds, rows)


def _threshold(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError("thresholds", value, "a threshold is a whole score from 0 to 100")
    return value


def _flagged_up_to(context: FraudContext, config: FraudConfig) -> int:
    """The score; 100 (any threshold) when a hard rule forces review; -1 (none) when skipped."""
    result = assess(context, config)
    if result.skipped_by:
        return _NEVER
    return 100 if result.forced_by else result.score


def _row(threshold: int, marks: list[tuple[int, bool]], frauds: int) -> ThresholdMetrics:
    tp = sum(1 for top, fraud in marks if fraud and top >= threshold)
    flagged = sum(1 for top, _ in marks if top >= threshold)
    fp = flagged - tp
    rate = _ratio(flagged, len(marks))
    return ThresholdMetrics(
        threshold,
        flagged,
        tp,
        fp,
        frauds - tp,
        _ratio(tp, flagged),
        _ratio(tp, frauds),
        Decimal(0) if rate is None else rate,
    )
