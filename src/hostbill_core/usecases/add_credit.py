"""Adding (or taking back) credit by hand: one ledger entry, checked, in one unit of work.

>>> from datetime import UTC, date, datetime
>>> from hostbill_core.adapters.memory import MemoryStore
>>> from hostbill_core.model import Client, ContactDetails
>>> from hostbill_core.money import to_money
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     _ = uow.clients.add(Client("c1", ContactDetails("Ann", "ann@example.com"), "USD",
...                                date(2026, 1, 1)))
...     uow.commit()
>>> at = datetime(2026, 3, 1, tzinfo=UTC)
>>> posting = add_credit(store.unit_of_work, AddCredit("c1", to_money("15.00", "USD"), "e1", at))
>>> posting.ledger.balance
Money('15.00', 'USD')
"""

from __future__ import annotations

from datetime import datetime

import attrs
from moneyed import Money

from hostbill_core.errors import CurrencyMismatchError
from hostbill_core.invoicing.credit import CreditLedger, CreditPosting, CreditSettings, post
from hostbill_core.model import ClientId, CreditEntry, CreditEntryId, CreditReason
from hostbill_core.ports import UnitOfWorkFactory

__all__ = ["AddCredit", "add_credit"]


@attrs.frozen
class AddCredit:
    """A manual change of a client's credit balance.

    Attributes:
        client_id: the client.
        amount: the change, in the client's currency: above zero adds, below zero takes back.
        entry_id: the ledger entry's id.
        at: when, an aware instant.
        actor: who, for the credit log.
        note: why, for the credit log.
        reason: the ledger reason (a manual adjustment unless told).
    """

    client_id: ClientId
    amount: Money
    entry_id: CreditEntryId
    at: datetime
    actor: str = "staff"
    note: str = ""
    reason: CreditReason = CreditReason.MANUAL_ADJUST


def add_credit(
    new_uow: UnitOfWorkFactory, request: AddCredit, settings: CreditSettings | None = None
) -> CreditPosting:
    """Post the entry to the client's ledger and store it; nothing is stored on a refusal.

    Args:
        new_uow: opens the unit of work.
        request: the change.
        settings: the business's credit settings (negative balances; client overrides apply).

    Raises:
        NotFoundError: no such client.
        CurrencyMismatchError: the amount is not in the client's currency.
        ValidationError: a zero amount, a reason that does not fit, a balance going negative
            where not allowed, an entry id in use (ConflictError).
    """
    with new_uow() as uow:
        client = uow.clients.get(request.client_id)
        currency = request.amount.currency.code
        if currency != client.currency:
            raise CurrencyMismatchError(client.currency, currency, "credit for the client")
        entries = tuple(
            e for e in uow.credit.list(client_id=client.id) if e.amount.currency.code == currency
        )
        entry = CreditEntry(
            request.entry_id, client.id, request.at, request.amount, request.reason,
            request.actor, request.note,
        )  # fmt: skip
        allow = (settings or CreditSettings()).for_client(client.settings).allow_negative
        posting = post(CreditLedger(client.id, currency, entries), entry, allow_negative=allow)
        uow.credit.add(entry)
        uow.commit()
    return posting
