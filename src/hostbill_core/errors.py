"""The errors hostbill_core raises, one family under :class:`HostbillError`.

Every error carries a stable ``code`` (a class attribute a panel can map to its own messages),
structured fields, and a message that says what was wrong and what would be right. Each one also
subclasses the builtin exception a caller who does not know our tree would catch, so
``except ValueError`` still works.

The tree::

    HostbillError (Exception)
    ├── ValidationError (ValueError)          field, value, reason
    ├── CurrencyMismatchError (ValueError)    expected, actual
    ├── NotFoundError (LookupError)           kind, key
    ├── ConflictError (RuntimeError)          kind, key, reason
    ├── InvalidTransitionError (ValueError)   kind, current, target
    ├── PermissionDeniedError (PermissionError)  decision, reason
    └── ConfigurationError (ValueError)       setting, value, reason

Raising an error never changes storage: engines are pure, and use cases raise before a unit of
work commits, so the unit of work rolls back.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "ConfigurationError",
    "ConflictError",
    "CurrencyMismatchError",
    "HostbillError",
    "InvalidTransitionError",
    "NotFoundError",
    "PermissionDeniedError",
    "ValidationError",
]


class HostbillError(Exception):
    """The root of every error hostbill_core raises on purpose.

    ``code`` is stable across releases: match on it, not on the message.
    """

    code: ClassVar[str] = "hostbill_error"


class ValidationError(HostbillError, ValueError):
    """An input value is not acceptable.

    Args:
        field: the name (or dotted path) of the offending input, e.g. ``"amount"`` or
            ``"services[2].cycle"``.
        value: the value that was refused, as given.
        reason: what is wrong and what would be right, e.g. ``"floats are inexact: pass a
            Decimal, an int or a decimal string"``.
    """

    code: ClassVar[str] = "validation"

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}={value!r}: {reason}")


class CurrencyMismatchError(HostbillError, ValueError):
    """Two amounts that must share a currency do not.

    Args:
        expected: the currency code that was required.
        actual: the currency code that was given.
        context: what was being done, e.g. ``"invoice line"``.
    """

    code: ClassVar[str] = "currency_mismatch"

    def __init__(self, expected: str, actual: str, context: str = "") -> None:
        self.expected = expected
        self.actual = actual
        self.context = context
        where = f" in {context}" if context else ""
        super().__init__(f"currency {actual}{where} does not match {expected}: use {expected}")


class NotFoundError(HostbillError, LookupError):
    """Nothing is stored under a key.

    Args:
        kind: what was looked for, e.g. ``"client"``.
        key: the identifier or natural key that was asked for.
    """

    code: ClassVar[str] = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with key {key!r}")


class ConflictError(HostbillError, RuntimeError):
    """A write conflicts with what is stored: a stale version or a taken natural key.

    Args:
        kind: the aggregate kind, e.g. ``"invoice"``.
        key: its identifier or the natural key that is already taken.
        reason: what conflicted and what to do, e.g. ``"stored version is 3, the save
            carried 2: reload and retry"``.
    """

    code: ClassVar[str] = "conflict"

    def __init__(self, kind: str, key: object, reason: str) -> None:
        self.kind = kind
        self.key = key
        self.reason = reason
        super().__init__(f"{kind} {key!r}: {reason}")


class InvalidTransitionError(HostbillError, ValueError):
    """A state machine was asked for a move it does not allow.

    Args:
        kind: the machine, e.g. ``"service"`` or ``"invoice"``.
        current: the state it is in.
        target: the state that was asked for.
        allowed: the states reachable from ``current``.
    """

    code: ClassVar[str] = "invalid_transition"

    def __init__(
        self, kind: str, current: object, target: object, allowed: tuple[object, ...] = ()
    ) -> None:
        self.kind = kind
        self.current = current
        self.target = target
        self.allowed = allowed
        options = ", ".join(str(a) for a in allowed) or "none"
        super().__init__(
            f"{kind} cannot go from {current} to {target}; allowed from {current}: {options}"
        )


class PermissionDeniedError(HostbillError, PermissionError):
    """An actor may not do what it asked.

    Args:
        decision: the policy decision that refused it (whatever the permissions engine
            returned; kept so a portal can show the areas the actor may use).
        reason: why it was refused, in words a user can read.
    """

    code: ClassVar[str] = "permission_denied"

    def __init__(self, decision: object, reason: str) -> None:
        self.decision = decision
        self.reason = reason
        super().__init__(reason)


class ConfigurationError(HostbillError, ValueError):
    """A setting or a configuration document is not usable.

    Args:
        setting: the setting's name or path.
        value: the value found.
        reason: what is wrong and what would be right.
    """

    code: ClassVar[str] = "configuration"

    def __init__(self, setting: str, value: object, reason: str) -> None:
        self.setting = setting
        self.value = value
        self.reason = reason
        super().__init__(f"setting {setting}={value!r}: {reason}")
