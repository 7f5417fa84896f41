"""The ``hostbill-core`` command: simulate a shop, explain an invoice, show a service's calendar.

``hostbill-core simulate [SCENARIO] [--until DATE] [--db PATH] [--json FILE] [--csv DIR]``
runs a scenario file (without one: the bundled example shop) day by day on the SQLite store
``./hostbill.sqlite`` (``--db PATH`` for another file, ``--db :memory:`` for none) and prints
a summary table; ``--json`` and ``--csv`` also write the timeline and summaries. A run longer
than a second shows a progress bar on standard error when it is a terminal. Running the same
scenario again on the same database adds nothing.

``hostbill-core explain invoice NUMBER`` prints an invoice line by line with the derivation
of each amount; ``hostbill-core calendar SERVICE_ID`` prints a service's lifecycle calendar
(invoice, reminders, due date, expiry steps) with the settings of ``--scenario`` (default:
the bundled example's).

Exit codes: 0 done, 2 bad input (a bad scenario file, an unknown invoice, a bad option); the
message is one line on standard error.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from hostbill_core import __version__
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.errors import HostbillError, NotFoundError
from hostbill_core.simulation import (
    Scenario,
    bundled_example,
    load_scenario,
    simulate,
    summary_table,
    write_csv,
    write_json,
)
from hostbill_core.simulation.explain import explain_invoice, service_calendar
from hostbill_core.simulation.progress import ProgressBar

__all__ = ["main"]

_DEFAULT_DB = "hostbill.sqlite"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostbill-core", description="Billing logic for web-hosting businesses."
    )
    parser.add_argument("--version", action="version", version=f"hostbill-core {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("simulate", help="run a scenario day by day and summarise it")
    run.add_argument("scenario", nargs="?", help="scenario file (default: the example shop)")
    run.add_argument("--until", type=date.fromisoformat, help="last day run (YYYY-MM-DD)")
    run.add_argument("--db", default=_DEFAULT_DB, help="SQLite file, or :memory:")
    run.add_argument("--json", metavar="FILE", help="write the result as JSON ('-': stdout)")
    run.add_argument("--csv", metavar="DIR", help="write timeline, revenue, summary as CSV")
    explain = commands.add_parser("explain", help="explain a stored record")
    explain.add_argument("kind", choices=["invoice"], help="what to explain")
    explain.add_argument("number", help="the invoice number (or id)")
    explain.add_argument("--db", default=_DEFAULT_DB, help="SQLite file")
    calendar = commands.add_parser("calendar", help="a service's lifecycle calendar")
    calendar.add_argument("service_id", help="the service's id")
    calendar.add_argument("--db", default=_DEFAULT_DB, help="SQLite file")
    calendar.add_argument("--until", type=date.fromisoformat, help="last day shown")
    calendar.add_argument("--scenario", help="take the settings from this scenario file")
    return parser


def _scenario(path: str | None) -> Scenario:
    return bundled_example() if path is None else load_scenario(path)


def _existing(db: str) -> SqliteStore:
    if db != ":memory:" and not Path(db).is_file():
        raise NotFoundError("database", db)
    return SqliteStore(db)


def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    scenario = _scenario(args.scenario)
    store = SqliteStore(args.db)
    bar = ProgressBar(sys.stderr, "days")
    try:
        result = simulate(scenario, args.until, store=store, progress=bar.update)
    finally:
        bar.close()
        store.close()
    if args.csv:
        write_csv(result, Path(args.csv))
    if args.json == "-":
        write_json(result, out)
        return 0
    if args.json:
        with Path(args.json).open("w", encoding="utf-8") as handle:
            write_json(result, handle)
    where = "in memory" if args.db == ":memory:" else f"in {args.db}"
    out.write(summary_table(result, where))
    return 0


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    store = _existing(args.db)
    try:
        with store.unit_of_work() as uow:
            out.write(explain_invoice(uow, args.number) + "\n")
    finally:
        store.close()
    return 0


def _calendar(args: argparse.Namespace, out: TextIO) -> int:
    settings = _scenario(args.scenario).settings.billing
    store = _existing(args.db)
    try:
        with store.unit_of_work() as uow:
            out.write(service_calendar(uow, args.service_id, settings, args.until) + "\n")
    finally:
        store.close()
    return 0


_COMMANDS = {"simulate": _simulate, "explain": _explain, "calendar": _calendar}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (0 done, 2 bad input).

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).
        out: where to print results (default: standard output); errors go to standard error.
    """
    stream = out or sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit:  # --help, --version (0) or a bad option (2, message printed)
        return int(exit.code or 0)
    try:
        return _COMMANDS[args.command](args, stream)
    except BrokenPipeError:  # the reader (e.g. `head`) left early: not an error
        sys.stderr.close()
        return 0
    except (HostbillError, OSError, sqlite3.Error) as error:
        # OSError: an unwritable --json or --csv path; sqlite3.Error: not a database file
        sys.stderr.write(f"hostbill-core: {error}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
