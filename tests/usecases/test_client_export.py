import json

import pytest

from hostbill_core.errors import NotFoundError, PermissionDeniedError
from hostbill_core.permissions import ContactActor, OwnerActor, Right, StaffActor
from hostbill_core.serialization import make_converter
from hostbill_core.usecases.client_export import ClientExport, ExportRequest, export_client

from ..permissions.builders import contact
from .shop import AT, OWNER, STAFF, seed, snapshot


def test_the_export_holds_everything_stored_about_the_client(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    result = export_client(ExportRequest(STAFF, "c1", AT), uow)
    records = result.export.records
    assert records.client.id == "c1"
    assert [s.id for s in records.services] == ["c1-d1", "c1-s1"]
    assert {len(getattr(records, n)) for n, _ in records.owned()} <= {1, 2}
    assert all(item.client_id == "c1" for _, items in records.owned() for item in items)
    assert result.explanation == (
        "client c1 exported by staff:eve: 1 contacts, 2 services, 1 service groups, 2 orders, "
        "2 invoices, 1 payments, 2 credit, 1 quotes, 1 billing states, "
        "1 promotion redemptions, 1 cancellation requests, 1 refunds, 1 queued items"
    )
    assert [(r.code, r.order_id) for r in records.promotion_redemptions] == [("SPRING", "c1-o1")]
    (state,) = records.billing_states
    assert (state.id, state.locked_out, state.done) == (
        "c1",
        True,
        ("c1-s1/2026-03-31/reminder-7",),
    )


def test_the_document_is_json_and_structures_back_exactly(uow):
    seed(uow, ("c1", "EUR"))
    result = export_client(ExportRequest(OWNER, "c1", AT), uow)
    text = json.dumps(result.document)
    back = make_converter().structure(json.loads(text), ClientExport)
    assert back == result.export
    assert result.document["exported_by"] == "owner:c1"
    assert result.document["records"]["payments"][0]["amount"] == "EUR 10.00"
    assert result.document["exported_at"] == "2026-03-10T09:00:00+00:00"
    state = result.document["records"]["billing_states"][0]
    assert (state["locked_out"], state["scheduled"][0]["cycle"]) == (True, "P1M")


def test_export_writes_nothing(uow):
    seed(uow, ("c1", "EUR"))
    before = snapshot(uow)
    export_client(ExportRequest(STAFF, "c1", AT), uow)
    assert snapshot(uow) == before


def test_a_contact_or_another_client_may_not_export(uow):
    seed(uow, ("c1", "EUR"), ("c2", "EUR"))
    everything = ContactActor(contact("k1", "c1", rights=tuple(Right)))
    with pytest.raises(PermissionDeniedError):
        export_client(ExportRequest(everything, "c1", AT), uow)
    with pytest.raises(PermissionDeniedError):
        export_client(ExportRequest(OwnerActor("c2"), "c1", AT), uow)
    with pytest.raises(PermissionDeniedError):
        export_client(ExportRequest(StaffActor("bob"), "c1", AT), uow)


def test_exporting_a_missing_client_is_not_found(uow):
    with pytest.raises(NotFoundError):
        export_client(ExportRequest(STAFF, "nobody", AT), uow)
