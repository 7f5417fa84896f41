"""The service state machine: every allowed move, every refused one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.model import ServiceStatus
from hostbill_core.renewal import states
from hostbill_core.renewal.states import TRANSITIONS, allowed_targets, transition

from .helpers import service

S = ServiceStatus


def test_final_states_have_no_way_out() -> None:
    assert allowed_targets(S.TERMINATED) == ()
    assert allowed_targets(S.CANCELLED) == ()


def test_named_moves_on_their_sources() -> None:
    s = service(status=S.PENDING)
    assert states.activate(s).status is S.ACTIVE
    assert states.suspend(service()).status is S.SUSPENDED
    assert states.unsuspend(service(status=S.SUSPENDED)).status is S.ACTIVE
    assert states.terminate(service(status=S.SUSPENDED)).status is S.TERMINATED
    assert states.cancel(s).status is S.CANCELLED
    assert states.mark_fraud(s).status is S.FRAUD
    assert states.clear_fraud(service(status=S.FRAUD)).status is S.PENDING


def test_a_move_changes_only_the_status() -> None:
    s = service()
    moved = states.suspend(s)
    assert (moved.next_due_date, moved.anchor, moved.id) == (s.next_due_date, s.anchor, s.id)


def test_terminated_cannot_be_unsuspended() -> None:
    with pytest.raises(InvalidTransitionError) as info:
        states.unsuspend(service(status=S.TERMINATED))
    assert (info.value.kind, info.value.current, info.value.target) == (
        "service",
        "terminated",
        "active",
    )
    assert info.value.allowed == ()


def test_activate_refuses_a_suspended_service_naming_the_allowed_moves() -> None:
    # suspended -> active is allowed by the table, but only as "unsuspend", not "activate".
    with pytest.raises(InvalidTransitionError) as info:
        states.activate(service(status=S.SUSPENDED))
    assert info.value.allowed == ("active", "terminated", "cancelled", "fraud")


def test_suspend_twice_is_refused() -> None:
    with pytest.raises(InvalidTransitionError):
        states.suspend(states.suspend(service()))


@given(st.sampled_from(S), st.sampled_from(S))
def test_transition_succeeds_exactly_on_the_table(current: S, target: S) -> None:
    s = service(status=current)
    if target in TRANSITIONS[current]:
        assert transition(s, target).status is target
    else:
        with pytest.raises(InvalidTransitionError):
            transition(s, target)


@pytest.mark.parametrize(
    "move",
    [
        states.activate,
        states.suspend,
        states.unsuspend,
        states.terminate,
        states.cancel,
        states.mark_fraud,
        states.clear_fraud,
    ],
)
def test_every_named_move_is_an_edge_of_the_table(move: object) -> None:
    assert callable(move)
    sources = []
    for current in S:
        try:
            moved = move(service(status=current))
        except InvalidTransitionError:
            continue
        assert moved.status in TRANSITIONS[current]
        sources.append(current)
    assert sources, "every named move has at least one source"
