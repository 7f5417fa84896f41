"""A stateful proof over random small shops and days.

Rules run the billing day (dry run first; one, two or many clients per transaction), run the
same day again, pay invoices in full or in part, add credit, change plans (upgrades and
downgrades on the same cycle) and clients' own lead times. A run of a later day, and a rerun
of the day, do what a full run blind to the marks of complete days would do. After every
step: running the same day again changes nothing, the dry run reported exactly what the run
did, money is conserved, and every cycle a service moved forward is backed by exactly one
paid renewal line (so no service is ever extended twice for a payment).
"""

import contextlib
from datetime import UTC, date, datetime, timedelta

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.calendar import ANNUALLY, MONTHLY
from hostbill_core.errors import ValidationError
from hostbill_core.model import (
    CreditReason,
    InvoiceStatus,
    LineKind,
    Payment,
    ServiceStatus,
)
from hostbill_core.money import from_minor, sum_money, to_money, zero
from hostbill_core.renewal import RenewalSettings, due_index, service_due_date
from hostbill_core.usecases import billing_batch, billing_run
from hostbill_core.usecases.add_credit import AddCredit, add_credit
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings
from hostbill_core.usecases.pay_invoice import pay_invoice
from hostbill_core.usecases.payments import PayInvoices
from hostbill_core.usecases.plan_change import ChangePlan, change_plan
from hostbill_core.usecases.renewal_items import renewal_key

from .billing_shop import client, seed, service, snapshot

START = date(2026, 1, 1)
CURRENCIES = {"c1": "USD", "c2": "JPY", "c3": "EUR"}
CYCLES = {"USD": (MONTHLY, ANNUALLY), "JPY": (MONTHLY,), "EUR": (MONTHLY,)}


@contextlib.contextmanager
def blind_to_marks():
    """Runs inside carry out every client in full, as if no day were ever marked complete."""
    quiet = billing_batch.quiet_clients
    billing_batch.quiet_clients = lambda *_args: {}
    try:
        yield
    finally:
        billing_batch.quiet_clients = quiet


class BillingMachine(RuleBasedStateMachine):
    @initialize(
        data=st.data(),
        continues=st.booleans(),
        lead=st.sampled_from([0, 7, 14, 40]),
        batch=st.sampled_from([1, 2, billing_run.BATCH_SIZE]),
    )
    def shop(self, data, continues, lead, batch):
        # Clients per transaction: dry-run numbers and savepoints across batches too.
        self.batch_size, billing_run.BATCH_SIZE = billing_run.BATCH_SIZE, batch
        self.store = MemoryStore()
        self.settings = BillingSettings(
            renewal=RenewalSettings(lead, continue_invoicing_when_unpaid=continues)
        )
        clients, services = [], []
        for cid, currency in CURRENCIES.items():
            clients.append(client(cid, currency))
            for n in range(data.draw(st.integers(0, 2))):
                anchor = START + timedelta(days=data.draw(st.integers(0, 60)))
                cycle = data.draw(st.sampled_from(CYCLES[currency]))
                services.append(service(f"{cid}-s{n}", cid, anchor, cycle=cycle))
        seed(self.store.unit_of_work, clients, services)
        self.initial = {s.id: s for s in services}
        self.day = START
        self.count = 0

    def teardown(self):
        if hasattr(self, "batch_size"):
            billing_run.BATCH_SIZE = self.batch_size

    def _id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    @rule(days=st.integers(1, 25))
    def run_day(self, days):
        self.day += timedelta(days=days)
        factory = self.store.unit_of_work
        before = snapshot(factory)
        dry = run_billing(factory, self.day, self.settings, dry_run=True)
        assert snapshot(factory) == before, "a dry run wrote"
        with blind_to_marks():
            blind = run_billing(factory, self.day, self.settings, dry_run=True)
        assert blind == dry, "a mark of an earlier day hid work of this one"
        real = run_billing(factory, self.day, self.settings)
        assert dry == attrs.evolve(real, dry_run=True), "the dry run disagrees with the run"
        assert not real.failures, real.failures
        after = snapshot(factory)
        again = run_billing(factory, self.day, self.settings)
        assert again.clients == (), "a second run of the day did something"
        assert snapshot(factory) == after

    @rule()
    def rerun_day(self):
        # The same day again after whatever changed since (payments, credit, plan or client
        # changes): a client is skipped by its mark only if a full run would do nothing.
        factory = self.store.unit_of_work
        with blind_to_marks():
            full = run_billing(factory, self.day, self.settings, dry_run=True)
        real = run_billing(factory, self.day, self.settings)
        assert full == attrs.evolve(real, dry_run=True), "a mark of a complete day hid work"
        assert not real.failures, real.failures

    @rule(cid=st.sampled_from(sorted(CURRENCIES)), lead=st.sampled_from([None, 0, 7, 14]))
    def client_lead_time(self, cid, lead):
        with self.store.unit_of_work() as uow:
            found = uow.clients.get(cid)
            own = attrs.evolve(found.settings, invoice_lead_days=lead)
            if own != found.settings:
                uow.clients.save(attrs.evolve(found, settings=own))
                uow.commit()

    @rule(cid=st.sampled_from(sorted(CURRENCIES)), share=st.sampled_from(["all", "half", "more"]))
    def pay(self, cid, share):
        with self.store.unit_of_work() as uow:
            due = [i for i in uow.invoices.list(client_id=cid) if i.status is InvoiceStatus.UNPAID]
        if not due:
            return
        oldest = min(due, key=lambda i: (i.due_date, i.id))
        balance = oldest.balance_due
        if share == "half" and balance.amount > 1:
            balance = to_money(balance.amount // 2, balance.currency.code)
        elif share == "more":
            balance = balance + to_money(1, balance.currency.code)
        pid = self._id("p")
        at = datetime.combine(self.day, datetime.min.time(), UTC)
        payment = Payment(pid, cid, at, balance)
        pay_invoice(
            self.store.unit_of_work,
            PayInvoices(payment, self.day, (oldest.id,), credit_entry_id=f"{pid}-over"),
        )

    @rule(cid=st.sampled_from(sorted(CURRENCIES)), units=st.integers(1, 3000))
    def credit(self, cid, units):
        currency = CURRENCIES[cid]
        amount = from_minor(units, currency)
        at = datetime.combine(self.day, datetime.min.time(), UTC)
        add_credit(self.store.unit_of_work, AddCredit(cid, amount, self._id("e"), at))

    @rule(data=st.data())
    def change_plan(self, data):
        with self.store.unit_of_work() as uow:
            candidates = [
                s for s in uow.services.list()
                if s.cycle == MONTHLY and CURRENCIES[s.client_id] in ("USD", "JPY")
                and s.status in (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED)
            ]  # fmt: skip
        if not candidates:
            return
        target = data.draw(st.sampled_from(candidates))
        plan = "pro" if target.plan_id == "basic" else "basic"
        # A day outside the paid period is refused (ValidationError) and stores nothing.
        with contextlib.suppress(ValidationError):
            change_plan(
                self.store.unit_of_work,
                ChangePlan(target.id, plan, MONTHLY, self.day),
                self.settings,
            )

    @invariant()
    def money_is_conserved(self):
        if not hasattr(self, "store"):
            return
        with self.store.unit_of_work() as uow:
            invoices = {i.id: i for i in uow.invoices.list()}
            payments, entries = uow.payments.list(), uow.credit.list()
        paid_to: dict[str, list] = {}
        for payment in payments:
            over = [e.amount for e in entries if e.payment_id == payment.id]
            code = payment.amount.currency.code
            assert payment.amount == payment.allocated + sum_money(over, code)
            for allocation in payment.allocations:
                paid_to.setdefault(allocation.invoice_id, []).append(allocation.amount)
        for invoice in invoices.values():
            code = invoice.currency
            assert invoice.total == sum_money((line.total for line in invoice.lines), code)
            assert invoice.amount_paid == sum_money(paid_to.get(invoice.id, []), code)
            applied = [
                -e.amount
                for e in entries
                if e.reason is CreditReason.APPLIED_TO_INVOICE and e.invoice_id == invoice.id
            ]
            assert invoice.credit_applied == sum_money(applied, code)
            assert invoice.balance_due.amount >= 0
        for cid, currency in CURRENCIES.items():
            mine = [e.amount for e in entries if e.client_id == cid]
            assert sum_money(mine, currency) >= zero(currency)

    @invariant()
    def every_cycle_moved_is_one_paid_renewal(self):
        if not hasattr(self, "store"):
            return
        with self.store.unit_of_work() as uow:
            for sid, first in self.initial.items():
                now = uow.services.get(sid)
                for n in range(
                    due_index(first, first.next_due_date), due_index(now, now.next_due_date)
                ):
                    due = service_due_date(first, n)
                    owner = uow.invoices.owner_of_key(renewal_key(first, due))
                    assert owner is not None, f"{sid} moved past {due} without an invoice"
                    assert uow.invoices.get(owner).status is InvoiceStatus.PAID
                paid = [
                    line
                    for invoice in uow.invoices.list(client_id=now.client_id)
                    if invoice.status is InvoiceStatus.PAID
                    for line in invoice.lines
                    if line.kind is LineKind.RENEWAL and line.service_id == sid
                ]
                moved = due_index(now, now.next_due_date) - due_index(first, first.next_due_date)
                assert moved <= len(paid), f"{sid} moved {moved} cycles on {len(paid)} payments"


BillingMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=20)
TestBillingMachine = BillingMachine.TestCase
