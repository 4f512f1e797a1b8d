"""Registry models as plain, frozen data for the views: what a template may read, with nothing to call.

A view holds an actor, a fact or a source as `plain(model)`: a frozen dataclass with the
model's fields (lists as tuples, mappings read-only, nested models made plain in turn) and
the values of the model's own properties (a fact's `when` and `period`), but none of
pydantic's methods, which are what a template would reach for to escape its sandbox.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar, overload

from pydantic import BaseModel

_Model = TypeVar("_Model", bound=BaseModel)


# A model made plain is typed as the model: it has the model's fields and the values of its properties, read-only, which
# is
# all a view or the Python that reads one (view.actor.id) uses of it; what it lacks is the methods, which nothing may
# call.
@overload
def plain(value: _Model) -> _Model: ...
@overload
def plain(value: object) -> object: ...
def plain(value: object) -> object:
    """`value` as plain frozen data: a model as a frozen dataclass, lists as tuples, mappings read-only."""
    if isinstance(value, BaseModel):
        kind = _plain_type(type(value))
        return kind(**{f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(kind)})
    if isinstance(value, list | tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({key: plain(item) for key, item in value.items()})
    return value


@functools.cache
def _plain_type(model: type[BaseModel]) -> type:
    """The frozen dataclass that stands for a kind of model: its fields, then its own properties' values."""
    properties = [
        name
        for owner in model.__mro__
        if owner.__module__.startswith("dossiers.")
        for name, member in vars(owner).items()
        if isinstance(member, property)
    ]
    names = [*model.model_fields, *dict.fromkeys(p for p in properties if p not in model.model_fields)]
    return dataclasses.make_dataclass(
        model.__name__, [(name, object) for name in names], frozen=True, namespace={"__module__": __name__}
    )
