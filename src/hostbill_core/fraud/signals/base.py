"""The signal protocol: a named object that reads a context and returns contributions."""

from __future__ import annotations

from typing import Protocol

from hostbill_core.fraud.context import FraudContext
from hostbill_core.fraud.contribution import Contribution

__all__ = ["Signal"]


class Signal(Protocol):
    """A pluggable fraud signal.

    A signal is a frozen value holding its own settings (its points, lists and windows). It
    must be pure: the same context gives the same contributions, and it reads nothing but the
    context. Contribution names start with the signal's ``name`` (``"velocity.ip"``).
    """

    @property
    def name(self) -> str:
        """The signal's name, unique in a configuration (``"velocity"``)."""
        ...

    def evaluate(self, context: FraudContext) -> tuple[Contribution, ...]:
        """The signal's contributions for ``context``; ``()`` when it has nothing to say."""
        ...
