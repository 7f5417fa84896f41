import attrs

from hostbill_core.fraud import (
    ApprovalRequested,
    OrderAccepted,
    OrderApproved,
    OrderCancelled,
    OrderDropped,
    OrderFlagged,
    OrderRejected,
    OrderScreened,
    StaffAction,
    assess,
    emit_all,
    reject,
    screen,
)
from hostbill_core.model import OrderStatus, ProductType
from hostbill_core.testing import RecordingEventSink

from .factories import T0, make_context, make_order


def test_every_event_has_a_stable_dotted_name():
    names = {
        cls.__name__: cls.name
        for cls in (
            OrderScreened,
            OrderFlagged,
            OrderAccepted,
            OrderRejected,
            OrderDropped,
            ApprovalRequested,
            OrderApproved,
            OrderCancelled,
        )
    }
    assert names == {
        "OrderScreened": "order.screened",
        "OrderFlagged": "order.flagged",
        "OrderAccepted": "order.accepted",
        "OrderRejected": "order.rejected",
        "OrderDropped": "order.dropped",
        "ApprovalRequested": "order.approval_requested",
        "OrderApproved": "order.approved",
        "OrderCancelled": "order.cancelled",
    }


def test_status_events_name_the_status_they_move_to():
    assert OrderAccepted.status is OrderStatus.ACTIVE
    assert OrderApproved.status is OrderStatus.ACTIVE
    assert OrderRejected.status is OrderStatus.REJECTED
    assert OrderDropped.status is OrderStatus.DROPPED
    assert ApprovalRequested.status is OrderStatus.AWAITING_APPROVAL
    assert OrderCancelled.status is OrderStatus.CANCELLED


def test_events_go_to_the_shared_event_sink_in_order():
    context = make_context(order=make_order(types=(ProductType.VPS,)))
    flagged = screen(context, assess(context), T0)
    sink = RecordingEventSink()
    emit_all(sink, flagged.events)
    emit_all(sink, reject(flagged.order, StaffAction("staff:eve", T0)).events)
    assert sink.names() == ["order.screened", "order.flagged", "order.rejected"]


def test_events_are_frozen_values():
    event = OrderDropped(make_order().id, make_order().client_id, T0, "staff:eve")
    assert attrs.evolve(event) == event
