from datetime import timedelta
from decimal import Decimal

import pytest

from hostbill_core.errors import NotFoundError
from hostbill_core.fraud import ExternalScore, GeoIPInfo, HistoryKey
from hostbill_core.fraud.fakes import FixedRiskScore, InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.model import OrderId, OrderStatus

from .factories import T0, make_client, make_order, make_past


def test_geoip_answers_what_it_holds():
    geoip = InMemoryGeoIP({"192.0.2.1": GeoIPInfo("DE")})
    geoip.add("192.0.2.2", GeoIPInfo("FR", is_proxy=True))
    assert geoip.lookup("192.0.2.1") == GeoIPInfo("DE")
    assert geoip.lookup("192.0.2.2").is_proxy
    assert geoip.lookup("192.0.2.3") is None


def test_history_answers_strictly_earlier_orders_oldest_first():
    history = InMemoryOrderHistory(
        [
            make_past("late", before=timedelta(0)),  # placed exactly at T0: not earlier
            make_past("p2", before=timedelta(hours=1)),
            make_past("p1", before=timedelta(hours=2)),
        ]
    )
    found = history.earlier_orders(HistoryKey.IP, "198.51.100.1", T0)
    assert [p.order_id for p in found] == ["p1", "p2"]
    assert history.earlier_orders(HistoryKey.IP, "198.51.100.9", T0) == ()


def test_an_empty_key_matches_nothing():
    history = InMemoryOrderHistory([make_past("p1")])
    assert history.earlier_orders(HistoryKey.CARD, "", T0) == ()


def test_recording_an_order_again_replaces_it_in_every_index():
    history = InMemoryOrderHistory([make_past("p1", ip="198.51.100.1")])
    history.record(make_past("p1", ip="198.51.100.2"))
    assert history.earlier_orders(HistoryKey.IP, "198.51.100.1", T0) == ()
    assert len(history.earlier_orders(HistoryKey.IP, "198.51.100.2", T0)) == 1
    assert len(history.records) == 1


def test_set_status_changes_the_recorded_status():
    history = InMemoryOrderHistory([make_past("p1")])
    history.set_status(OrderId("p1"), OrderStatus.REJECTED)
    (found,) = history.earlier_orders(HistoryKey.CLIENT, "c-other", T0)
    assert found.status is OrderStatus.REJECTED


def test_set_status_of_an_unknown_order_is_not_found():
    with pytest.raises(NotFoundError):
        InMemoryOrderHistory().set_status(OrderId("nope"), OrderStatus.REJECTED)


def test_fixed_risk_score_answers_by_order_id_and_remembers_questions():
    score = ExternalScore(Decimal("12.5"))
    service = FixedRiskScore({OrderId("o1"): score})
    assert service.score(make_order(), make_client()) == score
    assert service.score(make_order(order_id="o2"), make_client()) is None
    assert service.asked == ["o1", "o2"]
