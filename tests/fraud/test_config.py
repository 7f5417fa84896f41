import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import (
    BUILTIN_SIGNALS,
    Contribution,
    Decision,
    FraudConfig,
    HardRule,
    SkipRules,
    Thresholds,
    default_config,
)
from hostbill_core.fraud.signals import VelocitySignal


def test_the_default_configuration():
    config = default_config()
    assert config.thresholds == Thresholds(30, 70)
    assert [s.name for s in config.signals] == list(BUILTIN_SIGNALS)
    assert config.hard_rules == (HardRule("product_risk.vps", Decision.REVIEW),)
    assert config.skip == SkipRules(admin_orders=True, allowed_ips=(), trusted_after=None)


@pytest.mark.parametrize(
    ("score", "decision"),
    [
        (0, "ACCEPT"),
        (29, "ACCEPT"),
        (30, "REVIEW"),
        (69, "REVIEW"),
        (70, "REJECT"),
        (100, "REJECT"),
    ],
)
def test_thresholds_are_inclusive_lower_bounds(score, decision):
    assert Thresholds(30, 70).decide(score) is Decision[decision]


def test_equal_thresholds_leave_no_review_band():
    assert Thresholds(50, 50).decide(50) is Decision.REJECT


def test_thresholds_out_of_order_are_refused():
    with pytest.raises(ValidationError) as error:
        Thresholds(review=80, reject=20)
    assert error.value.field == "review"


@pytest.mark.parametrize("value", [-1, 101, True, "30"])
def test_thresholds_are_whole_scores_0_to_100(value):
    with pytest.raises(ValidationError):
        Thresholds(review=value)


def test_a_hard_rule_on_a_signal_matches_its_parts_and_a_full_name_only_itself():
    proxy = Contribution("anonymiser.proxy", 30, "")
    hosting = Contribution("anonymiser.hosting", 15, "")
    assert HardRule("anonymiser", Decision.REJECT).matches(proxy)
    assert HardRule("anonymiser.proxy", Decision.REJECT).matches(proxy)
    assert not HardRule("anonymiser.proxy", Decision.REJECT).matches(hosting)
    assert not HardRule("anon", Decision.REJECT).matches(proxy)


def test_a_hard_rule_forces_review_or_reject_only():
    with pytest.raises(ValidationError) as error:
        HardRule("velocity", Decision.ACCEPT)
    assert error.value.field == "decision"
    with pytest.raises(ValidationError):
        HardRule("", Decision.REVIEW)


def test_a_hard_rule_about_an_unconfigured_signal_is_refused():
    with pytest.raises(ValidationError) as error:
        FraudConfig(
            signals=(VelocitySignal(),),
            hard_rules=(HardRule("product_risk.vps", Decision.REVIEW),),
        )
    assert error.value.field == "hard_rules[0].match"
    assert "known: velocity" in error.value.reason


def test_a_signal_appears_once():
    with pytest.raises(ValidationError) as error:
        FraudConfig(signals=(VelocitySignal(), VelocitySignal()), hard_rules=())
    assert error.value.field == "signals.velocity"


def test_signal_by_name():
    assert default_config().signal("velocity") == VelocitySignal()
    with pytest.raises(ValidationError):
        default_config().signal("nope")


def test_skip_rules_parse_networks_and_check_counts():
    skip = SkipRules(allowed_ips=["198.51.100.0/24", "2001:db8::1"])
    assert [str(n) for n in skip.allowed_ips] == ["198.51.100.0/24", "2001:db8::1/128"]
    with pytest.raises(ValidationError) as error:
        SkipRules(allowed_ips=["198.51.100.0/24", "not-an-ip"])
    assert error.value.field == "allowed_ips[1]"
    with pytest.raises(ValidationError):
        SkipRules(allowed_ips="198.51.100.1")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        SkipRules(trusted_after=0)
    with pytest.raises(ValidationError):
        SkipRules(admin_orders="yes")  # type: ignore[arg-type]
