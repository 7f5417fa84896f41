from decimal import Decimal

import attrs
import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import (
    Decision,
    GeoIPInfo,
    HardRule,
    LabelledOrder,
    SkipRules,
    default_config,
    evaluate,
)
from hostbill_core.model import ProductType

from .factories import make_client, make_context, make_order

# scores under the default configuration:
CLEAN = make_context()  # 0
FREE = make_context(client=make_client(email="a@gmail.com"))  # 5
DISPOSABLE = make_context(client=make_client(email="a@mailinator.com"))  # 30
RISKY = make_context(  # 30 + 30 + 15 = 75
    client=make_client(email="a@mailinator.com"), geo=GeoIPInfo("NG", is_proxy=True)
)
VPS = make_context(order=make_order(types=(ProductType.VPS,)))  # 10, forced to review
ADMIN = make_context(
    client=make_client(email="a@mailinator.com"), order=make_order(placed_by_admin=True)
)  # skipped

LABELLED = [
    LabelledOrder(CLEAN, False),
    LabelledOrder(FREE, False),
    LabelledOrder(DISPOSABLE, True),
    LabelledOrder(DISPOSABLE, False),
    LabelledOrder(RISKY, True),
    LabelledOrder(VPS, False),
    LabelledOrder(ADMIN, True),
    LabelledOrder(CLEAN, False),
]


def test_metrics_at_each_threshold_worked_example():
    result = evaluate(default_config(), LABELLED, thresholds=(0, 5, 30, 70, 80))
    assert (result.total, result.frauds) == (8, 3)
    rows = {r.threshold: r for r in result.rows}
    # threshold 0: every scored order (7 of 8, the admin order is skipped); TP 2 of 3 frauds
    assert (rows[0].flagged, rows[0].true_positives, rows[0].false_positives) == (7, 2, 5)
    assert rows[0].precision == Decimal("0.2857")  # 2/7 = 0.285714… → 0.2857
    assert rows[0].recall == Decimal("0.6667")  # 2/3 = 0.6666… → 0.6667 (half up)
    assert rows[0].review_rate == Decimal("0.8750")  # 7/8
    # threshold 30: DISPOSABLE ×2, RISKY and the VPS (forced) → 4 flagged, 2 fraud
    assert (rows[30].flagged, rows[30].true_positives, rows[30].false_negatives) == (4, 2, 1)
    assert rows[30].precision == Decimal("0.5000")
    # threshold 80: nothing scores 80; only the forced VPS is flagged, and it is genuine
    assert (rows[80].flagged, rows[80].precision, rows[80].recall) == (1, Decimal(0), Decimal(0))
    assert rows[70].flagged == 2  # RISKY (75) and the VPS


def test_precision_is_undefined_when_nothing_is_flagged():
    config = attrs.evolve(default_config(), hard_rules=())
    result = evaluate(config, [LabelledOrder(CLEAN, False)], thresholds=(50,))
    assert result.at(50).precision is None
    assert result.at(50).recall is None  # no fraud in the set
    assert "        -       -" in result.table()


def test_a_hard_rule_counts_as_flagged_at_every_threshold():
    config = attrs.evolve(default_config(), hard_rules=(HardRule("email_domain", Decision.REVIEW),))
    result = evaluate(config, [LabelledOrder(FREE, True)], thresholds=(100,))
    assert result.at(100).true_positives == 1


def test_skip_rules_apply():
    config = attrs.evolve(default_config(), skip=SkipRules(admin_orders=False))
    result = evaluate(config, [LabelledOrder(ADMIN, True)], thresholds=(30,))
    assert result.at(30).true_positives == 1


def test_an_empty_set_has_no_ratios():
    result = evaluate(None, [], thresholds=(30,))
    row = result.at(30)
    assert (row.flagged, row.precision, row.recall, row.review_rate) == (0, None, None, 0)


def test_the_default_thresholds_are_0_to_100_by_5():
    result = evaluate(None, LABELLED)
    assert [r.threshold for r in result.rows] == list(range(0, 101, 5))


@pytest.mark.parametrize("threshold", [-1, 101, True, "30"])
def test_thresholds_are_whole_scores(threshold):
    with pytest.raises(ValidationError) as error:
        evaluate(None, LABELLED, thresholds=(threshold,))
    assert error.value.field == "thresholds"


def test_asking_for_a_threshold_not_evaluated():
    with pytest.raises(ValidationError):
        evaluate(None, LABELLED, thresholds=(30,)).at(35)
