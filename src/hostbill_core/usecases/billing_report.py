"""What a billing run did: per client the invoices, actions, events and error; then totals.

Every value here is plain data that compares by value, so a dry run's report can be compared
with the real run's (they are equal by construction: the same code builds both).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import ClassVar

import attrs
from moneyed import Money

from hostbill_core.model import ClientId, InvoiceId, InvoiceStatus
from hostbill_core.money import sum_money

__all__ = [
    "ActionKind",
    "ActionTaken",
    "BillingEvent",
    "BillingRunReport",
    "ClientFailure",
    "ClientRun",
    "IssuedInvoice",
]


def _frozen(value: Mapping[str, Money]) -> Mapping[str, Money]:
    return MappingProxyType(dict(value))


@attrs.frozen
class BillingEvent:
    """Something the host application should act on: an email to send, a flag to show.

    Attributes:
        name: a stable dotted name: ``invoice.issued``, ``renewal.reminder``,
            ``renewal.expiry_email`` (an expiry step's email template), ``service.suspended``,
            ``service.cancelled``, ``service.renewed``, ``service.unsuspended``,
            ``client.locked_out``, ``client.unlocked``, ``plan.changed``.
        client_id: the client it concerns.
        subject: the service or invoice it is about.
        key: its idempotency key (the same event never has two keys, nor a key two events).
        on: the day it belongs to (the scheduled day; a caught-up event keeps its own day).
        template: the email template to send, or "".
        explanation: what happened and why, in words.
    """

    name: str
    client_id: ClientId
    subject: str
    key: str
    on: date
    template: str = ""
    explanation: str = ""


class ActionKind(enum.Enum):
    """A state change the run (or a payment) carried out."""

    SUSPEND = "suspend"
    CANCEL = "cancel"
    LOCKOUT = "lockout"
    UNLOCK = "unlock"
    RENEW = "renew"
    PLAN_CHANGE = "plan_change"


@attrs.frozen
class ActionTaken:
    """One state change: what, on which service (or the client), and why."""

    kind: ActionKind
    subject: str
    key: str
    explanation: str


@attrs.frozen
class IssuedInvoice:
    """An invoice the run issued: its number, total and what credit paid of it.

    Attributes:
        invoice_id: the invoice's id.
        number: its final number, or its proforma number in proforma numbering.
        due_date: its due date.
        total: net plus tax.
        credit_applied: the credit balance applied on issue.
        status: unpaid, or paid when credit covered it.
        lines: how many lines it has.
    """

    invoice_id: InvoiceId
    number: str
    due_date: date
    total: Money
    credit_applied: Money
    status: InvoiceStatus
    lines: int


@attrs.frozen
class ClientFailure:
    """Why a client's unit of work failed; nothing of it was stored.

    Attributes:
        error_type: the exception's class name (``ConfigurationError``).
        message: its message.
        error: the exception itself (not compared: two runs' exceptions are different objects).
    """

    error_type: str
    message: str
    error: BaseException = attrs.field(eq=False, repr=False)

    @classmethod
    def of(cls, error: BaseException) -> ClientFailure:
        """The failure an exception describes."""
        return cls(type(error).__name__, str(error), error)


@attrs.frozen
class ClientRun:
    """What the run did for one client, in one unit of work (all of it, or nothing).

    Attributes:
        client_id: the client.
        services: how many of its services were examined.
        invoices: the invoices issued, in issue order.
        actions: the state changes carried out, in the order done.
        events: the events for the host, in the order raised.
        failure: why nothing was stored, or None.
    """

    client_id: ClientId
    services: int = 0
    invoices: tuple[IssuedInvoice, ...] = ()
    actions: tuple[ActionTaken, ...] = ()
    events: tuple[BillingEvent, ...] = ()
    failure: ClientFailure | None = None

    @property
    def changed(self) -> bool:
        """True when the run issued, did or raised anything for this client (or failed)."""
        return bool(self.invoices or self.actions or self.events or self.failure)


@attrs.frozen(unsafe_hash=False)
class BillingRunReport:
    """The whole run: the clients it changed or failed on, and totals.

    Attributes:
        as_of: the day run.
        dry_run: True when nothing was stored and no event was sent.
        clients: the runs of clients where something happened or that failed, by client id.
        clients_examined: how many clients were examined (including those with nothing to do).
        services_examined: how many services were examined.
        invoiced: the total invoiced per currency (net plus tax).
    """

    name: ClassVar[str] = "billing.run"
    as_of: date
    dry_run: bool
    clients: tuple[ClientRun, ...]
    clients_examined: int
    services_examined: int
    invoiced: Mapping[str, Money] = attrs.field(converter=_frozen)

    @classmethod
    def of(cls, as_of: date, dry_run: bool, runs: Iterable[ClientRun]) -> BillingRunReport:
        """Summarise client runs into a report, keeping only those that did something."""
        kept: list[ClientRun] = []
        clients = services = 0
        by_currency: dict[str, list[Money]] = {}
        for run in runs:
            clients += 1
            services += run.services
            if run.changed:
                kept.append(run)
            for invoice in run.invoices:
                by_currency.setdefault(invoice.total.currency.code, []).append(invoice.total)
        invoiced = {code: sum_money(totals, code) for code, totals in sorted(by_currency.items())}
        return cls(as_of, dry_run, tuple(kept), clients, services, invoiced)

    @property
    def invoices(self) -> tuple[IssuedInvoice, ...]:
        """Every invoice issued, client by client."""
        return tuple(i for run in self.clients for i in run.invoices)

    @property
    def actions(self) -> tuple[ActionTaken, ...]:
        """Every state change carried out, client by client."""
        return tuple(a for run in self.clients for a in run.actions)

    @property
    def events(self) -> tuple[BillingEvent, ...]:
        """Every event raised, client by client."""
        return tuple(e for run in self.clients for e in run.events)

    @property
    def failures(self) -> tuple[ClientRun, ...]:
        """The client runs that failed (nothing of them was stored)."""
        return tuple(run for run in self.clients if run.failure is not None)

    @property
    def explanation(self) -> str:
        """The run in one line."""
        money = ", ".join(f"{m.amount} {code}" for code, m in self.invoiced.items()) or "nothing"
        mode = "dry run" if self.dry_run else "run"
        return (
            f"{mode} of {self.as_of.isoformat()}: {self.clients_examined} client(s), "
            f"{self.services_examined} service(s) examined; {len(self.invoices)} invoice(s) "
            f"({money}), {len(self.actions)} action(s), {len(self.events)} event(s), "
            f"{len(self.failures)} client(s) failed"
        )
