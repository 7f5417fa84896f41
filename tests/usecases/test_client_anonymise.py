import pytest

from hostbill_core.errors import PermissionDeniedError
from hostbill_core.model import Address, ClientStatus, InvoiceStatus, ServiceStatus
from hostbill_core.model.changes import ProfileChange
from hostbill_core.usecases.client_anonymise import AnonymiseRequest, anonymise_client

from .shop import AT, OWNER, STAFF, seed, snapshot


def test_anonymising_clears_personal_data_and_keeps_billing_records(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    before = snapshot(uow)
    result = anonymise_client(AnonymiseRequest(STAFF, "c1", AT), uow)
    after = snapshot(uow)
    client = next(c for c in after["clients"] if c.id == "c1")
    assert (client.details.name, client.details.email) == (
        "Anonymised client c1",
        "client-c1@anonymised.invalid",
    )
    assert (client.details.company, client.details.phone) == ("", "")
    assert client.details.address == Address(country="DE")
    assert client.invoice_recipients == ()
    assert client.vat_number == "DE123"
    assert client.status is ClientStatus.CLOSED
    assert client.changes == (ProfileChange("profile", "", "anonymised", "staff:eve", AT),)
    # Contacts are removed; c2's are untouched.
    assert [c.id for c in after["contacts"]] == ["c2-k1"]
    # Invoices, payments, credit and quotes are kept, with anonymised names on invoices.
    invoices = [i for i in after["invoices"] if i.client_id == "c1"]
    assert [i.client.name for i in invoices] == ["Anonymised client c1"] * 2
    assert [i.status for i in invoices] == [InvoiceStatus.CANCELLED, InvoiceStatus.PAID]
    assert [i.total for i in invoices] == [
        i.total for i in before["invoices"] if i.client_id == "c1"
    ]
    for kind in ("payments", "credit", "quotes", "service_groups"):
        assert after[kind] == before[kind]
    assert {o.ip for o in after["orders"] if o.client_id == "c1"} == {"0.0.0.0"}
    assert {s.status for s in after["services"] if s.client_id == "c1"} == {
        ServiceStatus.TERMINATED
    }
    # The other client is exactly as it was.
    assert next(c for c in after["clients"] if c.id == "c2") == before["clients"][1]
    assert "1 contact(s) removed" in result.explanation


def test_only_staff_anonymise(uow):
    seed(uow, ("c1", "EUR"))
    before = snapshot(uow)
    with pytest.raises(PermissionDeniedError):
        anonymise_client(AnonymiseRequest(OWNER, "c1", AT), uow)
    assert snapshot(uow) == before
