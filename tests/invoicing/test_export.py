import csv
import io
from datetime import UTC, date, datetime

import pytest

from hostbill_core.errors import ConfigurationError
from hostbill_core.invoicing import export
from hostbill_core.invoicing.export import (
    clients_table,
    invoices_table,
    money_text,
    orders_table,
    to_csv,
    to_xlsx,
)
from hostbill_core.model import Address, Client, ContactDetails, Order, OrderItem
from hostbill_core.money import to_money

from .factories import invoice, usd

ANN = Client(
    "c1",
    ContactDetails(
        "Ann, Jr.", "ann@example.com", "Ann Ltd", "+1 555", Address(city="Oslo", country="NO")
    ),
    "USD",
    date(2026, 1, 1),
)
ORDER = Order(
    "o1",
    "c1",
    datetime(2026, 3, 1, 10, tzinfo=UTC),
    "192.0.2.1",
    "USD",
    items=(OrderItem("p", "pl", None, usd("10.00"), usd("5.00"), quantity=2),),
)


def test_money_is_an_exact_plain_decimal_string() -> None:
    assert money_text(to_money("0.10", "USD")) == "0.10"
    assert money_text(to_money("1000000.005", "BHD")) == "1000000.005"


def test_client_list_csv_quotes_commas_and_keeps_currency_apart() -> None:
    text = to_csv(clients_table([ANN], {"c1": usd("12.50")}))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-2:] == ["currency", "monthly_run_rate"]
    assert rows[1] == [
        "c1",
        "Ann, Jr.",
        "Ann Ltd",
        "ann@example.com",
        "+1 555",
        "Oslo",
        "NO",
        "active",
        "USD",
        "12.50",
    ]
    assert '"Ann, Jr."' in text


def test_invoices_csv_has_exact_totals() -> None:
    text = to_csv(
        invoices_table(
            [
                invoice("i2", "10.00", tax="1.90", paid="5.00"),
                invoice("i1", "1.00", due=date(2026, 2, 1)),
            ]
        )
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["i1", "i2"]
    assert rows[2][7:] == ["USD", "10.00", "1.90", "11.90", "0.00", "5.00", "6.90"]


def test_orders_csv_totals_price_times_quantity_plus_setup() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(orders_table([ORDER])))))
    # (10.00 + 5.00) × 2 = 30.00
    assert rows[1] == ["o1", "c1", "2026-03-01T10:00:00+00:00", "pending", "1", "USD", "30.00"]


def test_xlsx_round_trips_as_text_cells() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = to_xlsx(invoices_table([invoice("i1", "10.00", tax="1.90")]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Invoices"
    assert rows[1][7:11] == ["USD", "10.00", "1.90", "11.90"]


def test_xlsx_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> object:
        raise ImportError(name)

    monkeypatch.setattr(export.importlib, "import_module", missing)
    with pytest.raises(ConfigurationError, match=r"hostbill-core\[xlsx\]"):
        to_xlsx(clients_table([ANN]))
