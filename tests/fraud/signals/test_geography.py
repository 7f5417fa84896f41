import attrs
import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import GeoIPInfo
from hostbill_core.fraud.signals import (
    AnonymiserSignal,
    CountryMismatchSignal,
    HighRiskCountrySignal,
)

from ..factories import IP, make_client, make_context


def test_ip_country_differing_from_billing_country_contributes():
    context = make_context(geo=GeoIPInfo("NG"))  # billing country GB
    (found,) = CountryMismatchSignal().evaluate(context)
    assert (found.name, found.points) == ("country_mismatch", 15)
    assert found.reason == f"IP {IP} is in NG, billing country is GB"
    assert found.data == (("ip_country", "NG"), ("billing_country", "GB"))


@pytest.mark.parametrize(
    ("geo", "country"),
    [(GeoIPInfo("GB"), "GB"), (GeoIPInfo(""), "GB"), (GeoIPInfo("NG"), "")],
)
def test_country_mismatch_is_silent_when_equal_or_unknown(geo, country):
    context = make_context(geo=geo, client=make_client(country=country, postcode=""))
    assert CountryMismatchSignal().evaluate(context) == ()


def test_country_mismatch_is_silent_without_a_geoip_answer():
    context = attrs.evolve(make_context(), geo=None)
    assert CountryMismatchSignal().evaluate(context) == ()


def test_high_risk_country_list_matches_ip_or_billing_country_once():
    signal = HighRiskCountrySignal(points=25, countries=["XK", "GB"])
    (found,) = signal.evaluate(make_context(geo=GeoIPInfo("XK")))
    # both countries are listed: one contribution of 25 points naming both
    assert (found.name, found.points) == ("high_risk_country", 25)
    assert found.reason == (
        "GB and XK on the high-risk country list (IP country XK, billing country GB)"
    )


def test_high_risk_country_is_silent_with_the_default_empty_list():
    assert HighRiskCountrySignal().evaluate(make_context(geo=GeoIPInfo("XK"))) == ()


def test_high_risk_countries_are_alpha_2_codes():
    with pytest.raises(ValidationError):
        HighRiskCountrySignal(countries=["gb"])
    with pytest.raises(ValidationError, match="a list of"):
        HighRiskCountrySignal(countries="GB")  # type: ignore[arg-type]


def test_proxy_and_hosting_network_each_contribute():
    geo = GeoIPInfo("GB", is_proxy=True, is_hosting=True)
    found = AnonymiserSignal().evaluate(make_context(geo=geo))
    assert [(c.name, c.points, c.reason) for c in found] == [
        ("anonymiser.proxy", 30, f"IP {IP} is a known proxy, VPN or Tor exit"),
        ("anonymiser.hosting", 15, f"IP {IP} belongs to a hosting or data-centre network"),
    ]


def test_anonymiser_is_silent_for_a_plain_address():
    assert AnonymiserSignal().evaluate(make_context(geo=GeoIPInfo("GB"))) == ()
