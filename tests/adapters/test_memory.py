import attrs
import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.errors import ConflictError
from hostbill_core.model import Invoice
from hostbill_core.testing.contract import sample_client, sample_invoice


def test_concurrent_units_of_work_conflict_at_commit() -> None:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        client = uow.clients.add(sample_client())
        uow.commit()
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        first.clients.save(attrs.evolve(client, language="de"))
        second.clients.save(attrs.evolve(client, language="fr"))
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()
    with store.unit_of_work() as uow:
        assert uow.clients.get("client-1").language == "de"
    assert store.commits == 2


def test_concurrent_natural_keys_conflict_at_commit() -> None:
    store = MemoryStore()
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        first.invoices.add(sample_invoice("a"))
        second.invoices.add(sample_invoice("b"))
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()


def test_concurrent_invoice_numbers_never_repeat() -> None:
    store = MemoryStore()
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        assert first.invoice_numbers.next("INV") == second.invoice_numbers.next("INV") == 1
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()
    with store.unit_of_work() as uow:
        assert uow.invoice_numbers.next("INV") == 2


def _rekeyed(invoice: Invoice, key: str) -> Invoice:
    return attrs.evolve(invoice, lines=(attrs.evolve(invoice.lines[0], key=key),))


def test_staged_natural_keys_follow_saves_and_rolled_back_savepoints() -> None:
    # The unit of work indexes the keys of its staged writes; a write that gives up a key,
    # and a savepoint rolled back, must leave the index telling the truth.
    store = MemoryStore()
    with store.unit_of_work() as uow:
        a = uow.invoices.add(sample_invoice("a", key="k1"))
        with pytest.raises(RuntimeError), uow.savepoint():
            uow.invoices.save(_rekeyed(a, "k2"))  # a gives up k1 …
            assert uow.invoices.owner_of_key("k1") is None
            uow.invoices.add(sample_invoice("b", key="k1"))  # … which b takes
            assert uow.invoices.owner_of_key("k1") == "b"
            raise RuntimeError("roll the savepoint back")
        assert uow.invoices.owner_of_key("k1") == "a"  # a's write holding k1 is back
        assert uow.invoices.owner_of_key("k2") is None
        with pytest.raises(ConflictError):
            uow.invoices.add(sample_invoice("c", key="k1"))
