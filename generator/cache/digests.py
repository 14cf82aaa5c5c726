"""Content digests: what a page is made from, reduced to a short key.

A page whose key is the same as in the previous build would render to the
same bytes, so an incremental build skips it. A key is a digest of the page's
inputs: model objects and plain values. Model objects are digested by their
whole content, once each, and the digest is kept on the object (the model is
immutable), so keying 20,000 pages reads each document once, not once a page.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import fields
from typing import Any

from generator.model import Comparison, Document, Group, Note

# Objects big enough, and shared by enough pages, to be digested once and named
# by their digest inside other keys.
_SHARED = (Document, Note, Group, Comparison)
_ATTRIBUTE = "_content_digest"
_FIELDS_ATTRIBUTE = "_fields_key"
_CACHED = (_ATTRIBUTE, _FIELDS_ATTRIBUTE)


def digest(obj: object) -> str:
    """The digest of an object's whole content (pickled), cached on shared model objects."""
    cached = getattr(obj, "__dict__", {}).get(_ATTRIBUTE)
    if cached is not None:
        return cached
    value = hashlib.blake2b(_pickled(obj, top=obj), digest_size=16).hexdigest()
    if isinstance(obj, _SHARED):
        # Frozen dataclasses refuse setattr, not their __dict__: the digest is
        # derived data, never compared (dataclass equality reads fields only).
        obj.__dict__[_ATTRIBUTE] = value
    return value


def key(*parts: Any) -> str:
    """The key of a page made from `parts` (model objects, strings, numbers, tuples…)."""
    return combine(_by_digest(parts))


def _by_digest(value: Any) -> Any:
    """`value` with each shared model object in it replaced by its digest."""
    if isinstance(value, _SHARED):
        return digest(value)
    if type(value) in (tuple, list):
        return tuple(_by_digest(item) for item in value)
    return value  # anything else is pickled whole, shared objects inside it included


def combine(*parts: str | int | tuple) -> str:
    """The key of plain parts (strings, numbers, tuples of them): faster than `key`."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


def fields_key(obj: object) -> str:
    """The key of a dataclass whose fields are all plain values: faster than `digest`."""
    cached = obj.__dict__.get(_FIELDS_ATTRIBUTE)
    if cached is None:
        values = (getattr(obj, f.name) for f in fields(obj))  # type: ignore[arg-type]
        # Kept on the object: a notes file that did not change keeps its drafts.
        cached = obj.__dict__[_FIELDS_ATTRIBUTE] = combine(type(obj).__qualname__, *values)
    return cached


class _Pickler(pickle.Pickler):
    def __init__(self, stream: io.BytesIO, top: object) -> None:
        super().__init__(stream, protocol=5)
        self.top = top

    def persistent_id(self, obj: object) -> str | None:
        if obj is not self.top and isinstance(obj, _SHARED):
            return digest(obj)
        return None


def _pickled(obj: object, top: object = None) -> bytes:
    if isinstance(obj, _SHARED):
        # Digests cached on the object must not feed into its digest. A shared
        # object holds others only as direct fields (a comparison's group), so
        # naming those by digest here lets the fast C pickler do the rest; the
        # model test checks that no shared object sits deeper.
        state = {
            k: digest(v) if isinstance(v, _SHARED) else v
            for k, v in obj.__dict__.items()
            if k not in _CACHED
        }
        return pickle.dumps((type(obj).__qualname__, state), protocol=5)
    stream = io.BytesIO()
    _Pickler(stream, top).dump(obj)
    return stream.getvalue()
