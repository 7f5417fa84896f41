"""Implausible contact details: no phone, a name that is the email, a malformed postcode."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import points

__all__ = ["POSTCODE_PATTERNS", "ContactDetailsSignal"]

#: Postcode formats by country (ISO 3166 alpha-2), matched in full against the upper-cased
#: postcode. Countries not listed are not checked.
POSTCODE_PATTERNS: Mapping[str, str] = {
    "AT": r"\d{4}",
    "AU": r"\d{4}",
    "BE": r"\d{4}",
    "BR": r"\d{5}-?\d{3}",
    "CA": r"[A-Z]\d[A-Z] ?\d[A-Z]\d",
    "CH": r"\d{4}",
    "CZ": r"\d{3} ?\d{2}",
    "DE": r"\d{5}",
    "DK": r"\d{4}",
    "ES": r"\d{5}",
    "FI": r"\d{5}",
    "FR": r"\d{5}",
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}",
    "IN": r"\d{6}",
    "IT": r"\d{5}",
    "JP": r"\d{3}-?\d{4}",
    "MX": r"\d{5}",
    "NL": r"\d{4} ?[A-Z]{2}",
    "NO": r"\d{4}",
    "NZ": r"\d{4}",
    "PL": r"\d{2}-\d{3}",
    "PT": r"\d{4}-\d{3}",
    "SE": r"\d{3} ?\d{2}",
    "US": r"\d{5}(-\d{4})?",
}


def _patterns(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    pairs = dict(value.items() if isinstance(value, Mapping) else value)
    for country, pattern in pairs.items():
        if not isinstance(country, str) or len(country) != 2 or not country.isupper():
            raise ValidationError("postcode_patterns", country, "an ISO 3166 alpha-2 code")
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            raise ValidationError(
                f"postcode_patterns.{country}", pattern, f"not a regular expression: {error}"
            ) from None
    return tuple(sorted(pairs.items()))


@attrs.frozen
class ContactDetailsSignal:
    """Points for contact details that look made up.

    - ``contact_details.missing_phone``: no phone number (blank).
    - ``contact_details.name_is_email``: the name is the email address or its local part.
    - ``contact_details.postcode``: the postcode does not fit the address country's format
      (a blank postcode fits no format); countries without a pattern are not checked.

    Attributes:
        postcode_patterns: ``{country: regex}``, by default :data:`POSTCODE_PATTERNS`.
    """

    name: ClassVar[str] = "contact_details"
    missing_phone_points: int = attrs.field(default=5, validator=points)
    name_is_email_points: int = attrs.field(default=10, validator=points)
    postcode_points: int = attrs.field(default=10, validator=points)
    postcode_patterns: tuple[tuple[str, str], ...] = attrs.field(
        default=tuple(sorted(POSTCODE_PATTERNS.items())), converter=_patterns
    )
    _compiled: Mapping[str, re.Pattern[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        compiled = {country: re.compile(p) for country, p in self.postcode_patterns}
        object.__setattr__(self, "_compiled", compiled)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """Up to three contributions, one per implausible detail."""
        details = context.client.details
        found: list[Contribution] = []
        if not details.phone.strip():
            found.append(
                Contribution(
                    "contact_details.missing_phone",
                    self.missing_phone_points,
                    "the client gave no phone number",
                )
            )
        name = details.name.strip().lower()
        email = context.email
        if name and name in (email, email.partition("@")[0]):
            found.append(
                Contribution(
                    "contact_details.name_is_email",
                    self.name_is_email_points,
                    f"the client's name {details.name!r} is their email address",
                    (("name", details.name),),
                )
            )
        postcode = self._bad_postcode(context)
        if postcode is not None:
            found.append(postcode)
        return tuple(found)

    def _bad_postcode(self, context: FraudContext) -> Contribution | None:
        address = context.client.details.address
        pattern = self._compiled.get(address.country)
        if pattern is None or pattern.fullmatch(address.postcode.strip().upper()):
            return None
        return Contribution(
            "contact_details.postcode",
            self.postcode_points,
            f"postcode {address.postcode!r} does not fit the format of {address.country}",
            (("postcode", address.postcode), ("country", address.country)),
        )
