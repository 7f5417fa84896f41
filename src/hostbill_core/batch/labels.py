"""Labels: what a frame needs only to turn its rows back into ``Service`` models.

Ids and names stay Python strings (one per row, or one per distinct client, product, plan and
group in a lookup table); the rest are int64 columns: ``product``, ``plan`` and ``group``
index the tables (``group`` is −1 for none), ``override`` is 1 where the price was the
service's own ``price_override``, ``expires`` is a day number or
:data:`~hostbill_core.batch.days.NO_DAY`, ``version`` the stored version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np

from hostbill_core.batch.days import EPOCH_ORDINAL, NO_DAY, Int64Array
from hostbill_core.calendar import BillingCycle
from hostbill_core.model.ids import ClientId, PlanId, ProductId, ServiceGroupId, ServiceId
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.money import from_minor

__all__ = ["LabelColumns", "ServiceLabels"]


@attrs.frozen(eq=False)
class ServiceLabels:
    """Per-row ids and names, lookup tables, and the columns only models need.

    Attributes:
        service_ids: one id per row.
        names: one name per row.
        client_ids: the client id of each client index.
        product_ids: the product id of each ``product`` index.
        plan_ids: the plan id of each ``plan`` index.
        group_ids: the service group id of each ``group`` index.
        product: product index per row.
        plan: plan index per row.
        group: group index per row, −1 for none.
        override: 1 where the row's price is the service's ``price_override``, else 0.
        expires: ``expires_on`` as a day number, ``NO_DAY`` for none.
        version: the stored version per row.
    """

    service_ids: tuple[ServiceId, ...]
    names: tuple[str, ...]
    client_ids: tuple[ClientId, ...]
    product_ids: tuple[ProductId, ...]
    plan_ids: tuple[PlanId, ...]
    group_ids: tuple[ServiceGroupId, ...]
    product: Int64Array
    plan: Int64Array
    group: Int64Array
    override: Int64Array
    expires: Int64Array
    version: Int64Array

    def __len__(self) -> int:
        return len(self.service_ids)

    def select(self, rows: np.ndarray[Any, Any]) -> ServiceLabels:
        """The labels of the given rows (integer positions or a boolean mask)."""
        picked = np.flatnonzero(rows) if rows.dtype == np.bool_ else rows
        positions: list[int] = picked.tolist()
        return attrs.evolve(
            self,
            service_ids=tuple(self.service_ids[i] for i in positions),
            names=tuple(self.names[i] for i in positions),
            product=self.product[rows],
            plan=self.plan[rows],
            group=self.group[rows],
            override=self.override[rows],
            expires=self.expires[rows],
            version=self.version[rows],
        )

    def service(
        self,
        i: int,
        *,
        client_id: ClientId,
        cycle: BillingCycle,
        anchor: tuple[int, int, int],
        next_due: int,
        status: ServiceStatus,
        billing_day: int | None,
        price: tuple[int, str],
    ) -> Service:
        """The ``Service`` of row ``i``, given the fields the frame's columns hold."""
        group = int(self.group[i])
        expires = int(self.expires[i])
        return Service(
            id=self.service_ids[i],
            client_id=client_id,
            product_id=self.product_ids[int(self.product[i])],
            plan_id=self.plan_ids[int(self.plan[i])],
            cycle=cycle,
            anchor=date(*anchor),
            next_due_date=date.fromordinal(next_due + EPOCH_ORDINAL),
            status=status,
            name=self.names[i],
            billing_day=billing_day,
            group_id=None if group < 0 else self.group_ids[group],
            price_override=from_minor(*price) if self.override[i] else None,
            expires_on=None if expires == NO_DAY else date.fromordinal(expires + EPOCH_ORDINAL),
            version=int(self.version[i]),
        )


class LabelColumns:
    """Collects the labels of services one by one; :meth:`finish` makes the columns."""

    def __init__(self) -> None:
        self.clients: dict[ClientId, int] = {}
        self.products: dict[ProductId, int] = {}
        self.plans: dict[PlanId, int] = {}
        self.groups: dict[ServiceGroupId, int] = {}
        self.ids: list[ServiceId] = []
        self.names: list[str] = []
        self.rows: list[tuple[int, int, int, int, int, int]] = []

    def client_index(self, client_id: ClientId) -> int:
        """The index of ``client_id``, new clients numbered in order of appearance."""
        return self.clients.setdefault(client_id, len(self.clients))

    def add(self, service: Service) -> None:
        """Record the labels of one service (its client index is taken separately)."""
        group = (
            -1
            if service.group_id is None
            else self.groups.setdefault(service.group_id, len(self.groups))
        )
        expires = service.expires_on
        self.ids.append(service.id)
        self.names.append(service.name)
        self.rows.append(
            (
                self.products.setdefault(service.product_id, len(self.products)),
                self.plans.setdefault(service.plan_id, len(self.plans)),
                group,
                int(service.price_override is not None),
                NO_DAY if expires is None else expires.toordinal() - EPOCH_ORDINAL,
                service.version,
            )
        )

    def finish(self) -> ServiceLabels:
        """The labels of every service added, in order."""
        table = np.array(self.rows, dtype=np.int64).reshape(len(self.rows), 6)
        product, plan, group, override, expires, version = (table[:, k].copy() for k in range(6))
        return ServiceLabels(
            service_ids=tuple(self.ids),
            names=tuple(self.names),
            client_ids=tuple(self.clients),
            product_ids=tuple(self.products),
            plan_ids=tuple(self.plans),
            group_ids=tuple(self.groups),
            product=product,
            plan=plan,
            group=group,
            override=override,
            expires=expires,
            version=version,
        )
