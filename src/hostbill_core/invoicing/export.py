"""Exports of the client list, a client's invoices and the orders list, to CSV and XLSX.

Every amount is written as its exact decimal string (``"1234.50"``, never a float and never
an exponent) with the currency code in its own column. CSV uses the standard library; XLSX
uses ``openpyxl``, an optional extra (``pip install "hostbill-core[xlsx]"``), imported only
when an XLSX export is asked for.

>>> from datetime import date
>>> from hostbill_core.model import Invoice, InvoiceLine
>>> from decimal import Decimal
>>> bill = Invoice("i1", "c1", "JPY", date(2026, 3, 1), number="INV-1",
...                lines=(InvoiceLine("VPS", Money(Decimal("1E+3"), "JPY")),))
>>> print(to_csv(invoices_table([bill])), end="")
id,number,client_id,status,issued_on,due_date,paid_on,currency,subtotal,tax,total,credit_applied,amount_paid,balance_due
i1,INV-1,c1,draft,,2026-03-01,,JPY,1000,0,1000,0,0,1000
"""

from __future__ import annotations

import csv
import importlib
import io
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from types import ModuleType

import attrs
from moneyed import Money

from hostbill_core.errors import ConfigurationError
from hostbill_core.model.clients import Client
from hostbill_core.model.ids import ClientId
from hostbill_core.model.invoices import Invoice
from hostbill_core.model.orders import Order
from hostbill_core.money import minor_units

__all__ = [
    "Table",
    "clients_table",
    "invoices_table",
    "money_text",
    "orders_table",
    "to_csv",
    "to_xlsx",
]


@attrs.frozen
class Table:
    """A sheet: its name, a header row and rows of text cells."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def money_text(money: Money) -> str:
    """The exact amount as a plain decimal string without the currency (``"12.50"``).

    At least the currency's minor-unit digits are written (zero is ``"0.00"`` in USD); an
    amount finer than the minor unit keeps all its digits: nothing is rounded.
    """
    amount = money.amount
    digits = minor_units(money.currency.code)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -digits:
        amount = amount.quantize(Decimal(1).scaleb(-digits))
    return format(amount, "f")


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def clients_table(
    clients: Iterable[Client], run_rates: Mapping[ClientId, Money] | None = None
) -> Table:
    """The client list; ``run_rates`` adds each client's monthly run rate (blank if absent)."""
    rates = run_rates or {}
    header = (
        "id",
        "name",
        "company",
        "email",
        "phone",
        "city",
        "country",
        "status",
        "currency",
        "monthly_run_rate",
    )
    rows = []
    for client in sorted(clients, key=lambda c: c.id):
        details, rate = client.details, rates.get(client.id)
        rows.append(
            (
                client.id,
                details.name,
                details.company,
                details.email,
                details.phone,
                details.address.city,
                details.address.country,
                client.status.value,
                client.currency,
                "" if rate is None else money_text(rate),
            )
        )
    return Table("Customers", header, tuple(rows))


def invoices_table(invoices: Iterable[Invoice]) -> Table:
    """Invoices, ordered by due date then id, with their exact totals."""
    header = (
        "id",
        "number",
        "client_id",
        "status",
        "issued_on",
        "due_date",
        "paid_on",
        "currency",
        "subtotal",
        "tax",
        "total",
        "credit_applied",
        "amount_paid",
        "balance_due",
    )
    rows = tuple(
        (
            i.id,
            i.number or i.proforma_number or "",
            i.client_id,
            i.status.value,
            _day(i.issued_on),
            _day(i.due_date),
            _day(i.paid_on),
            i.currency,
            money_text(i.subtotal),
            money_text(i.tax_total),
            money_text(i.total),
            money_text(i.credit_applied),
            money_text(i.amount_paid),
            money_text(i.balance_due),
        )
        for i in sorted(invoices, key=lambda i: (i.due_date, i.id))
    )
    return Table("Invoices", header, rows)


def orders_table(orders: Iterable[Order]) -> Table:
    """Orders, ordered by instant then id; the total is price × quantity + setup fees."""
    header = ("id", "client_id", "placed_at", "status", "items", "currency", "total")
    rows = []
    for order in sorted(orders, key=lambda o: (o.placed_at, o.id)):
        total = sum(
            ((item.price + item.setup_fee) * item.quantity for item in order.items),
            Money(0, order.currency),
        )
        rows.append(
            (
                order.id,
                order.client_id,
                order.placed_at.isoformat(),
                order.status.value,
                str(len(order.items)),
                order.currency,
                money_text(total),
            )
        )
    return Table("Orders", header, tuple(rows))


def to_csv(table: Table) -> str:
    """The table as CSV text (header first, newline line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


def _openpyxl() -> ModuleType:
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise ConfigurationError(
            "extras", "xlsx", 'XLSX export needs openpyxl: pip install "hostbill-core[xlsx]"'
        ) from None


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook of one sheet; every cell is text (amounts exact).

    Raises:
        ConfigurationError: openpyxl is not installed (the ``xlsx`` extra).
    """
    openpyxl = _openpyxl()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = table.name
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
