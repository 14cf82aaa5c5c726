"""Enrich: find the documents that carry versions of one text, and the exact copies among them.

Candidates come from shingle keys (`shingles.ShingleIndex`), never from all
pairs: each document meets only the documents that share several of its
rarest keys. A candidate pair is then verified by what a reader
would check: most sentences of each text line up, in order, with a sentence
of the other. Sharing a topic, a few stock phrases or a quoted passage is not
enough, so news reports quoting a communiqué stay out of its group.
"""

from __future__ import annotations

import bisect
from collections import Counter

from generator.cache import digests
from generator.cache.store import BuildCache
from generator.compare.align import MATCH, in_order_pairs
from generator.compare.shingles import ShingleIndex
from generator.compare.witness import normalize_words, sentences_of
from generator.model import Document, Group, Passage, Relation, Sentence

# Texts shorter than this are too short to call versions of anything.
MIN_WORDS = 12
# Keys two documents must share to be compared at all.
CANDIDATE_SHARED = 2
# Per document: its rarest keys are looked up, and a few candidates verified.
KEYS_LOOKED_UP = 24
CANDIDATES = 6
# A key held by more documents than this is boilerplate or a huge family: only
# the documents next to this one in its posting list count for it.
COMMON_KEY = 64
NEIGHBOURS = 4
# Below this Jaccard similarity of their shingles, two texts are not versions.
# Two English texts of the sample's communiqué score 0.15; a news report
# quoting it, 0.06.
MIN_JACCARD = 0.1
# Share of each text's words that must sit in sentences lining up with the
# other, each weighted by how alike the two sentences are above chance: the
# sample's two communiqués score 0.6, stock sentences on one topic under 0.25.
MIN_COVERAGE = 0.4
# The cache's stage for the verdicts on pairs verified sentence by sentence.
_VERDICTS = "version pairs"


def detect_groups(index: ShingleIndex, cache: BuildCache | None = None) -> list[list[str]]:
    """Clusters of document ids that are versions of one text, in archive order.

    With a `cache`, each candidate pair's verdict is kept under the digest of
    its two documents: after an edit to one bundle, only the pairs it changed
    are verified again, sentence by sentence.
    """
    documents = index.documents
    parent = list(range(len(documents)))

    def root(d: int) -> int:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    keys = [index.keys(d) if len(words) >= MIN_WORDS else [] for d, words in enumerate(index.words)]
    postings: dict[int, list[int]] = {}
    for d, mine in enumerate(keys):
        for key in mine:
            postings.setdefault(key, []).append(d)
    sentences: dict[int, list[Sentence]] = {}
    for d, mine in enumerate(keys):
        shared: Counter[int] = Counter()
        # A key no other document holds says nothing; the rarest of the others say most.
        telling = sorted((k for k in mine if len(postings[k]) > 1), key=lambda k: len(postings[k]))
        for key in telling[:KEYS_LOOKED_UP]:
            holders = postings[key]
            if len(holders) > COMMON_KEY:
                at = bisect.bisect_left(holders, d)
                holders = holders[max(0, at - NEIGHBOURS) : at + NEIGHBOURS + 1]
            shared.update(holders)
        # Each pair is weighed once, when its later document comes up.
        for other in [o for o in shared if o >= d]:
            del shared[other]
        for other, count in shared.most_common(CANDIDATES):
            if count < CANDIDATE_SHARED:
                break
            if root(other) != root(d) and _are_versions(index, d, other, keys, sentences, cache):
                parent[root(d)] = root(other)
    clusters: dict[int, list[str]] = {}
    for d, doc in enumerate(documents):
        clusters.setdefault(root(d), []).append(doc.id)
    return [members for members in clusters.values() if len(members) > 1]


def group_relations(groups: tuple[Group, ...], documents: list[Document]) -> list[Relation]:
    """Same-text relations between exact copies, and version relations to each group's base."""
    by_id = {d.id: d for d in documents}
    order = {d.id: i for i, d in enumerate(documents)}
    relations: list[Relation] = []
    for group in groups:
        copies: dict[tuple[str, ...], list[str]] = {}
        for member in group.documents:
            text = tuple(normalize_words(by_id[member].plain_text))
            copies.setdefault(text, []).append(member)
        original_of: dict[str, str] = {}
        for members in copies.values():
            # The copy with a known source and the earliest date stands for the text.
            members.sort(
                key=lambda m: (by_id[m].publisher is None, by_id[m].date or "9999", order[m])
            )
            for copy in members[1:]:
                original_of[copy] = members[0]
                relations.append(Relation("same-text", _whole(copy), _whole(members[0]), True))
        # Copies are linked to their original above; originals to the base here.
        base_text = original_of.get(group.base, group.base)
        for member in group.documents:
            if member not in original_of and member not in (group.base, base_text):
                relations.append(Relation("version", _whole(member), _whole(group.base), False))
    return relations


def _whole(doc_id: str) -> Passage:
    """A whole document, as a passage: it starts at its first paragraph."""
    return Passage(doc_id, 1)


def _are_versions(
    index: ShingleIndex,
    a: int,
    b: int,
    keys: list[list[int]],
    sentences: dict[int, list[Sentence]],
    cache: BuildCache | None = None,
) -> bool:
    """Whether two documents are copies or versions of one text."""
    if index.words[a] == index.words[b]:
        return True
    # The keys are a fixed sample of the shingles, so their overlap estimates
    # the Jaccard similarity of the whole texts, cheaply.
    left, right = set(keys[a]), set(keys[b])
    if len(left & right) < MIN_JACCARD * len(left | right):
        return False
    pair = digests.key(index.documents[a], index.documents[b]) if cache is not None else ""
    known = cache.lookup(_VERDICTS, pair) if cache is not None else None
    if known is not None:
        return bool(known)
    for d in (a, b):
        if d not in sentences:
            sentences[d] = sentences_of(index.documents[d])
    verdict = min(_coverage(sentences[a], sentences[b])) >= MIN_COVERAGE
    if cache is not None:
        cache.store(_VERDICTS, pair, verdict)
    return verdict


def _coverage(a: list[Sentence], b: list[Sentence]) -> tuple[float, float]:
    """Share of the words of a, and of b, in sentences lining up with the other, weighted."""
    sizes_a = [len(normalize_words(s.text)) for s in a]
    sizes_b = [len(normalize_words(s.text)) for s in b]
    covered_a = covered_b = 0.0
    for i, j, score in in_order_pairs(a, b):
        weight = (score - MATCH) / (100.0 - MATCH)
        covered_a += sizes_a[i] * weight
        covered_b += sizes_b[j] * weight
    return covered_a / max(1, sum(sizes_a)), covered_b / max(1, sum(sizes_b))
