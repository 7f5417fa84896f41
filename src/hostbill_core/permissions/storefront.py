"""Reseller storefront users: activation pending → active ↔ deactivated.

A reseller adds a login for one of its customers; the user receives an activation link.
The link may be sent again only while activation is pending; a password reset only makes
sense for an active user. Each step returns the new user and the email to send, if any.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from hostbill_core.errors import InvalidTransitionError
from hostbill_core.model.access import StorefrontUser, StorefrontUserStatus
from hostbill_core.permissions.decisions import check_instant

__all__ = [
    "StorefrontChange",
    "StorefrontEmail",
    "activate",
    "add_user",
    "deactivate",
    "reactivate",
    "resend_activation",
    "reset_password",
]

_U = StorefrontUserStatus


class StorefrontEmail(enum.Enum):
    """The email a storefront step sends to the user."""

    ACTIVATION_LINK = "activation_link"
    PASSWORD_RESET = "password_reset"


@attrs.frozen
class StorefrontChange:
    """The user after a step, the email to send (None: none) and what happened, in words."""

    user: StorefrontUser
    email: StorefrontEmail | None
    explanation: str


def _require(
    user: StorefrontUser, current: StorefrontUserStatus, step: str, target: StorefrontUserStatus
) -> None:
    if user.status is not current:
        raise InvalidTransitionError(
            f"storefront user ({step})", user.status.value, target.value, (current.value,)
        )


def add_user(user: StorefrontUser, at: datetime) -> StorefrontChange:
    """Register a new user, activation pending, and send the activation link.

    Raises:
        InvalidTransitionError: ``user`` is not in activation pending (already registered).
    """
    check_instant(at)
    _require(user, _U.ACTIVATION_PENDING, "add", _U.ACTIVATION_PENDING)
    added = attrs.evolve(user, activation_sent_at=at)
    return StorefrontChange(
        added,
        StorefrontEmail.ACTIVATION_LINK,
        f"storefront user {user.id} added; activation link sent to {user.email}",
    )


def resend_activation(user: StorefrontUser, at: datetime) -> StorefrontChange:
    """Send the activation link again.

    Raises:
        InvalidTransitionError: the user is already active or deactivated.
    """
    check_instant(at)
    _require(user, _U.ACTIVATION_PENDING, "resend activation", _U.ACTIVATION_PENDING)
    return StorefrontChange(
        attrs.evolve(user, activation_sent_at=at),
        StorefrontEmail.ACTIVATION_LINK,
        f"activation link sent again to {user.email}",
    )


def activate(user: StorefrontUser, at: datetime) -> StorefrontChange:
    """The user follows the activation link and becomes active.

    Raises:
        InvalidTransitionError: the user is not pending activation.
    """
    check_instant(at)
    _require(user, _U.ACTIVATION_PENDING, "activate", _U.ACTIVE)
    return StorefrontChange(
        attrs.evolve(user, status=_U.ACTIVE, activated_at=at),
        None,
        f"storefront user {user.id} activated",
    )


def reset_password(user: StorefrontUser, at: datetime) -> StorefrontChange:
    """Send a password reset link to an active user.

    Raises:
        InvalidTransitionError: the user is pending activation (resend the activation link
            instead) or deactivated (reactivate first).
    """
    check_instant(at)
    _require(user, _U.ACTIVE, "reset password", _U.ACTIVE)
    return StorefrontChange(
        user, StorefrontEmail.PASSWORD_RESET, f"password reset link sent to {user.email}"
    )


def deactivate(user: StorefrontUser, at: datetime) -> StorefrontChange:
    """Stop an active user from logging in.

    Raises:
        InvalidTransitionError: the user is not active.
    """
    check_instant(at)
    _require(user, _U.ACTIVE, "deactivate", _U.DEACTIVATED)
    return StorefrontChange(
        attrs.evolve(user, status=_U.DEACTIVATED), None, f"storefront user {user.id} deactivated"
    )


def reactivate(user: StorefrontUser, at: datetime) -> StorefrontChange:
    """Let a deactivated user log in again.

    Raises:
        InvalidTransitionError: the user is not deactivated.
    """
    check_instant(at)
    _require(user, _U.DEACTIVATED, "reactivate", _U.ACTIVE)
    return StorefrontChange(
        attrs.evolve(user, status=_U.ACTIVE), None, f"storefront user {user.id} reactivated"
    )
