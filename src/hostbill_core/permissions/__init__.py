"""Permissions: rights, role templates, decisions with reasons, delegation, email routing.

The engine is pure: every function takes the instant ``at`` (an aware datetime) and the
models it needs, and returns values. :func:`decide` is the one policy decision point;
:mod:`~hostbill_core.permissions.delegation` and
:mod:`~hostbill_core.permissions.invitations` build on it so that nobody can give what it
does not hold. See ``docs/permissions.md``.
"""

from hostbill_core.permissions.actions import RULES, Action, Resource, ResourceKind, Rule
from hostbill_core.permissions.actors import (
    Actor,
    ActorKind,
    ContactActor,
    OwnerActor,
    StaffActor,
    StaffPrivilege,
)
from hostbill_core.permissions.decisions import REAUTHENTICATION_WINDOW, Decision, decide
from hostbill_core.permissions.delegation import (
    Access,
    ContactEdit,
    NewContact,
    check_grantable,
    create_contact,
    edit_contact,
    remove_contact,
)
from hostbill_core.permissions.holdings import Holding, holdings
from hostbill_core.permissions.invitations import (
    DEFAULT_VALIDITY,
    Acceptance,
    NewInvitation,
    accept,
    expire,
    invite,
    reject,
    send,
    status_at,
)
from hostbill_core.permissions.rights import (
    BILLING_DEPARTMENT,
    FULL_ACCESS,
    ROLE_TEMPLATES,
    TECHNICAL_CONTACT,
    WEB_DEVELOPER,
    Area,
    Right,
    RoleTemplate,
    closure,
    parse_right,
    parse_rights,
    rights_from_whmcs,
)
from hostbill_core.permissions.routing import (
    Account,
    EmailCategory,
    Recipient,
    Routing,
    recipients,
    ticket_recipients,
)
from hostbill_core.permissions.storefront import StorefrontChange, StorefrontEmail

__all__ = [
    "BILLING_DEPARTMENT",
    "DEFAULT_VALIDITY",
    "FULL_ACCESS",
    "REAUTHENTICATION_WINDOW",
    "ROLE_TEMPLATES",
    "RULES",
    "TECHNICAL_CONTACT",
    "WEB_DEVELOPER",
    "Acceptance",
    "Access",
    "Account",
    "Action",
    "Actor",
    "ActorKind",
    "Area",
    "ContactActor",
    "ContactEdit",
    "Decision",
    "EmailCategory",
    "Holding",
    "NewContact",
    "NewInvitation",
    "OwnerActor",
    "Recipient",
    "Resource",
    "ResourceKind",
    "Right",
    "RoleTemplate",
    "Routing",
    "Rule",
    "StaffActor",
    "StaffPrivilege",
    "StorefrontChange",
    "StorefrontEmail",
    "accept",
    "check_grantable",
    "closure",
    "create_contact",
    "decide",
    "edit_contact",
    "expire",
    "holdings",
    "invite",
    "parse_right",
    "parse_rights",
    "recipients",
    "reject",
    "remove_contact",
    "rights_from_whmcs",
    "send",
    "status_at",
    "ticket_recipients",
]
