"""A stateful proof of delegation without escalation and of client isolation.

Two clients, their owners, one staff member and every contact created along the way act in
any order: create contacts, invite and answer, edit access, remove, let time pass, ask for
decisions. An oracle, written here from the rules in plain set terms, says what each actor
holds; the engine must accept exactly the changes the oracle allows, every access a contact
holds must have been covered by its granter's holdings at the moment it was given, and no
decision may let an owner or a contact act on the other client.
"""

from datetime import datetime, timedelta

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from hostbill_core.errors import InvalidTransitionError, PermissionDeniedError
from hostbill_core.model.access import Grant, Invitation, InvitationId
from hostbill_core.model.clients import ContactDetails
from hostbill_core.model.contacts import Contact
from hostbill_core.model.ids import ClientId, ContactId, ServiceId
from hostbill_core.permissions import (
    RULES,
    Access,
    Action,
    ContactActor,
    ContactEdit,
    NewContact,
    NewInvitation,
    OwnerActor,
    Resource,
    ResourceKind,
    Right,
    StaffActor,
    StaffPrivilege,
    accept,
    create_contact,
    decide,
    edit_contact,
    invite,
    reject,
    remove_contact,
    send,
)

from .builders import AT, C1, C2

STAFF = StaffActor("root", frozenset(StaffPrivilege))
SERVICES = ("s1", "s2", "s3")
IMPLIED = {
    Right.MANAGE_SERVICES: {Right.VIEW_SERVICES},
    Right.VIEW_SERVICE_PASSWORDS: {Right.VIEW_SERVICES},
    Right.SINGLE_SIGN_ON: {Right.VIEW_SERVICES},
    Right.MANAGE_DOMAINS: {Right.VIEW_DOMAINS},
    Right.PAY_INVOICES: {Right.VIEW_INVOICES},
}
WEEK = timedelta(days=7)
ALL = None  # a scope of None is the whole account; an expiry of None is never

ACTIONS = st.sampled_from(Action)
MODES = st.sampled_from(("modest", "stretch", "any"))
ONE_IN_THREE = st.integers(0, 2)
ONE_IN_FOUR = st.integers(0, 3)
ANY_RIGHTS = st.frozensets(st.sampled_from(Right), max_size=3)
GRANT_PARAM = st.tuples(
    st.sampled_from(Right),
    st.lists(st.sampled_from(SERVICES), max_size=2, unique=True),
    st.none() | st.integers(1, 20000),
)
GRANT_PARAMS = st.lists(GRANT_PARAM, max_size=2)


def indexes(size: int, at_most: int):
    return st.lists(st.integers(0, size - 1), max_size=at_most, unique=True)


def pick(data, items, label: str):
    return items[data.draw(st.integers(0, len(items) - 1), label=label)]


# One item of access: (right, services or ALL, expiry or never).
Item = tuple[Right, frozenset[str] | None, datetime | None]


def items_of(rights: tuple[str, ...], grants: tuple[Grant, ...]) -> list[Item]:
    """The access stored on a contact, as items, before any expiry is applied."""
    found: list[Item] = [(Right(name), ALL, None) for name in rights]
    for g in grants:
        found.append((Right(g.right), frozenset(g.service_ids) or ALL, g.expires_at))
    return found


def oracle_holds(actor, now: datetime) -> list[Item]:
    """What the rules say ``actor`` holds at ``now``, implied rights included."""
    if not isinstance(actor, ContactActor):
        return [(r, ALL, None) for r in Right]
    contact = actor.contact
    if not contact.active:
        return []
    held = []
    for right, scope, until in items_of(contact.rights, contact.grants):
        if until is None or now < until:
            held += [(r, scope, until) for r in {right} | IMPLIED.get(right, set())]
    return held


def oracle_covers(held: list[Item], item: Item) -> bool:
    right, scope, until = item
    lasting = [s for r, s, u in held if r is right and (u is None or (until and until <= u))]
    if scope is ALL:
        return ALL in lasting
    return all(any(s is ALL or sid in s for s in lasting) for sid in scope)


def oracle_may_manage(actor, client_id: str, now: datetime) -> bool:
    if isinstance(actor, StaffActor):
        return True
    if actor.client_id != client_id:
        return False
    return any(r is Right.MANAGE_CONTACTS and s is ALL for r, s, _ in oracle_holds(actor, now))


def oracle_dominates(actor, target: Contact, now: datetime) -> bool:
    if not isinstance(actor, ContactActor) or actor.contact.id == target.id:
        return True
    theirs = oracle_holds(ContactActor(_active(target)), now)
    return all(oracle_covers(oracle_holds(actor, now), item) for item in theirs)


def _active(contact: Contact) -> Contact:
    return attrs.evolve(contact, active=True)


class Delegation(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = AT
        self.contacts: dict[str, Contact] = {}
        self.home: dict[str, str] = {}
        self.invitations: dict[str, Invitation] = {}
        # (contact id, plain right value or grant) -> the granter's ref, checked when given
        self.ledger: dict[tuple[str, object], str] = {}
        self.count = 0

    # -- helpers -------------------------------------------------------------------------

    def actors(self):
        return [OwnerActor(C1), OwnerActor(C2), STAFF] + [
            ContactActor(c) for c in self.contacts.values()
        ]

    def draw_actor(self, data):
        """A contact more often than not, once there are some: they are the interesting case."""
        contacts = [ContactActor(c) for c in self.contacts.values()]
        if contacts and data.draw(ONE_IN_THREE, label="not a contact") > 0:
            return pick(data, contacts, "contact")
        return pick(data, self.actors(), "actor")

    def draw_client(self, data, actor) -> ClientId:
        """Mostly the actor's own client, sometimes the other one."""
        own = C1 if isinstance(actor, StaffActor) else actor.client_id
        other = C2 if own == C1 else C1
        return own if data.draw(ONE_IN_FOUR, label="other client") else other

    def draw_access(self, data, actor) -> Access:
        """A part of what ``actor`` holds, a little more than it holds, or anything."""
        held = oracle_holds(actor, self.now)
        mode = data.draw(MODES, label="mode")
        if held and mode == "stretch":
            limited = [i for i in held if i[1] is not ALL or i[2] is not None]
            return Access(grants=(self.stretch(data, pick(data, limited or held, "item")),))
        if held and mode == "modest":
            chosen = [held[i] for i in data.draw(indexes(len(held), 4), label="part")]
            rights = {r for r, scope, until in chosen if scope is ALL and until is None}
            grants = [self.narrow(data, i) for i in chosen if i[1] is not ALL or i[2] is not None]
            return Access(rights, tuple(grants))
        rights = data.draw(ANY_RIGHTS, label="rights")
        if data.draw(st.booleans(), label="manager"):
            rights |= {Right.MANAGE_CONTACTS}
        grants = tuple(self.grant(p) for p in data.draw(GRANT_PARAMS, label="grants"))
        return Access(rights, grants)

    def stretch(self, data, item: Item) -> Grant:
        """A grant of ``item``'s right a little beyond it: one more service, or longer."""
        right, scope, until = item
        services = list(SERVICES) if scope is ALL else [*sorted(scope), "s9"]
        picked = [services[i] for i in data.draw(indexes(len(services), 3), label="services")]
        later = [None] if until is None else [None, until + timedelta(seconds=1), until]
        expiry = pick(data, later, "expiry")
        return Grant(right.value, tuple(picked) if right.per_service else (), expiry)

    def narrow(self, data, item: Item) -> Grant:
        """A grant of ``item``'s right over at most its services, ending no later."""
        right, scope, until = item
        services = sorted(scope) if scope is not ALL else list(SERVICES)
        picked = [services[i] for i in data.draw(indexes(len(services), 2), label="services")]
        if scope is not ALL and not picked:
            picked = services[:1]
        ends = [until, self.now + (until - self.now) / 2] if until else [None, self.now + WEEK]
        expiry = pick(data, ends, "expiry")
        return Grant(right.value, tuple(picked) if right.per_service else (), expiry)

    def grant(self, params) -> Grant:
        right, services, minutes = params
        scope = tuple(ServiceId(s) for s in services) if right.per_service else ()
        expiry = None if minutes is None else self.now + timedelta(minutes=minutes)
        return Grant(right.value, scope, expiry)

    def new_id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def record(self, contact: Contact, granter, old: Contact | None) -> None:
        """Check and record every item ``contact`` gained; forget what it lost."""
        before = set() if old is None else {*old.rights, *old.grants}
        after = {*contact.rights, *contact.grants}
        held = oracle_holds(granter, self.now)
        for key in after - before:
            item = items_of((key,), ()) if isinstance(key, str) else items_of((), (key,))
            assert oracle_covers(held, item[0]), (granter.ref, key)
            if isinstance(key, Grant):
                assert key.granted_by == granter.ref
            self.ledger[(contact.id, key)] = granter.ref
        for key in before - after:
            del self.ledger[(contact.id, key)]

    # -- rules ---------------------------------------------------------------------------

    @rule(data=st.data())
    def create(self, data):
        actor = self.draw_actor(data)
        client = self.draw_client(data, actor)
        access = self.draw_access(data, actor)
        details = ContactDetails(name="N", email="n@example.com")
        request = NewContact(ContactId(self.new_id("k")), client, details, access)
        expected = oracle_may_manage(actor, client, self.now) and self.covered(actor, access)
        try:
            created = create_contact(actor, request, self.now)
        except PermissionDeniedError:
            assert not expected
            return
        assert expected
        self.contacts[created.id] = created
        self.home[created.id] = client
        self.record(created, actor, None)

    @rule(data=st.data())
    def appoint_manager(self, data):
        """An owner creates a contact who manages contacts: delegation chains start here."""
        owner = OwnerActor(pick(data, (C1, C2), "owner"))
        extra = self.draw_access(data, owner)
        limited = self.grant(data.draw(GRANT_PARAM, label="a limited grant"))
        access = Access(extra.rights | {Right.MANAGE_CONTACTS}, (*extra.grants, limited))
        details = ContactDetails(name="M", email="m@example.com")
        request = NewContact(ContactId(self.new_id("m")), owner.client_id, details, access)
        created = create_contact(owner, request, self.now)
        self.contacts[created.id] = created
        self.home[created.id] = owner.client_id
        self.record(created, owner, None)

    @rule(data=st.data())
    def overreach(self, data):
        """A contact tries to give a little more than a limited grant of its own."""
        limited = [
            (c, item)
            for c in self.contacts.values()
            for item in oracle_holds(ContactActor(c), self.now)
            if item[1] is not ALL or item[2] is not None
        ]
        if not limited:
            return
        contact, item = pick(data, limited, "contact and item")
        actor = ContactActor(contact)
        access = Access(grants=(self.stretch(data, item),))
        details = ContactDetails(name="O", email="o@example.com")
        request = NewContact(ContactId(self.new_id("o")), contact.client_id, details, access)
        expected = oracle_may_manage(actor, contact.client_id, self.now) and self.covered(
            actor, access
        )
        try:
            created = create_contact(actor, request, self.now)
        except PermissionDeniedError:
            assert not expected
            return
        assert expected
        self.contacts[created.id] = created
        self.home[created.id] = contact.client_id
        self.record(created, actor, None)

    def covered(self, actor, access: Access, kept: Contact | None = None) -> bool:
        old = set() if kept is None else {*kept.rights, *kept.grants}
        held = oracle_holds(actor, self.now)
        new_items = [
            item
            for key, item in zip(
                [*access.names, *access.grants],
                items_of(access.names, access.grants),
                strict=True,
            )
            if key not in old
        ]
        return all(oracle_covers(held, item) for item in new_items)

    @rule(data=st.data())
    def invite_and_send(self, data):
        actor = self.draw_actor(data)
        client = self.draw_client(data, actor)
        access = self.draw_access(data, actor)
        request = NewInvitation(InvitationId(self.new_id("i")), client, "x@example.com", access)
        try:
            invitation = invite(actor, request, self.now)
        except PermissionDeniedError:
            assert not (oracle_may_manage(actor, client, self.now) and self.covered(actor, access))
            return
        assert oracle_may_manage(actor, client, self.now)
        assert self.covered(actor, access)
        hours = data.draw(st.integers(1, 200), label="valid hours")
        self.invitations[invitation.id] = send(invitation, self.now, timedelta(hours=hours))

    def current(self, ref: str):
        kind, _, key = ref.partition(":")
        if kind == "owner":
            return OwnerActor(ClientId(key))
        if kind == "staff":
            return STAFF
        return ContactActor(self.contacts[key]) if key in self.contacts else None

    @rule(data=st.data())
    def answer(self, data):
        if not self.invitations:
            return
        key = pick(data, sorted(self.invitations), "invitation")
        invitation = self.invitations[key]
        try:
            if data.draw(st.booleans(), label="accept"):
                inviter = self.current(invitation.invited_by)
                done = accept(
                    invitation,
                    inviter,
                    ContactId(self.new_id("k")),
                    ContactDetails(name="I", email="x@example.com"),
                    self.now,
                )
                self.invitations[key] = done.invitation
                self.contacts[done.contact.id] = done.contact
                self.home[done.contact.id] = invitation.client_id
                self.record(done.contact, inviter or ContactActor(_nobody()), None)
            else:
                self.invitations[key] = reject(invitation, self.now)
        except InvalidTransitionError:
            lapsed = invitation.expires_at is not None and self.now >= invitation.expires_at
            assert lapsed or invitation.answered_at is not None

    @rule(data=st.data())
    def edit(self, data):
        if not self.contacts:
            return
        actor = self.draw_actor(data)
        target = self.contacts[pick(data, sorted(self.contacts), "target")]
        access = self.draw_access(data, actor)
        active = data.draw(st.none() | st.booleans(), label="active")
        expected = (
            oracle_may_manage(actor, target.client_id, self.now)
            and oracle_dominates(actor, target, self.now)
            and self.covered(actor, access, target)
        )
        try:
            edited = edit_contact(
                actor, target, ContactEdit(access=access, active=active), self.now
            )
        except PermissionDeniedError:
            assert not expected
            return
        assert expected
        self.contacts[edited.id] = edited
        self.record(edited, actor, target)

    @rule(data=st.data())
    def remove(self, data):
        if not self.contacts:
            return
        actor = self.draw_actor(data)
        target = self.contacts[pick(data, sorted(self.contacts), "target")]
        expected = oracle_may_manage(actor, target.client_id, self.now) and oracle_dominates(
            actor, target, self.now
        )
        try:
            remove_contact(actor, target, self.now)
        except PermissionDeniedError:
            assert not expected
            return
        assert expected
        del self.contacts[target.id]
        for key in [k for k in self.ledger if k[0] == target.id]:
            del self.ledger[key]

    @rule(minutes=st.integers(1, 4000))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)

    @rule(data=st.data())
    def probe_decisions(self, data):
        for _ in range(2):
            actor = self.draw_actor(data)
            action = data.draw(ACTIONS, label="action")
            client = self.draw_client(data, actor)
            resource_id = pick(data, (None, *SERVICES), "id")
            rule_ = RULES[action]
            decision = decide(actor, action, Resource(rule_.kind, client, resource_id), self.now)
            if decision.allowed and not isinstance(actor, StaffActor):
                assert client == actor.client_id
            if decision.allowed and isinstance(actor, ContactActor):
                scoped = rule_.kind in (ResourceKind.SERVICE, ResourceKind.DOMAIN)
                assert any(
                    r is rule_.right and (s is ALL or (scoped and resource_id in s))
                    for r, s, _ in oracle_holds(actor, self.now)
                )

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def every_access_held_was_covered_by_its_granter(self):
        for contact in self.contacts.values():
            for key in (*contact.rights, *contact.grants):
                assert (contact.id, key) in self.ledger, (contact.id, key)

    @invariant()
    def contacts_stay_with_their_client(self):
        for contact in self.contacts.values():
            assert contact.client_id == self.home[contact.id]


def _nobody() -> Contact:
    return Contact(
        ContactId("nobody"), ClientId("none"), ContactDetails("-", "-@example.com"), active=False
    )


Delegation.TestCase.settings = settings(Delegation.TestCase.settings, stateful_step_count=20)
TestDelegation = Delegation.TestCase
