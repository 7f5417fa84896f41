"""A simulation's result as text (the CLI's summary table), as JSON and as CSV files.

Amounts are written as exact decimal strings with their currency beside them, never as
floats: ``{"amount": "4.99", "currency": "USD"}`` in JSON, two columns in CSV.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from moneyed import Money

from hostbill_core.money import minor_units
from hostbill_core.simulation.result import SimulationResult, Summary

__all__ = ["amount_text", "summary_table", "to_json", "write_csv", "write_json"]

_TIMELINE = ("on", "kind", "client_id", "subject", "amount", "currency", "detail")


def amount_text(money: Money) -> str:
    """The amount as text with its currency's minor digits (``0`` → ``"0.00"``), never rounded.

    >>> from hostbill_core.money import to_money
    >>> amount_text(to_money("0", "USD")), amount_text(to_money("5", "JPY"))
    ('0.00', '5')
    >>> amount_text(to_money("0.125", "USD"))  # more digits than cents: shown as they are
    '0.125'
    """
    quantum = Decimal(1).scaleb(-minor_units(money.currency.code))
    exact = money.amount.quantize(quantum)
    return str(exact if exact == money.amount else money.amount)


def _amount(money: Money | None, missing: str = "") -> str:
    return missing if money is None else amount_text(money)


def summary_table(result: SimulationResult, where: str) -> str:
    """The summary as a fixed-width text table, ending with a newline.

    Args:
        result: the simulation's result.
        where: where the store is, for the first line (``"in memory"``, ``"in shop.sqlite"``).
    """
    summary = result.summary
    lines = [
        f"{result.name}, {result.start} to {result.until} ({where}): {result.added} records added.",
        "",
        f"{'month':<8} {'currency':<8} {'invoiced':>12} {'collected':>12}",
    ]
    for row in summary.revenue:
        lines.append(
            f"{row.month:<8} {row.currency:<8} "
            f"{_amount(row.invoiced):>12} {_amount(row.collected):>12}"
        )
    lines += ["", f"{'currency':<8} {'run rate':>12} {'outstanding':>12}"]
    for code in sorted(summary.run_rate.keys() | summary.outstanding.keys()):
        rate, due = summary.run_rate.get(code), summary.outstanding.get(code)
        lines.append(f"{code:<8} {_amount(rate, '-'):>12} {_amount(due, '-'):>12}")
    lines += ["", *_counts(result)]
    return "\n".join(lines) + "\n"


def _counts(result: SimulationResult) -> list[str]:
    summary = result.summary
    statuses = ", ".join(f"{n} {status}" for status, n in summary.services.items()) or "none"
    lines = [
        f"clients: {summary.clients}; invoices issued: {summary.invoices_issued}; "
        f"services: {statuses}",
    ]
    if summary.credit_balances:
        balances = ", ".join(
            f"{id} {m.currency.code} {amount_text(m)}" for id, m in summary.credit_balances.items()
        )
        lines.append(f"credit balances: {balances}")
    for error in result.errors:
        lines.append(f"failed: {error.on} client {error.client_id}: {error.error}")
    return lines


def _money(money: Money) -> dict[str, str]:
    return {"amount": amount_text(money), "currency": money.currency.code}


def _summary(summary: Summary) -> dict[str, Any]:
    return {
        "clients": summary.clients,
        "services": dict(summary.services),
        "invoices_issued": summary.invoices_issued,
        "revenue": [
            {
                "month": row.month,
                "currency": row.currency,
                "invoiced": amount_text(row.invoiced),
                "collected": amount_text(row.collected),
            }
            for row in summary.revenue
        ],
        "run_rate": {code: amount_text(m) for code, m in summary.run_rate.items()},
        "outstanding": {code: amount_text(m) for code, m in summary.outstanding.items()},
        "credit_balances": {id: _money(m) for id, m in summary.credit_balances.items()},
    }


def to_json(result: SimulationResult) -> dict[str, Any]:
    """The result as JSON-ready data (amounts as decimal strings)."""
    return {
        "name": result.name,
        "start": result.start.isoformat(),
        "until": result.until.isoformat(),
        "added": result.added,
        "summary": _summary(result.summary),
        "timeline": [
            {
                "on": entry.on.isoformat(),
                "kind": entry.kind,
                "client_id": entry.client_id,
                "subject": entry.subject,
                "amount": _amount(entry.amount) or None,
                "currency": entry.amount.currency.code if entry.amount is not None else None,
                "detail": entry.detail,
            }
            for entry in result.timeline
        ],
        "errors": [
            {"on": e.on.isoformat(), "client_id": e.client_id, "error": e.error}
            for e in result.errors
        ],
    }


def write_json(result: SimulationResult, out: TextIO) -> None:
    """Write the result as indented JSON to ``out``."""
    json.dump(to_json(result), out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_csv(result: SimulationResult, directory: Path) -> tuple[Path, ...]:
    """Write ``timeline.csv``, ``revenue.csv``, ``summary.csv`` into ``directory``.

    The directory is created when missing. Returns the files written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    data = to_json(result)
    summary = data["summary"]
    files = (
        _write(directory / "timeline.csv", _TIMELINE, data["timeline"]),
        _write(
            directory / "revenue.csv",
            ("month", "currency", "invoiced", "collected"),
            summary["revenue"],
        ),
        _write(directory / "summary.csv", ("measure", "currency", "value"), _measures(summary)),
    )
    return files


def _measures(summary: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield {"measure": "clients", "currency": "", "value": summary["clients"]}
    yield {"measure": "invoices_issued", "currency": "", "value": summary["invoices_issued"]}
    for status, count in summary["services"].items():
        yield {"measure": f"services_{status}", "currency": "", "value": count}
    for measure in ("run_rate", "outstanding"):
        for code, value in summary[measure].items():
            yield {"measure": measure, "currency": code, "value": value}
    for client, balance in summary["credit_balances"].items():
        yield {"measure": f"credit_balance:{client}", **balance, "value": balance["amount"]}


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path
