from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostbill_core.errors import ValidationError
from hostbill_core.model.ids import ContactId, ServiceId
from hostbill_core.permissions import (
    BILLING_DEPARTMENT,
    WEB_DEVELOPER,
    Account,
    EmailCategory,
    Right,
    recipients,
    ticket_recipients,
)

from .builders import AT, client, contact, grant

BILLING = contact("bill", rights=tuple(BILLING_DEPARTMENT.rights), prefs=("invoices", "general"))
DEV = contact("dev", rights=tuple(WEB_DEVELOPER.rights), prefs=("invoices", "support", "general"))
ACCOUNT = Account(client(), (BILLING, DEV))


def test_a_contact_without_invoice_rights_never_receives_an_invoice():
    routing = recipients(ACCOUNT, EmailCategory.INVOICES, AT)
    assert routing.emails == ("owner@example.com", "bill@example.com")
    assert routing.left_out == ("contact dev does not hold view_invoices",)
    assert [r.reason for r in routing.recipients] == ["the account owner", "subscribed to invoices"]


def test_extra_invoice_addresses_receive_invoices_only():
    extra = attrs.evolve(client(), invoice_recipients=("books@example.com", "OWNER@example.com"))
    account = Account(extra, (BILLING,))
    assert recipients(account, EmailCategory.INVOICES, AT).emails == (
        "owner@example.com",
        "books@example.com",
        "bill@example.com",
    )
    assert recipients(account, EmailCategory.GENERAL, AT).emails == (
        "owner@example.com",
        "bill@example.com",
    )


def test_general_email_needs_a_subscription_but_no_right():
    routing = recipients(ACCOUNT, EmailCategory.GENERAL, AT)
    assert routing.emails == ("owner@example.com", "bill@example.com", "dev@example.com")
    marketing = recipients(ACCOUNT, EmailCategory.MARKETING, AT)
    assert marketing.emails == ("owner@example.com",)
    assert marketing.left_out == (
        "contact bill is not subscribed to marketing",
        "contact dev is not subscribed to marketing",
    )


def test_service_email_follows_per_service_grants_and_their_expiry():
    scoped = contact(
        "ops", grants=(grant(Right.VIEW_SERVICES, ("s1",), hours=2),), prefs=("services",)
    )
    account = Account(client(), (scoped,))
    about_s1 = recipients(account, EmailCategory.SERVICES, AT, ServiceId("s1"))
    assert about_s1.emails == ("owner@example.com", "ops@example.com")
    about_s2 = recipients(account, EmailCategory.SERVICES, AT, ServiceId("s2"))
    assert about_s2.left_out == ("contact ops does not hold view_services for service s2",)
    later = recipients(account, EmailCategory.SERVICES, AT + timedelta(hours=2), ServiceId("s1"))
    assert later.emails == ("owner@example.com",)


def test_a_disabled_contact_receives_nothing():
    off = attrs.evolve(BILLING, active=False)
    routing = recipients(Account(client(), (off,)), EmailCategory.INVOICES, AT)
    assert routing.emails == ("owner@example.com",)
    assert routing.left_out == ("contact bill is disabled",)


def test_ticket_replies_copy_the_opener_and_the_owner_only():
    # dev opened the ticket: dev and the owner are emailed; bill is not (and lacks tickets).
    helper = contact("help", rights=(Right.TICKETS,), prefs=("support",))
    account = Account(client(), (BILLING, DEV, helper))
    routing = ticket_recipients(account, ContactId("dev"), AT)
    assert routing.emails == ("owner@example.com", "dev@example.com")
    assert routing.left_out == (
        "contact bill did not open the ticket",
        "contact help did not open the ticket",
    )
    assert ticket_recipients(account, None, AT).emails == ("owner@example.com",)


def test_an_opener_who_lost_the_ticket_right_is_no_longer_copied():
    gone = attrs.evolve(DEV, rights=("view_services",))
    routing = ticket_recipients(Account(client(), (gone,)), ContactId("dev"), AT)
    assert routing.emails == ("owner@example.com",)
    assert routing.left_out == ("contact dev opened the ticket but no longer holds tickets",)
    off = attrs.evolve(DEV, active=False)
    assert ticket_recipients(Account(client(), (off,)), ContactId("dev"), AT).left_out == (
        "contact dev opened the ticket but is disabled",
    )


def test_an_account_refuses_another_clients_contact():
    with pytest.raises(ValidationError) as caught:
        Account(client(), (BILLING, contact("x", "c2")))
    assert caught.value.field == "contacts[1].client_id"


@given(
    st.lists(
        st.tuples(
            st.frozensets(st.sampled_from(Right)),
            st.frozensets(st.sampled_from(EmailCategory)),
            st.booleans(),
        ),
        max_size=5,
    ),
    st.sampled_from(EmailCategory),
)
def test_every_contact_recipient_is_subscribed_and_holds_the_right(contacts, category):
    built = tuple(
        contact(f"k{i}", rights=tuple(r), prefs=tuple(c.value for c in p), active=a)
        for i, (r, p, a) in enumerate(contacts)
    )
    routing = recipients(Account(client(), built), category, AT)
    by_id = {c.id: c for c in built}
    assert routing.recipients[0].contact_id is None
    for recipient in routing.recipients[1:]:
        chosen = by_id[recipient.contact_id]
        assert chosen.active
        assert category.value in chosen.email_preferences
        if category.right is not None:
            held = {Right(n) for n in chosen.rights}
            assert category.right in held | {i for r in held for i in r.implies}
    assert len(routing.recipients) + len(routing.left_out) == len(built) + 1
