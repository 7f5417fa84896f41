"""Queued invoice items through storage and the billing run, on both adapters."""

from datetime import UTC, date, datetime

import attrs
import pytest

from hostbill_core.errors import ConflictError, NotFoundError, ValidationError
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.invoicing.queue import queue_entry
from hostbill_core.model import InvoiceLine, LineKind, ServiceStatus
from hostbill_core.money import to_money
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.queue import (
    QueueItem,
    RemoveQueuedItem,
    queue_item,
    remove_queued_item,
)

from .billing_shop import client, seed, service, snapshot

AT = datetime(2026, 2, 10, 9, tzinfo=UTC)
SETTINGS = BillingSettings()


def manual(key: str, amount: str = "25.00", due: date = date(2026, 2, 20), **kw: object):  # type: ignore[no-untyped-def]
    currency = str(kw.pop("currency", "USD"))
    return BillableItem(
        "c1", currency, due, f"work {key}", to_money(amount, currency), LineKind.MANUAL,  # type: ignore[arg-type]
        f"manual/{key}", **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def shop(uow: UnitOfWorkFactory) -> UnitOfWorkFactory:
    # s1 renews on 28 Feb (invoiced on 14 Feb, 14 days ahead), then 31 Mar; s9 is c2's.
    services = [
        service("s1", "c1", date(2026, 1, 31), date(2026, 2, 28)),
        service("s9", "c2", date(2026, 1, 31), date(2026, 2, 28), status=ServiceStatus.PENDING),
    ]
    return seed(uow, [client("c1"), client("c2")], services)


def queued(factory: UnitOfWorkFactory) -> list[str]:
    with factory() as uow:
        return [q.key for q in uow.queued_items.list(client_id="c1")]


def test_a_queued_item_joins_the_next_renewal_invoice_and_leaves_the_queue(
    shop: UnitOfWorkFactory,
) -> None:
    queue_item(shop, QueueItem(manual("setup"), AT, "ann"))
    report = run_billing(shop, date(2026, 2, 14), SETTINGS)
    (issued,) = report.invoices
    # 10.00 renewal + 25.00 queued work = 35.00, both due 28 Feb
    assert (issued.due_date, str(issued.total.amount), issued.lines) == (
        date(2026, 2, 28),
        "35.00",
        2,
    )
    with shop() as uow:
        lines = uow.invoices.get(issued.invoice_id).lines
    assert [line.key for line in lines] == ["manual/setup", "renewal/s1/2026-02-28..2026-03-31"]
    assert queued(shop) == []
    before = snapshot(shop)
    assert run_billing(shop, date(2026, 2, 14), SETTINGS).clients == ()
    assert snapshot(shop) == before


def test_a_dry_run_leaves_the_item_queued(shop: UnitOfWorkFactory) -> None:
    queue_item(shop, QueueItem(manual("setup"), AT))
    dry = run_billing(shop, date(2026, 2, 14), SETTINGS, dry_run=True)
    assert str(dry.invoices[0].total.amount) == "35.00"
    assert queued(shop) == ["manual/setup"]


def test_an_item_due_after_the_invoice_or_in_another_currency_waits(
    shop: UnitOfWorkFactory,
) -> None:
    queue_item(shop, QueueItem(manual("later", due=date(2026, 3, 10)), AT))
    with shop() as uow:  # stored before queue_item refused another currency: it never joins
        uow.queued_items.add(queue_entry(manual("euro", currency="EUR"), AT))
        uow.commit()
    first = run_billing(shop, date(2026, 2, 14), SETTINGS)
    assert str(first.invoices[0].total.amount) == "10.00"
    assert queued(shop) == ["manual/euro", "manual/later"]
    # The next renewal, due 31 March, is invoiced on 17 March: the 10 March item joins it.
    with shop() as uow:  # the February invoice is paid, so the service renews to 31 March
        (invoice,) = uow.invoices.list(client_id="c1")
        paid = attrs.evolve(invoice, amount_paid=invoice.total, status=invoice.status.PAID)
        uow.invoices.save(paid)
        uow.services.save(attrs.evolve(uow.services.get("s1"), next_due_date=date(2026, 3, 31)))
        uow.commit()
    second = run_billing(shop, date(2026, 3, 17), SETTINGS)
    assert [str(i.total.amount) for i in second.invoices] == ["35.00"]
    assert queued(shop) == ["manual/euro"]


def test_queuing_the_same_item_again_does_nothing(shop: UnitOfWorkFactory) -> None:
    first = queue_item(shop, QueueItem(manual("setup"), AT))
    again = queue_item(shop, QueueItem(manual("setup"), AT))
    assert again.item == first.item
    assert again.explanation == "manual/setup is queued already: nothing to do"


def test_another_item_under_a_queued_key_is_refused(shop: UnitOfWorkFactory) -> None:
    queue_item(shop, QueueItem(manual("setup"), AT))
    with pytest.raises(ConflictError):
        queue_item(shop, QueueItem(manual("setup", "26.00"), AT))


def test_an_invoiced_key_is_never_queued(shop: UnitOfWorkFactory) -> None:
    queue_item(shop, QueueItem(manual("setup"), AT))
    run_billing(shop, date(2026, 2, 14), SETTINGS)
    with pytest.raises(ConflictError, match="already invoiced"):
        queue_item(shop, QueueItem(manual("setup"), AT))


def test_a_key_is_queued_for_one_client_only(shop: UnitOfWorkFactory) -> None:
    queue_item(shop, QueueItem(manual("setup"), AT))
    with pytest.raises(ConflictError):
        queue_item(shop, QueueItem(attrs.evolve(manual("setup"), client_id="c2"), AT))


def test_queuing_for_an_unknown_client_or_anothers_service_is_refused(
    shop: UnitOfWorkFactory,
) -> None:
    with pytest.raises(NotFoundError):
        queue_item(shop, QueueItem(attrs.evolve(manual("x"), client_id="c7"), AT))
    with pytest.raises(ValidationError, match="a service of c2"):
        queue_item(shop, QueueItem(manual("x", service_id="s9"), AT))
    assert queued(shop) == []


def test_an_item_in_another_currency_than_the_clients_is_refused(
    shop: UnitOfWorkFactory,
) -> None:
    # c1 is billed in USD: a EUR item could join none of its invoices.
    with pytest.raises(ValidationError) as caught:
        queue_item(shop, QueueItem(manual("euro", currency="EUR"), AT))
    assert (caught.value.field, caught.value.value) == ("item.currency", "EUR")
    assert caught.value.reason == (
        "client c1 is billed in USD: queue the item in USD, or change the client's currency first"
    )
    assert queued(shop) == []


def test_a_queued_item_is_removed_before_it_is_invoiced(shop: UnitOfWorkFactory) -> None:
    queue_item(shop, QueueItem(manual("setup"), AT))
    removed = remove_queued_item(shop, RemoveQueuedItem("manual/setup"))
    assert removed.key == "manual/setup"
    assert str(run_billing(shop, date(2026, 2, 14), SETTINGS).invoices[0].total.amount) == "10.00"
    with pytest.raises(NotFoundError):
        remove_queued_item(shop, RemoveQueuedItem("manual/setup"))


def test_a_queued_line_carries_its_taxes_and_description(shop: UnitOfWorkFactory) -> None:
    from hostbill_core.model import TaxAmount

    tax = (TaxAmount("VAT", "0.20", to_money("5.00", "USD")),)
    queue_item(shop, QueueItem(manual("setup", taxes=tax), AT))
    (issued,) = run_billing(shop, date(2026, 2, 14), SETTINGS).invoices
    with shop() as uow:
        line = uow.invoices.get(issued.invoice_id).lines[0]
    assert line == InvoiceLine(
        "work setup", to_money("25.00", "USD"), LineKind.MANUAL, "manual/setup", taxes=tax
    )


def test_a_queued_item_converted_by_a_currency_change_joins_the_next_invoice_in_it(
    shop: UnitOfWorkFactory,
) -> None:
    from hostbill_core.money import ExchangeRate
    from hostbill_core.testing.fakes import FixedClock, StaticRates
    from hostbill_core.usecases.currency import ChangeClientCurrency, change_client_currency

    queue_item(shop, QueueItem(manual("setup"), AT))
    rates = StaticRates([ExchangeRate("USD", "EUR", "0.92", AT.date())])
    change_client_currency(shop, ChangeClientCurrency("c1", "EUR"), rates, FixedClock(AT))
    with shop() as uow:
        (item,) = uow.queued_items.list(client_id="c1")
    assert (item.currency, item.amount) == ("EUR", to_money("23.00", "EUR"))  # 25.00 × 0.92
    (issued,) = run_billing(shop, date(2026, 2, 14), SETTINGS).invoices
    # renewal 10.00 × 0.92 = 9.20 EUR (the plan's USD price, converted) + 23.00 EUR = 32.20 EUR
    assert (issued.total, issued.lines) == (to_money("32.20", "EUR"), 2)
    assert queued(shop) == []
