from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from hostbill_core.errors import ConflictError, NotFoundError, ValidationError
from hostbill_core.model import CreditEntry, CreditReason
from hostbill_core.money import ExchangeRate, sum_money, to_money
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.pricing import Basis, CurrencyChangeMode
from hostbill_core.testing.fakes import FixedClock, StaticRates
from hostbill_core.usecases.currency import (
    ChangeClientCurrency,
    change_client_currency,
    preview_client_currency_change,
)
from tests.pricing.currency_fixtures import (
    AT,
    INVOICES,
    PLANS,
    SERVICES,
    USD_EUR,
    client,
    money,
    queued,
)

CLOCK = FixedClock(AT)
RATES = StaticRates([USD_EUR])
RECALCULATE, CODE_ONLY, REPRICE = CurrencyChangeMode


@pytest.fixture
def book(new_uow: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Client c1 in USD: five services, an unpaid, a paid and a EUR draft invoice, 12.34 credit
    and a queued item of 10.00 with a 1.00 tax."""
    with new_uow() as uow:
        uow.clients.add(client())
        for plan in PLANS:
            uow.plans.add(plan)
        for service in SERVICES:
            uow.services.add(service)
        for invoice in INVOICES:
            uow.invoices.add(invoice)
        uow.queued_items.add(queued("q1", "10.00", "1.00"))
        uow.credit.add(
            CreditEntry("e1", "c1", AT, money("12.34"), CreditReason.ADD_CREDIT, "admin")
        )
        uow.commit()
    return new_uow


def stored(new_uow: UnitOfWorkFactory):
    with new_uow() as uow:
        return (
            uow.clients.get("c1"),
            {s.id: s for s in uow.services.list(client_id="c1")},
            {i.id: i for i in uow.invoices.list(client_id="c1")},
            uow.credit.list(client_id="c1"),
        )


def queued_now(new_uow: UnitOfWorkFactory):
    with new_uow() as uow:
        return uow.queued_items.get("q1")


def test_recalculate_is_stored_in_one_unit_of_work(book: UnitOfWorkFactory):
    plan = change_client_currency(book, ChangeClientCurrency("c1", "EUR"), RATES, CLOCK)
    client_now, services, invoices, credit = stored(book)
    assert client_now.currency == "EUR"
    # 10.00 × 0.92 = 9.20; 7.77 × 0.92 = 7.1484 → 7.15; 20.00 × 0.92 = 18.40; s3 follows its plan
    assert services["s1"].price_override == to_money("9.20", "EUR")
    assert services["s2"].price_override == to_money("7.15", "EUR")
    assert services["s3"].price_override is None
    assert invoices["i1"].currency == "EUR"
    assert invoices["i1"].total == to_money("9.86", "EUR")  # 9.20 + 1.75 − 0.92 − 0.17
    assert invoices["i2"] == attrs.evolve(INVOICES[1], version=1)  # paid: untouched
    # ledger: +12.34 USD, −12.34 USD (closing), +11.35 EUR (opening: 12.34 × 0.92 = 11.3528)
    assert (
        sum_money((e.amount for e in credit if e.amount.currency.code == "USD"), "USD").amount == 0
    )
    assert sum_money(
        (e.amount for e in credit if e.amount.currency.code == "EUR"), "EUR"
    ) == to_money("11.35", "EUR")
    assert plan.rate == USD_EUR
    item = queued_now(book)  # 10.00 × 0.92 = 9.20; tax 1.00 × 0.92 = 0.92
    assert (item.currency, item.amount, item.taxes[0].amount, item.version) == (
        "EUR", to_money("9.20", "EUR"), to_money("0.92", "EUR"), 2
    )  # fmt: skip


def test_preview_stores_nothing(book: UnitOfWorkFactory):
    before = stored(book)
    plan = preview_client_currency_change(book, ChangeClientCurrency("c1", "EUR"), RATES, CLOCK)
    assert plan.client.currency == "EUR"
    assert stored(book) == before


def test_the_previewed_rate_is_the_one_applied(book: UnitOfWorkFactory):
    agreed = ExchangeRate("USD", "EUR", "0.90", date(2026, 1, 5))
    plan = change_client_currency(
        book, ChangeClientCurrency("c1", "EUR", rate=agreed), RATES, CLOCK
    )
    assert plan.rate == agreed
    assert stored(book)[1]["s1"].price_override == to_money("9.00", "EUR")


def test_code_only_needs_no_rate(book: UnitOfWorkFactory):
    change_client_currency(
        book, ChangeClientCurrency("c1", "EUR", CODE_ONLY), StaticRates([]), CLOCK
    )
    _, services, invoices, _ = stored(book)
    assert services["s1"].price_override == to_money("10.00", "EUR")
    assert invoices["i1"].total == to_money("10.71", "EUR")


def test_reprice_takes_the_plan_table(book: UnitOfWorkFactory):
    plan = change_client_currency(book, ChangeClientCurrency("c1", "EUR", REPRICE), RATES, CLOCK)
    s1 = next(c for c in plan.changes if c.subject == "service s1 price")
    assert (s1.after, s1.basis) == (to_money("9.50", "EUR"), Basis.PLAN_PRICE)
    assert stored(book)[1]["s1"].price_override is None


def test_a_failure_before_the_commit_leaves_storage_as_it_was(book: UnitOfWorkFactory):
    # An entry already holds the id of the opening entry: the last write fails, after the
    # client, services and invoices were saved in the same unit of work.
    taken = "c1-currency-USD-EUR-20260105T100000000000-open"
    with book() as uow:
        uow.credit.add(
            CreditEntry(taken, "c2", AT, to_money("1", "GBP"), CreditReason.ADD_CREDIT, "x")
        )
        uow.commit()
    before = stored(book), queued_now(book)
    with pytest.raises(ConflictError):
        change_client_currency(book, ChangeClientCurrency("c1", "EUR"), RATES, CLOCK)
    assert (stored(book), queued_now(book)) == before
    assert before[0][0].currency == "USD"
    assert before[1].amount == money("10.00")


def test_a_stale_rate_is_refused_and_nothing_changes(book: UnitOfWorkFactory):
    old = StaticRates([ExchangeRate("USD", "EUR", "0.92", date(2025, 12, 1))])
    before = stored(book)
    with pytest.raises(ValidationError, match="35 days old"):
        change_client_currency(book, ChangeClientCurrency("c1", "EUR"), old, CLOCK)
    assert stored(book) == before


def test_no_rate_for_the_pair_is_not_found(book: UnitOfWorkFactory):
    with pytest.raises(NotFoundError):
        change_client_currency(book, ChangeClientCurrency("c1", "JPY"), RATES, CLOCK)


def test_changing_back_at_the_recorded_rate_restores_every_amount(book: UnitOfWorkFactory):
    original = stored(book)
    forward = change_client_currency(book, ChangeClientCurrency("c1", "EUR"), RATES, CLOCK)
    later = FixedClock(datetime(2026, 1, 5, 11, tzinfo=UTC))
    back = ChangeClientCurrency("c1", "USD", rate=forward.rate.inverse())  # type: ignore[union-attr]
    change_client_currency(book, back, RATES, later)
    client_now, services, invoices, credit = stored(book)
    assert client_now.currency == "USD"
    # 9.20 / 0.92 = 10.00; 7.15 / 0.92 = 7.7717… → 7.77; 18.40 / 0.92 = 20.00
    assert services["s1"].price_override == money("10.00")  # now stored: the plan's price
    assert services["s2"].price_override == money("7.77")
    assert services["s5"].price_override == money("20.00")
    for line, before_line in zip(invoices["i1"].lines, original[2]["i1"].lines, strict=True):
        assert abs(line.amount.amount - before_line.amount.amount) <= Decimal("0.01")
    # queued item: 9.20 / 0.92 = 10.00; its tax 0.92 / 0.92 = 1.00
    item = queued_now(book)
    assert (item.amount, item.taxes[0].amount) == (money("10.00"), money("1.00"))
    # 11.35 / 0.92 = 12.3369… → 12.34
    balance = sum_money((e.amount for e in credit if e.amount.currency.code == "USD"), "USD")
    assert balance == money("12.34")
