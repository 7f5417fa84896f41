r"""Line numbers of a TOML document's tables and keys, which :mod:`tomllib` does not keep.

A :class:`LineIndex` scans the raw text once and records the line of every table header
(``[settings]``, the n-th ``[[clients]]``, the m-th ``[[clients.services]]`` of that client)
and of every ``key = value`` line, under the path the parsed data gives the same item:
``("clients", 3, "services", 0, "cycle")``. Elements of a multi-line array of inline tables
(one per line) are recorded too. :meth:`LineIndex.line` answers for the longest recorded prefix
of a path, so an error inside a one-line inline table points at the line of its key.

>>> index = LineIndex('[[clients]]\nid = "a"\n\n[[clients]]\nid = "b"\ncurrency = "EUR"\n')
>>> index.line(("clients", 1, "currency")), index.line(("clients", 1)), index.line(("x",))
(6, 4, None)
"""

from __future__ import annotations

import re

__all__ = ["LineIndex", "Path"]

#: A position in parsed TOML data: table names, keys and array indexes.
Path = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_KEY = rf'(?:{_BARE}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_DOTTED})\s*=")
_PART = re.compile(_KEY)
_STRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(_unquote(m.group(0)) for m in _PART.finditer(dotted))


def _unquote(key: str) -> str:
    if key[:1] in "\"'":
        return key[1:-1]
    return key


def _blank_strings(line: str) -> str:
    # Replace string contents so brackets, braces and '#' inside them are not counted.
    return _STRING.sub(lambda m: '""', line).split("#", 1)[0]


class LineIndex:
    """Where each table and key of a TOML text is, by its path in the parsed data."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self._arrays: dict[Path, int] = {}  # array-of-tables path -> its last index
        self._headers: list[tuple[int, Path]] = []
        self._scan(text)

    def line(self, path: Path) -> int | None:
        """The 1-based line of ``path``, else of its longest recorded prefix, else None."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return None

    def table_at(self, line: int) -> Path:
        """The path of the table whose header is the last one on or before ``line``."""
        found: Path = ()
        for number, path in self._headers:
            if number > line:
                break
            found = path
        return found

    def _scan(self, text: str) -> None:
        table: Path = ()
        array: tuple[Path, int, int] | None = None  # (key path, bracket depth, elements)
        in_string: str | None = None
        for number, raw in enumerate(text.splitlines(), start=1):
            if in_string is not None:
                if raw.count(in_string) % 2 == 1:
                    in_string = None
                continue
            for quote in ('"""', "'''"):
                if raw.count(quote) % 2 == 1:
                    in_string = quote
            if array is not None:
                array = self._array_line(array, _blank_strings(raw), number)
                continue
            header = _HEADER.match(raw)
            if header:
                table = self._header(header.group(1) == "[[", _parts(header.group(2)), number)
                continue
            key = _KEY_LINE.match(raw)
            if key:
                path = table + _parts(key.group(1))
                self._lines.setdefault(path, number)
                value = _blank_strings(raw[key.end() :])
                self._inline_keys(path, value, number)
                depth = value.count("[") - value.count("]")
                if depth > 0:
                    array = (path, depth, 0)

    def _header(self, is_array: bool, parts: tuple[str, ...], number: int) -> Path:
        concrete: list[str | int] = []
        for i, part in enumerate(parts):
            concrete.append(part)
            prefix = tuple(concrete)
            if i < len(parts) - 1 and prefix in self._arrays:
                concrete.append(self._arrays[prefix])
            self._lines.setdefault(tuple(concrete), number)  # an implicit parent table
        path: Path = tuple(concrete)
        if is_array:
            index = self._arrays.get(path, -1) + 1
            self._arrays[path] = index
            path = (*path, index)
        self._lines.setdefault(path, number)
        self._headers.append((number, path))
        return path

    def _inline_keys(self, path: Path, rest: str, number: int) -> None:
        for match in _INLINE_KEY.finditer(rest):
            self._lines.setdefault((*path, *_parts(match.group(1))), number)

    def _array_line(
        self, array: tuple[Path, int, int], line: str, number: int
    ) -> tuple[Path, int, int] | None:
        path, depth, count = array
        stripped = line.strip()
        if depth == 1 and stripped and stripped[0] not in "]":
            self._lines.setdefault((*path, count), number)
            self._inline_keys((*path, count), line, number)
            count += 1
        depth += line.count("[") - line.count("]")
        return (path, depth, count) if depth > 0 else None
