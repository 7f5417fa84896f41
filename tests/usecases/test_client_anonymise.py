from datetime import date
from decimal import Decimal

import attrs
import pytest

from hostbill_core.errors import PermissionDeniedError
from hostbill_core.model import Address, ClientStatus, InvoiceStatus, ServiceStatus
from hostbill_core.model.changes import ProfileChange
from hostbill_core.usecases.cancellation import cancel_due_services
from hostbill_core.usecases.client_anonymise import AnonymiseRequest, anonymise_client

from .shop import AT, OWNER, STAFF, eur, seed, snapshot


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
    for kind in ("payments", "quotes", "queued_items", "promotion_redemptions"):
        assert after[kind] == before[kind]
    assert {o.ip for o in after["orders"] if o.client_id == "c1"} == {"0.0.0.0"}
    assert {s.status for s in after["services"] if s.client_id == "c1"} == {
        ServiceStatus.TERMINATED
    }
    # The other client is exactly as it was.
    assert next(c for c in after["clients"] if c.id == "c2") == before["clients"][1]
    assert "1 contact(s) removed" in result.explanation
    assert "2 service(s) terminated, 1 waiting cancellation request(s) closed" in (
        result.explanation
    )
    # 4 records held free text: refund c1-r1 ("goodwill"), request c1-s1 ("moving"), credit
    # entry c1-e1 (its note; c1-e2 has none) and group c1-g1 (name and description).
    assert result.explanation.endswith("free text of 4 record(s) cleared")


def test_anonymising_clears_free_text_and_keeps_amounts_and_links(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    before = snapshot(uow)
    anonymise_client(AnonymiseRequest(STAFF, "c1", AT), uow)
    after = snapshot(uow)

    def mine(kind, state):
        return [x for x in state[kind] if x.client_id == "c1"]

    def theirs(kind, state):
        return [x for x in state[kind] if x.client_id != "c1"]

    assert [r.reason for r in mine("refunds", after)] == [""]
    assert [r.reason for r in mine("cancellation_requests", after)] == [""]
    # The waiting request is closed on the day of the anonymisation (its service is
    # terminated): nothing of the anonymised client waits for a later day.
    assert [r.carried_out_on for r in mine("cancellation_requests", after)] == [date(2026, 3, 10)]
    due = cancel_due_services(uow, date(2026, 3, 31))  # c2's own request alone
    assert [(o.service.id, o.service.status) for o in due.outcomes] == [
        ("c2-s1", ServiceStatus.CANCELLED)
    ]
    assert [e.note for e in mine("credit", after)] == ["", ""]
    assert [(g.name, g.description) for g in mine("service_groups", after)] == [("c1-g1", "")]
    # Only the text changed (and the version of the records that held some).
    cleared = {"refunds": "reason", "cancellation_requests": "reason", "credit": "note"}
    for kind, field in cleared.items():
        for old, new in zip(mine(kind, before), mine(kind, after), strict=True):
            kept = {field: getattr(old, field), "version": old.version}
            if kind == "cancellation_requests":
                kept["carried_out_on"] = old.carried_out_on
            assert attrs.evolve(new, **kept) == old
        assert theirs(kind, after) == theirs(kind, before)
    (group,) = mine("service_groups", after)
    assert group.service_ids == ("c1-s1",)
    assert [r.amount for r in mine("refunds", after)] == [eur("2.00")]
    assert sum(e.amount.amount for e in mine("credit", after)) == Decimal("14.50")  # 20 - 5.50


def test_only_staff_anonymise(uow):
    seed(uow, ("c1", "EUR"))
    before = snapshot(uow)
    with pytest.raises(PermissionDeniedError):
        anonymise_client(AnonymiseRequest(OWNER, "c1", AT), uow)
    assert snapshot(uow) == before
