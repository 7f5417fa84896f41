"""One cattrs converter for every model: JSON-safe, exact, and strict on the way in.

Text forms:

- ``Money``: ``"USD 10.00"`` (code, a space, the exact decimal amount as stored);
- ``Decimal``: its exact string (``"0.19"``); ``Fraction``: ``"12/31"``;
- ``date``: ISO (``"2026-01-31"``); ``datetime``: ISO with its offset, aware only;
- ``BillingCycle``: ISO 8601 duration (``"P1M"``); enums: their value.

>>> from decimal import Decimal
>>> from hostbill_core.money import to_money
>>> converter = make_converter()
>>> converter.unstructure(to_money("10.50", "EUR"))
'EUR 10.50'
>>> converter.structure("JPY 1200", Money)
Money('1200', 'JPY')
>>> converter.structure("10.5", Money)
Traceback (most recent call last):
...
hostbill_core.errors.ValidationError: $=...: write money as 'USD 10.00' ...

Structuring bad input raises :class:`~hostbill_core.errors.ValidationError` whose ``field`` is
the path to the first bad value (``$.lines[0].amount``), never a bare ``KeyError``/``TypeError``.

Reading is built for storage adapters that read models by the hundred thousand: each model is
structured by a function written for it once, which checks every value and builds the model
through its class, so every validator of the model runs on every read; an amount read again
is the same ``Money`` (its text was checked the first time). Anything that function refuses
is structured again through cattrs, which accepts it or names the bad value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

import cattrs
from cattrs.errors import BaseValidationError
from moneyed import Money

from hostbill_core._quick_codec import QuickCodec
from hostbill_core.calendar import BillingCycle
from hostbill_core.errors import HostbillError, ValidationError
from hostbill_core.money import currency_code, to_decimal

__all__ = ["HostbillConverter", "make_converter"]

T = TypeVar("T")

_FRACTION = re.compile(r"-?\d+(/[1-9]\d*)?")
_KNOWN_AMOUNTS = 1024  # texts of amounts a converter keeps (about 250 KiB at most)


def _money_text(money: Money) -> str:
    return f"{money.currency.code} {money.amount!s}"  # str(): what format() gives, sooner


def _money(value: object, _type: object) -> Money:
    if not isinstance(value, str) or value.count(" ") != 1:
        raise ValidationError("money", value, "write money as 'USD 10.00' (code, space, amount)")
    code, amount = value.split(" ")
    return Money(to_decimal(amount), currency_code(code))


def _moneys() -> Callable[[object, object], Money]:
    # A converter's amounts by their text. Money is never changed once built (one zero per
    # currency is shared the same way, see ``money.zero``), so an amount read again (a price,
    # a tax, a zero) is given out again rather than parsed and checked again; the first read
    # of each text is checked by ``_money``. Bounded: emptied when full.
    known: dict[str, Money] = {}

    def structure(value: object, _type: object) -> Money:
        found = known.get(value) if value.__class__ is str else None
        if found is None:
            found = _money(value, _type)
            if len(known) >= _KNOWN_AMOUNTS:
                known.clear()
            known[value] = found  # type: ignore[index]
        return found

    return structure


def _decimal(value: object, _type: object) -> Decimal:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValidationError("decimal", value, "write a decimal as a string such as '0.19'")
    return to_decimal(value, "decimal")


def _fraction(value: object, _type: object) -> Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if not isinstance(value, str) or not _FRACTION.fullmatch(value):
        raise ValidationError("fraction", value, "write a fraction as '12/31' or '1'")
    return Fraction(value)


def _date(value: object, _type: object) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError("date", value, "write a date as ISO 'YYYY-MM-DD'")


def _datetime(value: object, _type: object) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValidationError("datetime", value, "write an instant as ISO with an offset")
    return parsed


def _strict(kind: type[Any], example: str) -> Any:
    def structure(value: object, _type: object) -> Any:
        if value.__class__ is kind:  # the common case, decided without isinstance
            return value
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            raise ValidationError(kind.__name__, value, f"expected {example}")
        return value

    return structure


def _cycles() -> Any:
    # A converter's cycles by their text: a shop has a handful, parsed once each.
    known: dict[str, BillingCycle] = {}

    def structure(value: object, _type: object) -> BillingCycle:
        found = known.get(value) if isinstance(value, str) else None
        if found is None:
            found = BillingCycle.parse(value)  # type: ignore[arg-type]
            if len(known) < 64:
                known[value] = found  # type: ignore[index]
        return found

    return structure


def _path(error: BaseException) -> tuple[str, object, str]:
    """Find the path, value and reason of the first leaf failure in a cattrs error tree."""
    messages = cattrs.transform_error(error) if isinstance(error, BaseValidationError) else []
    leaf: BaseException = error
    while isinstance(leaf, BaseValidationError) and leaf.exceptions:
        leaf = leaf.exceptions[0]
    path = messages[0].rsplit(" @ ", 1)[-1] if messages else "$"
    if isinstance(leaf, ValidationError):
        return path, leaf.value, leaf.reason
    if isinstance(leaf, KeyError):
        return path, None, "required key missing"
    return path, None, str(leaf) or type(leaf).__name__


class HostbillConverter(cattrs.Converter):
    """A cattrs converter whose :meth:`structure` raises only :class:`ValidationError`.

    Models (plain attrs classes) go first through a quick path (``QuickCodec`` in
    ``hostbill_core._quick_codec``): one straight-line function per model, written once,
    that checks each value and builds the model through its class (every validator runs).
    What that path refuses is structured through a twin converter without cattrs' detailed
    validation, and only when that fails too is the input structured again with detailed
    validation, to name the path of the first bad value. Hooks registered on the converter
    are registered on the twin too, so both structure alike; registering a hook after
    :func:`make_converter` turns the quick path off.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**options, "detailed_validation": True})
        self._fast = cattrs.Converter(**{**options, "detailed_validation": False})
        self._quick: QuickCodec | None = None

    def _use_quick_path(self, hooked: frozenset[type]) -> None:
        """Structure and unstructure plain attrs models by :class:`QuickCodec` from now on.

        ``hooked`` are the classes with hooks of their own; a hook registered later turns
        the quick path off again (it could not know what the new hook changes).
        """
        self._quick = QuickCodec(self._fast, hooked)

    def _twin(self) -> cattrs.Converter | None:
        self._quick = None
        return getattr(self, "_fast", None)  # None while cattrs' own __init__ registers

    def register_structure_hook(self, *args: Any, **kwargs: Any) -> Any:
        """Register a structure hook (on the twin converter as well)."""
        if (fast := self._twin()) is not None:
            fast.register_structure_hook(*args, **kwargs)
        return super().register_structure_hook(*args, **kwargs)

    def register_structure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        """Register a predicate structure hook (on the twin converter as well)."""
        if (fast := self._twin()) is not None:
            fast.register_structure_hook_func(*args, **kwargs)
        return super().register_structure_hook_func(*args, **kwargs)

    def register_structure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        """Register a structure hook factory (on the twin converter as well)."""
        if (fast := self._twin()) is not None:
            fast.register_structure_hook_factory(*args, **kwargs)
        return super().register_structure_hook_factory(*args, **kwargs)

    def register_unstructure_hook(self, *args: Any, **kwargs: Any) -> Any:
        """Register an unstructure hook (on the twin converter as well)."""
        if (fast := self._twin()) is not None:
            fast.register_unstructure_hook(*args, **kwargs)
        return super().register_unstructure_hook(*args, **kwargs)

    def register_unstructure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        """Register a predicate unstructure hook (on the twin converter as well)."""
        if (fast := self._twin()) is not None:
            fast.register_unstructure_hook_func(*args, **kwargs)
        return super().register_unstructure_hook_func(*args, **kwargs)

    def register_unstructure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        """Register an unstructure hook factory (on the twin converter as well)."""
        if (fast := self._twin()) is not None:
            fast.register_unstructure_hook_factory(*args, **kwargs)
        return super().register_unstructure_hook_factory(*args, **kwargs)

    def unstructure(self, obj: Any, unstructure_as: Any = None) -> Any:
        """Unstructure ``obj`` (as ``unstructure_as`` when given) into JSON-safe data."""
        if self._quick is not None and unstructure_as is None:
            function = self._quick.unstructurers[obj.__class__]
            if function is not None:
                return function(obj)
        return super().unstructure(obj, unstructure_as)

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure ``obj`` into ``cl``.

        Raises:
            ValidationError: ``field`` is the path to the first bad value (``$.lines[0]``).
        """
        if self._quick is not None:
            try:
                function = self._quick.structurers[cl]
                if function is not None:
                    return function(obj)
            except Exception:  # the quick path refuses more than cattrs: cattrs decides
                pass
        try:
            return self._fast.structure(obj, cl)
        except Exception:  # structured again below, to say where and why
            pass
        try:
            return super().structure(obj, cl)
        except (BaseValidationError, KeyError, TypeError, ValueError, HostbillError) as error:
            if isinstance(error, ValidationError):
                raise ValidationError("$", error.value, error.reason) from error
            path, value, reason = _path(error)
            raise ValidationError(path, value, reason) from error


def make_converter() -> HostbillConverter:
    """Return a new converter for every hostbill_core model (never a shared global one).

    Unstructured data is JSON-safe (strings, numbers, booleans, lists, dicts) and
    ``structure(unstructure(x), type(x)) == x`` for every model.
    """
    converter = HostbillConverter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _strict(str, "a string"))
    converter.register_structure_hook(int, _strict(int, "a whole number"))
    converter.register_structure_hook(bool, _strict(bool, "true or false"))
    texts: tuple[tuple[type[Any], Callable[[Any], str], Callable[[object, object], Any]], ...] = (
        (Money, _money_text, _moneys()),
        (Decimal, str, _decimal),
        (Fraction, str, _fraction),
        (datetime, datetime.isoformat, _datetime),
        (date, date.isoformat, _date),
        (BillingCycle, str, _cycles()),
    )
    for cls, unstructure, structure in texts:
        converter.register_unstructure_hook(cls, unstructure)
        converter.register_structure_hook(cls, structure)
    converter._use_quick_path(frozenset(cls for cls, _, _ in texts))
    return converter
