"""The aggregates' Copier: a copy at a new version equals ``attrs.evolve(item, version=…)``."""

import attrs
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.adapters.aggregates import KINDS, Copier
from hostbill_core.model import BillingState, ClientId
from hostbill_core.testing.contract import sample_client, sample_invoice, sample_service


@given(st.integers(0, 10**6))
def test_a_copy_equals_attrs_evolve(version: int) -> None:
    state = BillingState.new(ClientId("c1"))
    for item in (sample_client(), sample_invoice(), sample_service(), state):
        copier = Copier.of(type(item))
        assert copier is not None
        copy = copier.copy(item, version)
        assert copy == attrs.evolve(item, version=version)
        assert repr(copy) == repr(attrs.evolve(item, version=version))
        assert copy is not item


def test_every_stored_kind_has_a_copier() -> None:
    # Every aggregate is a slotted attrs class with a version: the adapter never evolves.
    assert [kind.name for kind in KINDS.values() if Copier.of(kind.cls) is None] == []


def test_a_class_without_a_version_or_slots_has_none() -> None:
    @attrs.frozen
    class Unversioned:
        id: str

    @attrs.frozen(slots=False)
    class Unslotted:
        id: str
        version: int = 0

    assert (Copier.of(Unversioned), Copier.of(Unslotted)) == (None, None)
