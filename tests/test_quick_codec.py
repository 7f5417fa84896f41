"""The converter's quick path agrees with cattrs: same text out, same models in, never laxer."""

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core import serialization
from hostbill_core.calendar import ANNUALLY, Period
from hostbill_core.errors import ValidationError
from hostbill_core.model import (
    BillingState,
    Client,
    ClientId,
    CreditEntry,
    CreditEntryId,
    CreditReason,
    InvoiceId,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    PlanId,
    ScheduledChange,
    Service,
    ServiceId,
    TaxAmount,
)
from hostbill_core.model.invoices import Invoice
from hostbill_core.money import Money, to_money
from hostbill_core.serialization import make_converter
from hostbill_core.testing.contract import sample_client, sample_service
from tests.test_serialization import MODELS

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 40)
    | st.floats(allow_nan=False)
    | st.text(max_size=4)
    | st.sampled_from(["EUR 1.00", "EUR 1,00", "2026-01-31", "P1M", "active", "0.19", "x y"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=4,
)


def _places(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of nested JSON data."""
    found: list[tuple[Any, Any]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        found.append((data, key))
        if isinstance(value, dict | list):
            found.extend(_places(value))
    return found


def _outcome(structure: Any, data: Any) -> str | None:
    """The repr of what ``structure`` makes of a copy of ``data`` (types show), None if it fails."""
    try:
        return repr(structure(copy.deepcopy(data)))
    except Exception:
        return None


@given(MODELS)
def test_the_quick_path_writes_what_cattrs_writes(model: Any) -> None:
    converter = make_converter()
    quick = converter.unstructure(model)
    assert quick == cattrs.Converter.unstructure(converter, model)
    # The same text, keys in the same order (the SQLite adapter writes them as they come).
    assert json.dumps(quick) == json.dumps(cattrs.Converter.unstructure(converter, model))


@given(MODELS)
def test_the_quick_path_reads_every_stored_model_itself(model: Any) -> None:
    converter = make_converter()
    data = json.loads(json.dumps(converter.unstructure(model)))
    quick = converter._quick.structurers[type(model)]  # type: ignore[union-attr]
    assert quick(data) == model  # no fallback: the quick function itself accepts stored data


@given(MODELS, st.data())
def test_the_quick_path_accepts_nothing_cattrs_refuses(model: Any, data: st.DataObject) -> None:
    converter = make_converter()
    stored = json.loads(json.dumps(converter.unstructure(model)))
    container, key = data.draw(st.sampled_from(_places(stored)))
    change = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if change == "replace" or isinstance(container, list):
        container[key] = data.draw(JSON_VALUES)
    elif change == "delete":
        del container[key]
    else:
        container[data.draw(st.text(min_size=1, max_size=3))] = data.draw(JSON_VALUES)
    cls = type(model)
    quick = converter._quick.structurers[cls]  # type: ignore[union-attr]
    by_quick = _outcome(quick, stored)
    by_cattrs = _outcome(lambda d: converter._fast.structure(d, cls), stored)
    assert by_quick is None or by_quick == by_cattrs
    try:
        assert repr(converter.structure(stored, cls)) == by_cattrs
    except ValidationError:
        assert by_cattrs is None
    assert converter._quick is not None  # cattrs registered nothing on the way: still quick


# Rows as the converter wrote them before the quick path (json.dumps, sort_keys=True).
STORED_CLIENT = (
    '{"account_type": "private", "active_from": "2026-01-01", "active_until": null, '
    '"affiliate_id": null, "billing_contact_id": null, "changes": [], "currency": "EUR", '
    '"details": {"address": {"city": "", "country": "", "line1": "", "line2": "", '
    '"postcode": "", "state": ""}, "company": "", "email": "ann@example.com", '
    '"name": "Ann Example", "phone": ""}, "group": "", "id": "client-1", "invoice_note": "", '
    '"invoice_recipients": [], "language": "en", "payment_method": "invoice", "settings": '
    '{"allow_negative_credit": null, "auto_apply_credit": null, '
    '"continue_invoicing_when_unpaid": null, "invoice_lead_days": null, '
    '"order_approval_required": null}, "status": "active", "tax_exempt": false, '
    '"vat_number": "", "version": 0}'
)
STORED_INVOICE = (
    '{"amount_paid": "EUR 0", "amount_refunded": "EUR 0", "cancelled_on": null, '
    '"client": null, "client_id": "c1", "credit_applied": "EUR 0", "currency": "EUR", '
    '"due_date": "2026-02-28", "id": "i1", "issued_on": "2026-02-14", "lines": '
    '[{"amount": "EUR 10.00", "description": "Hosting", "explanation": "", "group_id": null, '
    '"key": "s1/2026-02-28/renewal", "kind": "renewal", "period": {"end": "2026-03-28", '
    '"start": "2026-02-28"}, "service_id": "s1", "taxes": [{"amount": "EUR 1.90", '
    '"name": "VAT", "rate": "0.19"}]}], "notes": "", "number": "INV-1", "paid_on": null, '
    '"proforma_number": null, "refunded_on": null, "status": "unpaid", "version": 0}'
)
STORED_STATE = (
    '{"checked": "", "client_id": "c1", "done": ["s1/2026-02-28/invoice"], "id": "c1", '
    '"locked_out": false, "scheduled": [{"cycle": "P1Y", "on": "2026-03-28", '
    '"plan_id": "pro", "service_id": "s1"}], "version": 0}'
)
STORED_CREDIT = (
    '{"actor": "system", "amount": "EUR -1.90", "at": "2026-02-28T12:00:00+00:00", '
    '"client_id": "c1", "id": "e1", "invoice_id": "i1", "note": "", "payment_id": null, '
    '"reason": "applied_to_invoice", "version": 0}'
)


def _stored_models() -> list[tuple[str, Any]]:
    line = InvoiceLine(
        "Hosting",
        to_money("10.00", "EUR"),
        LineKind.RENEWAL,
        key="s1/2026-02-28/renewal",
        service_id=ServiceId("s1"),
        period=Period(date(2026, 2, 28), date(2026, 3, 28)),
        taxes=(TaxAmount("VAT", "0.19", to_money("1.90", "EUR")),),
    )
    invoice = Invoice(
        InvoiceId("i1"), ClientId("c1"), "EUR", date(2026, 2, 28), (line,),
        InvoiceStatus.UNPAID, number="INV-1", issued_on=date(2026, 2, 14),
    )  # fmt: skip
    change = ScheduledChange(ServiceId("s1"), PlanId("pro"), ANNUALLY, date(2026, 3, 28))
    state = BillingState(ClientId("c1"), ClientId("c1"), ("s1/2026-02-28/invoice",), False)
    credit = CreditEntry(
        CreditEntryId("e1"), ClientId("c1"), datetime(2026, 2, 28, 12, tzinfo=UTC),
        to_money("-1.90", "EUR"), CreditReason.APPLIED_TO_INVOICE, "system",
        invoice_id=InvoiceId("i1"),
    )  # fmt: skip
    return [
        (STORED_CLIENT, sample_client()),
        (STORED_INVOICE, invoice),
        (STORED_STATE, attrs.evolve(state, scheduled=(change,))),
        (STORED_CREDIT, credit),
    ]


@pytest.mark.parametrize(("text", "model"), _stored_models())
def test_rows_stored_before_the_quick_path_read_and_write_the_same(text: str, model: Any) -> None:
    converter = make_converter()
    assert converter.structure(json.loads(text), type(model)) == model
    assert json.dumps(converter.unstructure(model), sort_keys=True) == text


def test_a_row_without_a_field_added_since_takes_its_default() -> None:
    data = json.loads(STORED_STATE)
    del data["checked"]
    assert make_converter().structure(data, BillingState).checked == ""


def test_bad_rows_are_still_refused_and_named() -> None:
    data = json.loads(STORED_INVOICE)
    data["lines"][0]["taxes"][0]["amount"] = "USD 1.90"
    with pytest.raises(ValidationError, match="does not match EUR"):
        make_converter().structure(data, Invoice)
    data = json.loads(STORED_CLIENT)
    data["details"]["email"] = "ann @example.com"
    with pytest.raises(ValidationError) as caught:
        make_converter().structure(data, Client)
    assert caught.value.field == "$.details"


def test_an_unstructure_hook_registered_later_turns_the_quick_path_off() -> None:
    converter = make_converter()
    converter.register_unstructure_hook(Service, lambda service: {"id": service.id})
    assert converter.unstructure(sample_service()) == {"id": "service-1"}


def test_amounts_read_again_are_the_same_exact_money(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serialization, "_KNOWN_AMOUNTS", 2)  # emptied after two texts
    converter = make_converter()
    texts = ["EUR 1.90", "EUR 1.9", "EUR 0", "EUR 1.90", "JPY 100"]
    read = [converter.structure(text, Money) for text in texts]
    assert [str(money.amount) for money in read] == ["1.90", "1.9", "0", "1.90", "100"]
    assert [converter.unstructure(money) for money in read] == texts
    with pytest.raises(ValidationError):
        converter.structure("EUR 1,90", Money)


@attrs.frozen
class Node:
    name: str
    child: "Node | None" = None


def test_a_model_that_contains_itself_round_trips() -> None:
    converter = make_converter()
    tree = Node("a", Node("b", Node("c")))
    data = json.loads(json.dumps(converter.unstructure(tree)))
    assert data == {"name": "a", "child": {"name": "b", "child": {"name": "c", "child": None}}}
    assert converter.structure(data, Node) == tree
