"""Straight-line structure and unstructure functions for attrs models: the converter's quick path.

cattrs' generated functions call one hook per field, collect the present fields in a dict that
is passed as keyword arguments, and compare the input's keys with a set. For a model of thirty
fields (a client with its details, address and settings) read by the hundred thousand, that
overhead outweighs the work. :class:`QuickCodec` writes, once per class, a function that does
only the work:

- a ``str``, ``int`` or ``bool`` (or a ``NewType`` of one) is checked by its exact class and
  kept as it is; an enum is looked up by its value; ``X | None`` and ``tuple[X, ...]`` wrap the
  code of ``X``; a nested model calls its own quick function;
- every other type (money, decimals, dates, cycles) calls the converter's hook for it;
- every field is passed to the model's class, so every validator of the model runs.

A quick structure function refuses more than the converter (a tuple given as a string, an enum
member given for its value: it raises), never less; the caller then structures the input
through the converter, which accepts it or names the bad value. An input without every field
(a row written before a field was added) is handed to the converter, which fills in defaults.
Unstructuring follows the declared types exactly as cattrs' generated functions do, keys in
field order.
"""

from __future__ import annotations

import enum
import linecache
import types
import typing
from collections.abc import Callable
from typing import Any, NoReturn

import attrs
import cattrs

__all__ = ["QuickCodec"]

_Fn = Callable[[Any], Any]
_EXACT = (str, int, bool)


def _refuse(value: object) -> NoReturn:
    raise TypeError(f"not structured by the quick path: {value!r}")


def _base(kind: Any) -> Any:
    while isinstance(kind, typing.NewType):
        kind = kind.__supertype__
    return kind


def _optional_of(kind: Any) -> Any:
    """The ``X`` of ``X | None``, else None."""
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return None
    others = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    return others[0] if len(others) == 1 and len(typing.get_args(kind)) == 2 else None


def _tuple_of(kind: Any) -> Any:
    """The ``X`` of ``tuple[X, ...]``, else None."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def _plain_enum(kind: Any) -> bool:
    """An enum of string values with no typed ``_value_``: cattrs reads and writes the value."""
    return (
        isinstance(kind, type)
        and issubclass(kind, enum.Enum)
        and "_value_" not in kind.__annotations__
        and all(type(member.value) is str for member in kind)
    )


class _Namespace:
    """The globals of one generated function: each object under a fresh name."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"_refuse": _refuse}

    def add(self, value: Any) -> str:
        name = f"_v{len(self.names)}"
        self.names[name] = value
        return name

    def compile(self, source: str, function: str, title: str) -> _Fn:
        filename = f"<hostbill quick {title}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.names)  # our own generated source
        built: _Fn = self.names[function]
        return built


class _Functions(dict[Any, _Fn | None]):
    """Quick functions by class, each built on its first lookup (None: not a plain model)."""

    def __init__(self, build: Callable[[Any], _Fn | None]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, cl: Any) -> _Fn | None:
        self[cl] = None  # meanwhile: a model that contains itself goes through cattrs
        self[cl] = built = self._build(cl)
        return built


class QuickCodec:
    """Builds and keeps the quick functions of one converter's models.

    ``structurers[cl]`` and ``unstructurers[cl]`` are the functions of model ``cl``, built on
    first use; None for a class that is not a plain attrs model (it has a hook of its own, or
    a field without a type, not in ``__init__``, keyword-only or renamed).

    Args:
        converter: the converter whose hooks the quick functions call for other types (its
            hooks for ``str``, ``int`` and ``bool`` must keep a value of exactly that class).
        hooked: classes the converter has its own hooks for (structured and unstructured
            through those hooks, never as attrs models).
    """

    def __init__(self, converter: cattrs.Converter, hooked: frozenset[type]) -> None:
        self._converter = converter
        self._hooked = hooked
        self.structurers = _Functions(self._structurer)
        self.unstructurers = _Functions(self._unstructurer)

    def _model(self, cl: Any) -> bool:
        if not isinstance(cl, type) or not attrs.has(cl) or cl in self._hooked:
            return False
        attrs.resolve_types(cl)
        return all(
            a.init and not a.kw_only and a.alias == a.name and a.type is not None
            for a in attrs.fields(cl)
        )

    def _structurer(self, cl: Any) -> _Fn | None:
        return self._build_structure(cl) if self._model(cl) else None

    def _unstructurer(self, cl: Any) -> _Fn | None:
        return self._build_unstructure(cl) if self._model(cl) else None

    def _build_structure(self, cl: type) -> _Fn:
        names = _Namespace()
        fields = attrs.fields(cl)
        lines = [
            "def structure(o):",
            f"  if len(o) != {len(fields)}:",  # not every field: cattrs fills in the defaults
            f"    return {names.add(self._converter.structure)}(o, {names.add(cl)})",
        ]
        args = []
        for i, field in enumerate(fields):
            lines.append(f"  x{i} = o[{field.name!r}]")
            args.append(self._structure_code(field.type, f"x{i}", names, 0))
        lines.append(f"  return {names.add(cl)}({', '.join(args)})")
        return names.compile("\n".join(lines), "structure", f"structure {cl.__qualname__}")

    def _structure_code(self, kind: Any, var: str, names: _Namespace, depth: int) -> str:
        """An expression that structures ``var`` as ``kind``, or raises."""
        kind = _base(kind)
        if kind in _EXACT:
            return f"({var} if {var}.__class__ is {kind.__name__} else _refuse({var}))"
        if (inner := _optional_of(kind)) is not None:
            code = self._structure_code(inner, var, names, depth)
            return f"(None if {var} is None else {code})"
        if (item := _tuple_of(kind)) is not None:
            each = f"e{depth}"
            code = self._structure_code(item, each, names, depth + 1)
            items = f"({var} if {var}.__class__ is list else _refuse({var}))"
            return f"tuple([{code} for {each} in {items}])"
        if _plain_enum(kind):
            return f"{names.add({member.value: member for member in kind})}[{var}]"
        if (quick := self.structurers[kind]) is not None:
            return f"{names.add(quick)}({var})"
        hook = self._converter.get_structure_hook(kind)
        return f"{names.add(hook)}({var}, {names.add(kind)})"

    def _build_unstructure(self, cl: type) -> _Fn:
        names = _Namespace()
        items = [
            f"{field.name!r}: {self._unstructure_code(field.type, f'i.{field.name}', names, 0)}"
            for field in attrs.fields(cl)
        ]
        source = "def unstructure(i):\n  return {" + ", ".join(items) + "}"
        return names.compile(source, "unstructure", f"unstructure {cl.__qualname__}")

    def _unstructure_code(self, kind: Any, var: str, names: _Namespace, depth: int) -> str:
        """An expression that unstructures ``var`` of declared type ``kind``."""
        kind = _base(kind)
        if kind in _EXACT:
            return var
        if (inner := _optional_of(kind)) is not None:
            code = self._unstructure_code(inner, var, names, depth)
            return var if code == var else f"(None if {var} is None else {code})"
        if (item := _tuple_of(kind)) is not None:
            each = f"e{depth}"
            code = self._unstructure_code(item, each, names, depth + 1)
            return f"list({var})" if code == each else f"[{code} for {each} in {var}]"
        if _plain_enum(kind):
            return f"{var}._value_"  # what ``.value`` returns, without its descriptor
        quick = self.unstructurers[kind]
        hook = quick if quick is not None else self._converter.get_unstructure_hook(kind)
        return f"{names.add(hook)}({var})"
