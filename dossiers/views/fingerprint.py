"""The fingerprint of a view: sha256 of what it holds, in a stable form; an output's cache key is made of it.

A view is plain data, so its fingerprint covers every field: a field added to a view is
in the key of every output that shows it, and no list says which fields count.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import Enum
from types import MappingProxyType
from typing import TypeVar

from pydantic import BaseModel

_MEMO: dict[int, tuple[object, str]] | None = None  # None outside memo()
_View = TypeVar("_View", bound=type)  # a view's class, kept as itself by @memoised
# the views shown again and again (a dossier, a claim): fingerprinted once within memo()
_MEMOISED: tuple[type, ...] = ()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(*parts: object) -> str:
    """sha256 of plain data, frozen dataclass views (every field) and pydantic models, in a stable form.

    Within `memo()`, a dossier, a claim, a note or a source stands for its own fingerprint, computed once:
    the pack and its pieces show them again, and serialising each of them once per key
    cost seconds at 700 people.
    """
    return sha256(json.dumps(parts, default=_plain, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def memoised(cls: _View) -> _View:
    """Mark a kind of view as fingerprinted once within `memo()`."""
    global _MEMOISED
    _MEMOISED = (*_MEMOISED, cls)
    return cls


@contextmanager
def memo() -> Iterator[None]:
    """Fingerprint each memoised view once while planning."""
    global _MEMO
    _MEMO = {}
    try:
        yield
    finally:
        _MEMO = None


def _fields(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in _names(type(value))}


@functools.cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def _digest(value: object, memo: dict[int, tuple[object, str]]) -> str:
    known = memo.get(id(value))
    if known is None or known[0] is not value:
        plain = dict(value) if isinstance(value, MappingProxyType) else {type(value).__name__: _fields(value)}
        known = (value, fingerprint(plain))
        memo[id(value)] = known
    return known[1]


def _plain(value: object) -> object:
    # a view's mappings are shared by its variants
    if _MEMO is not None and isinstance(value, (*_MEMOISED, MappingProxyType)):
        return {type(value).__name__: _digest(value, _MEMO)}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {type(value).__name__: _fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")
