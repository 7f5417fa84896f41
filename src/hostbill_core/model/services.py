"""Services (what a client buys: hosting, a domain, a VPS…) and client service groups."""

from __future__ import annotations

import enum
from datetime import date
from operator import attrgetter

import attrs
from moneyed import Money

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    calendar_date,
    identifier,
    optional_calendar_date,
    version_number,
)
from hostbill_core.model.ids import ClientId, PlanId, ProductId, ServiceGroupId, ServiceId

__all__ = ["Service", "ServiceGroup", "ServiceStatus", "with_status"]


class ServiceStatus(enum.Enum):
    """The lifecycle states of a service; the renewal engine owns the transitions."""

    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    CANCELLED = "cancelled"
    FRAUD = "fraud"


def _billing_day(_instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31
    ):
        raise ValidationError(attribute.name, value, "a billing day is 1 to 31, or None")


def _optional_price(
    _instance: object, attribute: attrs.Attribute[Money | None], value: object
) -> None:
    if value is not None and (not isinstance(value, Money) or value.amount < 0):
        raise ValidationError(attribute.name, value, "a price override is a Money of 0 or more")


@attrs.frozen
class Service:
    """A service a client holds, billed every ``cycle`` from its ``anchor``.

    Attributes:
        anchor: the date the due-date series counts from (``anchor + n × cycle``).
        next_due_date: the next date the service is due for renewal.
        billing_day: the day of month renewals are aligned to, or None (the anchor's day).
        group_id: the client service group it is shown under on invoices, if any.
        price_override: a price that replaces the plan's for this service.
        name: the label shown to the client (a domain name, a hostname).
        expires_on: for a domain or a contract, the date it expires (None: open-ended).
    """

    id: ServiceId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    product_id: ProductId = attrs.field(validator=identifier)
    plan_id: PlanId = attrs.field(validator=identifier)
    cycle: BillingCycle
    anchor: date = attrs.field(validator=calendar_date)
    next_due_date: date = attrs.field(validator=calendar_date)
    status: ServiceStatus = ServiceStatus.ACTIVE
    name: str = ""
    billing_day: int | None = attrs.field(default=None, validator=_billing_day)
    group_id: ServiceGroupId | None = None
    price_override: Money | None = attrs.field(default=None, validator=_optional_price)
    expires_on: date | None = attrs.field(default=None, validator=optional_calendar_date)
    version: int = attrs.field(default=0, validator=version_number)


_NAMES = tuple(field.name for field in attrs.fields(Service))
_VALUES = attrgetter(*_NAMES)  # every field's value, in field order, in one call
_SETTERS = tuple(Service.__dict__[name].__set__ for name in _NAMES)  # each field's slot
_SET_STATUS = Service.__dict__["status"].__set__


def with_status(service: Service, status: ServiceStatus) -> Service:
    """``attrs.evolve(service, status=status)``, the other fields copied as they are.

    A Service checks no field against another and ``status`` has no check of its own, so
    the other fields (checked when ``service`` was built) need no check again; a subclass
    goes through ``attrs.evolve``. The renewal engine's state changes use it.
    """
    if type(service) is not Service:
        return attrs.evolve(service, status=status)
    copy: Service = object.__new__(Service)
    for set_slot, value in zip(_SETTERS, _VALUES(service), strict=True):
        set_slot(copy, value)
    _SET_STATUS(copy, status)
    return copy


@attrs.frozen
class ServiceGroup:
    """A named, ordered group of one client's services, shown together on invoices.

    Attributes:
        service_ids: the services in the group, in the order they appear on an invoice.
        show_on_invoice: False lists the group's lines as ungrouped lines.

    Raises:
        ValidationError: a service listed twice.
    """

    id: ServiceGroupId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    name: str
    description: str = ""
    service_ids: tuple[ServiceId, ...] = ()
    show_on_invoice: bool = True
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        if len(set(self.service_ids)) != len(self.service_ids):
            raise ValidationError("service_ids", self.service_ids, "a service appears once")
