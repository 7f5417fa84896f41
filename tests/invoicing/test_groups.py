from datetime import date

import pytest

from hostbill_core.calendar import MONTHLY
from hostbill_core.errors import ConflictError, NotFoundError, ValidationError
from hostbill_core.invoicing.groups import (
    GroupLayout,
    assign_service,
    sections,
    unassign_service,
)
from hostbill_core.model import Service, ServiceGroup

from .factories import item


def service(service_id: str, client: str = "c1", group: str | None = None) -> Service:
    return Service(
        service_id,
        client,
        "p1",
        "plan1",
        MONTHLY,
        date(2026, 1, 1),
        date(2026, 3, 1),
        group_id=group,  # type: ignore[arg-type]
    )


GROUPS = (
    ServiceGroup("g1", "c1", "Web", service_ids=("s1",)),
    ServiceGroup("g2", "c1", "Mail"),
    ServiceGroup("g3", "c2", "Other"),
)


def test_assign_appends_the_service_to_the_group() -> None:
    result = assign_service(GROUPS, service("s2"), "g1")
    assert result.groups[0].service_ids == ("s1", "s2")
    assert result.service.group_id == "g1"
    assert "position 2" in result.explanation


def test_assign_refuses_a_second_group() -> None:
    with pytest.raises(ConflictError):
        assign_service(GROUPS, service("s1", group="g1"), "g2")


def test_assign_refuses_a_service_already_listed_by_a_group() -> None:
    with pytest.raises(ConflictError):
        assign_service(GROUPS, service("s1"), "g2")


def test_assign_refuses_another_clients_group() -> None:
    with pytest.raises(ValidationError) as caught:
        assign_service(GROUPS, service("s2"), "g3")
    assert caught.value.field == "group_id"


def test_assign_refuses_an_unknown_group() -> None:
    with pytest.raises(NotFoundError):
        assign_service(GROUPS, service("s2"), "g9")


def test_unassign_then_assign_moves_a_service() -> None:
    out = unassign_service(GROUPS, service("s1", group="g1"))
    assert out.groups[0].service_ids == ()
    moved = assign_service(out.groups, out.service, "g2")
    assert moved.groups[1].service_ids == ("s1",)


def test_unassign_refuses_an_ungrouped_service() -> None:
    with pytest.raises(NotFoundError):
        unassign_service(GROUPS, service("s7"))


def test_layout_refuses_a_service_in_two_groups() -> None:
    with pytest.raises(ValidationError):
        GroupLayout.of([*GROUPS, ServiceGroup("g4", "c1", "Dup", service_ids=("s1",))])


def test_layout_refuses_a_group_id_twice() -> None:
    with pytest.raises(ValidationError):
        GroupLayout.of([GROUPS[0], GROUPS[0]])


def test_layout_check_names_the_bad_item() -> None:
    layout = GroupLayout.of(GROUPS)
    with pytest.raises(ValidationError, match="unknown group"):
        layout.check(0, item("a", service="s1", group="g9"))
    with pytest.raises(ValidationError, match="a group of client c2"):
        layout.check(1, item("a", service="s1", group="g3"))
    with pytest.raises(ValidationError, match="s5 is not in it") as caught:
        layout.check(2, item("a", service="s5", group="g1"))
    assert caught.value.field == "items[2].group_id"


def test_sections_cut_runs_of_shown_groups() -> None:
    lines = [
        item("a").to_line(),
        item("b", service="s1", group="g1").to_line(),
        item("c", service="s2", group="g1").to_line(),
        item("d", service="s3", group="g2").to_line(),
    ]
    cut = sections(lines, {"g1": "Web"})  # g2 is not shown: its line is ungrouped
    assert [(s.title, [line.key for line in s.lines]) for s in cut] == [
        (None, ["a"]),
        ("Web", ["b", "c"]),
        (None, ["d"]),
    ]
