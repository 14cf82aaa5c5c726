"""An inverted index of hashes (shingle keys, fingerprints) to the documents holding them.

Kept as sorted arrays, not a dictionary of lists: built from every
document's cached summaries in one sort (half a million entries at 10,000
documents), it costs a few hundredths of a second where the dictionary took
a third of a second; lookups are then for the few hashes an edit touched.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Postings:
    """Each distinct hash, and the documents (positions, ascending) that hold it."""

    distinct: np.ndarray  # the distinct hashes, ascending
    starts: np.ndarray  # where each one's holders start in `holders`; one more at the end
    documents: np.ndarray  # the holders, hash by hash, each hash's ascending

    @classmethod
    def of(cls, per_document: Sequence[Sequence[int]]) -> Postings:
        """The index of documents' hashes (repeats within a document count once)."""
        lengths = np.fromiter((len(h) for h in per_document), dtype=np.int64)
        if not lengths.sum():
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, np.zeros(1, dtype=np.int64), empty)
        values = np.concatenate([_as_array(h) for h in per_document if len(h)])
        docs = np.repeat(np.arange(len(per_document), dtype=np.int64), lengths)
        order = np.lexsort((docs, values))
        values, docs = values[order], docs[order]
        first = np.ones(len(values), dtype=bool)
        first[1:] = (values[1:] != values[:-1]) | (docs[1:] != docs[:-1])
        values, docs = values[first], docs[first]
        new = np.ones(len(values), dtype=bool)
        new[1:] = values[1:] != values[:-1]
        starts = np.append(np.flatnonzero(new), len(values))
        return cls(values[new], starts, docs)

    def sizes(self) -> np.ndarray:
        """How many documents hold each distinct hash, in the order of `distinct`."""
        return np.diff(self.starts)

    def count(self, values: Iterable[int]) -> np.ndarray:
        """How many documents hold each of `values` (0 for a hash no one holds)."""
        wanted = np.fromiter(values, dtype=np.int64)
        at = np.searchsorted(self.distinct, wanted)
        inside = np.minimum(at, max(0, len(self.distinct) - 1))
        found = (at < len(self.distinct)) & (self.distinct[inside] == wanted)
        sizes = self.starts[inside + 1] - self.starts[inside]
        return np.where(found, sizes, 0)

    def holders(self, value: int) -> list[int]:
        """The documents holding a hash, ascending."""
        at = int(np.searchsorted(self.distinct, value))
        if at == len(self.distinct) or self.distinct[at] != value:
            return []
        return self.documents[self.starts[at] : self.starts[at + 1]].tolist()

    def as_dict(self) -> dict[int, list[int]]:
        """Every hash's holders, as a dictionary: for looking up most of them."""
        if not len(self.distinct):
            return {}
        holders = np.split(self.documents, self.starts[1:-1])
        return dict(zip(self.distinct.tolist(), (h.tolist() for h in holders), strict=True))


def _as_array(values: Sequence[int]) -> np.ndarray:
    """Hashes as 64-bit integers: an array of them read in place, without a copy."""
    if isinstance(values, array) and values.itemsize == 8 and values.typecode == "q":
        return np.frombuffer(values, dtype=np.int64)
    return np.asarray(values, dtype=np.int64)
