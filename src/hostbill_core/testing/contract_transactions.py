"""The contract's tests of transactions: all or nothing, invoice numbers, savepoints.

Nothing is stored without a commit; an exception or a rollback discards every write (invoice
numbers included); a unit of work reads its own writes; numbers have no gaps or repeats; a
savepoint rolls back only its own writes, nests, and rolls back with its unit of work.
"""

from __future__ import annotations

import attrs
import pytest

from hostbill_core.errors import ConflictError
from hostbill_core.model import ClientId
from hostbill_core.ports import UnitOfWorkFactory
from hostbill_core.testing.contract_base import (
    ContractBase,
    sample_client,
    sample_invoice,
    sample_service,
)

__all__ = ["TransactionsContract"]


class TransactionsContract(ContractBase):
    """Atomicity, invoice numbers and savepoints (part of the unit-of-work contract)."""

    def test_no_commit_stores_nothing(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            uow.clients.add(sample_client())
        with new_uow() as uow:
            assert uow.clients.find("client-1") is None

    def test_exception_rolls_back_every_write(self, new_uow: UnitOfWorkFactory) -> None:
        (client,) = self._add(new_uow, "clients", sample_client())
        with pytest.raises(RuntimeError), new_uow() as uow:
            uow.clients.save(attrs.evolve(client, language="de"))
            uow.services.add(sample_service())
            uow.invoice_numbers.next("INV")
            raise RuntimeError("failure halfway")
        with new_uow() as uow:
            assert uow.clients.get("client-1") == client
            assert uow.services.list() == ()
            assert uow.invoice_numbers.peek("INV") == 1

    def test_rollback_discards_uncommitted_writes(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            uow.clients.add(sample_client())
            uow.rollback()
            uow.services.add(sample_service())
            uow.commit()
        with new_uow() as uow:
            assert uow.clients.find("client-1") is None
            assert uow.services.find("service-1") is not None

    def test_reads_see_own_writes(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            uow.services.add(sample_service())
            assert uow.services.get("service-1").version == 1
            assert [s.id for s in uow.services.list(client_id=ClientId("client-1"))] == [
                "service-1"
            ]

    def test_invoice_numbers_have_no_gaps_or_repeats(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            taken = [uow.invoice_numbers.next("INV"), uow.invoice_numbers.next("INV")]
            assert uow.invoice_numbers.next("PRO") == 1
            uow.commit()
        with new_uow() as uow:
            uow.invoice_numbers.next("INV")  # rolled back below: given out again
        with new_uow() as uow:
            assert uow.invoice_numbers.peek("INV") == 3
            taken.append(uow.invoice_numbers.next("INV"))
            uow.commit()
        assert taken == [1, 2, 3]

    def test_commit_inside_block_keeps_earlier_work(self, new_uow: UnitOfWorkFactory) -> None:
        with pytest.raises(RuntimeError), new_uow() as uow:
            uow.clients.add(sample_client())
            uow.commit()
            uow.services.add(sample_service())
            raise RuntimeError("after the first commit")
        with new_uow() as uow:
            assert uow.clients.find("client-1") is not None
            assert uow.services.find("service-1") is None

    def test_savepoint_rolls_back_only_its_own_writes(self, new_uow: UnitOfWorkFactory) -> None:
        (client,) = self._add(new_uow, "clients", sample_client())
        with new_uow() as uow:
            uow.services.add(sample_service("s-before"))
            assert uow.invoice_numbers.next("INV") == 1
            with pytest.raises(RuntimeError), uow.savepoint():
                uow.clients.save(attrs.evolve(client, language="de"))
                uow.services.add(sample_service("s-inside"))
                uow.services.remove("s-before")
                uow.invoices.add(sample_invoice())
                assert uow.invoice_numbers.next("INV") == 2
                raise RuntimeError("one client failed")
            assert uow.clients.get("client-1") == client
            assert [s.id for s in uow.services.list()] == ["s-before"]
            assert uow.invoices.owner_of_key("service-1/2026-02-28/renewal") is None
            assert uow.invoice_numbers.next("INV") == 2  # given out again
            uow.invoices.add(sample_invoice())  # the key is free again
            uow.commit()
        with new_uow() as uow:
            assert [s.id for s in uow.services.list()] == ["s-before"]
            assert uow.invoices.get("invoice-1").version == 1
            assert uow.invoice_numbers.peek("INV") == 3

    def test_savepoints_keep_their_writes_and_nest(self, new_uow: UnitOfWorkFactory) -> None:
        with new_uow() as uow:
            with uow.savepoint():
                uow.clients.add(sample_client())
                with pytest.raises(ConflictError), uow.savepoint():
                    uow.services.add(sample_service("s-inner"))
                    uow.clients.add(sample_client())  # refused: rolls back the inner block
                with uow.savepoint():
                    uow.services.add(sample_service("s-kept"))
            uow.commit()
        with new_uow() as uow:
            assert uow.clients.find("client-1") is not None
            assert [s.id for s in uow.services.list()] == ["s-kept"]

    def test_savepoint_writes_roll_back_with_the_unit_of_work(
        self, new_uow: UnitOfWorkFactory
    ) -> None:
        with new_uow() as uow:
            with uow.savepoint():
                uow.clients.add(sample_client())
                uow.invoice_numbers.next("INV")
            uow.rollback()
        with new_uow() as uow:
            assert uow.clients.find("client-1") is None
            assert uow.invoice_numbers.peek("INV") == 1
