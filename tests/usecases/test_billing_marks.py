"""Marks of complete days: a rerun of the day skips exactly the clients nothing changed for."""

from datetime import date

import attrs
import pytest

from hostbill_core.model import ProductType
from hostbill_core.renewal import ExpiryAction, ExpiryStep, RenewalSequence, RenewalSettings
from hostbill_core.usecases.billing_marks import canonical, run_fingerprint
from hostbill_core.usecases.billing_run import run_billing
from hostbill_core.usecases.billing_settings import BillingSettings

from .billing_shop import client, seed, service, snapshot

DAY = date(2026, 3, 10)
SETTINGS = BillingSettings()


class Reads:
    """Counts the batch reads of records (``for_clients``) per repository, states included."""

    def __init__(self, factory):
        self.factory, self.calls = factory, []

    def __call__(self):
        uow = self.factory()
        reads = self

        class Counted:
            def __init__(self, name):
                self._inner, self._name = getattr(uow, name), name

            def for_clients(self, ids):
                reads.calls.append(self._name)
                return self._inner.for_clients(ids)

            def __getattr__(self, attribute):
                return getattr(self._inner, attribute)

        class Uow:
            clients, services = Counted("clients"), Counted("services")
            billing_states = Counted("billing_states")

            def __enter__(self):
                uow.__enter__()
                return self

            def __exit__(self, *exc_info):
                return uow.__exit__(*exc_info)

            def __getattr__(self, name):
                return getattr(uow, name)

        return Uow()


def shop(uow):
    # c1 has a renewal to invoice on DAY; c2 is due far later (nothing to do, but visited).
    seed(
        uow,
        [client("c1"), client("c2")],
        [
            service("s1", "c1", date(2026, 1, 20), date(2026, 3, 20)),
            service("s2", "c2", date(2026, 1, 15), date(2026, 3, 15)),
        ],
    )


def test_a_rerun_of_the_day_reads_no_record_of_clients_it_marked_complete(uow):
    shop(uow)
    first = run_billing(uow, DAY, SETTINGS)
    assert [r.client_id for r in first.clients] == ["c1", "c2"]
    before = snapshot(uow)
    reads = Reads(uow)
    again = run_billing(reads, DAY, SETTINGS)
    assert reads.calls == []
    assert (again.clients, again.clients_examined, again.services_examined) == ((), 2, 2)
    assert snapshot(uow) == before
    assert again == attrs.evolve(run_billing(uow, DAY, SETTINGS))


@pytest.mark.parametrize("change", ["service", "client", "state"])
def test_a_change_to_a_marked_client_makes_the_rerun_bill_it_in_full(uow, change):
    shop(uow)
    run_billing(uow, DAY, SETTINGS)
    with uow() as work:
        if change == "service":
            s1 = work.services.get("s1")
            work.services.save(attrs.evolve(s1, name="shop.example"))
        elif change == "client":
            c1 = work.clients.get("c1")
            work.clients.save(attrs.evolve(c1, invoice_note="thanks"))
        else:
            state = work.billing_states.get("c1")
            work.billing_states.save(attrs.evolve(state, done=()))
        work.commit()
    reads = Reads(uow)
    again = run_billing(reads, DAY, SETTINGS)
    # c1's state and records are read in full again (c2 stays skipped: its mark was enough)
    assert reads.calls == ["billing_states", "clients", "services"]
    if change == "state":  # its reminders were forgotten: the rerun sends them again
        assert [e.name for e in again.events] == ["renewal.reminder"]
    else:
        assert again.clients == ()


def test_other_settings_are_not_covered_by_a_mark(uow):
    shop(uow)
    run_billing(uow, DAY, SETTINGS)
    reads = Reads(uow)
    run_billing(reads, DAY, BillingSettings(renewal=RenewalSettings(invoice_lead_days=7)))
    assert reads.calls == ["billing_states", "clients", "services"]


def test_a_mark_covers_the_days_until_the_clients_next_event(uow):
    # Default sequence: invoice 14 days before the due date with the 14-day reminder, the
    # 7-day reminder, expiry steps on days 0, 7 and 30. On DAY (03-10) c1 (due 03-20) gets
    # its invoice (lead time, 03-06) and first reminder: its next event is the 7-day
    # reminder on 03-13. c2 (due 03-15) had both reminders by 03-08: next is expiry-0 on
    # 03-15. Runs of 03-11 and 03-12 skip both; 03-13 bills c1 alone.
    shop(uow)
    run_billing(uow, DAY, SETTINGS)
    with uow() as work:
        marks = {c: work.billing_states.get(c).checked.split("/")[1:3] for c in ("c1", "c2")}
    assert marks == {"c1": ["2026-03-10", "2026-03-13"], "c2": ["2026-03-10", "2026-03-15"]}
    reads = Reads(uow)
    for day in (11, 12):
        skipped = run_billing(reads, date(2026, 3, day), SETTINGS)
        assert (skipped.clients, skipped.clients_examined) == ((), 2)
    assert reads.calls == []
    woken = run_billing(reads, date(2026, 3, 13), SETTINGS)
    assert reads.calls == ["billing_states", "clients", "services"]
    assert [(e.name, e.subject) for e in woken.events] == [("renewal.reminder", "s1")]


def test_a_client_billed_with_nothing_to_do_is_marked_again(uow):
    # c2 is edited after the run of DAY: its mark no longer holds, so the run of 03-11 bills
    # it in full, finds nothing to do (its next event is still expiry-0 on 03-15) and writes
    # its state for a new mark alone, so that 03-12 skips it again; a rerun of 03-11 writes
    # nothing.
    shop(uow)
    run_billing(uow, DAY, SETTINGS)
    with uow() as work:
        c2 = work.clients.get("c2")
        work.clients.save(attrs.evolve(c2, invoice_note="thanks"))
        work.commit()
    assert run_billing(uow, date(2026, 3, 11), SETTINGS).clients == ()
    with uow() as work:
        state = work.billing_states.get("c2")
    assert (state.version, state.checked.split("/")[1:3]) == (2, ["2026-03-11", "2026-03-15"])
    before = snapshot(uow)
    reads = Reads(uow)
    run_billing(reads, date(2026, 3, 11), SETTINGS)
    run_billing(reads, date(2026, 3, 12), SETTINGS)
    assert (reads.calls, snapshot(uow)) == ([], before)


def test_a_locked_out_client_is_never_marked(uow):
    lockout = RenewalSequence(steps=(ExpiryStep(0, (ExpiryAction.LOCKOUT,)),))
    settings = BillingSettings(sequence=lockout)
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 20), date(2026, 2, 20))])
    first = run_billing(uow, DAY, settings)
    assert "client.locked_out" in [e.name for e in first.events]
    with uow() as work:
        assert work.billing_states.get("c1").checked == ""


def test_the_fingerprint_does_not_depend_on_set_order_or_the_process():
    one = ExpiryStep(
        7, (ExpiryAction.DISABLE,), product_types=[ProductType.VPS, ProductType.DOMAIN]
    )
    two = ExpiryStep(
        7, (ExpiryAction.DISABLE,), product_types=[ProductType.DOMAIN, ProductType.VPS]
    )
    assert canonical(one) == canonical(two)
    assert canonical({"b": 1, "a": 2}) == canonical({"a": 2, "b": 1})
    settings = BillingSettings(sequence=RenewalSequence(steps=(one,)))
    assert run_fingerprint(settings) == run_fingerprint(attrs.evolve(settings))
    assert run_fingerprint(settings) != run_fingerprint(SETTINGS)


def test_a_client_whose_services_the_run_cancelled_is_marked_for_good(uow):
    # s1 due 2026-02-01 and never paid: by DAY (03-10) the run catches up its invoice,
    # reminders, suspension (day 7) and cancellation (day 30, 03-03). A cancelled service
    # keeps no event key, yet the client gets a state for its mark, with no day to wake on:
    # later runs skip it without reading its records.
    seed(uow, [client("c1")], [service("s1", "c1", date(2026, 1, 1), date(2026, 2, 1))])
    first = run_billing(uow, DAY, SETTINGS)
    assert [a.kind.value for a in first.actions][-1] == "cancel"
    with uow() as work:
        state = work.billing_states.get("c1")
    assert (state.done, state.checked.split("/")[1:3]) == ((), ["2026-03-10", "9999-12-31"])
    reads = Reads(uow)
    later = run_billing(reads, date(2026, 6, 1), SETTINGS)
    assert (reads.calls, later.clients, later.clients_examined) == ([], (), 1)
