"""Enrich: find the documents that carry versions of one text, and the copies among them.

Whether two texts are versions of each other is a property of the two texts
and of which of their sentences are boilerplate (many different texts carry
them: `boilerplate.py` says exactly how that depends on the archive), never of
the order the archive's files come in:

- Texts with the same normalized words (MIN_WORDS or more) are one text for
  grouping: they are joined at once, with no candidate or verdict. Only those
  alike to the letter (spacing aside) are called copies (`group_relations`).
- Candidates come from an inverted index of shingle keys (`candidates.py`),
  looked up from every document towards every other, earlier or later in
  the archive: two documents whose rarest keys meet are a candidate pair. A
  document mostly made of sentences many documents carry (a member of a huge
  family of copies) meets, through each key held by more than COMMON_KEY
  documents, only its NEIGHBOURS next such holders in content order, so the
  cost stays linear.
- A candidate pair is verified by what a reader would check, in any order of
  sentences or paragraphs: most of the words of EACH text sit in sentences
  that have a counterpart in the other (`_coverage`), and so do most of its
  OWN words, those outside boilerplate (`boilerplate.py`: sentences that many
  different texts carry). A version covers most of both texts; a report
  reusing a statement covers most of the statement but little of itself,
  and is a quotation, not a version; two reports sharing only stock
  closings, lists of officials and a much-quoted line share no words of
  their own, and are not versions.
- Groups are the connected pieces of the verified pairs: adding a document
  can join two groups through it, and split one only by making one of its
  sentences boilerplate.
"""

from __future__ import annotations

import gc
from array import array
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from generator.cache import digests
from generator.cache.store import BuildCache
from generator.compare.align import MATCH, scores_above
from generator.compare.boilerplate import MIN_OWN_WORDS, Boilerplate, Signature, frames, signatures
from generator.compare.candidates import CACHED_STAGES as CANDIDATE_STAGES
from generator.compare.candidates import LAST_FOUND as CANDIDATES_LAST
from generator.compare.candidates import candidate_pairs
from generator.compare.shingles import ShingleIndex
from generator.compare.witness import normalize_words, sentences_of
from generator.model import Document, Group, Passage, Relation, Sentence

# Texts shorter than this are too short to call versions of anything.
MIN_WORDS = 12
# Below this Jaccard similarity of their shingle keys, two texts are not versions.
# The sample's two English texts of the communiqué score 0.15; a news report
# quoting it, 0.06.
MIN_JACCARD = 0.1
# Two sentences share at least this share of their words (0–100) to be counterparts.
SENTENCE_MATCH = 50.0
# Share of EACH text's words that their counterparts in the other have too.
# Measured (tests/compare/test_groups.py): the sample's two English texts of
# the communiqué, COVERAGE_SAMPLE; a report reusing six of a statement's
# eight sentences beside five of its own, COVERAGE_REUSE; stock sentences on
# one topic with their objects swapped, COVERAGE_TOPIC.
MIN_COVERAGE = 0.6
# A text this much of whose words lie in sentences the other has word for word
# is its copy, whatever its words are: the verdict then does not ask for its
# own words (a text copied many times, lightly edited, makes its own sentences
# boilerplate).
NEAR_COPY = 0.9
# A text whose own words are less than this share of its words is mostly
# boilerplate: its own words count only where the other has them nearly word
# for word, OWN_MATCH% of the shorter sentence's own words in order at least.
# Two reports opening on one pattern ("X announced Y on Z, officials said, in a
# statement reported here as item N") share 85% of their opening's words, and
# a republication's opening holds all of its original's.
OWN_SHARE = 0.5
OWN_MATCH = 95.0
# A document's sentences and each one's normalized words, split once per run.
_Sentences = tuple[list[Sentence], list[list[str]]]
# A document's own words: each sentence's words outside quotation marks, and
# whether those are boilerplate.
_Own = tuple[list[tuple[str, ...]], tuple[bool, ...]]
# The cache's stages for the verdicts on pairs verified sentence by sentence,
# and for each text's signed sentences.
_VERDICTS = "version pairs v4"
_SIGNED = "signed sentences"
CACHED_STAGES = (_VERDICTS, _SIGNED, *CANDIDATE_STAGES)
# The entries a build replaces with what it found, for the next: (stage, key).
LAST_FOUND = CANDIDATES_LAST


def detect_groups(index: ShingleIndex, cache: BuildCache | None = None) -> list[list[str]]:
    """Clusters of document ids that are versions of one text, each in archive order.

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

    long_enough = [len(words) >= MIN_WORDS for words in index.words]
    keys = [index.keys(d) if long_enough[d] else [] for d in range(len(documents))]
    key_sets = [frozenset(mine) for mine in keys]
    # Exact copies are one text: joined here, counted once as boilerplate's
    # carriers, and split into sentences only when a verdict needs them.
    first: dict[tuple[int, ...], int] = {}
    text_of = [first.setdefault(tuple(words), d) for d, words in enumerate(index.words)]
    copies = Counter(text_of)
    for d, text in enumerate(text_of):
        if text != d and long_enough[d]:
            parent[root(d)] = root(text)
    texts = _Texts(documents, cache)
    # Every text is signed at once (split into sentences, unless its signatures
    # are cached), into objects that hold no cycles: the cycle collector,
    # walking the whole heap again and again meanwhile, would double the cost
    # at 10,000 documents, and find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        signed = {d: texts.signed(d) for d in first.values() if long_enough[d]}
    finally:
        if collecting:
            gc.enable()
    stock = texts.stock = Boilerplate.of(signed, copies)
    huge = [long_enough[d] and stock.mostly_shared(signed[text_of[d]]) for d in range(len(parent))]
    # The pieces found do not depend on the order pairs are verified in: a pair
    # already joined needs no verdict, and a verdict depends on the pair alone.
    for a, b in sorted(candidate_pairs(index, keys, huge, cache)):
        if root(a) == root(b):
            continue
        # The keys are a fixed sample of the shingles, so their overlap estimates
        # the Jaccard similarity of the whole texts, cheaply.
        left, right = key_sets[a], key_sets[b]
        shared_keys = len(left & right)
        if shared_keys < MIN_JACCARD * (len(left) + len(right) - shared_keys):
            continue
        if _are_versions(index, a, b, texts, cache):
            parent[root(a)] = root(b)
    clusters: dict[int, list[str]] = {}
    for d, doc in enumerate(documents):
        clusters.setdefault(root(d), []).append(doc.id)
    return [members for members in clusters.values() if len(members) > 1]


def group_relations(groups: tuple[Group, ...], documents: list[Document]) -> list[Relation]:
    """Same-text relations between copies to the letter, and version relations to the base."""
    by_id = {d.id: d for d in documents}
    order = {d.id: i for i, d in enumerate(documents)}
    relations: list[Relation] = []
    for group in groups:
        copies: dict[tuple[str, ...], list[str]] = {}
        for member in group.documents:
            # A reader takes "same text" to the letter: case and punctuation count,
            # only spacing and paragraphing do not. A copy that differs in them is
            # a version, and its column shows how.
            text = tuple(by_id[member].plain_text.split())
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


def _split(doc: Document) -> _Sentences:
    """A document's sentences and each one's normalized words."""
    split = sentences_of(doc)
    return split, [normalize_words(s.text) for s in split]


class _Texts:
    """Each document's sentences, own words and their signatures, made when first asked for.

    After an edit to one bundle, nearly every verdict is in the cache: the
    documents are then split into sentences only for the pairs verified again,
    and signed from the signatures kept by text.
    """

    def __init__(self, documents: Sequence[Document], cache: BuildCache | None) -> None:
        self.documents = documents
        self.cache = cache
        self.stock: Boilerplate | None = None  # set once every text is signed
        self._sentences: dict[int, _Sentences] = {}
        self._framed: dict[int, list[tuple[str, ...]]] = {}
        self._signed: dict[int, tuple[Signature, ...]] = {}

    def text(self, d: int) -> str:
        """A key of what a document's sentences and own words follow from: its paragraphs."""
        return digests.paragraphs_key(self.documents[d])

    def sentences(self, d: int) -> _Sentences:
        """A document's sentences and each one's normalized words."""
        if d not in self._sentences:
            self._sentences[d] = _split(self.documents[d])
        return self._sentences[d]

    def signed(self, d: int) -> tuple[Signature, ...]:
        """Its sentences' own words, signed (`boilerplate.signatures`); cached by text."""
        found = self._signed.get(d)
        if found is None and self.cache is not None:
            packed = self.cache.lookup(_SIGNED, self.text(d))
            if packed is not None:
                found = tuple(zip(*packed, strict=True))
        if found is None:
            found = signatures(self._frames(d))
            if self.cache is not None:
                # As two arrays: a tuple of pairs for every text took 20 MB at 10,000
                # documents, kept until the cache is saved; these take 6 (tracemalloc).
                digest, count = zip(*found, strict=True) if found else ((), ())
                self.cache.store(_SIGNED, self.text(d), (array("Q", digest), array("l", count)))
        self._signed[d] = found
        return found

    def own(self, d: int) -> _Own:
        """Its sentences' own words, and which of them are boilerplate."""
        return self._frames(d), self.flags(d)

    def flags(self, d: int) -> tuple[bool, ...]:
        """Which of its sentences are boilerplate."""
        assert self.stock is not None
        return self.stock.flags(self.signed(d))

    def _frames(self, d: int) -> list[tuple[str, ...]]:
        if d not in self._framed:
            self._framed[d] = frames(self.documents[d], *self.sentences(d))
        return self._framed[d]


def _are_versions(
    index: ShingleIndex, a: int, b: int, texts: _Texts, cache: BuildCache | None = None
) -> bool:
    """Whether two documents are copies or versions of one text: the same either way round.

    Each text must be covered by its counterparts in the other, over all its
    words and over its own (`_coverage`).
    """
    if index.words[a] == index.words[b]:
        return True
    if index.documents[b].id < index.documents[a].id:
        a, b = b, a  # the pair is weighed in one order whatever order it came in
    # The own words follow from the texts; whether they are boilerplate, from the archive.
    flags = (texts.flags(a), texts.flags(b))
    pair = digests.combine(texts.text(a), texts.text(b), flags) if cache is not None else ""
    known = cache.lookup(_VERDICTS, pair) if cache is not None else None
    if known is not None:
        return bool(known)
    (split_a, words_a), (split_b, words_b) = texts.sentences(a), texts.sentences(b)
    mine = (texts.own(a), texts.own(b))
    verdict = min(_coverage(split_a, split_b, (words_a, words_b), mine)) >= MIN_COVERAGE
    if cache is not None:
        cache.store(_VERDICTS, pair, verdict)
    return verdict


def _coverage(
    a: list[Sentence],
    b: list[Sentence],
    words: tuple[list[list[str]], list[list[str]]] | None = None,
    own: tuple[_Own, _Own] | None = None,
) -> tuple[float, float]:
    """Share of the words of a, and of b, that their counterparts in the other have too.

    Sentences are paired one to one, the most alike first, wherever they
    stand: a copy with its sentences or paragraphs in another order covers as
    much as one in order. A pair counts by the share of words the two have in
    common, in order (word-level Indel ratio); pairs under SENTENCE_MATCH count
    nothing. Words, not characters: sentences on one topic with their objects
    swapped share many letters but few words. `words`, each sentence's
    normalized words, saves normalizing them again: a document is weighed
    against each of its candidates.

    With `own`, each text's own words (`_Own`: each sentence's words outside
    quotation marks, and whether they are boilerplate), a text's share is the
    lesser of that over all its words and that over its own words: those
    outside quotation marks, outside boilerplate and outside sentences paired
    with boilerplate (a stock line in one text, a slightly different one in
    the other, is stock in both). Own words count as all words do, except in
    a text less than OWN_SHARE its own: there only where the counterpart has
    them nearly word for word (OWN_MATCH), since two reports opening on one
    pattern ("X announced Y on Z, officials said") share its words, not a
    sentence. A text with fewer than MIN_OWN_WORDS own words scores 0, unless
    NEAR_COPY of all its words lie in sentences the other has word for word:
    a copy.
    """
    if words is None:
        words = [normalize_words(s.text) for s in a], [normalize_words(s.text) for s in b]
    words_a, words_b = words
    pairs = []
    for i, j in scores_above(words_a, words_b, MATCH):  # character-level candidates, fast in C++
        score = fuzz.ratio(words_a[i], words_b[j])
        if score >= SENTENCE_MATCH:
            pairs.append((-score, i, j))
    covered_a = covered_b = exact_a = exact_b = 0.0
    taken: list[tuple[int, int]] = []
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for score, i, j in sorted(pairs):
        if i in taken_a or j in taken_b:
            continue
        taken_a.add(i)
        taken_b.add(j)
        taken.append((i, j))
        covered_a += len(words_a[i]) * -score / 100.0
        covered_b += len(words_b[j]) * -score / 100.0
        if score == -100.0:  # the same words: what a copy has
            exact_a += len(words_a[i])
            exact_b += len(words_b[j])
    total_a = sum(map(len, words_a))
    total_b = sum(map(len, words_b))
    full = covered_a / max(1, total_a), covered_b / max(1, total_b)
    if own is None:
        return full
    (frames_a, stock_a), (frames_b, stock_b) = own
    if not any(stock_a) and not any(stock_b):
        return full  # no boilerplate: nothing to tell the texts' own words from
    stock_a, stock_b = list(stock_a), list(stock_b)
    # Own words covered, counted two ways: as all words are (the sentence pair's
    # share of words in common), and strictly (only in sentences whose own words
    # are the other's, nearly word for word).
    loose_a = loose_b = 0.0
    strict = 0
    for i, j in taken:
        if stock_a[i] or stock_b[j]:
            stock_a[i] = stock_b[j] = True  # shared through boilerplate: stock on both sides
            continue
        mine_i, mine_j = frames_a[i], frames_b[j]
        if not mine_i or not mine_j:
            continue
        score = fuzz.ratio(mine_i, mine_j)
        if score >= SENTENCE_MATCH:
            loose_a += len(mine_i) * score / 100.0
            loose_b += len(mine_j) * score / 100.0
        both = LCSseq.similarity(mine_i, mine_j)
        if both * 100 >= OWN_MATCH * min(len(mine_i), len(mine_j)):
            strict += both
    mine_a = sum(len(w) for w, s in zip(frames_a, stock_a, strict=True) if not s)
    mine_b = sum(len(w) for w, s in zip(frames_b, stock_b, strict=True) if not s)
    # A text mostly its own is weighed as before; one mostly boilerplate, strictly.
    own_a = loose_a if mine_a >= OWN_SHARE * total_a else strict
    own_b = loose_b if mine_b >= OWN_SHARE * total_b else strict
    copy = exact_a / max(1, total_a), exact_b / max(1, total_b)
    return _judged(full[0], copy[0], own_a, mine_a), _judged(full[1], copy[1], own_b, mine_b)


def _judged(full: float, copy: float, own: float, mine: int) -> float:
    """A text's coverage: over all its words, and over its own unless it is a near copy."""
    if copy >= NEAR_COPY:
        return full
    if mine < MIN_OWN_WORDS:
        return 0.0  # too few words of its own to be a version of anything
    return min(full, own / mine)
