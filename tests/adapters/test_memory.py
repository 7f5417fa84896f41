import attrs
import pytest

from hostbill_core.adapters.memory import MemoryStore
from hostbill_core.errors import ConflictError
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
