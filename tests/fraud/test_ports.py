import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud import GeoIPInfo, HistoryKey, PastOrder

from .factories import make_past


def test_geoip_country_is_alpha_2_or_empty():
    assert GeoIPInfo().country == ""
    with pytest.raises(ValidationError) as error:
        GeoIPInfo("gbr")
    assert error.value.field == "country"


def test_a_past_order_names_its_key_values():
    past = make_past("p1", client_id="c9", email="a@b.example", ip="198.51.100.7", card="fp")
    assert [past.key(k) for k in HistoryKey] == ["c9", "a@b.example", "198.51.100.7", "fp"]


def test_a_past_order_instant_must_be_aware():
    past = make_past("p1")
    with pytest.raises(ValidationError):
        PastOrder(
            past.order_id,
            past.client_id,
            past.email,
            past.ip,
            past.placed_at.replace(tzinfo=None),
            past.status,
        )
