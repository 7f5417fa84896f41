"""Small builders shared by the permissions tests."""

from datetime import UTC, date, datetime, timedelta

from hostbill_core.model.access import Grant
from hostbill_core.model.clients import Client, ContactDetails
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ClientId, ContactId, ServiceId
from hostbill_core.permissions import ContactActor, Right

AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
C1 = ClientId("c1")
C2 = ClientId("c2")


def client(client_id: str = "c1", email: str = "owner@example.com") -> Client:
    return Client(
        id=ClientId(client_id),
        details=ContactDetails(name=f"Owner {client_id}", email=email),
        currency="EUR",
        active_from=date(2024, 1, 1),
    )


def contact(
    contact_id: str = "k1",
    client_id: str = "c1",
    *,
    rights: tuple[Right, ...] = (),
    grants: tuple[Grant, ...] = (),
    prefs: tuple[str, ...] = (),
    active: bool = True,
) -> Contact:
    return Contact(
        id=ContactId(contact_id),
        client_id=ClientId(client_id),
        details=ContactDetails(name=f"Contact {contact_id}", email=f"{contact_id}@example.com"),
        rights=tuple(r.value for r in rights),
        grants=grants,
        email_preferences=prefs,
        active=active,
    )


def as_contact(*args: object, **kwargs: object) -> ContactActor:
    return ContactActor(contact(*args, **kwargs))  # type: ignore[arg-type]


def grant(
    right: Right,
    services: tuple[str, ...] = (),
    hours: float | None = None,
    granted_by: str = "",
) -> Grant:
    expires = None if hours is None else AT + timedelta(hours=hours)
    return Grant(right.value, tuple(ServiceId(s) for s in services), expires, granted_by)
