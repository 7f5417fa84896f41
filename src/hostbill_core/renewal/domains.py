"""Multi-domain renewal: several domains, each for some years, counted from its current expiry.

A client picks domains and a period in years for each (as in a customer portal's "Domain
Renewals" page). For every domain the quote gives the days until expiry, the new expiry and the
price:

- The new expiry is the current expiry plus the years (a calendar year clamps 29 February to
  28 February), never today plus the years: renewing early loses no days.
- A domain is active before its expiry date and expired from that date on.
- Expired but within the grace period (``grace_days`` from the expiry), it renews from the old
  expiry at the normal price.
- In the redemption period that follows (``redemption_days``), the restore fee is added.
- Past redemption the domain is refused: it must be registered again.
- A renewal may not take the expiry more than ``max_years`` (10) years past today.

The current expiry is the service's ``expires_on``, or its next due date when that is unset.
Prices are the pricing engine's business: the request carries a ``price`` callable
(service, years) → Money; without it the service's ``price_override`` is used as the price
of one cycle (a year cycle; ``years`` must be whole cycles).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, timedelta

import attrs
from moneyed import Money

from hostbill_core.calendar import CycleUnit, add_months
from hostbill_core.errors import InvalidTransitionError, ValidationError
from hostbill_core.model.checks import calendar_date
from hostbill_core.model.ids import ServiceId
from hostbill_core.model.services import Service, ServiceStatus
from hostbill_core.money import sum_money
from hostbill_core.renewal._checks import show_money
from hostbill_core.renewal.renew import RenewalPayment, RenewalResult, renew_on_payment

__all__ = [
    "DomainPrice",
    "DomainRenewal",
    "DomainRenewalLine",
    "DomainRenewalQuote",
    "DomainRenewalRequest",
    "DomainState",
    "DomainTerms",
    "apply_domain_renewal",
    "quote_domain_renewals",
]

DomainPrice = Callable[[Service, int], Money]
"""The price of renewing a domain service for a number of years."""


def _whole(low: int, high: int) -> Callable[[object, attrs.Attribute[int], object], None]:
    def check(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(attribute.name, value, f"a whole number from {low} to {high}")

    return check


@attrs.frozen
class DomainTerms:
    """A registry's renewal terms.

    Attributes:
        grace_days: days after expiry a domain still renews at the normal price.
        redemption_days: days after the grace period it can be restored, for a fee.
        restore_fee: the fee for a renewal in redemption (None: refused in redemption).
        max_years: how far past today an expiry may reach (ICANN: 10 years).
    """

    grace_days: int = attrs.field(default=30, validator=_whole(0, 365))
    redemption_days: int = attrs.field(default=30, validator=_whole(0, 365))
    restore_fee: Money | None = None
    max_years: int = attrs.field(default=10, validator=_whole(1, 100))


class DomainState(enum.Enum):
    """Where a domain is in its expiry: active, in grace, or in redemption."""

    ACTIVE = "active"
    GRACE = "grace"
    REDEMPTION = "redemption"


@attrs.frozen
class DomainRenewal:
    """One domain to renew, and for how many years (1–10)."""

    service: Service
    years: int = attrs.field(validator=_whole(1, 10))


@attrs.frozen
class DomainRenewalRequest:
    """A multi-domain renewal: the domains, the day asked, the terms and the price source."""

    items: tuple[DomainRenewal, ...]
    today: date = attrs.field(validator=calendar_date)
    terms: DomainTerms = DomainTerms()
    price: DomainPrice | None = None


@attrs.frozen
class DomainRenewalLine:
    """One domain's renewal: its dates, its price and how they were found.

    Attributes:
        days_until_expiry: days from the request's day to the current expiry (negative once
            expired).
        due_date: the service's next due date, the renewal a payment of this line pays.
        cycles: the service's billing cycles the years amount to (for the payment).
        total: ``price`` plus the restore fee, if any.
    """

    service_id: ServiceId
    name: str
    years: int
    state: DomainState
    current_expiry: date
    days_until_expiry: int
    new_expiry: date
    due_date: date
    cycles: int
    price: Money
    restore_fee: Money | None
    total: Money
    explanation: str


@attrs.frozen
class DomainRenewalQuote:
    """Every domain's line and the total of the request (one currency)."""

    lines: tuple[DomainRenewalLine, ...]
    total: Money


def quote_domain_renewals(request: DomainRenewalRequest) -> DomainRenewalQuote:
    """Quote a multi-domain renewal: per domain, days until expiry, new expiry and price.

    Raises:
        ValidationError: no domains, a domain listed twice, a domain past redemption (or in
            redemption without a restore fee), a new expiry beyond ``max_years`` from today,
            or no price (field ``items[i]...``).
        InvalidTransitionError: a domain service that is not active or suspended.
        CurrencyMismatchError: prices or fees in different currencies.
    """
    if not request.items:
        raise ValidationError("items", request.items, "list one domain or more")
    seen: set[ServiceId] = set()
    lines = []
    for i, item in enumerate(request.items):
        if item.service.id in seen:
            raise ValidationError(f"items[{i}]", item.service.id, "a domain is listed once")
        seen.add(item.service.id)
        lines.append(_line(i, item, request))
    currency = lines[0].total.currency.code
    return DomainRenewalQuote(tuple(lines), sum_money((ln.total for ln in lines), currency))


def _state(i: int, service: Service, expiry: date, today: date, terms: DomainTerms) -> DomainState:
    grace_end = expiry + timedelta(days=terms.grace_days)
    redemption_end = grace_end + timedelta(days=terms.redemption_days)
    if today < expiry:
        return DomainState.ACTIVE
    if today < grace_end:
        return DomainState.GRACE
    if today < redemption_end and terms.restore_fee is not None:
        return DomainState.REDEMPTION
    reason = (
        f"expired {expiry.isoformat()}; redemption ended {redemption_end.isoformat()}: "
        "register it again"
        if today >= redemption_end
        else f"in redemption since {grace_end.isoformat()} and these terms have no restore fee"
    )
    raise ValidationError(f"items[{i}].service", service.name or service.id, reason)


def _line(i: int, item: DomainRenewal, request: DomainRenewalRequest) -> DomainRenewalLine:
    service, years, today, terms = item.service, item.years, request.today, request.terms
    if service.status not in (ServiceStatus.ACTIVE, ServiceStatus.SUSPENDED):
        raise InvalidTransitionError(
            "domain renewal", service.status.value, "renewed", ("active", "suspended")
        )
    expiry = service.expires_on or service.next_due_date
    state = _state(i, service, expiry, today, terms)
    new_expiry = _new_expiry(i, expiry, years, today, terms)
    cycles = _cycles(i, service, years)
    price = request.price(service, years) if request.price else _override(i, service, cycles)
    fee = terms.restore_fee if state is DomainState.REDEMPTION else None
    total = sum_money((price,) if fee is None else (price, fee), price.currency)
    days = (expiry - today).days
    text = (
        f"{service.name or service.id}: {state.value}, expires {expiry.isoformat()} "
        f"({days} days from {today.isoformat()}); + {years} years from the current expiry "
        f"= {new_expiry.isoformat()}; price {show_money(price)}"
        + (f" + restore fee {show_money(fee)}" if fee is not None else "")
    )
    return DomainRenewalLine(
        service.id, service.name, years, state, expiry, days, new_expiry,
        service.next_due_date, cycles, price, fee, total, text,
    )  # fmt: skip


def _new_expiry(i: int, expiry: date, years: int, today: date, terms: DomainTerms) -> date:
    new_expiry = add_months(expiry, 12 * years)
    cap = add_months(today, 12 * terms.max_years)
    if new_expiry > cap:
        raise ValidationError(
            f"items[{i}].years",
            years,
            f"{expiry.isoformat()} + {years} years = {new_expiry.isoformat()} is more than "
            f"{terms.max_years} years ahead (latest {cap.isoformat()})",
        )
    return new_expiry


def _cycles(i: int, service: Service, years: int) -> int:
    cycle = service.cycle
    if cycle.unit is CycleUnit.YEAR and years % cycle.count == 0:
        return years // cycle.count
    if cycle.unit is CycleUnit.MONTH and (12 * years) % cycle.count == 0:
        return 12 * years // cycle.count
    raise ValidationError(
        f"items[{i}].years", years, f"{years} years is not a whole number of {cycle} cycles"
    )


def _override(i: int, service: Service, cycles: int) -> Money:
    if service.price_override is None:
        raise ValidationError(
            f"items[{i}].price", None, "no price: pass price= or set the service's price_override"
        )
    return service.price_override * cycles


def apply_domain_renewal(service: Service, line: DomainRenewalLine, paid_on: date) -> RenewalResult:
    """Apply a paid domain renewal line: the due date moves, the expiry becomes the new one.

    The due date moves ``line.cycles`` cycles from ``line.due_date`` through
    :func:`~hostbill_core.renewal.renew_on_payment`, so paying the same line twice changes
    nothing the second time; ``expires_on`` is set to the line's new expiry.

    Raises:
        ValidationError: the line is for another service.
    """
    if line.service_id != service.id:
        raise ValidationError("line", line.service_id, f"the line is not for service {service.id}")
    result = renew_on_payment(RenewalPayment(service, line.due_date, paid_on, line.cycles))
    if not result.applied:
        return result
    renewed = attrs.evolve(result.service, expires_on=line.new_expiry)
    text = f"{result.explanation}; expires_on {line.current_expiry} → {line.new_expiry}"
    return attrs.evolve(result, service=renewed, explanation=text)
