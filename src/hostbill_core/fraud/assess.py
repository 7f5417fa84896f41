"""Scoring: run the configured signals over a context, total, decide, explain.

>>> from hostbill_core.fraud.synthetic import example_context
>>> assessment = assess(example_context(), default_config())
>>> assessment.score, assessment.decision
(40, <Decision.REVIEW: 'review'>)
>>> print(assessment.explanation)
order o-1: score 40/100 → REVIEW (review at 30, reject at 70)
   +30  email_domain.disposable: mailinator.com is a disposable (throw-away) email domain
   +10  product_risk.vps: the order includes 1 vps item(s), a product type listed as risky
  forced: product_risk.vps → at least REVIEW
"""

from __future__ import annotations

import ipaddress

import attrs

from hostbill_core.fraud.config import FraudConfig, HardRule, SkipRules, Thresholds, default_config
from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution, Decision
from hostbill_core.fraud.signals import ACCEPTED_STATUSES
from hostbill_core.model import OrderId, OrderStatus

__all__ = ["Assessment", "assess", "skip_reason"]


@attrs.frozen
class Assessment:
    """The result of scoring one order.

    Attributes:
        score: the total of the contributions' points, clamped to 0–100.
        raw_total: the total before clamping (may be below 0 or above 100).
        decision: from the thresholds, raised by any hard rule that matched.
        contributions: every contribution, heaviest first (by absolute points, then name).
        forced_by: the hard rules that matched, in configuration order.
        skipped_by: why scoring was skipped (``""`` when it was not); a skipped order is
            accepted with score 0 and no contributions.
        thresholds: the thresholds the decision was taken with.
    """

    order_id: OrderId
    score: int
    raw_total: int
    decision: Decision
    contributions: tuple[Contribution, ...]
    thresholds: Thresholds
    forced_by: tuple[HardRule, ...] = ()
    skipped_by: str = ""

    @property
    def flagged(self) -> bool:
        """True when the order needs attention (REVIEW or REJECT)."""
        return self.decision is not Decision.ACCEPT

    @property
    def explanation(self) -> str:
        """Why the order got its decision, one line per contribution and hard rule."""
        head = (
            f"order {self.order_id}: score {self.score}/100 → {self.decision.name} "
            f"(review at {self.thresholds.review}, reject at {self.thresholds.reject})"
        )
        if self.skipped_by:
            return f"{head}\n  not scored: {self.skipped_by}"
        lines = [head]
        if self.raw_total != self.score:
            lines.append(f"  points total {self.raw_total}, clamped to {self.score}")
        lines.extend(f"  {c.points:+4d}  {c.name}: {c.reason}" for c in self.contributions)
        lines.extend(
            f"  forced: {rule.match} → at least {rule.decision.name}" for rule in self.forced_by
        )
        if len(lines) == 1:
            lines.append("  no signal fired")
        return "\n".join(lines)


def _weight(contribution: Contribution) -> tuple[int, int, str, str]:
    return (-abs(contribution.points), -contribution.points, contribution.name, contribution.reason)


def assess(context: FraudContext, config: FraudConfig | None = None) -> Assessment:
    """Score ``context`` with ``config`` (the default configuration when None).

    The same context and configuration always give the same assessment: signals are pure,
    contributions are sorted by a total order, and no clock is read.
    """
    config = config or default_config()
    order = context.order
    skipped = skip_reason(context, config.skip)
    if skipped:
        return Assessment(order.id, 0, 0, Decision.ACCEPT, (), config.thresholds, (), skipped)
    found: list[Contribution] = []
    for signal in config.signals:
        found += signal.evaluate(context)
    raw = sum([c.points for c in found])
    score = 0 if raw < 0 else min(raw, 100)
    decision = config.thresholds.decide(score)
    forced = _forced(config.hard_rules, found)
    for rule in forced:
        decision = Decision.most_severe(decision, rule.decision)
    if len(found) > 1:
        found.sort(key=_weight)
    return Assessment(order.id, score, raw, decision, tuple(found), config.thresholds, forced)


def _forced(rules: tuple[HardRule, ...], found: list[Contribution]) -> tuple[HardRule, ...]:
    if not rules or not found:
        return ()
    return tuple(rule for rule in rules if any(rule.matches(c) for c in found))


def skip_reason(context: FraudContext, skip: SkipRules) -> str:
    """Why ``context`` is accepted unscored under ``skip``, or ``""`` when it is scored."""
    order = context.order
    if skip.admin_orders and order.placed_by_admin:
        return "placed by staff (admin-placed orders are not scored)"
    if skip.allowed_ips:
        address = ipaddress.ip_address(order.ip)
        for network in skip.allowed_ips:
            if address.version == network.version and address in network:
                return f"IP {order.ip} is in the allow-listed network {network}"
    if skip.trusted_after is not None:
        return _trusted(context, skip.trusted_after)
    return ""


def _trusted(context: FraudContext, needed: int) -> str:
    past = context.earlier.distinct()
    if any(p.status is OrderStatus.REJECTED for p in past):
        return ""
    accepted = sum(1 for p in context.earlier.by_client if p.status in ACCEPTED_STATUSES)
    if accepted < needed:
        return ""
    return f"returning customer with {accepted} accepted orders and none rejected"
