from datetime import timedelta

import pytest

from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.model.access import StorefrontUser, StorefrontUserId, StorefrontUserStatus
from hostbill_core.permissions.storefront import (
    StorefrontEmail,
    activate,
    add_user,
    deactivate,
    reactivate,
    resend_activation,
    reset_password,
)

from .builders import AT, C1

LATER = AT + timedelta(hours=1)


def user() -> StorefrontUser:
    return StorefrontUser(
        id=StorefrontUserId("u1"),
        client_id=C1,
        first_name="Uma",
        last_name="Lee",
        email="uma@example.com",
        language="en",
        date_format="DD/MM/YYYY",
        created_at=AT,
    )


def active() -> StorefrontUser:
    return activate(add_user(user(), AT).user, LATER).user


def test_a_new_user_waits_for_activation_and_gets_the_link():
    change = add_user(user(), AT)
    assert change.user.status is StorefrontUserStatus.ACTIVATION_PENDING
    assert change.user.activation_sent_at == AT
    assert change.email is StorefrontEmail.ACTIVATION_LINK
    assert change.explanation == "storefront user u1 added; activation link sent to uma@example.com"


def test_the_link_may_be_sent_again_only_while_pending():
    pending = add_user(user(), AT).user
    again = resend_activation(pending, LATER)
    assert (again.user.activation_sent_at, again.email) == (LATER, StorefrontEmail.ACTIVATION_LINK)
    with pytest.raises(InvalidTransitionError) as caught:
        resend_activation(active(), LATER)
    assert (caught.value.current, caught.value.allowed) == ("active", ("activation_pending",))


def test_activation_makes_the_user_active():
    done = active()
    assert (done.status, done.activated_at) == (StorefrontUserStatus.ACTIVE, LATER)


def test_password_reset_only_for_an_active_user():
    reset = reset_password(active(), LATER)
    assert reset.email is StorefrontEmail.PASSWORD_RESET
    with pytest.raises(InvalidTransitionError):
        reset_password(add_user(user(), AT).user, LATER)
    with pytest.raises(InvalidTransitionError):
        reset_password(deactivate(active(), LATER).user, LATER)


def test_active_and_deactivated_go_back_and_forth():
    off = deactivate(active(), LATER).user
    assert off.status is StorefrontUserStatus.DEACTIVATED
    assert reactivate(off, LATER).user.status is StorefrontUserStatus.ACTIVE


def test_a_pending_user_cannot_be_deactivated_or_reactivated():
    pending = add_user(user(), AT).user
    with pytest.raises(InvalidTransitionError):
        deactivate(pending, LATER)
    with pytest.raises(InvalidTransitionError):
        reactivate(pending, LATER)
    with pytest.raises(InvalidTransitionError):
        activate(active(), LATER)


def test_a_registered_user_cannot_be_added_again():
    with pytest.raises(InvalidTransitionError):
        add_user(active(), LATER)


def test_every_detail_is_required():
    with pytest.raises(ValidationError) as caught:
        StorefrontUser(
            id=StorefrontUserId("u1"),
            client_id=C1,
            first_name="Uma",
            last_name=" ",
            email="uma@example.com",
            language="en",
            date_format="DD/MM/YYYY",
            created_at=AT,
        )
    assert caught.value.field == "last_name"
