"""The ``hostbill-core`` command: runs a billing scenario on the embedded SQLite store.

``hostbill-core simulate`` with no scenario seeds the built-in example shop into
``./hostbill.sqlite`` (``--db PATH`` for another file, ``--db :memory:`` for none) and prints,
for every service, its next 12 due dates and the price due on each. Seeding is idempotent:
a second run adds nothing and prints the same schedule.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hostbill_core import __version__
from hostbill_core.adapters.clock import SystemClock
from hostbill_core.adapters.sqlite import SqliteStore
from hostbill_core.errors import HostbillError
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.simulation.example_shop import seed
from hostbill_core.simulation.schedule import due_schedule

__all__ = ["main"]

_DEFAULT_DB = "hostbill.sqlite"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hostbill-core", description="Billing logic for web-hosting businesses."
    )
    parser.add_argument("--version", action="version", version=f"hostbill-core {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    simulate = commands.add_parser(
        "simulate", help="seed the example shop and print each service's next due dates"
    )
    simulate.add_argument("--db", default=_DEFAULT_DB, help="SQLite file, or :memory:")
    simulate.add_argument(
        "--as-of", type=date.fromisoformat, default=None, help="first day shown (YYYY-MM-DD)"
    )
    simulate.add_argument("--timezone", default="UTC", help="the business's timezone")
    simulate.add_argument("--count", type=int, default=12, help="due dates per service")
    return parser


def _print_schedules(new_uow: UnitOfWorkFactory, as_of: date, count: int, out: TextIO) -> int:
    with new_uow() as uow:
        clients = {client.id: client for client in uow.clients.list()}
        printed = 0
        for service in uow.services.list():
            client = clients[service.client_id]
            plan = uow.plans.get(service.plan_id)
            items = due_schedule(service, plan, client.currency, as_of, count)
            out.write(f"\n{service.id}  {service.name}  ({client.details.name}, {service.cycle})\n")
            for item in items:
                out.write(
                    f"  {item.due_on.isoformat()}  {item.amount.currency.code} "
                    f"{item.amount.amount:>10}\n"
                )
            printed += 1
    return printed


def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        timezone = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise HostbillError(f"unknown timezone {args.timezone!r}: use an IANA name") from None
    store = SqliteStore(args.db)
    try:
        report = seed(store.unit_of_work)
        as_of = args.as_of or SystemClock(timezone).today()
        where = "in memory" if args.db == ":memory:" else args.db
        out.write(
            f"Example shop in {where}: {report.added} records added, "
            f"{report.existing} already there. Due dates from {as_of.isoformat()}:\n"
        )
        _print_schedules(store.unit_of_work, as_of, args.count, out)
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input).

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).
        out: where to print (default: standard output).
    """
    stream = out or sys.stdout
    args = _parser().parse_args(argv)
    try:
        return _simulate(args, stream)
    except HostbillError as error:
        sys.stderr.write(f"hostbill-core: {error}\n")
        return 2
    except BrokenPipeError:  # the reader (e.g. `head`) left early: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
