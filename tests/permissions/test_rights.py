import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.permissions import (
    BILLING_DEPARTMENT,
    FULL_ACCESS,
    ROLE_TEMPLATES,
    RULES,
    WEB_DEVELOPER,
    Action,
    Area,
    Right,
    closure,
    parse_right,
    parse_rights,
    rights_from_whmcs,
)


def test_right_values_are_the_storage_format_and_never_change():
    assert [r.value for r in Right] == [
        "modify_profile",
        "manage_contacts",
        "view_services",
        "manage_services",
        "view_service_passwords",
        "single_sign_on",
        "view_domains",
        "manage_domains",
        "view_invoices",
        "pay_invoices",
        "quotes",
        "tickets",
        "affiliate",
        "view_emails",
        "place_orders",
        "manage_payment_methods",
        "credit",
    ]


def test_every_right_opens_an_area_and_every_area_has_a_right():
    assert {r.area for r in Right} == set(Area)


def test_only_service_and_domain_rights_are_per_service():
    assert {r for r in Right if r.per_service} == {
        Right.VIEW_SERVICES,
        Right.MANAGE_SERVICES,
        Right.VIEW_SERVICE_PASSWORDS,
        Right.SINGLE_SIGN_ON,
        Right.VIEW_DOMAINS,
        Right.MANAGE_DOMAINS,
    }


def test_closure_adds_implied_rights_and_keeps_the_rest():
    assert closure([Right.MANAGE_DOMAINS, Right.TICKETS]) == {
        Right.MANAGE_DOMAINS,
        Right.VIEW_DOMAINS,
        Right.TICKETS,
    }
    assert closure([]) == frozenset()


def test_implied_rights_stay_in_the_same_area():
    for right in Right:
        assert all(implied.area is right.area for implied in right.implies)


def test_parse_right_names_the_field_and_lists_valid_names():
    assert parse_right("tickets") is Right.TICKETS
    with pytest.raises(ValidationError) as caught:
        parse_right("billing", "rights[3]")
    assert caught.value.field == "rights[3]"
    assert "view_invoices" in caught.value.reason


def test_parse_rights_reports_the_index_of_the_bad_name():
    assert parse_rights(["tickets", "quotes"]) == {Right.TICKETS, Right.QUOTES}
    with pytest.raises(ValidationError) as caught:
        parse_rights(["tickets", "nope"])
    assert caught.value.field == "rights[1]"


def test_seed_role_templates():
    # Billing department: pays invoices and places new orders (seeing the invoices it pays).
    assert BILLING_DEPARTMENT.names == ("pay_invoices", "place_orders", "view_invoices")
    # Web developer: sees services and uses tickets; nothing about billing.
    assert WEB_DEVELOPER.names == ("tickets", "view_services")
    assert not {r.area for r in WEB_DEVELOPER.rights} & {Area.INVOICES, Area.CREDIT, Area.ORDERS}
    assert FULL_ACCESS.rights == frozenset(Right)
    assert set(ROLE_TEMPLATES) == {
        "billing_department",
        "web_developer",
        "technical_contact",
        "full_access",
    }


def test_whmcs_permissions_translate_with_their_reach():
    assert rights_from_whmcs(["invoices"]) == {
        Right.VIEW_INVOICES,
        Right.PAY_INVOICES,
        Right.CREDIT,
    }
    assert rights_from_whmcs(
        [
            "profile",
            "contacts",
            "products",
            "manageproducts",
            "productsso",
            "domains",
            "managedomains",
            "invoices",
            "quotes",
            "tickets",
            "affiliates",
            "emails",
            "orders",
        ]
    ) == frozenset(Right) - {Right.MANAGE_PAYMENT_METHODS}


def test_unknown_whmcs_permission_is_refused():
    with pytest.raises(ValidationError) as caught:
        rights_from_whmcs(["tickets", "billing"])
    assert caught.value.field == "permissions[1]"


def test_every_action_has_a_rule():
    assert set(RULES) == set(Action)
