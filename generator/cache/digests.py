"""Content digests: what a page is made from, reduced to a short key.

A page whose key is the same as in the previous build would render to the
same bytes, so an incremental build skips it. A key is a digest of the page's
inputs: model objects and plain values. Model objects are digested by their
whole content, once each, and the digest is kept on the object (the model is
immutable), so keying 20,000 pages reads each document once, not once a page.

A digest is a function of content alone: equal objects digest the same,
however they were made (fresh, loaded from the cache, rebuilt), whichever of
their values happen to be one shared object, and in any process. The bytes
digested are a canonical encoding (`_canonical`): pickle's opcodes, written by
the C pickler, but without its memo (which wrote a value seen before as a
reference to it, so the bytes followed object identity), every dataclass
written as its class and its fields' values in order, and each shared model
object inside another named by its digest.
"""

from __future__ import annotations

import functools
import hashlib
import io
import operator
import pickle
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from generator.model import Comparison, Document, Group, Note

# Objects big enough, and shared by enough pages, to be digested once and named
# by their digest inside other keys.
SHARED = (Document, Note, Group, Comparison)
_ATTRIBUTE = "_content_digest"
_FIELDS_ATTRIBUTE = "_fields_key"
_PARAGRAPHS_ATTRIBUTE = "_paragraphs_key"


def digest(obj: object) -> str:
    """The digest of an object's whole content, cached on shared model objects."""
    cached = getattr(obj, "__dict__", {}).get(_ATTRIBUTE)
    if cached is not None:
        return cached
    content = obj
    if isinstance(obj, SHARED):  # its fields, not its digest again
        content = (type(obj), _field_values(type(obj))(obj))
    value = hashlib.blake2b(_canonical(content), digest_size=16).hexdigest()
    if isinstance(obj, SHARED):
        # Frozen dataclasses refuse setattr, not their __dict__: the digest is
        # derived data, never compared (dataclass equality reads fields only),
        # and never digested (a dataclass is encoded by its fields).
        obj.__dict__[_ATTRIBUTE] = value
    return value


def key(*parts: Any) -> str:
    """The key of a page made from `parts` (model objects, strings, numbers, tuples…)."""
    return combine(_by_digest(parts))


def _by_digest(value: Any) -> Any:
    """`value` with each shared model object in it replaced by its digest."""
    if isinstance(value, SHARED):
        return digest(value)
    if type(value) in (tuple, list):
        return tuple(_by_digest(item) for item in value)
    return value  # anything else is encoded whole, shared objects inside it by their digest


def combine(*parts: str | int | tuple) -> str:
    """The key of plain parts (strings, numbers, tuples of them): faster than `key`."""
    return hashlib.blake2b(_canonical(parts), digest_size=16).hexdigest()


def fields_key(obj: object) -> str:
    """The key of a dataclass whose fields are all plain values: faster than `digest`."""
    cached = obj.__dict__.get(_FIELDS_ATTRIBUTE)
    if cached is None:
        values = (getattr(obj, f.name) for f in fields(obj))  # type: ignore[arg-type]
        # Kept on the object: a notes file that did not change keeps its drafts.
        cached = obj.__dict__[_FIELDS_ATTRIBUTE] = combine(type(obj).__qualname__, *values)
    return cached


def paragraphs_key(doc: Document) -> str:
    """The key of a document's paragraphs alone, kept on it as its digest is."""
    cached = doc.__dict__.get(_PARAGRAPHS_ATTRIBUTE)
    if cached is None:
        # Under `serve` a note edit keeps the model's documents: each is hashed once a session.
        cached = doc.__dict__[_PARAGRAPHS_ATTRIBUTE] = combine(*(p.text for p in doc.paragraphs))
    return cached


def _named(content_digest: str) -> str:
    """Stands, in an encoding, for a shared model object of this digest (never called)."""
    return content_digest


@functools.cache
def _field_values(cls: type) -> Callable[[Any], tuple]:
    """What reads the values of a dataclass's fields, in their order, as a tuple."""
    names = [f.name for f in fields(cls)]
    if len(names) == 1:
        single = operator.attrgetter(names[0])
        return lambda obj: (single(obj),)
    return operator.attrgetter(*names) if names else lambda obj: ()


class _Reductions(dict):
    """How the encoder writes an object of each class that is not a builtin value.

    Filled in as classes are met. A dataclass is written as its class and its
    fields' values (never its `__dict__`, where digests are cached); a shared
    model object inside another as its digest. Any other class (an enum, a
    date) raises KeyError here, so pickle reduces it its own way, by value.
    """

    def __missing__(self, cls: type) -> Callable[[Any], tuple]:
        if issubclass(cls, SHARED):
            reduce: Callable[[Any], tuple] = lambda obj: (_named, (digest(obj),))  # noqa: E731
        elif is_dataclass(cls):
            values = _field_values(cls)
            reduce = lambda obj: (cls, values(obj))  # noqa: E731
        else:
            raise KeyError(cls)
        self[cls] = reduce
        return reduce


_REDUCTIONS = _Reductions()


def _canonical(obj: object) -> bytes:
    """The canonical encoding of `obj`: equal content, equal bytes, in any process.

    The C pickler writes None, numbers, strings, bytes and the builtin
    containers itself, by value; `_REDUCTIONS` says how to write the rest. Its
    memo is off (`fast`): with it, a value met a second time was written as a
    reference to the first, so the bytes followed which equal values were one
    object. (`fast` is documented as deprecated, and has been there since
    Python 2: it is what lets the C pickler do this work.) Sets are the one
    builtin container whose order is not content but the hash seed; the model
    holds none (tests/cache/test_digests.py checks).
    """
    stream = io.BytesIO()
    encoder = pickle.Pickler(stream, protocol=5)
    encoder.fast = True
    encoder.dispatch_table = _REDUCTIONS
    encoder.dump(obj)
    return stream.getvalue()
