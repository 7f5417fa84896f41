from datetime import timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import (
    BUILTIN_SIGNALS,
    Contribution,
    Decision,
    HardRule,
    assess,
    default_config,
    load_config,
)
from hostbill_core.fraud.signals import (
    ContactDetailsSignal,
    EmailDomainSignal,
    FirstOrderValueSignal,
    ProductRiskSignal,
    VelocitySignal,
)
from hostbill_core.model import ProductType

from .factories import make_context


def test_an_empty_document_is_the_default_configuration():
    assert load_config({}) == default_config()


def test_a_full_document():
    config = load_config(
        {
            "thresholds": {"review": 20, "reject": 60},
            "signals": {
                "product_risk": {"points": {"vps": 20, "ssl": 5}},
                "high_risk_country": {"countries": ["XK"], "points": 30},
                "email_domain": {"extra_disposable": ["burner.example"], "free_points": 0},
                "velocity": {"window_hours": 6, "max_orders": 3, "card_points": 25},
                "first_order_value": {"limits": {"USD": "250.00"}},
                "contact_details": {"postcode_patterns": {"XK": r"\d{5}"}},
                "external_score": {"enabled": False},
            },
            "hard_rules": {"product_risk.vps": "review", "anonymiser.proxy": "reject"},
            "skip": {"allowed_ips": ["198.51.100.0/24"], "trusted_after": 3},
        }
    )
    assert (config.thresholds.review, config.thresholds.reject) == (20, 60)
    assert "external_score" not in [s.name for s in config.signals]
    assert config.signal("product_risk") == ProductRiskSignal(
        {ProductType.VPS: 20, ProductType.SSL: 5}
    )
    assert config.signal("velocity") == VelocitySignal(timedelta(hours=6), 3, card_points=25)
    assert config.signal("email_domain") == EmailDomainSignal(
        free_points=0, extra_disposable=frozenset({"burner.example"})
    )
    assert config.signal("first_order_value") == FirstOrderValueSignal(
        limits=(("USD", Decimal("250.00")),)
    )
    patterns = dict(config.signal("contact_details").postcode_patterns)  # type: ignore[attr-defined]
    assert patterns["XK"] == r"\d{5}"
    assert patterns["GB"]  # the shipped patterns are kept
    assert config.hard_rules == (
        HardRule("product_risk.vps", Decision.REVIEW),
        HardRule("anonymiser.proxy", Decision.REJECT),
    )
    assert config.skip.trusted_after == 3


def error_for(document):
    with pytest.raises(ValidationError) as error:
        load_config(document)
    return error.value.field, error.value.reason


def test_thresholds_out_of_order():
    field, reason = error_for({"thresholds": {"review": 80, "reject": 20}})
    assert field == "thresholds.review"
    assert "must not be above the reject threshold (20)" in reason


def test_a_negative_window():
    field, reason = error_for({"signals": {"velocity": {"window_hours": -1}}})
    assert field == "signals.velocity.window_hours"
    assert reason == "a window is a positive whole number of hours"


def test_a_window_given_as_a_timedelta_is_refused():
    field, reason = error_for({"signals": {"velocity": {"window": 3600}}})
    assert field == "signals.velocity.window"
    assert "window_hours" in reason


def test_an_unknown_signal():
    field, reason = error_for({"signals": {"geo_magic": {}}})
    assert field == "signals.geo_magic"
    assert reason.startswith("unknown setting; known: product_risk, country_mismatch")


def test_an_unknown_top_level_key():
    field, _ = error_for({"threshold": {}})
    assert field == "threshold"


def test_an_unknown_signal_setting():
    field, reason = error_for({"signals": {"velocity": {"windowhours": 3}}})
    assert field == "signals.velocity.windowhours"
    assert reason == (
        "unknown setting; known: window_hours, max_orders, ip_points, email_points, card_points"
    )


def test_a_bad_points_value_is_named_by_path():
    field, _ = error_for({"signals": {"velocity": {"ip_points": 500}}})
    assert field == "signals.velocity.ip_points"


def test_a_float_limit_is_refused():
    field, _ = error_for({"signals": {"first_order_value": {"limits": {"USD": 99.5}}}})
    assert field == "signals.first_order_value.limits.USD"


def test_an_unknown_product_type():
    field, reason = error_for({"signals": {"product_risk": {"points": {"server": 5}}}})
    assert field == "signals.product_risk.points.server"
    assert "vps" in reason


def test_a_bad_postcode_pattern():
    field, _ = error_for({"signals": {"contact_details": {"postcode_patterns": {"XK": "("}}}})
    assert field == "signals.contact_details.postcode_patterns.XK"


def test_enabled_is_a_bool():
    field, _ = error_for({"signals": {"velocity": {"enabled": "no"}}})
    assert field == "signals.velocity.enabled"


@pytest.mark.parametrize("section", ["signals", "thresholds", "skip", "hard_rules"])
def test_sections_are_tables(section):
    field, _ = error_for({section: ["not", "a", "table"]})
    assert field == section


def test_a_document_is_a_table():
    field, _ = error_for(["thresholds"])  # type: ignore[arg-type]
    assert field == "config"


def test_a_hard_rule_on_an_unknown_or_disabled_signal():
    field, _ = error_for({"hard_rules": {"magic": "reject"}})
    assert field == "hard_rules.magic"
    field, _ = error_for(
        {"signals": {"anonymiser": {"enabled": False}}, "hard_rules": {"anonymiser": "reject"}}
    )
    assert field == "hard_rules.anonymiser"


def test_a_hard_rule_forces_review_or_reject():
    field, reason = error_for({"hard_rules": {"velocity": "accept"}})
    assert (field, reason) == ("hard_rules.velocity", "'review' or 'reject'")


def test_disabling_product_risk_drops_the_default_vps_rule():
    config = load_config({"signals": {"product_risk": {"enabled": False}}})
    assert config.hard_rules == ()


def test_a_bad_skip_network_is_named_by_path():
    field, _ = error_for({"skip": {"allowed_ips": ["10.0.0.0/8", "x"]}})
    assert field == "skip.allowed_ips[1]"


@attrs.frozen
class LoyaltySignal:
    """A custom signal: a fixed bonus for clients of a partner group."""

    name = "loyalty"
    points: int = -10

    def evaluate(self, context):
        if context.client.group != "partner":
            return ()
        return (Contribution(self.name, self.points, "client of a partner"),)


def load_loyalty(settings):
    points = settings.get("points", -10)
    if not isinstance(points, int):
        raise ValidationError("points", points, "a whole number")
    return LoyaltySignal(points)


def test_custom_signals_load_with_their_section_and_run_after_the_builtins():
    config = load_config({"signals": {"loyalty": {"points": -20}}}, {"loyalty": load_loyalty})
    assert [s.name for s in config.signals] == [*BUILTIN_SIGNALS, "loyalty"]
    context = make_context()
    partner = attrs.evolve(context.client, group="partner")
    context = attrs.evolve(context, request=attrs.evolve(context.request, client=partner))
    assert assess(context, config).raw_total == -20


def test_a_custom_signal_error_is_prefixed_with_its_path():
    with pytest.raises(ValidationError) as error:
        load_config({"signals": {"loyalty": {"points": "many"}}}, {"loyalty": load_loyalty})
    assert error.value.field == "signals.loyalty.points"


def test_a_loaded_configuration_checks_its_contact_details_patterns_merge():
    config = load_config({"signals": {"contact_details": {"missing_phone_points": 7}}})
    assert config.signal("contact_details") == ContactDetailsSignal(missing_phone_points=7)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        (
            {"signals": {"high_risk_country": {"countries": 5}}},
            "signals.high_risk_country.countries",
        ),
        (
            {"signals": {"high_risk_country": {"countries": [["GB"]]}}},
            "signals.high_risk_country.countries",
        ),
        ({"signals": {"email_domain": {"extra_free": 5}}}, "signals.email_domain.extra_free"),
        (
            {"signals": {"email_domain": {"extra_disposable": [1]}}},
            "signals.email_domain.extra_disposable",
        ),
        ({"skip": {"allowed_ips": 5}}, "skip.allowed_ips"),
        ({"skip": {"allowed_ips": [["10.0.0.1"]]}}, "skip.allowed_ips[0]"),
        ({"skip": {"trusted_after": "3"}}, "skip.trusted_after"),
        ({"skip": {"admin_orders": 1}}, "skip.admin_orders"),
        ({"signals": {"velocity": {"max_orders": 2.5}}}, "signals.velocity.max_orders"),
        (
            {"signals": {"product_risk": {"points": {"vps": "10"}}}},
            "signals.product_risk.points.vps",
        ),
        (
            {"signals": {"first_order_value": {"limits": ["USD"]}}},
            "signals.first_order_value.limits",
        ),
        (
            {"signals": {"contact_details": {"postcode_patterns": {"XK": 5}}}},
            "signals.contact_details.postcode_patterns.XK",
        ),
        (
            {"signals": {"email_domain": {"use_builtin_lists": "yes"}}},
            "signals.email_domain.use_builtin_lists",
        ),
    ],
)
def test_values_of_the_wrong_type_are_validation_errors_naming_the_path(document, path):
    field, _ = error_for(document)
    assert field == path


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-200, 200)
    | st.text(max_size=5)
    | st.sampled_from(["review", "10.0.0.0/8", "USD", "gmail.com", "XK", "12.5"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_SETTING_NAMES = sorted(
    {f.name for cls in BUILTIN_SIGNALS.values() for f in attrs.fields(cls) if f.init}
    | {
        "window_hours",
        "enabled",
        "review",
        "reject",
        "admin_orders",
        "allowed_ips",
        "trusted_after",
    }
)
_sections = st.dictionaries(st.sampled_from(_SETTING_NAMES), _json, max_size=3)
_documents = st.fixed_dictionaries(
    {},
    optional={
        "thresholds": _sections,
        "skip": _sections,
        "signals": st.dictionaries(st.sampled_from(list(BUILTIN_SIGNALS)), _sections, max_size=3),
        "hard_rules": st.dictionaries(
            st.sampled_from(["velocity", "anonymiser.proxy", "x"]), _json, max_size=2
        ),
    },
)


@given(_documents)
def test_any_document_loads_or_raises_a_validation_error(document):
    try:
        load_config(document)
    except ValidationError as error:  # anything else (a TypeError, a KeyError) fails the test
        field = error.field
    else:
        field = "(loaded)"
    assert field
