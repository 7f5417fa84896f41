"""BillingState.remembering equals attrs.evolve of the four fields a billing run changes."""

from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.calendar import MONTHLY
from hostbill_core.errors import ValidationError
from hostbill_core.model import BillingState, ClientId, ScheduledChange

KEYS = st.lists(st.sampled_from(["s1/2026-03-01/invoice", "s1/2026-03-01/reminder-7", "s2/x/y"]))
CHANGES = st.lists(st.just(ScheduledChange("s1", "p2", MONTHLY, date(2026, 4, 1))), max_size=1)


@given(KEYS, st.booleans(), CHANGES, st.text(max_size=4), st.integers(0, 9))
def test_remembering_equals_attrs_evolve(
    done: list[str], locked_out: bool, scheduled: list[ScheduledChange], checked: str, version: int
) -> None:
    old = attrs.evolve(BillingState.new(ClientId("c1")), version=version, checked="old")
    new = old.remembering(tuple(done), locked_out, tuple(scheduled), checked)
    expected = attrs.evolve(
        old, done=tuple(done), locked_out=locked_out, scheduled=tuple(scheduled), checked=checked
    )
    assert new == expected
    assert repr(new) == repr(expected)


def test_remembering_names_every_field() -> None:
    # A new field of BillingState must be carried by remembering too: revisit it then.
    names = [field.name for field in attrs.fields(BillingState)]
    assert names == ["id", "client_id", "done", "locked_out", "scheduled", "version", "checked"]


def test_remembering_checks_the_keys() -> None:
    with pytest.raises(ValidationError) as caught:
        BillingState.new(ClientId("c1")).remembering(("",), False, (), "")
    assert caught.value.field == "done"
