"""The client service groups an order's services join: checked when placed, joined on start.

An order line may name one of the client's service groups. The group is checked when the
order is placed (it must be one of the client's) and kept on the order item, so an order
held for fraud review or approval still knows it. The services join their groups when they
are created: at once for an accepted order, on acceptance for a held one. A group deleted
meanwhile is not recreated: its service starts ungrouped, and the explanation says so.

The first invoice lays the order's lines out under the groups asked for, even while the
services wait for review: the layout counts them in their groups without storing anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.invoicing.groups import assign_service
from hostbill_core.invoicing.items import BillableItem
from hostbill_core.model import ClientId, Service, ServiceGroup, ServiceId
from hostbill_core.ports import UnitOfWork
from hostbill_core.usecases.order_pricing import OrderLine

__all__ = ["check_groups", "join_groups", "layout_groups"]


def check_groups(uow: UnitOfWork, client_id: ClientId, lines: Sequence[OrderLine]) -> None:
    """Check that every group the lines name is one of the client's.

    Raises:
        ValidationError: ``lines[i].group_id`` names no group of the client.
    """
    if all(line.group_id is None for line in lines):
        return
    known = {group.id for group in uow.service_groups.list(client_id=client_id)}
    for i, line in enumerate(lines):
        if line.group_id is not None and line.group_id not in known:
            raise ValidationError(
                f"lines[{i}].group_id",
                line.group_id,
                f"no service group of that id for client {client_id}: create it first",
            )


def layout_groups(
    uow: UnitOfWork, client_id: ClientId, items: Iterable[BillableItem]
) -> tuple[ServiceGroup, ...]:
    """The client's groups, each counting the items' services that ask for it (not stored)."""
    asked: dict[str, list[ServiceId]] = {}
    for item in items:
        if item.group_id is not None and item.service_id is not None:
            wanted = asked.setdefault(item.group_id, [])
            if item.service_id not in wanted:
                wanted.append(ServiceId(item.service_id))
    if not asked:
        return ()
    groups = []
    for group in uow.service_groups.list(client_id=client_id):
        extra = tuple(s for s in asked.get(group.id, ()) if s not in group.service_ids)
        groups.append(attrs.evolve(group, service_ids=(*group.service_ids, *extra)))
    return tuple(groups)


def join_groups(uow: UnitOfWork, services: Sequence[Service]) -> tuple[list[Service], list[str]]:
    """Put each new service in the group its order asked for, and save the groups changed.

    Args:
        uow: the open unit of work.
        services: new services of one client, each with the group asked for (or None).

    Returns:
        The services as they start (in their group, or ungrouped when the group is gone) and
        what was done, in words.
    """
    if all(service.group_id is None for service in services):
        return list(services), []
    loaded = uow.service_groups.list(client_id=services[0].client_id)
    groups: Sequence[ServiceGroup] = loaded
    started, told = [], []
    for asked in services:
        wanted, service = asked.group_id, attrs.evolve(asked, group_id=None)
        if wanted is not None and any(group.id == wanted for group in groups):
            joined = assign_service(groups, service, wanted)
            groups, service = joined.groups, joined.service
            told.append(joined.explanation)
        elif wanted is not None:
            told.append(f"service {service.id} starts ungrouped: group {wanted} no longer exists")
        started.append(service)
    for before, after in zip(loaded, groups, strict=True):
        if after != before:
            uow.service_groups.save(after)
    return started, told
