"""Client service groups: assigning services to groups and laying out invoice lines by group.

A client may put services in named groups; a service sits in one group at most and a group
belongs to one client. On an invoice, the lines of a group's services that share a due date
appear together under the group's name, in the group's order of services. A group marked
not to show on invoices (``show_on_invoice=False``) lends its lines no heading: they are
listed among the ungrouped lines.

Line order within one due date: ungrouped lines (and the lines of hidden groups) by natural
key; then each shown group, by name then id, its lines by the service's position in the
group, then by natural key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType

import attrs

from hostbill_core.errors import ConflictError, NotFoundError, ValidationError
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.model.ids import ServiceGroupId
from hostbill_core.model.invoices import InvoiceLine
from hostbill_core.model.services import Service, ServiceGroup

__all__ = [
    "GroupAssignment",
    "GroupLayout",
    "InvoiceSection",
    "assign_service",
    "sections",
    "unassign_service",
]


@attrs.frozen
class GroupAssignment:
    """The client's groups and the service after an assignment change."""

    groups: tuple[ServiceGroup, ...]
    service: Service
    explanation: str


def _find(groups: Sequence[ServiceGroup], group_id: ServiceGroupId) -> int:
    for i, group in enumerate(groups):
        if group.id == group_id:
            return i
    raise NotFoundError("service group", group_id)


def assign_service(
    groups: Sequence[ServiceGroup], service: Service, group_id: ServiceGroupId
) -> GroupAssignment:
    """Put ``service`` at the end of group ``group_id``.

    Args:
        groups: the client's groups (every group holding the service must be among them).
        service: the service to assign.
        group_id: the target group.

    Raises:
        NotFoundError: no group ``group_id`` among ``groups``.
        ValidationError: the group belongs to another client than the service.
        ConflictError: the service already sits in a group (unassign it first).
    """
    index = _find(groups, group_id)
    target = groups[index]
    if target.client_id != service.client_id:
        raise ValidationError(
            "group_id", group_id, f"group of client {target.client_id}, not {service.client_id}"
        )
    holder = next((g for g in groups if service.id in g.service_ids), None)
    if holder is not None or service.group_id is not None:
        held = holder.id if holder is not None else service.group_id
        raise ConflictError(
            "service", service.id, f"already in group {held}: a service sits in one group"
        )
    updated = attrs.evolve(target, service_ids=(*target.service_ids, service.id))
    new_groups = (*groups[:index], updated, *groups[index + 1 :])
    place = len(updated.service_ids)
    explanation = f"service {service.id} added to group {target.name!r} at position {place}"
    return GroupAssignment(new_groups, attrs.evolve(service, group_id=group_id), explanation)


def unassign_service(groups: Sequence[ServiceGroup], service: Service) -> GroupAssignment:
    """Take ``service`` out of its group; it becomes ungrouped.

    Raises:
        NotFoundError: the service sits in none of ``groups``.
    """
    for i, group in enumerate(groups):
        if service.id in group.service_ids:
            kept = tuple(s for s in group.service_ids if s != service.id)
            new_groups = (*groups[:i], attrs.evolve(group, service_ids=kept), *groups[i + 1 :])
            explanation = f"service {service.id} taken out of group {group.name!r}"
            return GroupAssignment(new_groups, attrs.evolve(service, group_id=None), explanation)
    raise NotFoundError("service group holding service", service.id)


_UNGROUPED = (0, "", "")


@attrs.frozen
class GroupLayout:
    """The ordering rules of a set of service groups, ready to sort billable items.

    Build it with :meth:`of`; ``rank`` maps a shown group to its heading order, ``position``
    maps (group, service) to the service's place in its group.
    """

    shown: Mapping[ServiceGroupId, ServiceGroup]
    hidden: frozenset[ServiceGroupId]
    clients: Mapping[ServiceGroupId, str]
    position: Mapping[tuple[ServiceGroupId, str], int]

    @classmethod
    def of(cls, groups: Iterable[ServiceGroup]) -> GroupLayout:
        """Index ``groups``.

        Raises:
            ValidationError: two groups with one id, or a service in two groups.
        """
        if groups == ():  # no groups (most clients): the one empty layout, built once
            return _NO_GROUPS
        shown: dict[ServiceGroupId, ServiceGroup] = {}
        hidden: set[ServiceGroupId] = set()
        clients: dict[ServiceGroupId, str] = {}
        position: dict[tuple[ServiceGroupId, str], int] = {}
        holder: dict[str, ServiceGroupId] = {}
        for group in groups:
            if group.id in clients:
                raise ValidationError("groups", group.id, "a group id appears once")
            clients[group.id] = group.client_id
            if group.show_on_invoice:
                shown[group.id] = group
            else:
                hidden.add(group.id)
            for i, service_id in enumerate(group.service_ids):
                if service_id in holder:
                    raise ValidationError(
                        "groups", service_id, f"in groups {holder[service_id]} and {group.id}"
                    )
                holder[service_id] = group.id
                position[(group.id, service_id)] = i
        return cls(shown, frozenset(hidden), clients, position)

    def check(self, index: int, item: BillableItem) -> None:
        """Refuse an item whose group is unknown, another client's, or lacks its service.

        Raises:
            ValidationError: naming ``items[index].group_id``.
        """
        group_id = item.group_id
        if group_id is None:
            return
        field = f"items[{index}].group_id"
        owner = self.clients.get(group_id)
        if owner is None:
            raise ValidationError(field, group_id, "unknown group: pass the client's groups")
        if owner != item.client_id:
            raise ValidationError(field, group_id, f"a group of client {owner}")
        if (group_id, item.service_id or "") not in self.position:
            raise ValidationError(field, group_id, f"service {item.service_id} is not in it")

    def shows(self, group_id: ServiceGroupId | None) -> bool:
        """True when lines of ``group_id`` appear under the group's heading."""
        return group_id is not None and group_id in self.shown

    def sort_key(self) -> Callable[[BillableItem], tuple[object, ...]]:
        """The line order: due date, section (ungrouped first), position, natural key."""

        def key(item: BillableItem) -> tuple[object, ...]:
            group = self.shown.get(item.group_id) if item.group_id is not None else None
            if group is None:
                return (item.due_date, _UNGROUPED, 0, item.key)
            place = self.position[(group.id, item.service_id or "")]
            return (item.due_date, (1, group.name, group.id), place, item.key)

        return key


_NO_GROUPS = GroupLayout(
    MappingProxyType({}), frozenset(), MappingProxyType({}), MappingProxyType({})
)


@attrs.frozen
class InvoiceSection:
    """A run of consecutive invoice lines: under a group's name, or ungrouped (title None)."""

    title: str | None
    group_id: ServiceGroupId | None
    due_dates: tuple[date, ...]
    lines: tuple[InvoiceLine, ...]


def sections(
    lines: Sequence[InvoiceLine],
    titles: Mapping[ServiceGroupId, str],
    due_dates: Sequence[date] | None = None,
) -> tuple[InvoiceSection, ...]:
    """Cut ordered invoice lines into sections: runs of lines of one shown group, or ungrouped.

    Args:
        lines: the invoice's lines in their order.
        titles: the name of each shown group (a line whose group is absent is ungrouped).
        due_dates: each line's due date, when known (the draft knows; an invoice does not).
    """
    result: list[InvoiceSection] = []
    run: list[InvoiceLine] = []
    run_dates: list[date] = []
    current: ServiceGroupId | None = None
    for i, line in enumerate(lines):
        group = line.group_id if line.group_id in titles else None
        if run and group != current:
            result.append(_section(current, titles, run, run_dates))
            run, run_dates = [], []
        current = group
        run.append(line)
        if due_dates is not None and due_dates[i] not in run_dates:
            run_dates.append(due_dates[i])
    if run:
        result.append(_section(current, titles, run, run_dates))
    return tuple(result)


def _section(
    group: ServiceGroupId | None,
    titles: Mapping[ServiceGroupId, str],
    run: list[InvoiceLine],
    dates: list[date],
) -> InvoiceSection:
    title = titles[group] if group is not None else None
    return InvoiceSection(title, group, tuple(dates), tuple(run))
