from datetime import date

import pytest

from hostbill_core.errors import InvalidTransitionError, NotFoundError, PermissionDeniedError
from hostbill_core.model import ClientStatus, InvoiceStatus, OrderStatus, ServiceStatus
from hostbill_core.permissions import StaffActor, StaffPrivilege
from hostbill_core.testing import RecordingEventSink
from hostbill_core.usecases.cancellation import DueCancellations, cancel_due_services
from hostbill_core.usecases.client_status import (
    StatusRequest,
    archive_client,
    close_client,
    soft_delete_client,
)

from .shop import AT, OWNER, STAFF, seed, snapshot


def statuses(uow):
    after = snapshot(uow)
    return (
        after["clients"][0].status,
        {s.id: s.status for s in after["services"]},
        {i.id: i.status for i in after["invoices"]},
        {o.id: o.status for o in after["orders"]},
    )


def test_closing_ends_services_unpaid_invoices_and_open_orders(uow):
    seed(uow, ("c1", "EUR"))
    events = RecordingEventSink()
    result = close_client(StatusRequest(STAFF, "c1", AT), uow, events)
    client, services, invoices, orders = statuses(uow)
    assert client is ClientStatus.CLOSED
    assert set(services.values()) == {ServiceStatus.TERMINATED}
    # The unpaid invoice is cancelled; the paid one stays paid.
    assert invoices == {"c1-i1": InvoiceStatus.CANCELLED, "c1-i2": InvoiceStatus.PAID}
    # The pending order is cancelled; the completed one stays.
    assert orders == {"c1-o1": OrderStatus.CANCELLED, "c1-o2": OrderStatus.COMPLETED}
    assert result.explanation == (
        "client c1 closed by staff:eve; 2 service(s) terminated, 1 waiting cancellation "
        "request(s) closed, 1 unpaid invoice(s) and 1 open order(s) cancelled"
    )
    assert events.names() == ["client.closed"]
    # c1-s1's end-of-term request (asked 10 March for 31 March) is closed on the day of the
    # close: its service is terminated already, so its day has nothing left to carry out.
    (request,) = snapshot(uow)["cancellation_requests"]
    assert (request.carried_out_on, request.version) == (date(2026, 3, 10), 2)
    assert cancel_due_services(uow, date(2026, 3, 31)) == DueCancellations()


def test_closing_may_change_only_the_status(uow):
    seed(uow, ("c1", "EUR"))
    before = statuses(uow)
    requests = snapshot(uow)["cancellation_requests"]
    close_client(StatusRequest(STAFF, "c1", AT, terminate=False), uow)
    client, *rest = statuses(uow)
    assert client is ClientStatus.CLOSED
    assert rest == list(before[1:])
    # The services run on, so the request waits for its day.
    assert snapshot(uow)["cancellation_requests"] == requests


def test_archive_then_soft_delete_keep_every_record(uow):
    seed(uow, ("c1", "EUR"))
    archived = archive_client(StatusRequest(STAFF, "c1", AT), uow).client
    assert archived.status is ClientStatus.ARCHIVED
    deleted = soft_delete_client(StatusRequest(STAFF, "c1", AT), uow)
    assert deleted.client.status is ClientStatus.DELETED
    after = snapshot(uow)
    assert len(after["invoices"]) == 2
    assert [c.active for c in after["contacts"]] == [False]
    assert deleted.explanation.endswith("1 contact(s) disabled; every record kept")


def test_a_deleted_client_goes_nowhere(uow):
    seed(uow, ("c1", "EUR"))
    soft_delete_client(StatusRequest(STAFF, "c1", AT), uow)
    before = snapshot(uow)
    for change in (close_client, archive_client, soft_delete_client):
        with pytest.raises(InvalidTransitionError) as caught:
            change(StatusRequest(STAFF, "c1", AT), uow)
        assert (caught.value.current, caught.value.allowed) == ("deleted", ())
    assert snapshot(uow) == before


def test_a_closed_client_is_not_closed_again(uow):
    seed(uow, ("c1", "EUR"))
    close_client(StatusRequest(STAFF, "c1", AT), uow)
    with pytest.raises(InvalidTransitionError) as caught:
        close_client(StatusRequest(STAFF, "c1", AT), uow)
    assert caught.value.allowed == ("archived", "deleted")


def test_status_changes_are_staff_work(uow):
    seed(uow, ("c1", "EUR"))
    support = StaffActor("sam", frozenset({StaffPrivilege.SUPPORT}))
    for actor in (OWNER, support):
        with pytest.raises(PermissionDeniedError):
            close_client(StatusRequest(actor, "c1", AT), uow)


def test_closing_a_missing_client_is_not_found(uow):
    with pytest.raises(NotFoundError):
        close_client(StatusRequest(STAFF, "nobody", AT), uow)
