"""Word shingles of documents: finding related texts without comparing all pairs.

Every document becomes a list of word ids (its normalized words, as
`witness.words` has them). From those come two small summaries:

- keys: the hashes of its SHINGLE-word shingles that fall in a fixed sample
  (hash mod SAMPLE == 0). The sample is the same for every document, so two
  texts sharing much wording share many keys; an inverted index of keys then
  yields candidate versions in near-linear time (a document's rarest keys say
  most about it, as in any search engine).
- winnowed fingerprints of its 5-word shingles (Schleimer et al., 2003): any
  run of REUSE_WORDS or more words that two documents share is guaranteed to
  leave a common fingerprint, so verbatim reuse is found without scanning pairs.

Hashes are computed from the words themselves (CRC-32 per word, then Python's
tuple hash, which is not randomized for ints), so a document's summaries do not
depend on the rest of the archive or on the process. With a cache, they are
kept by the document's text: after an edit to one bundle of 10,000 documents,
computing every document's again took 1.4 s of CPU.
"""

from __future__ import annotations

import zlib
from array import array
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.cache.digests import paragraphs_key
from generator.cache.store import BuildCache
from generator.compare.witness import normalize_words
from generator.model import Document

SHINGLE = 5  # words per shingle for keys
SAMPLE = 4  # one shingle in SAMPLE (by hash) becomes a key
FINGERPRINT = 5  # words per shingle for fingerprints
REUSE_WORDS = 12  # shortest verbatim reuse guaranteed to be found
_WINDOW = REUSE_WORDS - FINGERPRINT + 1
# The cache's stage for each text's summaries, packed as arrays: 10,000 documents'
# take 16 MB (tracemalloc), kept until the cache is saved.
_SUMMARIES = "shingle summaries"
# And for each text's normalized words (`ShingleIndex._normalized`).
_WORDS = "normalized words"
CACHED_STAGES = (_SUMMARIES, _WORDS)


@dataclass
class ShingleIndex:
    """Word ids, keys and fingerprints of every document of an archive."""

    documents: list[Document]
    words: list[list[int]] = field(default_factory=list)  # per document, in reading order
    vocabulary: dict[str, int] = field(default_factory=dict)  # normalized word → id
    _hash: list[int] = field(default_factory=list)  # per word id: a stable hash
    _spelling: list[str] = field(default_factory=list)  # per word id: the word
    cache: BuildCache | None = None  # where each text's summaries are kept, if anywhere

    @classmethod
    def of(cls, documents: Sequence[Document], cache: BuildCache | None = None) -> ShingleIndex:
        """Index the words of `documents` (in this order; positions are indices into it)."""
        index = cls(list(documents), cache=cache)
        index.words = [index._ids(index._normalized(d)) for d in index.documents]
        return index

    def _normalized(self, doc: Document) -> list[str]:
        """A document's normalized words; with a cache, kept by text, space-joined.

        Normalizing every text of 10,000 again took 0.3 s of CPU after an edit to
        one bundle; the joined words take about 15 MB, kept until the cache is
        saved. A normalized word never holds a space (`witness._WORD` matches
        none, and folding makes none), so splitting gives the words back.
        """
        if self.cache is None:
            return normalize_words(doc.plain_text)
        text = paragraphs_key(doc)
        joined = self.cache.lookup(_WORDS, text)
        if joined is None:
            found = normalize_words(doc.plain_text)
            self.cache.store(_WORDS, text, " ".join(found))
            return found
        return joined.split(" ") if joined else []

    def _ids(self, words: list[str]) -> list[int]:
        known = self.vocabulary
        try:  # most documents' words are all known by the time they come
            return list(map(known.__getitem__, words))
        except KeyError:  # new ones get ids in reading order, as they come
            return [known[w] if w in known else self.word_id(w) for w in words]

    def word_id(self, word: str) -> int:
        """The id of a normalized word, adding it to the vocabulary if new."""
        known = self.vocabulary.get(word)
        if known is None:
            known = self.vocabulary[word] = len(self.vocabulary)
            self._spelling.append(word)
            self._hash.append(zlib.crc32(word.encode("utf-8")))
        return known

    def spelled(self, ids: list[int]) -> str:
        """Word ids back to their normalized words, space-joined."""
        return " ".join(self._spelling[i] for i in ids)

    def ids_of(self, text: str) -> list[int]:
        """The word ids of any text, normalized as documents are."""
        return self._word_ids(text)

    def keys(self, doc: int) -> list[int]:
        """Distinct hashes of its SHINGLE-word shingles that fall in the shared sample, sorted."""
        if self.cache is None:
            return self._keys(doc)
        return self._summaries(doc)[0].tolist()

    def fingerprints(self, doc: int) -> dict[int, tuple[int, ...]]:
        """Winnowed FINGERPRINT-word shingle hashes → every word position where they occur."""
        if self.cache is None:
            return self._fingerprints(doc)
        _, values, positions = self._summaries(doc)
        where: dict[int, tuple[int, ...]] = {}
        for value, position in zip(values, positions, strict=True):
            where[value] = (*where.get(value, ()), position)
        return where

    def fingerprint_values(self, doc: int) -> Sequence[int]:
        """Its winnowed fingerprints, in word order, a value once per place it occurs."""
        if self.cache is None:
            return [value for value, places in self._fingerprints(doc).items() for _ in places]
        return self._summaries(doc)[1]

    def kept_keys(self, text: str) -> list[int] | None:
        """The keys kept in the cache for a text (`paragraphs_key`), if any: a past version's."""
        known = self.cache.lookup(_SUMMARIES, text) if self.cache is not None else None
        return None if known is None else known[0].tolist()

    def kept_words(self, text: str) -> list[str] | None:
        """The normalized words kept in the cache for a text, if any: a past version's."""
        known = self.cache.lookup(_WORDS, text) if self.cache is not None else None
        return None if known is None else (known.split(" ") if known else [])

    def _summaries(self, doc: int) -> tuple[array, array, array]:
        """Keys, and fingerprints as (value, position) pairs in word order, cached by text."""
        assert self.cache is not None
        text = paragraphs_key(self.documents[doc])  # the words follow from them
        known = self.cache.lookup(_SUMMARIES, text)
        if known is None:
            known = self._summarize(doc)
            self.cache.store(_SUMMARIES, text, known)
        return known

    def _summarize(self, doc: int) -> tuple[array, array, array]:
        where = self._fingerprints(doc)
        pairs = sorted((p, value) for value, positions in where.items() for p in positions)
        return (
            array("q", self._keys(doc)),
            array("q", [value for _, value in pairs]),
            array("i", [p for p, _ in pairs]),
        )

    def _keys(self, doc: int) -> list[int]:
        h = [self._hash[w] for w in self.words[doc]]
        if len(h) < SHINGLE:
            hashes: Iterable[int] = [hash(tuple(h))] if h else []
        else:
            hashes = map(hash, zip(*(h[i:] for i in range(SHINGLE)), strict=False))
        # Sampled before the set is made: a quarter of the set, a quarter less time.
        return sorted({key for key in hashes if key % SAMPLE == 0})

    def _fingerprints(self, doc: int) -> dict[int, tuple[int, ...]]:
        h = [self._hash[w] for w in self.words[doc]]
        grams = [hash(t) for t in zip(*(h[i:] for i in range(FINGERPRINT)), strict=False)]
        chosen: set[int] = set()
        # The rightmost minimum of every window of _WINDOW consecutive shingles,
        # kept with a monotonic queue so each shingle is handled once.
        queue: deque[int] = deque()
        for position, value in enumerate(grams):
            while queue and grams[queue[-1]] >= value:
                queue.pop()
            queue.append(position)
            if queue[0] <= position - _WINDOW:
                queue.popleft()
            if position >= _WINDOW - 1 or position == len(grams) - 1:
                chosen.add(grams[queue[0]])
        where: dict[int, tuple[int, ...]] = {}
        for position, value in enumerate(grams):
            if value in chosen:
                where[value] = (*where.get(value, ()), position)
        return where

    def _word_ids(self, text: str) -> list[int]:
        known = self.vocabulary
        return [known[w] if w in known else self.word_id(w) for w in normalize_words(text)]
