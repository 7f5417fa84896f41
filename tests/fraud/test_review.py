from datetime import timedelta

import attrs
import pytest
from hypothesis import given

from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.fraud import (
    ApprovalRequested,
    ApprovalRequirement,
    Decision,
    FraudPorts,
    FraudRequest,
    GeoIPInfo,
    OrderAccepted,
    OrderDropped,
    OrderFlagged,
    OrderRejected,
    OrderScreened,
    StaffAction,
    assess,
    complete,
    default_config,
    drop,
    feed_history,
    gather_context,
    reject,
    screen,
)
from hostbill_core.fraud.fakes import InMemoryGeoIP, InMemoryOrderHistory
from hostbill_core.model import OrderId, OrderStatus, ProductType

from .factories import IP, T0, make_client, make_context, make_order
from .strategies import contexts

STAFF = StaffAction("staff:eve", T0 + timedelta(hours=1), "checked by phone")
DISPOSABLE = make_client(email="zed@mailinator.com")


def screened(context, approval=None):
    assessment = assess(context)
    if approval is None:
        return screen(context, assessment, T0)
    return screen(context, assessment, T0, approval)


def test_an_accepted_order_goes_on():
    result = screened(make_context())
    assert result.order.status is OrderStatus.ACTIVE
    assert [type(e) for e in result.events] == [OrderScreened, OrderAccepted]
    accepted = result.events[1]
    assert (accepted.by, accepted.reason, accepted.at) == ("fraud-engine", "score 0/100", T0)
    assert result.events[0].entry.status is OrderStatus.ACTIVE


def test_an_accepted_order_waits_when_approval_is_required():
    approval = ApprovalRequirement(True, "order approval required for this client")
    result = screened(make_context(), approval)
    assert result.order.status is OrderStatus.AWAITING_APPROVAL
    assert [type(e) for e in result.events] == [OrderScreened, ApprovalRequested]
    assert result.events[1].reason == "order approval required for this client"


def test_a_flagged_order_waits_in_review_and_the_business_is_told_why():
    order = make_order(types=(ProductType.VPS,))
    result = screened(make_context(order=order))
    assert result.order.status is OrderStatus.IN_REVIEW
    screened_event, flagged = result.events
    assert isinstance(screened_event, OrderScreened)
    assert isinstance(flagged, OrderFlagged)
    assert (flagged.decision, flagged.score) == (Decision.REVIEW, 10)
    assert flagged.explanation.endswith("forced: product_risk.vps → at least REVIEW")


def test_a_rejected_order_is_flagged_and_rejected_by_the_engine():
    context = make_context(client=DISPOSABLE, geo=GeoIPInfo("NG", is_proxy=True))
    result = screened(context)
    assert result.order.status is OrderStatus.REJECTED
    assert [type(e) for e in result.events] == [OrderScreened, OrderFlagged, OrderRejected]
    assert result.events[2].by == "fraud-engine"
    assert result.events[0].entry.status is OrderStatus.REJECTED


def test_the_history_entry_carries_the_keys():
    context = make_context(client=make_client(email="Ann@Shop.example"), card="fp9")
    entry = screened(context).events[0].entry
    assert (entry.order_id, entry.client_id, entry.email, entry.ip, entry.card_fingerprint) == (
        "o1",
        "c1",
        "ann@shop.example",
        IP,
        "fp9",
    )
    assert entry.placed_at == T0


def test_only_a_pending_order_is_screened():
    context = make_context()
    context = attrs.evolve(
        context,
        request=attrs.evolve(
            context.request, order=attrs.evolve(context.order, status=OrderStatus.ACTIVE)
        ),
    )
    with pytest.raises(InvalidTransitionError) as error:
        screened(context)
    assert (error.value.current, error.value.target, error.value.allowed) == (
        "ACTIVE",
        "ACTIVE",
        (),
    )


def test_screening_needs_the_orders_own_assessment():
    other = assess(make_context(order=make_order(order_id="o2")))
    with pytest.raises(ValidationError) as error:
        screen(make_context(), other, T0)
    assert error.value.field == "assessment.order_id"


def in_review():
    return attrs.evolve(make_order(), status=OrderStatus.IN_REVIEW)


def test_complete_accepts_an_order_in_review():
    result = complete(in_review(), STAFF)
    assert result.order.status is OrderStatus.ACTIVE
    (event,) = result.events
    assert event == OrderAccepted(
        OrderId("o1"), make_order().client_id, STAFF.at, "staff:eve", "checked by phone"
    )


def test_complete_waits_for_approval_when_required():
    result = complete(in_review(), STAFF, ApprovalRequirement(True, "reseller pays by card"))
    assert result.order.status is OrderStatus.AWAITING_APPROVAL
    assert isinstance(result.events[0], ApprovalRequested)


def test_drop_and_reject_end_a_review():
    assert drop(in_review(), STAFF).order.status is OrderStatus.DROPPED
    assert isinstance(drop(in_review(), STAFF).events[0], OrderDropped)
    assert reject(in_review(), STAFF).order.status is OrderStatus.REJECTED
    assert isinstance(reject(in_review(), STAFF).events[0], OrderRejected)


@pytest.mark.parametrize("step", [complete, drop, reject])
@pytest.mark.parametrize(
    "status",
    [s for s in OrderStatus if s is not OrderStatus.IN_REVIEW],
)
def test_review_steps_need_an_order_in_review(step, status):
    order = attrs.evolve(make_order(), status=status)
    with pytest.raises(InvalidTransitionError) as error:
        step(order, STAFF)
    assert error.value.current == status.name


def test_a_staff_action_instant_must_be_aware():
    with pytest.raises(ValidationError):
        StaffAction("staff:eve", T0.replace(tzinfo=None))


def test_feed_history_records_screenings_and_status_changes():
    history = InMemoryOrderHistory()
    flagged = screened(make_context(order=make_order(types=(ProductType.VPS,))))
    feed_history(history, flagged.events)
    assert history.records[OrderId("o1")].status is OrderStatus.IN_REVIEW
    feed_history(history, reject(flagged.order, STAFF).events)
    assert history.records[OrderId("o1")].status is OrderStatus.REJECTED


class Shop:
    """A tiny host application: places orders through the engine and its in-memory ports."""

    def __init__(self):
        self.history = InMemoryOrderHistory()
        self.ports = FraudPorts(InMemoryGeoIP({IP: GeoIPInfo("GB")}), self.history)

    def place(self, order_id, at, types=(ProductType.VPS,), card="fp1"):
        order = make_order(order_id=order_id, at=at, types=types)
        request = FraudRequest(order, make_client(), types, card)
        context = gather_context(request, self.ports)
        assessment = assess(context, default_config())
        result = screen(context, assessment, at)
        feed_history(self.history, result.events)
        return assessment, result.order

    def decide(self, order, step):
        feed_history(self.history, step(order, STAFF).events)


def test_a_rejected_customers_next_identical_order_scores_strictly_higher():
    shop = Shop()
    first, order = shop.place("o1", T0)
    assert order.status is OrderStatus.IN_REVIEW  # a VPS: 10 points, forced review
    shop.decide(order, reject)
    second, _ = shop.place("o2", T0 + timedelta(days=3))
    # 10 (VPS) + 40 (one earlier order rejected, found by client, email, IP and card) = 50
    assert (first.score, second.score) == (10, 50)
    assert second.score > first.score
    assert [c.name for c in second.contributions] == ["history.rejected", "product_risk.vps"]


def test_dropping_an_order_changes_no_later_score():
    left, dropped = Shop(), Shop()
    _, order = left.place("o1", T0)
    _, order = dropped.place("o1", T0)
    dropped.decide(order, drop)
    assert dropped.history.records[OrderId("o1")].status is OrderStatus.DROPPED
    later = T0 + timedelta(days=3)
    assert left.place("o2", later)[0] == dropped.place("o2", later)[0]


def test_completing_an_order_lowers_later_scores():
    shop = Shop()
    first, order = shop.place("o1", T0)
    shop.decide(order, complete)
    second, _ = shop.place("o2", T0 + timedelta(days=3))
    # 10 (VPS) - 5 (one earlier order accepted) = 5
    assert (first.score, second.score) == (10, 5)


def with_status(context, old, new):
    def swap(orders):
        return tuple(attrs.evolve(p, status=new) if p.status is old else p for p in orders)

    earlier = context.earlier
    return attrs.evolve(
        context,
        earlier=attrs.evolve(
            earlier,
            by_client=swap(earlier.by_client),
            by_email=swap(earlier.by_email),
            by_ip=swap(earlier.by_ip),
            by_card=swap(earlier.by_card),
        ),
    )


@given(contexts())
def test_a_drop_scores_like_an_order_still_in_review(context):
    waiting = with_status(context, OrderStatus.DROPPED, OrderStatus.IN_REVIEW)
    assert assess(context) == assess(waiting)


@given(contexts())
def test_a_rejection_never_lowers_a_later_score(context):
    rejected = with_status(context, OrderStatus.IN_REVIEW, OrderStatus.REJECTED)
    assert assess(rejected).score >= assess(context).score
