"""Hypothesis strategies for clients and who acts for them: contacts, grants, invitations.

Also storefront users and the billing run's memory of a client (:class:`BillingState`).
Re-exported by :mod:`hostbill_core.testing.strategies`.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from hostbill_core.model import (
    AccountType,
    Address,
    BillingState,
    Client,
    ClientSettings,
    ClientStatus,
    Contact,
    ContactDetails,
    Grant,
    Invitation,
    InvitationStatus,
    PaymentMethod,
    ProfileChange,
    ScheduledChange,
    StorefrontUser,
    StorefrontUserStatus,
)
from hostbill_core.testing.value_strategies import (
    aware_datetimes,
    billing_cycles,
    calendar_dates,
    currencies,
    emails,
    identifiers,
    short_texts,
)

__all__ = [
    "billing_states",
    "clients",
    "contacts",
    "grants",
    "invitations",
    "storefront_users",
]

_TEXT = short_texts()
_EMAILS = emails()


def _details() -> st.SearchStrategy[ContactDetails]:
    address = st.builds(Address, city=_TEXT, country=st.sampled_from(["", "DE", "US", "GB", "JP"]))
    return st.builds(ContactDetails, name=_TEXT, email=_EMAILS, company=_TEXT, address=address)


def _changes() -> st.SearchStrategy[ProfileChange]:
    return st.builds(
        ProfileChange,
        field=st.sampled_from(["details.name", "details.address.city", "language"]),
        old=_TEXT,
        new=_TEXT,
        actor=st.just("staff:ann"),
        at=aware_datetimes(),
    )


@st.composite
def clients(draw: st.DrawFn) -> Client:
    """A client with random details, settings and currency."""
    active_from = draw(calendar_dates())
    until = draw(st.none() | st.integers(0, 4000).map(lambda d: active_from + timedelta(days=d)))
    return Client(
        id=draw(identifiers("client")),
        details=draw(_details()),
        currency=draw(currencies()),
        active_from=active_from,
        active_until=until,
        account_type=draw(st.sampled_from(AccountType)),
        status=draw(st.sampled_from(ClientStatus)),
        payment_method=draw(st.sampled_from(PaymentMethod)),
        tax_exempt=draw(st.booleans()),
        invoice_recipients=tuple(draw(st.lists(_EMAILS, max_size=2))),
        invoice_note=draw(_TEXT),
        settings=ClientSettings(
            invoice_lead_days=draw(st.none() | st.integers(0, 60)),
            auto_apply_credit=draw(st.none() | st.booleans()),
        ),
        changes=tuple(draw(st.lists(_changes(), max_size=2))),
        version=draw(st.integers(0, 5)),
    )


_RIGHTS = st.sampled_from(["view_invoices", "pay_invoices", "view_services", "manage_services"])


def grants() -> st.SearchStrategy[Grant]:
    """A grant of one right, maybe limited to services, maybe expiring."""
    return st.builds(
        Grant,
        right=_RIGHTS,
        service_ids=st.lists(identifiers("service"), max_size=2),
        expires_at=st.none() | aware_datetimes(),
        granted_by=st.just("owner:client-1"),
    )


def contacts() -> st.SearchStrategy[Contact]:
    """A contact with some rights, grants and email categories."""
    return st.builds(
        Contact,
        id=identifiers("contact"),
        client_id=identifiers("client"),
        details=_details(),
        rights=st.lists(_RIGHTS),
        grants=st.lists(grants(), max_size=2).map(tuple),
        email_preferences=st.lists(st.sampled_from(["invoices", "support", "general"])),
        active=st.booleans(),
    )


def invitations() -> st.SearchStrategy[Invitation]:
    """An invitation in any state."""
    return st.builds(
        Invitation,
        id=identifiers("invitation"),
        client_id=identifiers("client"),
        email=_EMAILS,
        invited_by=st.just("owner:client-1"),
        created_at=aware_datetimes(),
        rights=st.lists(_RIGHTS),
        grants=st.lists(grants(), max_size=2).map(tuple),
        status=st.sampled_from(InvitationStatus),
        sent_at=st.none() | aware_datetimes(),
    )


def storefront_users() -> st.SearchStrategy[StorefrontUser]:
    """A reseller storefront login in any state."""
    words = st.text("abcdefghij", min_size=1, max_size=8)
    return st.builds(
        StorefrontUser,
        id=identifiers("user"),
        client_id=identifiers("client"),
        first_name=words,
        last_name=words,
        email=_EMAILS,
        language=st.sampled_from(["en", "de", "ja"]),
        date_format=st.sampled_from(["DD/MM/YYYY", "YYYY-MM-DD"]),
        created_at=aware_datetimes(),
        status=st.sampled_from(StorefrontUserStatus),
    )


@st.composite
def billing_states(draw: st.DrawFn) -> BillingState:
    """A client's billing-run memory: event keys done, a lockout, scheduled plan changes."""
    client_id = draw(identifiers("client"))
    key = st.builds(
        lambda s, d, step: f"{s}/{d.isoformat()}/{step}",
        identifiers("service"),
        calendar_dates(),
        st.sampled_from(["invoice", "reminder-7", "expiry-0"]),
    )
    change = st.builds(
        ScheduledChange,
        service_id=identifiers("service"),
        plan_id=identifiers("plan"),
        cycle=billing_cycles(),
        on=calendar_dates(),
    )
    return BillingState(
        client_id,
        client_id,
        done=draw(st.lists(key, max_size=4)),
        locked_out=draw(st.booleans()),
        scheduled=tuple(draw(st.lists(change, max_size=2))),
    )
