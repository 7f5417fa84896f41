import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.signals import EmailDomainSignal, builtin_domains

from ..factories import make_client, make_context


def context_for(email):
    return make_context(client=make_client(email=email))


def test_the_shipped_lists_load_from_package_data():
    free, disposable = builtin_domains("free"), builtin_domains("disposable")
    assert {"gmail.com", "outlook.com", "yahoo.com"} <= free
    assert {"mailinator.com", "yopmail.com", "guerrillamail.com"} <= disposable
    assert not free & disposable
    assert all(d == d.strip().lower() and "." in d for d in free | disposable)


def test_unknown_list_kind_is_refused():
    with pytest.raises(ValidationError):
        builtin_domains("paid")


def test_a_disposable_domain_contributes_30():
    (found,) = EmailDomainSignal().evaluate(context_for("Zed@Mailinator.com"))
    assert (found.name, found.points) == ("email_domain.disposable", 30)
    assert found.reason == "mailinator.com is a disposable (throw-away) email domain"


def test_a_free_mail_domain_contributes_5():
    (found,) = EmailDomainSignal().evaluate(context_for("ann@gmail.com"))
    assert (found.name, found.points) == ("email_domain.free", 5)
    assert found.reason == "gmail.com is a free-mail email domain"


def test_subdomains_of_a_listed_domain_match_it():
    (found,) = EmailDomainSignal().evaluate(context_for("x@eu.mailinator.com"))
    assert found.data == (("domain", "eu.mailinator.com"), ("listed", "mailinator.com"))


def test_a_business_domain_contributes_nothing():
    assert EmailDomainSignal().evaluate(context_for("ann@shop.example")) == ()


def test_extra_domains_extend_the_shipped_lists():
    signal = EmailDomainSignal(extra_disposable=["burner.example"], extra_free=["isp.example"])
    assert signal.evaluate(context_for("a@burner.example"))[0].name == "email_domain.disposable"
    assert signal.evaluate(context_for("a@isp.example"))[0].name == "email_domain.free"
    assert signal.evaluate(context_for("a@gmail.com"))[0].name == "email_domain.free"


def test_the_shipped_lists_can_be_switched_off():
    signal = EmailDomainSignal(use_builtin_lists=False, extra_free=["isp.example"])
    assert signal.evaluate(context_for("a@gmail.com")) == ()


def test_extra_domains_are_lower_case_names():
    with pytest.raises(ValidationError) as error:
        EmailDomainSignal(extra_free=["Gmail.com"])
    assert error.value.field == "extra_free"
    with pytest.raises(ValidationError, match="a list of"):
        EmailDomainSignal(extra_disposable="x.example")  # type: ignore[arg-type]


def test_use_builtin_lists_is_a_bool():
    with pytest.raises(ValidationError):
        EmailDomainSignal(use_builtin_lists=1)  # type: ignore[arg-type]
