"""Builders and hypothesis strategies for the invoicing tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from hostbill_core.invoicing.items import BillableItem, natural_key
from hostbill_core.model import (
    ClientId,
    Invoice,
    InvoiceId,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    ServiceGroup,
    ServiceGroupId,
    ServiceId,
    TaxAmount,
)
from hostbill_core.money import Money, from_minor, to_money

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 1)


def usd(amount: str) -> Money:
    return to_money(amount, "USD")


def item(
    key: str,
    amount: str = "10.00",
    *,
    client: str = "c1",
    currency: str = "USD",
    due: date = DAY,
    service: str | None = None,
    group: str | None = None,
    tax: str | None = None,
    contact: str | None = None,
    kind: LineKind = LineKind.MANUAL,
) -> BillableItem:
    money = to_money(amount, currency)
    taxes = (TaxAmount("VAT", Decimal("0.20"), to_money(tax, currency)),) if tax else ()
    return BillableItem(
        client_id=ClientId(client),
        currency=currency,
        due_date=due,
        description=f"item {key}",
        amount=money,
        kind=kind,
        key=key,
        service_id=ServiceId(service) if service else None,
        group_id=ServiceGroupId(group) if group else None,
        taxes=taxes,
        billing_contact_id=None if contact is None else contact,  # type: ignore[arg-type]
    )


def invoice(
    invoice_id: str,
    amount: str,
    *,
    due: date = DAY,
    status: InvoiceStatus = InvoiceStatus.UNPAID,
    currency: str = "USD",
    paid: str | None = None,
    credit: str | None = None,
    tax: str | None = None,
    client: str = "c1",
) -> Invoice:
    taxes = (TaxAmount("VAT", Decimal("0.20"), to_money(tax, currency)),) if tax else ()
    line = InvoiceLine(f"work {invoice_id}", to_money(amount, currency), taxes=taxes)
    extra: dict[str, object] = {}
    if paid is not None:
        extra["amount_paid"] = to_money(paid, currency)
    if credit is not None:
        extra["credit_applied"] = to_money(credit, currency)
    return Invoice(
        InvoiceId(invoice_id),
        ClientId(client),
        currency,
        due,
        lines=(line,),
        status=status,
        number=None if status is InvoiceStatus.DRAFT else f"INV-{invoice_id}",
        issued_on=None if status is InvoiceStatus.DRAFT else due - timedelta(days=7),
        **extra,  # type: ignore[arg-type]
    )


#: Per client: a shown group of s2 then s1, and a hidden group of s3 (see ``items``).
GROUPS = tuple(
    group
    for client in ("c1", "c2", "c3")
    for group in (
        ServiceGroup(
            ServiceGroupId(f"g-{client}"),
            ClientId(client),
            "Web",
            service_ids=(ServiceId(f"{client}-s2"), ServiceId(f"{client}-s1")),
        ),
        ServiceGroup(
            ServiceGroupId(f"h-{client}"),
            ClientId(client),
            "Lab",
            service_ids=(ServiceId(f"{client}-s3"),),
            show_on_invoice=False,
        ),
    )
)

CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "BHD"])


@st.composite
def items(draw: st.DrawFn, max_size: int = 15) -> list[BillableItem]:
    """Distinct-key items of 1–3 clients, 1–2 currencies, a few due dates and contacts."""
    count = draw(st.integers(0, max_size))
    result = []
    for n in range(count):
        currency = draw(st.sampled_from(["USD", "JPY"]))
        units = draw(st.integers(-5_000, 100_000))
        tax_units = draw(st.integers(0, 20_000))
        service = draw(st.sampled_from([None, "s1", "s2", "s3"]))
        client = draw(st.sampled_from(["c1", "c2", "c3"]))
        group = None
        if service is not None and draw(st.booleans()):
            group = f"h-{client}" if service == "s3" else f"g-{client}"
        result.append(
            BillableItem(
                client_id=ClientId(client),
                currency=currency,
                due_date=DAY + timedelta(days=draw(st.integers(0, 20))),
                description=f"item {n}",
                amount=from_minor(units, currency),
                kind=LineKind.RENEWAL,
                key=natural_key(LineKind.RENEWAL, f"i{n}"),
                service_id=ServiceId(f"{client}-{service}") if service else None,
                group_id=ServiceGroupId(group) if group else None,
                taxes=(TaxAmount("VAT", Decimal("0.1"), from_minor(tax_units, currency)),),
                billing_contact_id=draw(st.sampled_from([None, "k1", "k2"])),  # type: ignore[arg-type]
            )
        )
    return result
