"""What an actor may ask to do (:class:`Action`) and on what (:class:`Resource`).

Each action has one :class:`Rule`: the kind of resource it applies to, the right a contact
needs, the privilege a staff member needs, and whether staff must have confirmed their
password. An action with no right (``right is None``) is never open to contacts.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from hostbill_core.model.checks import identifier
from hostbill_core.model.ids import ClientId
from hostbill_core.permissions.actors import StaffPrivilege
from hostbill_core.permissions.rights import Right

__all__ = ["RULES", "Action", "Resource", "ResourceKind", "Rule"]


class ResourceKind(enum.Enum):
    """The kinds of thing an action applies to; every one belongs to one client."""

    CLIENT = "client"
    PROFILE = "profile"
    CONTACT = "contact"
    SERVICE = "service"
    DOMAIN = "domain"
    INVOICE = "invoice"
    QUOTE = "quote"
    TICKET = "ticket"
    AFFILIATE = "affiliate"
    EMAIL = "email"
    ORDER = "order"
    PAYMENT_METHOD = "payment_method"
    CREDIT = "credit"


@attrs.frozen
class Resource:
    """A thing of one client an action applies to.

    Attributes:
        id: the thing's identifier (for a service or a domain, the service id; a
            per-service grant is matched against it), or None for a whole section
            (the list of invoices, the profile).
    """

    kind: ResourceKind
    client_id: ClientId = attrs.field(validator=identifier)
    id: str | None = None


class Action(enum.Enum):
    """Everything a portal or an admin panel asks :func:`decide` about."""

    PROFILE_VIEW = "profile.view"
    PROFILE_EDIT = "profile.edit"
    OWNER_LOGIN_EDIT = "profile.owner_login"
    PROFILE_ADMIN_EDIT = "profile.admin_edit"
    PROFILE_CHANGES_VIEW = "profile.changes"
    PROFILE_LOCK_FIELDS = "profile.lock_fields"
    CONTACT_VIEW = "contact.view"
    CONTACT_CREATE = "contact.create"
    CONTACT_EDIT = "contact.edit"
    CONTACT_REMOVE = "contact.remove"
    SERVICE_VIEW = "service.view"
    SERVICE_MANAGE = "service.manage"
    SERVICE_VIEW_PASSWORD = "service.view_password"
    SERVICE_SINGLE_SIGN_ON = "service.sso"
    SERVICE_UPGRADE = "service.upgrade"
    SERVICE_CANCEL = "service.cancel"
    DOMAIN_VIEW = "domain.view"
    DOMAIN_MANAGE = "domain.manage"
    INVOICE_VIEW = "invoice.view"
    INVOICE_PAY = "invoice.pay"
    QUOTE_VIEW = "quote.view"
    QUOTE_ACCEPT = "quote.accept"
    TICKET_VIEW = "ticket.view"
    TICKET_OPEN = "ticket.open"
    TICKET_REPLY = "ticket.reply"
    AFFILIATE_VIEW = "affiliate.view"
    EMAIL_VIEW = "email.view"
    ORDER_PLACE = "order.place"
    PAYMENT_METHOD_VIEW = "payment_method.view"
    PAYMENT_METHOD_MANAGE = "payment_method.manage"
    CREDIT_VIEW = "credit.view"
    CREDIT_ADD_FUNDS = "credit.add_funds"
    CLIENT_EXPORT = "client.export"
    CLIENT_MERGE = "client.merge"
    CLIENT_ANONYMISE = "client.anonymise"
    CLIENT_CLOSE = "client.close"
    CLIENT_ARCHIVE = "client.archive"
    CLIENT_DELETE = "client.delete"


@attrs.frozen
class Rule:
    """The requirements of one action.

    Attributes:
        kind: the resource kind the action applies to.
        right: the right a contact needs; None when no contact may do it.
        privilege: the privilege a staff member needs.
        owner: whether the owner may do it (every client-area action; not admin work).
        staff_reauth: staff must have confirmed their password within the window.
    """

    kind: ResourceKind
    right: Right | None
    privilege: StaffPrivilege
    owner: bool = True
    staff_reauth: bool = False


def _rules() -> dict[Action, Rule]:
    k, r, p, a = ResourceKind, Right, StaffPrivilege, Action
    return {
        a.PROFILE_VIEW: Rule(k.PROFILE, r.MODIFY_PROFILE, p.VIEW_CLIENTS),
        a.PROFILE_EDIT: Rule(k.PROFILE, r.MODIFY_PROFILE, p.EDIT_CLIENTS),
        a.OWNER_LOGIN_EDIT: Rule(k.PROFILE, None, p.EDIT_CLIENTS),
        a.PROFILE_ADMIN_EDIT: Rule(k.PROFILE, None, p.EDIT_CLIENTS, owner=False),
        a.PROFILE_CHANGES_VIEW: Rule(k.PROFILE, None, p.VIEW_CLIENTS, owner=False),
        a.PROFILE_LOCK_FIELDS: Rule(k.PROFILE, None, p.EDIT_CLIENTS, owner=False),
        a.CONTACT_VIEW: Rule(k.CONTACT, r.MANAGE_CONTACTS, p.VIEW_CLIENTS),
        a.CONTACT_CREATE: Rule(k.CONTACT, r.MANAGE_CONTACTS, p.EDIT_CLIENTS),
        a.CONTACT_EDIT: Rule(k.CONTACT, r.MANAGE_CONTACTS, p.EDIT_CLIENTS),
        a.CONTACT_REMOVE: Rule(k.CONTACT, r.MANAGE_CONTACTS, p.EDIT_CLIENTS),
        a.SERVICE_VIEW: Rule(k.SERVICE, r.VIEW_SERVICES, p.VIEW_CLIENTS),
        a.SERVICE_MANAGE: Rule(k.SERVICE, r.MANAGE_SERVICES, p.MANAGE_SERVICES),
        a.SERVICE_VIEW_PASSWORD: Rule(
            k.SERVICE, r.VIEW_SERVICE_PASSWORDS, p.VIEW_SERVICE_PASSWORDS
        ),
        a.SERVICE_SINGLE_SIGN_ON: Rule(k.SERVICE, r.SINGLE_SIGN_ON, p.MANAGE_SERVICES),
        a.SERVICE_UPGRADE: Rule(k.SERVICE, r.PLACE_ORDERS, p.MANAGE_BILLING),
        a.SERVICE_CANCEL: Rule(k.SERVICE, r.PLACE_ORDERS, p.MANAGE_BILLING),
        a.DOMAIN_VIEW: Rule(k.DOMAIN, r.VIEW_DOMAINS, p.VIEW_CLIENTS),
        a.DOMAIN_MANAGE: Rule(k.DOMAIN, r.MANAGE_DOMAINS, p.MANAGE_SERVICES),
        a.INVOICE_VIEW: Rule(k.INVOICE, r.VIEW_INVOICES, p.VIEW_CLIENTS),
        a.INVOICE_PAY: Rule(k.INVOICE, r.PAY_INVOICES, p.MANAGE_BILLING),
        a.QUOTE_VIEW: Rule(k.QUOTE, r.QUOTES, p.VIEW_CLIENTS),
        a.QUOTE_ACCEPT: Rule(k.QUOTE, r.QUOTES, p.MANAGE_BILLING),
        a.TICKET_VIEW: Rule(k.TICKET, r.TICKETS, p.SUPPORT),
        a.TICKET_OPEN: Rule(k.TICKET, r.TICKETS, p.SUPPORT),
        a.TICKET_REPLY: Rule(k.TICKET, r.TICKETS, p.SUPPORT),
        a.AFFILIATE_VIEW: Rule(k.AFFILIATE, r.AFFILIATE, p.AFFILIATES),
        a.EMAIL_VIEW: Rule(k.EMAIL, r.VIEW_EMAILS, p.SUPPORT),
        a.ORDER_PLACE: Rule(k.ORDER, r.PLACE_ORDERS, p.MANAGE_BILLING),
        a.PAYMENT_METHOD_VIEW: Rule(k.PAYMENT_METHOD, r.MANAGE_PAYMENT_METHODS, p.VIEW_CLIENTS),
        a.PAYMENT_METHOD_MANAGE: Rule(
            k.PAYMENT_METHOD, r.MANAGE_PAYMENT_METHODS, p.MANAGE_PAYMENT_METHODS, staff_reauth=True
        ),
        a.CREDIT_VIEW: Rule(k.CREDIT, r.CREDIT, p.VIEW_CLIENTS),
        a.CREDIT_ADD_FUNDS: Rule(k.CREDIT, r.CREDIT, p.MANAGE_BILLING),
        a.CLIENT_EXPORT: Rule(k.CLIENT, None, p.CLIENT_LIFECYCLE),
        a.CLIENT_MERGE: Rule(k.CLIENT, None, p.CLIENT_LIFECYCLE, owner=False),
        a.CLIENT_ANONYMISE: Rule(k.CLIENT, None, p.CLIENT_LIFECYCLE, owner=False),
        a.CLIENT_CLOSE: Rule(k.CLIENT, None, p.CLIENT_LIFECYCLE, owner=False),
        a.CLIENT_ARCHIVE: Rule(k.CLIENT, None, p.CLIENT_LIFECYCLE, owner=False),
        a.CLIENT_DELETE: Rule(k.CLIENT, None, p.CLIENT_LIFECYCLE, owner=False),
    }


RULES: Mapping[Action, Rule] = MappingProxyType(_rules())
"""The rule of every action; a test checks that no action is missing."""
