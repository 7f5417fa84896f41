import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.signals import ProductRiskSignal
from hostbill_core.model import ProductType

from ..factories import make_context, make_order


def test_a_vps_order_contributes_the_vps_points_once_per_type():
    order = make_order(types=(ProductType.VPS, ProductType.VPS, ProductType.HOSTING))
    (found,) = ProductRiskSignal().evaluate(make_context(order=order))
    # two VPS items count once: 10 points (the default), not 20
    assert found.name == "product_risk.vps"
    assert found.points == 10
    assert found.reason == "the order includes 2 vps item(s), a product type listed as risky"
    assert found.data == (("product_type", "vps"), ("items", 2))


def test_unlisted_types_contribute_nothing():
    order = make_order(types=(ProductType.HOSTING, ProductType.DOMAIN))
    assert ProductRiskSignal().evaluate(make_context(order=order)) == ()


def test_a_listed_type_with_zero_points_still_contributes_so_hard_rules_apply():
    signal = ProductRiskSignal({ProductType.VPS: 0, ProductType.SSL: 3})
    order = make_order(types=(ProductType.SSL, ProductType.VPS))
    found = signal.evaluate(make_context(order=order))
    # entries are sorted by type value: ssl before vps
    assert [(c.name, c.points) for c in found] == [("product_risk.ssl", 3), ("product_risk.vps", 0)]


def test_points_must_be_keyed_by_product_type():
    with pytest.raises(ValidationError) as error:
        ProductRiskSignal({"vps": 10})  # type: ignore[dict-item]
    assert error.value.field == "points"


def test_points_must_be_whole_and_within_100():
    with pytest.raises(ValidationError) as error:
        ProductRiskSignal({ProductType.VPS: 101})
    assert error.value.field == "points.vps"


def test_one_entry_per_type():
    with pytest.raises(ValidationError, match="one entry per product type"):
        ProductRiskSignal(((ProductType.VPS, 1), (ProductType.VPS, 2)))
