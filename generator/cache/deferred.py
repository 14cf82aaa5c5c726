"""Model objects read from the cache in two steps: what planning reads, then the bulk.

A note edit renders a few pages, but loading the model read every comparison
whole: at 10,000 documents, the rows and variants of 3,030 comparisons
(180,000 sentences) were 1.0 s of the 1.8 s spent unpickling the model, for
the one or two comparisons a changed page shows. The cache keeps those
fields (`LATER`) apart; a comparison is loaded without them, as an instance
of a subclass that reads them in the first time anything asks for them (an
attribute, equality, a hash, a pickle), then becomes a plain `Comparison`.
Planning reads only a comparison's group and witnesses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from generator.model import Comparison

# The fields read only when a page shows the object, by type.
LATER: dict[type, tuple[str, ...]] = {Comparison: ("rows", "variants")}
_PENDING = "_pending_fields"  # in a placeholder's __dict__: (pickle, how to read it)


def split(obj: object) -> tuple[tuple[type, dict[str, Any]], dict[str, Any]] | None:
    """(type, the state read at once) and the state read later; None if read whole."""
    complete(obj)
    names = LATER.get(type(obj))
    if names is None:
        return None
    state = dict(obj.__dict__)  # the fields, and the digest kept on the object
    later = {name: state.pop(name) for name in names}
    return (type(obj), state), later


def placeholder(
    head: tuple[type, dict[str, Any]], later: bytes, read: Callable[[bytes], dict[str, Any]]
) -> object:
    """The object of `head`, its other fields to be read from `later` by `read` when asked."""
    cls, state = head
    obj = object.__new__(_placeholder_type(cls))
    obj.__dict__.update(state)
    obj.__dict__[_PENDING] = (later, read)
    return obj


def complete(obj: object) -> None:
    """Read in a placeholder's other fields, making it a plain instance of its type."""
    state = getattr(obj, "__dict__", None)
    pending = state.pop(_PENDING, None) if state is not None else None
    if pending is None:
        return
    later, read = pending
    state.update(read(later))  # type: ignore[union-attr]
    object.__setattr__(obj, "__class__", type(obj).__mro__[1])


@functools.cache
def _placeholder_type(cls: type) -> type:
    """A subclass of `cls` with its layout, that completes itself before it is used."""

    def __getattr__(self: Any, name: str) -> Any:  # only for what __dict__ lacks
        if name.startswith("__") or _PENDING not in self.__dict__:
            raise AttributeError(name)
        complete(self)
        return getattr(self, name)

    def __eq__(self: Any, other: object) -> bool:
        complete(self)
        return self == other

    def __hash__(self: Any) -> int:
        complete(self)
        return hash(self)

    def __reduce_ex__(self: Any, protocol: Any) -> Any:
        complete(self)
        return self.__reduce_ex__(protocol)

    methods = {
        "__slots__": (),
        "__getattr__": __getattr__,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__reduce_ex__": __reduce_ex__,
    }
    return type(cls.__name__, (cls,), methods)
