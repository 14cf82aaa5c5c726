"""Enrich: find the translations among the documents, with nothing marked by hand.

Candidates (`translation_candidates.py`): documents in different languages,
dated close together, that share the words no translation changes. A candidate
pair is a translation when most of both texts align sentence by sentence, in
order, with a high similarity of meaning (`sentence_alignment.py`): a report
in another language quoting a few sentences of a communiqué aligns only those.

Versions of one text (`groups.py`) are one candidate: a text is checked
against a version group's base, not against each of its members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from generator.cache.digests import key
from generator.cache.store import BuildCache
from generator.compare import meaning
from generator.compare.meaning import Cache, SentenceVectors
from generator.compare.omissions import MATCHED, unmatched_passages
from generator.compare.sentence_alignment import Bead, align_sentences
from generator.compare.translation_ahead import Found, Pair, Recording, Sent
from generator.compare.translation_candidates import (
    anchor_sequence,
    anchors_in_order,
    by_base,
    document_pairs,
)
from generator.compare.translation_config import DeclaredTranslations, load_translation_config
from generator.compare.witness import sentences_of
from generator.cores import can_fork
from generator.diagnostics import Diagnostics
from generator.model import (
    Document,
    Group,
    Sentence,
    SentencePair,
    TranslationAlignment,
    TranslationGroup,
)
from generator.sources.ids import slugify, unused

# Each text's characters in well-matched pairs: "most of both texts".
MIN_COVERAGE = 0.6
# Texts this far apart in length cannot both be mostly aligned: not encoded at all.
MAX_LENGTH_RATIO = 2.0
MIN_SENTENCES = 3
# Below this share of anchors named in the same order, a pair is not encoded at all.
# The fixtures' translation scores 0.72 (five of its names are translated:
# Palacio Nacional, National Palace), the report on the same meeting 0.32; on
# the generated archive translations score 1.0 and rejected candidates at most 0.55.
MIN_ANCHORS_IN_ORDER = 0.4
# Below this many documents, encoding ahead in another process costs more than it saves.
AHEAD_FROM_DOCUMENTS = 100

_VERDICTS = "translation pairs"
_ALIGNMENTS = "translation alignments"
_ANCHORS = "translation anchors"
# The stages the child of `encode_ahead` reads.
_STAGES = (meaning.STAGE, _VERDICTS, _ALIGNMENTS, _ANCHORS)


def encode_ahead(documents: Sequence[Document], cache: BuildCache) -> None:
    """Start finding, encoding, verifying and aligning the candidate pairs on the second core.

    The candidates are found there without the version groups (not known
    yet): a pair of group members stands for the pair of their bases, which
    share most of their sentences; what differs is done by the stage itself
    (`by_base` maps the child's pairs once the groups are known). The child
    verifies every pair it found, keyed by its two documents as the stage
    keys them, and aligns those it verifies: the stage is left the pairs the
    groups map elsewhere, the clause checks and the pages' alignments.
    """
    if len(documents) < AHEAD_FROM_DOCUMENTS or not can_fork():
        return
    if len({d.language for d in documents}) < 2:
        # No pair to translate: loading the encoder for the child cost a
        # monolingual build of 1,000 documents 117 MB and a second of CPU.
        return

    def job() -> Sent:
        recording = Recording(cache)  # the child's copy of the cache
        translator = Translator(documents, recording, one_core=True)
        pairs = translator.candidates()
        translator.verified(pairs)
        return pairs, recording.stored, translator.aligned

    meaning.encode_ahead(job, cache, _STAGES)


class Translator:
    """Verifies and aligns pairs of texts, keeping every result by its documents' digests.

    `ahead`: what the child of `encode_ahead` found, taken as this build's
    entries when asked for (the same keys, computed from the same documents).
    """

    def __init__(
        self,
        documents: Sequence[Document],
        cache: Cache,
        ahead: Found | None = None,
        one_core: bool = False,
    ) -> None:
        self._documents = documents
        self._by_id = {d.id: d for d in documents}
        self._cache = cache
        self._ahead = ahead
        early = ahead.entries.get(meaning.STAGE) if ahead is not None else None
        self.vectors = SentenceVectors(cache, early, one_core)
        self._sentences: dict[str, list[Sentence]] = {}
        self._anchors: dict[str, tuple[str, ...]] = {}
        # Beads of the pairs aligned in this build (or by the child): a verified pair
        # is aligned once.
        self.aligned: dict[Pair, list[Bead]] = dict(ahead.beads) if ahead is not None else {}

    def sentences(self, doc_id: str) -> list[Sentence]:
        """A document's sentences, split once per build."""
        if doc_id not in self._sentences:
            self._sentences[doc_id] = sentences_of(self._by_id[doc_id])
        return self._sentences[doc_id]

    def candidates(self) -> list[Pair]:
        """The candidate pairs (`document_pairs`), each document's anchors read once per edit."""
        return document_pairs(self._documents, lambda d: self._anchor_sequence(d.id))

    def keep_ahead(self) -> None:
        """Keep for the next build what the child read or found, though this stage did not ask.

        Every document's anchors, and the verdicts (with their sentences'
        vectors) of the pairs the version groups map elsewhere: the next
        build's child meets those pairs again. Dropped, they were verified
        again after every edit, and the child loaded the encoder for them
        (184 texts, about 1 s of CPU, on the 1,000-document benchmark archive).
        """
        for doc in self._documents:
            self._anchor_sequence(doc.id)
        assert self._ahead is not None
        for cache_key in list(self._ahead.entries.get(_VERDICTS, {})):
            _, texts = self._kept(_VERDICTS, cache_key)
            self.vectors.keep(texts)

    def _kept(self, stage: str, cache_key: str) -> Any | None:
        """The cache's entry for `cache_key`, else the child's (stored, as if computed here)."""
        value = self._cache.lookup(stage, cache_key)
        if value is None and self._ahead is not None:
            value = self._ahead.take(stage, cache_key)
            if value is not None:
                self._cache.store(stage, cache_key, value)
        return value

    def verified(self, pairs: Sequence[Pair]) -> list[Pair]:
        """The pairs that are translations of each other."""
        keys = {p: key(_VERDICTS, self._by_id[p[0]], self._by_id[p[1]]) for p in pairs}
        todo = [p for p in pairs if self._kept(_VERDICTS, keys[p]) is None]
        # One batch for every sentence to encode: the encoder is fastest on many at once.
        self.vectors.prepare(
            [s.text for p in todo if self._plausible(*p) for d in p for s in self.sentences(d)]
        )
        for pair in todo:
            self._cache.store(_VERDICTS, keys[pair], self._verdict(*pair))
        result = []
        for pair in pairs:
            translated, texts = self._cache.lookup(_VERDICTS, keys[pair])
            self.vectors.keep(texts)  # this pair's vectors stay for the next edit
            if translated:
                result.append(pair)
        return result

    def _plausible(self, a: str, b: str) -> bool:
        """The checks that need no encoder: sentences, length, anchors in order."""
        left, right = self.sentences(a), self.sentences(b)
        if min(len(left), len(right)) < MIN_SENTENCES:
            return False
        ratio = sum(len(s.text) for s in left) / max(1, sum(len(s.text) for s in right))
        if not 1 / MAX_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO:
            return False
        return anchors_in_order(self._anchor_sequence(a), self._anchor_sequence(b)) >= (
            MIN_ANCHORS_IN_ORDER
        )

    def _anchor_sequence(self, doc_id: str) -> tuple[str, ...]:
        """A document's anchors, kept in the cache by its content: an edit reads the edited ones."""
        if doc_id not in self._anchors:
            doc = self._by_id[doc_id]
            cache_key = key(_ANCHORS, doc)
            found = self._kept(_ANCHORS, cache_key)
            if found is None:
                found = anchor_sequence(doc)
                self._cache.store(_ANCHORS, cache_key, found)
            self._anchors[doc_id] = found
        return self._anchors[doc_id]

    def _verdict(self, a: str, b: str) -> tuple[bool, tuple[str, ...]]:
        if not self._plausible(a, b):
            return False, ()
        beads, left, right = self._beads(a, b)
        low, high = coverage(beads, left, right)
        texts = tuple(s.text for s in left + right)
        return min(low, high) >= MIN_COVERAGE, texts

    def _beads(self, a: str, b: str) -> tuple[list[Bead], list[Sentence], list[Sentence]]:
        left, right = self.sentences(a), self.sentences(b)
        if (a, b) not in self.aligned and (b, a) in self.aligned:
            self.aligned[a, b] = [Bead(r, q, s) for q, r, s in self.aligned[b, a]]
        if (a, b) not in self.aligned:
            self.aligned[a, b] = align_sentences(
                [len(s.text) for s in left],
                [len(s.text) for s in right],
                self.vectors.of([s.text for s in left]),
                self.vectors.of([s.text for s in right]),
            )
        return self.aligned[a, b], left, right

    def prepare_alignments(self, pairs: Sequence[Pair]) -> None:
        """Encode what the clause checks of these alignments will ask for, in one batch.

        Each check encodes a few texts (a sentence with and without each of its
        clauses): asked for one check at a time, the encoder ran on a few texts
        a call, and spent a third of its time on each call's distinct pieces.
        A first pass with vectors of zeros names the texts: which ones a check
        encodes follows from the beads alone.
        """
        texts: list[str] = []

        def named(batch: Sequence[str]) -> np.ndarray:
            texts.extend(batch)
            return np.zeros((len(batch), meaning.DIMENSIONS), dtype=np.float32)

        for a, b in pairs:
            if self._kept(_ALIGNMENTS, key(_ALIGNMENTS, self._by_id[a], self._by_id[b])):
                continue
            beads, left, right = self._beads(a, b)
            unmatched_passages(beads, left, right, _ratio(left, right), named)
        self.vectors.prepare(texts)

    def alignment(self, a: str, b: str) -> TranslationAlignment:
        """Text `a` and its translation `b`, aligned, with what each lacks."""
        cache_key = key(_ALIGNMENTS, self._by_id[a], self._by_id[b])
        kept = self._kept(_ALIGNMENTS, cache_key)
        if kept is not None:
            self.vectors.keep(kept[1])
            return kept[0]
        encoded: list[str] = []

        def encode(texts: Sequence[str]):  # -> np.ndarray
            encoded.extend(texts)
            return self.vectors.of(texts)

        beads, left, right = self._beads(a, b)
        pairs = tuple(
            SentencePair(
                tuple(left[i] for i in bead.left),
                tuple(right[j] for j in bead.right),
                bead.similarity,
            )
            for bead in beads
        )
        result = TranslationAlignment(
            a,
            b,
            pairs,
            tuple(unmatched_passages(beads, left, right, _ratio(left, right), encode)),
            coverage(beads, left, right),
        )
        texts = tuple(s.text for s in left + right) + tuple(encoded)
        self._cache.store(_ALIGNMENTS, cache_key, (result, texts))
        return result


def _ratio(left: Sequence[Sentence], right: Sequence[Sentence]) -> float:
    """How many characters of `right` translate one of `left`."""
    return sum(len(s.text) for s in right) / max(1, sum(len(s.text) for s in left))


def coverage(
    beads: Sequence[Bead], left: Sequence[Sentence], right: Sequence[Sentence]
) -> tuple[float, float]:
    """The share of each text's characters in pairs that match well."""

    def share(sentences: Sequence[Sentence], side: str) -> float:
        total = sum(len(s.text) for s in sentences) or 1
        matched = sum(
            len(sentences[i].text)
            for bead in beads
            if bead.left and bead.right and bead.similarity >= MATCHED
            for i in getattr(bead, side)
        )
        return round(matched / total, 4)

    return share(left, "left"), share(right, "right")


def translation_groups(
    documents: Sequence[Document],
    groups: Sequence[Group],
    source: Path,
    diagnostics: Diagnostics,
    cache: BuildCache | None = None,
) -> tuple[TranslationGroup, ...]:
    """The compare stage's translation step: compare.yaml's say, then `find_translations`."""
    declared = load_translation_config(source, {d.id for d in documents}, diagnostics)
    return find_translations(documents, groups, declared, cache)


def find_translations(
    documents: Sequence[Document],
    groups: Sequence[Group],
    declared: Sequence[DeclaredTranslations],
    cache: BuildCache | None = None,
) -> tuple[TranslationGroup, ...]:
    """Every translation group: the declared ones, and those found among the rest."""
    cache = cache if cache is not None else BuildCache()
    # What the child of `encode_ahead` found, if it ran: the same as found here.
    sent = meaning.found_ahead(cache)
    ahead = Found.of(sent) if sent is not None else None
    translator = Translator(documents, cache, ahead)
    claimed = {d for g in declared for d in g.documents}
    pairs = ahead.pairs if ahead is not None else translator.candidates()
    verified = translator.verified(by_base(pairs, groups))
    if ahead is not None:
        translator.keep_ahead()
    parent: dict[str, str] = {}

    def root(d: str) -> str:
        parent.setdefault(d, d)
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b in verified:
        if a not in claimed and b not in claimed:
            parent[max(root(a), root(b))] = min(root(a), root(b))
    found: dict[str, list[str]] = defaultdict(list)
    for d in sorted(parent):
        found[root(d)].append(d)
    by_id = {d.id: d for d in documents}
    order = {d.id: i for i, d in enumerate(documents)}
    members = [(tuple(g.documents), g) for g in declared]
    members += [(tuple(m), None) for m in found.values() if len(m) >= 2]
    members.sort(key=lambda m: min(order[d] for d in m[0]))
    ordered = [(_order(ids, editor, by_id), editor) for ids, editor in members]
    translator.prepare_alignments(
        [
            (documents[0], d)
            for (documents, _, _), _ in ordered
            for d in _translated(documents, by_id)
        ]
    )
    taken: set[str] = set()
    return tuple(_group(order, editor, by_id, translator, taken) for order, editor in ordered)


def _order(
    ids: tuple[str, ...], editor: DeclaredTranslations | None, by_id: dict[str, Document]
) -> tuple[tuple[str, ...], str | None, str]:
    """A group's documents, its original first (if known), then by date; the original, and why."""
    # Never archive order: the same documents in other files give the same group.
    dated = sorted(ids, key=lambda d: (by_id[d].date or "9999-99-99", d))
    if editor is not None and editor.original:
        original, reason = editor.original, "declared"
    elif by_id[dated[0]].date and sum(by_id[d].date == by_id[dated[0]].date for d in ids) == 1:
        original, reason = dated[0], "earliest date"
    else:
        original, reason = None, "unknown"
    documents = tuple([original] if original else []) + tuple(d for d in dated if d != original)
    return documents, original, reason


def _translated(documents: tuple[str, ...], by_id: dict[str, Document]) -> list[str]:
    """The documents aligned against the first: those in another language."""
    first = by_id[documents[0]]
    return [d for d in documents[1:] if by_id[d].language != first.language]


def _group(
    arranged: tuple[tuple[str, ...], str | None, str],
    editor: DeclaredTranslations | None,
    by_id: dict[str, Document],
    translator: Translator,
    taken: set[str],
) -> TranslationGroup:
    """One group (`_order` gave its order): its id and title, each translation aligned."""
    documents, original, reason = arranged
    first = by_id[documents[0]]
    alignments = tuple(translator.alignment(first.id, d) for d in _translated(documents, by_id))
    group_id = (editor.id if editor and editor.id else None) or unused(
        slugify(first.title, 6, skip_stopwords=True) or "translations", taken
    )
    taken.add(group_id)
    title = (editor.title if editor else None) or first.title
    return TranslationGroup(
        group_id, title, documents, original, reason, alignments, editor is not None
    )
