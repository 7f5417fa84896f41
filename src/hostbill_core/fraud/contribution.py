"""What a signal returns (a :class:`Contribution`) and what an assessment decides."""

from __future__ import annotations

import enum

import attrs

__all__ = ["Contribution", "Decision"]


class Decision(enum.Enum):
    """The outcome of an assessment, from least to most severe.

    ``severity`` orders them: ACCEPT (0) < REVIEW (1) < REJECT (2).
    """

    ACCEPT = "accept"
    REVIEW = "review"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        """0 for ACCEPT, 1 for REVIEW, 2 for REJECT."""
        return _SEVERITY[self]

    @classmethod
    def most_severe(cls, first: Decision, second: Decision) -> Decision:
        """The more severe of two decisions."""
        return first if first.severity >= second.severity else second


_SEVERITY = {Decision.ACCEPT: 0, Decision.REVIEW: 1, Decision.REJECT: 2}


@attrs.frozen
class Contribution:
    """One reason a signal gives for (or against) an order being fraudulent.

    Attributes:
        name: ``"<signal>"`` or ``"<signal>.<part>"``, e.g. ``"velocity.ip"``; hard rules
            match on it.
        points: whole score points on the 0–100 scale; negative points lower the risk
            (a good history).
        reason: one sentence a member of staff can read: what was seen and why it counts.
        data: the facts behind the reason as ``(key, value)`` pairs, for a panel or a log.
    """

    name: str
    points: int
    reason: str
    data: tuple[tuple[str, str | int], ...] = ()

    @property
    def signal(self) -> str:
        """The name of the signal that gave this contribution (the part before the dot)."""
        return self.name.partition(".")[0]
