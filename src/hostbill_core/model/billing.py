"""What the billing run remembers of each client between runs.

The run proposes everything a client's services imply and reconciles it with what exists.
Invoices are their own record (their lines' natural keys say what was billed); the rest of a
renewal's events (reminders sent, expiry steps carried out) and the client-area lockout are
kept in one small :class:`BillingState` per client, stored like any other aggregate.
"""

from __future__ import annotations

from datetime import date

import attrs

from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import ValidationError
from hostbill_core.model.checks import calendar_date, identifier, version_number
from hostbill_core.model.ids import ClientId, PlanId, ServiceId

__all__ = ["BillingState", "ScheduledChange"]


@attrs.frozen
class ScheduledChange:
    """A plan change that takes effect on a later due date (an end-of-term change).

    Attributes:
        service_id: the service that changes.
        plan_id: the plan it moves to.
        cycle: the billing cycle it moves to.
        on: the due date from which the new plan is billed (the end of the paid term).
    """

    service_id: ServiceId = attrs.field(validator=identifier)
    plan_id: PlanId = attrs.field(validator=identifier)
    cycle: BillingCycle
    on: date = attrs.field(validator=calendar_date)


def _keys(value: object) -> tuple[str, ...]:
    if not isinstance(value, (tuple, list, set, frozenset)) or not all(
        isinstance(key, str) and key for key in value
    ):
        raise ValidationError("done", value, "a collection of non-empty event keys")
    return tuple(sorted(set(value)))


@attrs.frozen
class BillingState:
    """One client's billing-run memory; its ``id`` is the client's id.

    Attributes:
        id: the client's id (one state per client).
        client_id: the same id, for the by-client index.
        done: the keys (``service / due date / step``) of lifecycle events already carried
            out, kept sorted; keys of due dates a payment has passed are pruned by the run.
        locked_out: the client is locked out of the client area until paid up.
        scheduled: plan changes waiting for their due date, in the order requested.
        checked: the billing run's mark of a complete day: the day, a digest of the run's
            settings and catalogue, and a digest of the versions of the client, its services
            and this state as the run left them ("" when not marked). A rerun of that day
            that finds every version unchanged has nothing to do and skips the client.

    Raises:
        ValidationError: ``id`` and ``client_id`` differ, or a key is empty.
    """

    id: ClientId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    done: tuple[str, ...] = attrs.field(default=(), converter=_keys)
    locked_out: bool = False
    scheduled: tuple[ScheduledChange, ...] = ()
    version: int = attrs.field(default=0, validator=version_number)
    checked: str = ""

    def __attrs_post_init__(self) -> None:
        if self.id != self.client_id:
            raise ValidationError(
                "id", self.id, f"a billing state's id is its client's id ({self.client_id})"
            )

    @classmethod
    def new(cls, client_id: ClientId) -> BillingState:
        """The empty state of a client the run has not seen yet."""
        return cls(client_id, client_id)

    def remembering(
        self,
        done: tuple[str, ...],
        locked_out: bool,
        scheduled: tuple[ScheduledChange, ...],
        checked: str,
    ) -> BillingState:
        """The state with what a billing run remembers replaced: all but the ids and version.

        Equal to ``attrs.evolve`` with those four fields (built and checked the same way),
        without its per-call look-up of every field; the billing run stores one per client.
        """
        return BillingState(
            self.id, self.client_id, done, locked_out, scheduled, self.version, checked
        )
