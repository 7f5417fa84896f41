"""Email domain: free-mail and disposable (throw-away) addresses.

The built-in lists ship as package data (``hostbill_core/fraud/data/*.txt``, one domain a
line) and are read once, on first use; a configuration adds its own domains to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import ClassVar

import attrs

from hostbill_core.errors import ValidationError
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution
from hostbill_core.fraud.signals.points import flag, points

__all__ = ["EmailDomainSignal", "builtin_domains"]

_LISTS = {"free": "free_email_domains.txt", "disposable": "disposable_email_domains.txt"}


@cache
def builtin_domains(kind: str) -> frozenset[str]:
    """The shipped list of ``"free"`` or ``"disposable"`` email domains, lower-case.

    Raises:
        ValidationError: ``kind`` is neither.
    """
    if kind not in _LISTS:
        raise ValidationError("kind", kind, "'free' or 'disposable'")
    text = files("hostbill_core.fraud").joinpath("data", _LISTS[kind]).read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _domains(field: str, value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(field, value, "a list of domains, e.g. ['example.com']")
    found = tuple(value)
    for domain in found:
        if not isinstance(domain, str) or not domain or domain != domain.strip().lower():
            raise ValidationError(field, domain, "a lower-case domain such as 'example.com'")
    return frozenset(found)


def _extra_free(value: Iterable[str]) -> frozenset[str]:
    return _domains("extra_free", value)


def _extra_disposable(value: Iterable[str]) -> frozenset[str]:
    return _domains("extra_disposable", value)


def _listed(domain: str, listed: frozenset[str]) -> str:
    """The listed domain that ``domain`` is or belongs to, or ``""``.

    ``a.b.example.com`` is checked as itself, ``b.example.com``, ``example.com`` and ``com``.
    """
    while True:
        if domain in listed:
            return domain
        dot = domain.find(".")
        if dot < 0:
            return ""
        domain = domain[dot + 1 :]


@attrs.frozen
class EmailDomainSignal:
    """Points when the client's email domain (or a parent domain) is listed.

    A disposable domain gives ``email_domain.disposable``; otherwise a free-mail domain gives
    ``email_domain.free``; never both.

    Attributes:
        extra_free: domains added to the shipped free-mail list.
        extra_disposable: domains added to the shipped disposable list.
        use_builtin_lists: False uses only the extra domains.
    """

    name: ClassVar[str] = "email_domain"
    free_points: int = attrs.field(default=5, validator=points)
    disposable_points: int = attrs.field(default=30, validator=points)
    extra_free: frozenset[str] = attrs.field(default=frozenset(), converter=_extra_free)
    extra_disposable: frozenset[str] = attrs.field(default=frozenset(), converter=_extra_disposable)
    use_builtin_lists: bool = attrs.field(default=True, validator=flag)
    _free: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    _disposable: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        builtin = self.use_builtin_lists
        free = builtin_domains("free") if builtin else frozenset()
        disposable = builtin_domains("disposable") if builtin else frozenset()
        object.__setattr__(self, "_free", free | self.extra_free)
        object.__setattr__(self, "_disposable", disposable | self.extra_disposable)

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """At most one contribution: disposable, else free."""
        domain = context.email.rpartition("@")[2]
        listed = _listed(domain, self._disposable)
        if listed:
            return (self._found("disposable", self.disposable_points, domain, listed),)
        listed = _listed(domain, self._free)
        if listed:
            return (self._found("free", self.free_points, domain, listed),)
        return ()

    def _found(self, kind: str, pts: int, domain: str, listed: str) -> Contribution:
        words = "a disposable (throw-away)" if kind == "disposable" else "a free-mail"
        return Contribution(
            f"email_domain.{kind}",
            pts,
            f"{domain} is {words} email domain",
            (("domain", domain), ("listed", listed)),
        )
