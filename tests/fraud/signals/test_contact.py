import pytest

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.signals import POSTCODE_PATTERNS, ContactDetailsSignal

from ..factories import make_client, make_context


def names(client):
    return [
        (c.name, c.points) for c in ContactDetailsSignal().evaluate(make_context(client=client))
    ]


def test_plausible_details_contribute_nothing():
    assert names(make_client()) == []


def test_a_missing_phone_contributes_5():
    assert names(make_client(phone="  ")) == [("contact_details.missing_phone", 5)]


@pytest.mark.parametrize("name", ["ann@shop.example", "ANN@shop.example", "ann"])
def test_a_name_equal_to_the_email_or_its_local_part_contributes_10(name):
    assert names(make_client(name=name)) == [("contact_details.name_is_email", 10)]


@pytest.mark.parametrize(
    ("country", "postcode"),
    [("GB", "12345"), ("US", "ABCDE"), ("DE", "1011"), ("NL", "1012"), ("GB", "")],
)
def test_a_postcode_not_fitting_the_country_contributes_10(country, postcode):
    client = make_client(country=country, postcode=postcode)
    (found,) = ContactDetailsSignal().evaluate(make_context(client=client))
    assert (found.name, found.points) == ("contact_details.postcode", 10)
    assert found.reason == f"postcode {postcode!r} does not fit the format of {country}"


@pytest.mark.parametrize(
    ("country", "postcode"),
    [("GB", "sw1a 1aa"), ("US", "94105-1234"), ("NL", "1012AB"), ("CA", "M5V 2T6"), ("ZZ", "?")],
)
def test_fitting_postcodes_and_unlisted_countries_contribute_nothing(country, postcode):
    assert names(make_client(country=country, postcode=postcode)) == []


def test_every_shipped_pattern_compiles_and_has_a_country_code():
    assert ContactDetailsSignal().postcode_patterns == tuple(sorted(POSTCODE_PATTERNS.items()))


def test_patterns_are_checked():
    with pytest.raises(ValidationError) as error:
        ContactDetailsSignal(postcode_patterns={"XX": "("})
    assert error.value.field == "postcode_patterns.XX"
    with pytest.raises(ValidationError):
        ContactDetailsSignal(postcode_patterns={"xx": r"\d"})
