"""Reading parsed TOML tables with checks whose errors name the table, the key and the line.

A :class:`Table` wraps one table of the parsed document with its path; each typed getter
either returns a checked value or raises :class:`ScenarioError`, located through the
document's :class:`~hostbill_core.simulation.locate.LineIndex`. :meth:`Table.close` refuses
keys nobody asked for (a typo such as ``cylce`` is an error, not a silent default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from moneyed import Money

from hostbill_core.calendar import (
    ANNUALLY,
    BIENNIALLY,
    MONTHLY,
    QUARTERLY,
    SEMIANNUALLY,
    TRIENNIALLY,
    BillingCycle,
)
from hostbill_core.errors import CurrencyMismatchError, HostbillError, ValidationError
from hostbill_core.money import currency_code, to_money
from hostbill_core.simulation.locate import LineIndex, Path

__all__ = ["CYCLE_NAMES", "MISSING", "Document", "ScenarioError", "Table", "table_name"]

T = TypeVar("T")

#: Cycle names a scenario may use besides the ISO 8601 form (``P1M``, ``P2W``).
CYCLE_NAMES: Mapping[str, BillingCycle] = {
    "monthly": MONTHLY,
    "quarterly": QUARTERLY,
    "semiannually": SEMIANNUALLY,
    "annually": ANNUALLY,
    "biennially": BIENNIALLY,
    "triennially": TRIENNIALLY,
}

#: Stands for "no value" in getters' defaults and in errors about a missing key.
MISSING = object()


def table_name(path: Path) -> str:
    """``("clients", 3, "services")`` → ``"clients[3].services"``; ``()`` → ``"top level"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or "top level"


class ScenarioError(ValidationError):
    """A scenario file is not acceptable; the message names the file, line, table and key.

    Attributes:
        source: the file (or ``<scenario>``).
        line: the 1-based line of the offending key (or of its table), or None.
        table: the table, as a path such as ``clients[3].services[0]``.
        key: the key in that table.
    """

    def __init__(
        self, source: str, line: int | None, table: str, key: str, *, value: object, reason: str
    ) -> None:
        field = key if table == "top level" else f"{table}.{key}" if key else table
        super().__init__(field, value, reason)
        self.source, self.line, self.table, self.key = source, line, table, key
        where = source if line is None else f"{source}, line {line}"
        shown = f" {key}" if key else ""
        shown += f" = {value!r}" if value is not MISSING else ""
        self.args = (f"{where}: [{table}]{shown}: {reason}",)


class Document:
    """The raw text's line index and the source name, shared by every table of it."""

    def __init__(self, text: str, source: str) -> None:
        self.index = LineIndex(text)
        self.source = source

    def error(self, path: Path, key: str, value: object, reason: str) -> ScenarioError:
        """An error about ``key`` of the table at ``path``, located on its line."""
        line = self.index.line((*path, key) if key else path)
        return ScenarioError(self.source, line, table_name(path), key, value=value, reason=reason)


class Table:
    """One table of the parsed document, read key by key with checks."""

    def __init__(self, doc: Document, path: Path, data: object) -> None:
        self.doc, self.path = doc, path
        if not isinstance(data, Mapping):
            raise doc.error(path[:-1], str(path[-1]) if path else "", data, "expected a table")
        self._data: Mapping[str, object] = data
        self._read: set[str] = set()

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def names(self) -> tuple[str, ...]:
        """The keys of the table, in file order (each counts as read)."""
        self._read.update(self._data)
        return tuple(self._data)

    def fail(self, key: str, value: object, reason: str) -> ScenarioError:
        """An error about ``key`` (``value`` as given) to raise."""
        return self.doc.error(self.path, key, value, reason)

    def raw(self, key: str, default: object = MISSING) -> object:
        """The value of ``key`` unchecked; a missing key without a default is an error."""
        self._read.add(key)
        if key in self._data:
            return self._data[key]
        if default is MISSING:
            raise self.fail(key, MISSING, "is missing")
        return default

    def table(self, key: str) -> Table:
        """The sub-table ``key`` (empty when absent)."""
        return Table(self.doc, (*self.path, key), self.raw(key, {}))

    def tables(self, key: str) -> list[Table]:
        """The array of tables ``key`` (``[[key]]`` or a list of inline tables)."""
        items = self.raw(key, [])
        if not isinstance(items, list):
            raise self.fail(key, items, "expected an array of tables, e.g. [[" + key + "]]")
        return [Table(self.doc, (*self.path, key, i), item) for i, item in enumerate(items)]

    def text(self, key: str, default: object = MISSING) -> str:
        """A string."""
        return self._typed(key, default, str, "expected a string in quotes")

    def flag(self, key: str, default: object = MISSING) -> bool:
        """``true`` or ``false``."""
        return self._typed(key, default, bool, "expected true or false")

    def whole(self, key: str, default: object = MISSING, *, low: int = 0) -> int:
        """A whole number, ``low`` or more."""
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(key, value, f"expected a whole number, {low} or more")
        return value

    def day(self, key: str, default: object = MISSING) -> date:
        """A TOML local date (``2026-01-31``, no time, no quotes)."""
        value = self.raw(key, default)
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(key, value, "expected a date such as 2026-01-31 (no quotes, no time)")
        return value

    def share(self, key: str, default: object = MISSING) -> Decimal:
        """A fraction from 0 to 1 (a number or a decimal string)."""
        value = self.raw(key, default)
        try:
            share = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            share = None
        if share is None or not share.is_finite() or not 0 <= share <= 1:
            raise self.fail(key, value, "expected a share from 0 to 1, e.g. 0.25")
        return share

    def currency(self, key: str, default: object = MISSING) -> str:
        """An ISO 4217 currency code."""
        value = self.text(key, default)
        with self.checking(key, value):
            return currency_code(value, key)

    def currency_key(self, key: str) -> str:
        """Check that the key ``key`` itself is an ISO 4217 currency code."""
        with self.checking(key, key):
            return currency_code(key, key)

    def money(self, key: str, currency: str, default: object = MISSING) -> Money:
        """An amount: a decimal string (``"4.99"``) or a whole number; never a float."""
        value = self.raw(key, default)
        if isinstance(value, float):
            raise self.fail(
                key, value, f'write money as a string, e.g. "{value}": floats are inexact'
            )
        with self.checking(key, value):
            return to_money(value, currency)

    def cycle(self, key: str, default: object = MISSING) -> BillingCycle:
        """A billing cycle: ``monthly`` … ``triennially`` or the ISO form ``P1M``, ``P2W``."""
        return parse_cycle(self, key, self.text(key, default))

    def choice(self, key: str, options: Mapping[str, T], default: object = MISSING) -> T:
        """One of ``options`` by name (``default``, itself a value, when the key is absent)."""
        if key not in self._data and default is not MISSING:
            self._read.add(key)
            return default  # type: ignore[return-value]
        value = self.text(key)
        if value not in options:
            raise self.fail(key, value, f"expected one of {', '.join(options)}")
        return options[value]

    @contextmanager
    def checking(self, key: str, value: object) -> Iterator[None]:
        """Turn a model's ValidationError inside the block into a located ScenarioError."""
        try:
            yield
        except ScenarioError:
            raise
        except (ValidationError, CurrencyMismatchError) as error:
            reason = getattr(error, "reason", str(error))
            raise self.fail(key, value, reason) from None
        except HostbillError as error:
            raise self.fail(key, value, str(error)) from None

    def close(self) -> None:
        """Refuse keys that were never read: they are typos or misplaced."""
        for key in self._data:
            if key not in self._read:
                known = ", ".join(sorted(self._read)) or "none"
                raise self.fail(key, self._data[key], f"unknown key (known here: {known})")

    def _typed(self, key: str, default: object, kind: type[T], reason: str) -> T:
        value = self.raw(key, default)
        if not isinstance(value, kind):
            raise self.fail(key, value, reason)
        return value


def parse_cycle(table: Table, key: str, text: str) -> BillingCycle:
    """Read a cycle name or its ISO 8601 form, refusing anything else at ``key`` of ``table``."""
    if text in CYCLE_NAMES:
        return CYCLE_NAMES[text]
    try:
        return BillingCycle.parse(text)
    except ValidationError:
        names = ", ".join(CYCLE_NAMES)
        raise table.fail(key, text, f"expected a cycle: {names}, or P1M, P2W, P30D") from None


def read_each(tables: list[Table], read: Callable[[Table], T]) -> tuple[T, ...]:
    """Read every table with ``read`` and refuse unknown keys in each."""
    values = []
    for table in tables:
        values.append(read(table))
        table.close()
    return tuple(values)
