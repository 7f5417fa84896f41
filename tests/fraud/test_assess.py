from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.fraud import (
    BUILTIN_SIGNALS,
    Decision,
    EarlierOrders,
    FraudConfig,
    GeoIPInfo,
    HardRule,
    SkipRules,
    Thresholds,
    assess,
    default_config,
)
from hostbill_core.model import OrderStatus, ProductType

from .factories import IP, make_client, make_context, make_order, make_past
from .strategies import POINT_FIELDS, POINT_SETTINGS, configs, contexts, with_points

DISPOSABLE = make_client(email="zed@mailinator.com")


def test_a_clean_order_scores_zero_and_is_accepted():
    assessment = assess(make_context())
    assert (assessment.score, assessment.decision) == (0, Decision.ACCEPT)
    assert assessment.contributions == ()
    assert assessment.explanation == (
        "order o1: score 0/100 → ACCEPT (review at 30, reject at 70)\n  no signal fired"
    )


def test_exactly_the_review_threshold_is_reviewed():
    # disposable email: 30 = review threshold
    assessment = assess(make_context(client=DISPOSABLE))
    assert (assessment.score, assessment.decision) == (30, Decision.REVIEW)
    assert assessment.flagged


def test_points_add_up_and_the_explanation_lists_them_heaviest_first():
    # disposable 30 + IP country mismatch 15 = 45: review (30 <= 45 < 70)
    assessment = assess(make_context(client=DISPOSABLE, geo=GeoIPInfo("NG")))
    assert (assessment.score, assessment.decision) == (45, Decision.REVIEW)
    assert assessment.explanation == (
        "order o1: score 45/100 → REVIEW (review at 30, reject at 70)\n"
        "   +30  email_domain.disposable: "
        "mailinator.com is a disposable (throw-away) email domain\n"
        f"   +15  country_mismatch: IP {IP} is in NG, billing country is GB"
    )


def test_reaching_the_reject_threshold_rejects():
    # disposable 30 + proxy 30 + mismatch 15 = 75 >= 70
    geo = GeoIPInfo("NG", is_proxy=True)
    assessment = assess(make_context(client=DISPOSABLE, geo=geo))
    assert (assessment.score, assessment.decision) == (75, Decision.REJECT)
    assert [c.name for c in assessment.contributions] == [
        "anonymiser.proxy",  # 30, and "anonymiser…" sorts before "email_domain…"
        "email_domain.disposable",
        "country_mismatch",
    ]


def test_the_score_is_clamped_to_100_and_the_explanation_says_so():
    earlier = EarlierOrders(
        by_ip=tuple(make_past(f"p{i}", status=OrderStatus.REJECTED) for i in range(3))
    )
    # 3 rejected × 40 = 120 + disposable 30 = 150 → 100
    assessment = assess(make_context(client=DISPOSABLE, earlier=earlier))
    assert (assessment.raw_total, assessment.score) == (150, 100)
    assert "  points total 150, clamped to 100" in assessment.explanation.splitlines()


def test_a_negative_total_scores_zero():
    earlier = EarlierOrders(by_client=tuple(make_past(f"p{i}", client_id="c1") for i in range(3)))
    # 3 accepted × -5 = -15 → 0
    assessment = assess(make_context(earlier=earlier))
    assert (assessment.raw_total, assessment.score, assessment.decision) == (
        -15,
        0,
        Decision.ACCEPT,
    )


def test_a_vps_order_is_always_reviewed_even_with_a_low_score():
    order = make_order(types=(ProductType.VPS,))
    assessment = assess(make_context(order=order))
    # 10 points would be ACCEPT; the default hard rule raises it to REVIEW
    assert (assessment.score, assessment.decision) == (10, Decision.REVIEW)
    assert assessment.forced_by == (HardRule("product_risk.vps", Decision.REVIEW),)
    assert assessment.explanation.endswith("  forced: product_risk.vps → at least REVIEW")


def test_a_hard_rule_can_force_a_rejection():
    config = attrs.evolve(
        default_config(), hard_rules=(HardRule("anonymiser.proxy", Decision.REJECT),)
    )
    assessment = assess(make_context(geo=GeoIPInfo("GB", is_proxy=True)), config)
    assert (assessment.score, assessment.decision) == (30, Decision.REJECT)


def test_a_hard_rule_never_lowers_a_decision():
    config = attrs.evolve(default_config(), thresholds=Thresholds(5, 10))
    order = make_order(types=(ProductType.VPS,))
    assert assess(make_context(order=order), config).decision is Decision.REJECT


def test_equal_points_sort_by_name():
    config = attrs.evolve(default_config(), thresholds=Thresholds(90, 95))
    client = make_client(phone="", name="ann@shop.example", postcode="1")
    config = with_points(config, "contact_details", "missing_phone_points", 10)
    names = [c.name for c in assess(make_context(client=client), config).contributions]
    assert names == [
        "contact_details.missing_phone",
        "contact_details.name_is_email",
        "contact_details.postcode",
    ]


def test_admin_placed_orders_are_not_scored():
    order = make_order(types=(ProductType.VPS,), placed_by_admin=True)
    assessment = assess(make_context(client=DISPOSABLE, order=order))
    assert (assessment.score, assessment.decision, assessment.contributions) == (
        0,
        Decision.ACCEPT,
        (),
    )
    assert assessment.explanation == (
        "order o1: score 0/100 → ACCEPT (review at 30, reject at 70)\n"
        "  not scored: placed by staff (admin-placed orders are not scored)"
    )


def test_admin_orders_are_scored_when_the_skip_rule_is_off():
    config = attrs.evolve(default_config(), skip=SkipRules(admin_orders=False))
    order = make_order(placed_by_admin=True)
    assert assess(make_context(client=DISPOSABLE, order=order), config).score == 30


def test_allow_listed_networks_are_not_scored():
    config = attrs.evolve(default_config(), skip=SkipRules(allowed_ips=["192.0.2.0/24", "::1"]))
    assessment = assess(make_context(client=DISPOSABLE), config)
    assert assessment.skipped_by == f"IP {IP} is in the allow-listed network 192.0.2.0/24"
    other = make_order(ip="198.51.100.1")
    assert not assess(make_context(client=DISPOSABLE, order=other), config).skipped_by


def test_trusted_returning_customers_are_not_scored():
    config = attrs.evolve(default_config(), skip=SkipRules(trusted_after=2))
    accepted = tuple(make_past(f"p{i}", client_id="c1") for i in range(2))
    order = make_order(types=(ProductType.VPS,))
    assessment = assess(
        make_context(order=order, earlier=EarlierOrders(by_client=accepted)), config
    )
    assert assessment.skipped_by == "returning customer with 2 accepted orders and none rejected"
    assert assessment.decision is Decision.ACCEPT


def test_a_rejection_by_any_key_spoils_trust():
    config = attrs.evolve(default_config(), skip=SkipRules(trusted_after=2))
    earlier = EarlierOrders(
        by_client=tuple(make_past(f"p{i}", client_id="c1") for i in range(5)),
        by_ip=(make_past("bad", status=OrderStatus.REJECTED),),
    )
    assert not assess(make_context(earlier=earlier), config).skipped_by


def test_too_few_accepted_orders_are_not_trusted():
    config = attrs.evolve(default_config(), skip=SkipRules(trusted_after=3))
    earlier = EarlierOrders(by_client=tuple(make_past(f"p{i}", client_id="c1") for i in range(2)))
    assert not assess(make_context(earlier=earlier), config).skipped_by


def test_a_young_account_with_a_large_first_order():
    client = make_client(active_from=date(2024, 4, 30))
    order = make_order(price="450.00")
    assessment = assess(make_context(client=client, order=order))
    # first order 450.00 > 400 GBP: 10; account 1 day old: 5 → 15, accepted
    assert [(c.name, c.points) for c in assessment.contributions] == [
        ("first_order_value", 10),
        ("account_age", 5),
    ]
    assert (assessment.score, assessment.decision) == (15, Decision.ACCEPT)


def test_velocity_and_history_combine():
    earlier = EarlierOrders(
        by_ip=(
            make_past("p1", before=timedelta(hours=5), ip=IP, status=OrderStatus.REJECTED),
            make_past("p2", before=timedelta(hours=2), ip=IP, status=OrderStatus.IN_REVIEW),
        )
    )
    assessment = assess(make_context(earlier=earlier))
    # rejected 40 + velocity.ip 15 (3 orders in 24 h) = 55
    assert [(c.name, c.points) for c in assessment.contributions] == [
        ("history.rejected", 40),
        ("velocity.ip", 15),
    ]
    assert assessment.decision is Decision.REVIEW


def test_the_points_table_covers_every_points_setting():
    for name, cls in BUILTIN_SIGNALS.items():
        settings = {f.name for f in attrs.fields(cls) if f.name.endswith("points")}
        assert settings == set(POINT_FIELDS[name]), name


@given(contexts(), configs())
def test_the_score_is_bounded(context, config):
    assessment = assess(context, config)
    assert 0 <= assessment.score <= 100
    assert assessment.score == min(100, max(0, assessment.raw_total)) or assessment.skipped_by


@given(contexts(), configs())
def test_the_assessment_is_deterministic(context, config):
    copy = attrs.evolve(context, request=attrs.evolve(context.request))
    first, second = assess(context, config), assess(copy, config)
    assert first == second
    assert first.explanation == second.explanation


@given(contexts(), configs())
def test_contributions_are_sorted_heaviest_first(context, config):
    weights = [abs(c.points) for c in assess(context, config).contributions]
    assert weights == sorted(weights, reverse=True)


@given(
    contexts(),
    configs(),
    st.sampled_from(POINT_SETTINGS),
    st.sampled_from(list(ProductType)),
    st.integers(0, 60),
)
def test_the_score_is_monotonic_in_every_signals_points(context, config, setting, kind, more):
    signal, field = setting
    if signal == "product_risk":
        old = dict(config.signal(signal).points).get(kind, 0)  # type: ignore[attr-defined]
    else:
        old = getattr(config.signal(signal), field)
    raised = with_points(config, signal, field, min(100, old + more), kind)
    before, after = assess(context, config), assess(context, raised)
    assert after.score >= before.score
    assert after.decision.severity >= before.decision.severity


@given(contexts())
def test_a_vps_order_is_at_least_reviewed_unless_skipped(context):
    assessment = assess(context, default_config())
    if ProductType.VPS in context.request.item_types and not assessment.skipped_by:
        assert assessment.decision is not Decision.ACCEPT


def test_no_configuration_means_the_default():
    assert assess(make_context(client=DISPOSABLE), None) == assess(
        make_context(client=DISPOSABLE), FraudConfig()
    )


@pytest.mark.parametrize("raw", [29, 30])
def test_custom_thresholds_worked_example(raw):
    # disposable at `raw` points with review at 30
    config = with_points(default_config(), "email_domain", "disposable_points", raw)
    expected = Decision.REVIEW if raw >= 30 else Decision.ACCEPT
    assert assess(make_context(client=DISPOSABLE), config).decision is expected
