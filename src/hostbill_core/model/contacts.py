"""Contacts: sub-accounts of a client, with their rights and email preferences as data.

Rights and email categories are stored as sorted, de-duplicated tuples of strings; their
vocabulary belongs to the permissions engine, which reads them.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from hostbill_core.model.access import Grant
from hostbill_core.model.checks import identifier, version_number
from hostbill_core.model.clients import ContactDetails
from hostbill_core.model.ids import ClientId, ContactId

__all__ = ["Contact"]


def _sorted_unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


@attrs.frozen
class Contact:
    """A contact (sub-account) of a client.

    Attributes:
        rights: the names of the rights granted, sorted and unique.
        email_preferences: the email categories the contact is subscribed to.
        active: False for a disabled contact, which may not log in.
        grants: rights limited to some services or to a time, beside the account-wide
            ``rights``.
    """

    id: ContactId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    details: ContactDetails
    rights: tuple[str, ...] = attrs.field(default=(), converter=_sorted_unique)
    email_preferences: tuple[str, ...] = attrs.field(default=(), converter=_sorted_unique)
    active: bool = True
    version: int = attrs.field(default=0, validator=version_number)
    grants: tuple[Grant, ...] = ()
