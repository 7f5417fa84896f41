"""Cancellation requests: a service to cancel at the end of the term its client paid for.

Hosting panels offer two kinds of cancellation request (WHMCS, HostBill: "immediate" or "end
of billing period"). An immediate one is carried out at once and leaves nothing to store; an
end-of-term one waits in a :class:`CancellationRequest` until its day, the service's next due
date when it was asked for, and is then carried out (``usecases.cancellation``).
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import (
    calendar_date,
    identifier,
    optional_calendar_date,
    version_number,
)
from hostbill_core.model.ids import ClientId, ServiceId

__all__ = ["CancellationRequest"]


@attrs.frozen
class CancellationRequest:
    """A request to cancel a service at the end of its paid term; its ``id`` is the service's.

    Attributes:
        id: the service's id (one request per service).
        client_id: the service's client.
        service_id: the same id, by its own name.
        requested_on: the day it was asked for.
        effective_on: the day the service is cancelled: the end of the term paid for.
        reason: what the client or staff gave as the reason.
        carried_out_on: the day it was carried out (None while it waits).

    Raises:
        ValidationError: ``id`` and ``service_id`` differ, or the request takes effect
            before it was made, or is carried out before it was made.
    """

    id: ServiceId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    service_id: ServiceId = attrs.field(validator=identifier)
    requested_on: date = attrs.field(validator=calendar_date)
    effective_on: date = attrs.field(validator=calendar_date)
    reason: str = ""
    carried_out_on: date | None = attrs.field(default=None, validator=optional_calendar_date)
    version: int = attrs.field(default=0, validator=version_number)

    def __attrs_post_init__(self) -> None:
        if self.id != self.service_id:
            raise ValidationError(
                "id", self.id, f"a request's id is its service's ({self.service_id})"
            )
        if self.effective_on < self.requested_on:
            raise ValidationError(
                "effective_on", self.effective_on, f"on or after the request ({self.requested_on})"
            )
        if self.carried_out_on is not None and self.carried_out_on < self.requested_on:
            raise ValidationError(
                "carried_out_on",
                self.carried_out_on,
                f"on or after the request ({self.requested_on})",
            )

    @property
    def pending(self) -> bool:
        """True while the request waits for its day."""
        return self.carried_out_on is None
