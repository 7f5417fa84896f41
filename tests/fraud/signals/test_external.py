from decimal import Decimal

import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import ExternalScore
from hostbill_core.fraud.signals import ExternalScoreSignal
from hostbill_core.fraud.signals.external import scaled_points

from ..factories import make_context


@pytest.mark.parametrize(
    ("score", "points", "expected"),
    [
        ("99", 50, 50),  # 99 × 50 / 100 = 49.5 → 50 (half up)
        ("20", 50, 10),  # 10 exactly
        ("0.01", 50, 0),  # 0.005 → 0
        ("1", 50, 1),  # 0.5 → 1
        ("87.53", 40, 35),  # 35.012 → 35
        ("99", -50, -50),  # -49.5 → -50 (half away from zero)
    ],
)
def test_the_external_score_is_scaled_and_rounded_half_up(score, points, expected):
    context = make_context(external=ExternalScore(Decimal(score), ("high risk email",)))
    (found,) = ExternalScoreSignal(points).evaluate(context)
    assert found.points == expected
    assert scaled_points(Decimal(score).as_integer_ratio(), points) == expected


def test_the_reason_shows_the_arithmetic_and_the_services_reasons():
    context = make_context(external=ExternalScore(Decimal("99"), ("proxy", "new email")))
    (found,) = ExternalScoreSignal().evaluate(context)
    assert found.reason == (
        "external risk score 99 of 99 × 50/100 → 50 (ROUND_HALF_UP); "
        "the service says: proxy; new email"
    )


def test_silent_without_an_answer():
    assert ExternalScoreSignal().evaluate(make_context()) == ()


@pytest.mark.parametrize("score", [Decimal(0), Decimal("99.01"), 50.0, "abc", True])
def test_the_external_score_is_a_decimal_from_001_to_99(score):
    with pytest.raises(ValidationError) as error:
        ExternalScore(score)
    assert error.value.field == "score"
