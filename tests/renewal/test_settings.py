"""Lead time and the continue-invoicing switch: client, then product type, then default."""

import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.model import ClientId, ClientSettings, ProductId, ProductType
from hostbill_core.renewal import DEFAULT_LEAD_DAYS, RenewalContext, RenewalSettings

from .helpers import service


def test_default_lead_time_is_14_days() -> None:
    assert DEFAULT_LEAD_DAYS == 14
    assert RenewalSettings().lead_days() == 14


def test_product_type_overrides_default_and_client_overrides_both() -> None:
    settings = RenewalSettings(invoice_lead_days=10, lead_days_by_type={ProductType.DOMAIN: 30})
    assert settings.lead_days(ProductType.HOSTING) == 10
    assert settings.lead_days(ProductType.DOMAIN) == 30
    assert settings.lead_days(ProductType.DOMAIN, ClientSettings(invoice_lead_days=0)) == 0
    assert settings.lead_days(ProductType.DOMAIN, ClientSettings()) == 30


def test_continue_invoicing_is_off_by_default_and_client_overridable() -> None:
    settings = RenewalSettings()
    assert not settings.continues_invoicing()
    assert settings.continues_invoicing(ClientSettings(continue_invoicing_when_unpaid=True))
    on = RenewalSettings(continue_invoicing_when_unpaid=True)
    assert not on.continues_invoicing(ClientSettings(continue_invoicing_when_unpaid=False))


def test_context_resolves_per_service() -> None:
    context = RenewalContext(
        RenewalSettings(lead_days_by_type={ProductType.VPS: 3}),
        product_types={ProductId("vps"): ProductType.VPS},
        clients={ClientId("c2"): ClientSettings(invoice_lead_days=21)},
    )
    assert context.lead_days(service(product="vps")) == 3
    assert context.lead_days(service(product="vps", client="c2")) == 21
    assert context.lead_days(service(product="unknown")) == 14
    assert context.product_type(service(product="unknown")) is None


@pytest.mark.parametrize("days", [-1, 367, True, "14"])
def test_lead_time_out_of_range_is_refused(days: object) -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSettings(invoice_lead_days=days)  # type: ignore[arg-type]
    assert info.value.field == "invoice_lead_days"


def test_lead_time_by_type_is_checked() -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSettings(lead_days_by_type={ProductType.SSL: -2})
    assert info.value.field == "lead_days_by_type[ssl]"


def test_lead_time_key_must_be_a_product_type() -> None:
    with pytest.raises(ValidationError) as info:
        RenewalSettings(lead_days_by_type={"ssl": 2})  # type: ignore[dict-item]
    assert info.value.field == "lead_days_by_type"
