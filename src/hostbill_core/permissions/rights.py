"""Rights a contact may hold, the client-area sections they open, and role templates.

A :class:`Right` is stored by its string value (``Contact.rights``, ``Grant.right``), so the
values are part of the storage format: never rename one. Some rights imply others (paying an
invoice needs seeing it); :func:`closure` adds the implied ones.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from hostbill_core.errors import ValidationError

__all__ = [
    "BILLING_DEPARTMENT",
    "FULL_ACCESS",
    "ROLE_TEMPLATES",
    "TECHNICAL_CONTACT",
    "WEB_DEVELOPER",
    "Area",
    "Right",
    "RoleTemplate",
    "closure",
    "parse_right",
    "parse_rights",
    "rights_from_whmcs",
]


class Area(enum.Enum):
    """A section of the client area; a portal shows the ones an actor may use."""

    PROFILE = "profile"
    CONTACTS = "contacts"
    SERVICES = "services"
    DOMAINS = "domains"
    INVOICES = "invoices"
    QUOTES = "quotes"
    TICKETS = "tickets"
    AFFILIATE = "affiliate"
    EMAILS = "emails"
    ORDERS = "orders"
    PAYMENT_METHODS = "payment_methods"
    CREDIT = "credit"


class Right(enum.Enum):
    """A right a contact (sub-account) may hold on its client's account."""

    MODIFY_PROFILE = "modify_profile"
    MANAGE_CONTACTS = "manage_contacts"
    VIEW_SERVICES = "view_services"
    MANAGE_SERVICES = "manage_services"
    VIEW_SERVICE_PASSWORDS = "view_service_passwords"
    SINGLE_SIGN_ON = "single_sign_on"
    VIEW_DOMAINS = "view_domains"
    MANAGE_DOMAINS = "manage_domains"
    VIEW_INVOICES = "view_invoices"
    PAY_INVOICES = "pay_invoices"
    QUOTES = "quotes"
    TICKETS = "tickets"
    AFFILIATE = "affiliate"
    VIEW_EMAILS = "view_emails"
    PLACE_ORDERS = "place_orders"
    MANAGE_PAYMENT_METHODS = "manage_payment_methods"
    CREDIT = "credit"

    @property
    def area(self) -> Area:
        """The client-area section this right opens."""
        return _AREAS[self]

    @property
    def per_service(self) -> bool:
        """True when a grant of this right may be limited to listed services."""
        return self in _PER_SERVICE

    @property
    def implies(self) -> frozenset[Right]:
        """The rights that come with this one (e.g. paying invoices implies seeing them)."""
        return _IMPLIES.get(self, frozenset())


_AREAS: Mapping[Right, Area] = MappingProxyType(
    {
        Right.MODIFY_PROFILE: Area.PROFILE,
        Right.MANAGE_CONTACTS: Area.CONTACTS,
        Right.VIEW_SERVICES: Area.SERVICES,
        Right.MANAGE_SERVICES: Area.SERVICES,
        Right.VIEW_SERVICE_PASSWORDS: Area.SERVICES,
        Right.SINGLE_SIGN_ON: Area.SERVICES,
        Right.VIEW_DOMAINS: Area.DOMAINS,
        Right.MANAGE_DOMAINS: Area.DOMAINS,
        Right.VIEW_INVOICES: Area.INVOICES,
        Right.PAY_INVOICES: Area.INVOICES,
        Right.QUOTES: Area.QUOTES,
        Right.TICKETS: Area.TICKETS,
        Right.AFFILIATE: Area.AFFILIATE,
        Right.VIEW_EMAILS: Area.EMAILS,
        Right.PLACE_ORDERS: Area.ORDERS,
        Right.MANAGE_PAYMENT_METHODS: Area.PAYMENT_METHODS,
        Right.CREDIT: Area.CREDIT,
    }
)

_PER_SERVICE = frozenset(
    {
        Right.VIEW_SERVICES,
        Right.MANAGE_SERVICES,
        Right.VIEW_SERVICE_PASSWORDS,
        Right.SINGLE_SIGN_ON,
        Right.VIEW_DOMAINS,
        Right.MANAGE_DOMAINS,
    }
)

_IMPLIES: Mapping[Right, frozenset[Right]] = MappingProxyType(
    {
        Right.MANAGE_SERVICES: frozenset({Right.VIEW_SERVICES}),
        Right.VIEW_SERVICE_PASSWORDS: frozenset({Right.VIEW_SERVICES}),
        Right.SINGLE_SIGN_ON: frozenset({Right.VIEW_SERVICES}),
        Right.MANAGE_DOMAINS: frozenset({Right.VIEW_DOMAINS}),
        Right.PAY_INVOICES: frozenset({Right.VIEW_INVOICES}),
    }
)


def closure(rights: Iterable[Right]) -> frozenset[Right]:
    """The rights given plus every right they imply.

    >>> sorted(r.value for r in closure([Right.PAY_INVOICES]))
    ['pay_invoices', 'view_invoices']
    """
    held = set(rights)
    for right in tuple(held):
        held |= right.implies
    return frozenset(held)


def parse_right(value: str, field: str = "right") -> Right:
    """The :class:`Right` named by a stored string.

    Raises:
        ValidationError: the name is not a right; the reason lists the valid names.
    """
    try:
        return Right(value)
    except ValueError:
        names = ", ".join(r.value for r in Right)
        raise ValidationError(field, value, f"not a right; one of: {names}") from None


def parse_rights(values: Iterable[str], field: str = "rights") -> frozenset[Right]:
    """Every stored right name as a :class:`Right` (see :func:`parse_right`)."""
    return frozenset(parse_right(v, f"{field}[{i}]") for i, v in enumerate(values))


@attrs.frozen
class RoleTemplate:
    """A named set of rights a panel offers as a starting point for a new contact.

    A template only fills in rights: the contact then holds them like any others, and the
    delegation rules still apply to whoever grants them.
    """

    name: str
    description: str
    rights: frozenset[Right]

    @property
    def names(self) -> tuple[str, ...]:
        """The rights as sorted strings, the form ``Contact.rights`` stores."""
        return tuple(sorted(r.value for r in self.rights))


BILLING_DEPARTMENT = RoleTemplate(
    "billing_department",
    "Pays invoices and places new orders; sees no service details or passwords.",
    frozenset({Right.VIEW_INVOICES, Right.PAY_INVOICES, Right.PLACE_ORDERS}),
)
WEB_DEVELOPER = RoleTemplate(
    "web_developer",
    "Sees the services and opens and answers tickets; no billing, no account details.",
    frozenset({Right.VIEW_SERVICES, Right.TICKETS}),
)
TECHNICAL_CONTACT = RoleTemplate(
    "technical_contact",
    "Runs the services and domains: passwords, single sign-on, tickets; no billing.",
    frozenset(
        {
            Right.VIEW_SERVICES,
            Right.MANAGE_SERVICES,
            Right.VIEW_SERVICE_PASSWORDS,
            Right.SINGLE_SIGN_ON,
            Right.VIEW_DOMAINS,
            Right.MANAGE_DOMAINS,
            Right.TICKETS,
        }
    ),
)
FULL_ACCESS = RoleTemplate("full_access", "Every right a contact can hold.", frozenset(Right))

ROLE_TEMPLATES: Mapping[str, RoleTemplate] = MappingProxyType(
    {t.name: t for t in (BILLING_DEPARTMENT, WEB_DEVELOPER, TECHNICAL_CONTACT, FULL_ACCESS)}
)

_WHMCS: Mapping[str, frozenset[Right]] = MappingProxyType(
    {
        "profile": frozenset({Right.MODIFY_PROFILE}),
        "contacts": frozenset({Right.MANAGE_CONTACTS}),
        "products": frozenset({Right.VIEW_SERVICES}),
        "manageproducts": frozenset({Right.MANAGE_SERVICES, Right.VIEW_SERVICE_PASSWORDS}),
        "productsso": frozenset({Right.SINGLE_SIGN_ON}),
        "domains": frozenset({Right.VIEW_DOMAINS}),
        "managedomains": frozenset({Right.MANAGE_DOMAINS}),
        "invoices": frozenset({Right.VIEW_INVOICES, Right.PAY_INVOICES, Right.CREDIT}),
        "quotes": frozenset({Right.QUOTES}),
        "tickets": frozenset({Right.TICKETS}),
        "affiliates": frozenset({Right.AFFILIATE}),
        "emails": frozenset({Right.VIEW_EMAILS}),
        "orders": frozenset({Right.PLACE_ORDERS}),
    }
)


def rights_from_whmcs(permissions: Iterable[str]) -> frozenset[Right]:
    """Translate a WHMCS contact's permission names into rights (for imports).

    WHMCS's ``invoices`` covers seeing and paying invoices and the credit pages, and its
    ``manageproducts`` covers service passwords; the translation keeps that reach.

    >>> sorted(r.value for r in rights_from_whmcs(["products", "tickets"]))
    ['tickets', 'view_services']

    Raises:
        ValidationError: a name WHMCS does not use.
    """
    rights: set[Right] = set()
    for i, name in enumerate(permissions):
        if name not in _WHMCS:
            known = ", ".join(_WHMCS)
            raise ValidationError(f"permissions[{i}]", name, f"not a WHMCS permission: {known}")
        rights |= _WHMCS[name]
    return closure(rights)
