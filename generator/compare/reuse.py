"""Enrich: verbatim reuse without quotation marks, between documents outside one group.

Runs of REUSE_WORDS or more words that two documents share are found through
winnowed fingerprints (every such run leaves a common one), never by scanning
pairs. The later document quotes the earlier; when the dates do not say which
came first (one is missing, or both are the same day and neither marks the
words as quoted), the two only *share* the passage. A run is cut at paragraph
breaks on either side, so that each end of a relation lies in one paragraph.
Runs made mostly of capitalized words are left out: two texts naming the same
delegation ("Secretary of State Antony Blinken, Secretary of Homeland
Security ...") share a fact, not a passage.

Stock paragraphs are left out too: a paragraph that more than
COMMON_FINGERPRINT documents carry word for word (an outlet's closing
lines, a press office's contact paragraph) is house style, not reuse.
Its own fingerprints are too common to start a run, but a run started by a
rare one across a seam (", said the spokesperson." and then the closing)
reaches into it; the stock paragraph is then cut off, and what is left of
the run must still be REUSE_WORDS long. A paragraph becomes stock once
enough documents of the archive carry it, whatever the order of its files.

With a cache, what each pair was found to share is kept by the pair's ids
for the next build, which weighs again only the pairs an edit may have
changed (`_again`): at 10,000 documents, extending every shared
fingerprint again and reading the places of every document involved took
4.9 s after an edit to one bundle.
"""

from __future__ import annotations

import hashlib
import itertools
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from generator.cache.digests import combine, paragraphs_key
from generator.cache.store import BuildCache
from generator.compare.passages import Places, Texts, order, relation
from generator.compare.postings import Postings
from generator.compare.shingles import REUSE_WORDS
from generator.compare.witness import words
from generator.model import Document, Relation

# A fingerprint shared by more documents than this is boilerplate, not reuse.
COMMON_FINGERPRINT = 10
# The shortest piece of a run, cut at a paragraph break, still linked.
MIN_PIECE_WORDS = 6
# A run of shared words: (first word in one document, in the other, how many).
Run = tuple[int, int, int]
# The cache's stage for what the last build found (`_Reused`).
_REUSED = "reuse found"
_LAST = "last build"
# And for each text's paragraphs, signed (`_signed_paragraphs`).
_PARAGRAPHS = "signed paragraphs"
CACHED_STAGES = (_REUSED, _PARAGRAPHS)
# Per document, which of its paragraphs are stock.
StockFlags = tuple[bool, ...]
# The entries a build replaces with what it found, for the next (stage, key).
LAST_FOUND = ((_REUSED, _LAST),)


def find_reuse(texts: Texts, cache: BuildCache | None = None) -> list[Relation]:
    """Relations for long runs of shared words outside quotation marks.

    With a `cache`, what each pair of documents was found to share is kept
    for the next build, which weighs again only the pairs whose inputs an
    edit may have changed (`_again`).
    """
    index = texts.index
    postings = Postings.of([index.fingerprint_values(d) for d in range(len(texts.documents))])
    sizes = postings.sizes()
    eligible = postings.distinct[(sizes > 1) & (sizes <= COMMON_FINGERPRINT)]
    stock = _stock_paragraphs(texts.documents, cache)
    ids = [doc.id for doc in texts.documents]
    identities = _identities(texts, stock)
    previous = cache.lookup(_REUSED, _LAST) if cache is not None else None
    again = _again(texts, postings, eligible, identities, previous)
    if again is None:
        runs = _all_runs(texts, set(eligible.tolist()))
        kept: dict[tuple[int, int], tuple[Relation, ...]] = {}
    else:
        pairs, kept = again
        runs = _runs_of(texts, pairs, set(eligible.tolist()))
    found = dict(kept)
    for (a, b), shared in runs.items():
        if relations := _relations(texts, a, b, shared, stock[a]):
            found[a, b] = relations
    if cache is not None:
        state = _Reused(
            tuple(ids),
            dict(zip(ids, identities, strict=True)),
            eligible,
            {(ids[a], ids[b]): relations for (a, b), relations in found.items()},
        )
        cache.store(_REUSED, _LAST, state)
    return [relation_ for pair in sorted(found) for relation_ in found[pair]]


@dataclass(frozen=True)
class _Reused:
    """What the last build found of reuse, and what it followed from."""

    order: tuple[str, ...]  # the documents' ids, in archive order
    identity: dict[str, str]  # id → the key of all a pair's relations read of the document
    eligible: np.ndarray  # the fingerprints that could start a run, ascending
    relations: dict[tuple[str, str], tuple[Relation, ...]]  # by pair, the earlier first


def _identities(texts: Texts, stock: list[StockFlags]) -> list[str]:
    """Per document, the key of all that the relations of a pair holding it read of it.

    Its id and date (who quotes whom), its paragraphs (its words, places and
    marks), which of them are stock, and the members of its group (the pairs
    it is related to, and so never weighed).
    """
    members: dict[str, list[str]] = {}
    for d, group in texts.group_of.items():
        members.setdefault(group, []).append(texts.documents[d].id)
    keys = []
    for d, doc in enumerate(texts.documents):
        group = texts.group_of.get(d)
        fellows = tuple(sorted(members[group])) if group is not None else ()
        keys.append(
            combine(
                doc.id,
                doc.date or "",
                paragraphs_key(doc),
                tuple(p.number for p in doc.paragraphs),
                stock[d],
                fellows,
            )
        )
    return keys


def _again(
    texts: Texts,
    postings: Postings,
    eligible: np.ndarray,
    identities: list[str],
    previous: _Reused | None,
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], tuple[Relation, ...]]] | None:
    """The pairs to weigh again, and the last build's relations kept; None to weigh all.

    A pair's relations follow from what `_identities` keys of its two
    documents, from their order, and from which of the fingerprints they
    share can start a run (held by 2 to COMMON_FINGERPRINT documents). So a
    pair of documents whose keys did not change, still in the same order,
    sharing no fingerprint that became or ceased to be one that can start a
    run, has the relations it had. Weighed again: every pair with a document
    changed or added, and every pair sharing a fingerprint that flipped.
    """
    ids = [doc.id for doc in texts.documents]
    if previous is None:
        return None
    here = set(ids)
    if [i for i in ids if i in previous.identity] != [i for i in previous.order if i in here]:
        return None  # documents kept but in another order: each pair is weighed in order
    changed = {d for d, i in enumerate(ids) if previous.identity.get(i) != identities[d]}
    flipped = np.setxor1d(previous.eligible, eligible, assume_unique=True)
    can_start = set(eligible.tolist())
    pairs: set[tuple[int, int]] = set()
    for d in changed:
        for fingerprint in set(texts.index.fingerprint_values(d)) & can_start:
            pairs.update((min(d, o), max(d, o)) for o in postings.holders(fingerprint) if o != d)
    for fingerprint in flipped.tolist():
        # Its unchanged holders held it in the last build too: COMMON_FINGERPRINT at
        # most, since it could start a run then or can now.
        holders = [h for h in postings.holders(fingerprint) if h not in changed]
        pairs.update(itertools.combinations(holders, 2))
    position = {i: d for d, i in enumerate(ids)}
    kept = {}
    for (a, b), relations in previous.relations.items():
        pair = position.get(a), position.get(b)
        if pair[0] is None or pair[1] is None or pair[0] in changed or pair[1] in changed:
            continue
        if pair not in pairs:
            kept[pair] = relations
    return pairs, kept


def _all_runs(texts: Texts, can_start: set[int]) -> dict[tuple[int, int], set[Run]]:
    """Every pair's runs of REUSE_WORDS shared words or more, through fingerprints they share."""
    index = texts.index
    postings: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
    for d in range(len(texts.documents)):
        for fingerprint, positions in index.fingerprints(d).items():
            if fingerprint in can_start:
                postings.setdefault(fingerprint, []).append((d, positions))
    # Every run of REUSE_WORDS shared words holds a shared fingerprint:
    # extending each shared fingerprint both ways finds them all.
    runs: dict[tuple[int, int], set[Run]] = {}
    for holders in postings.values():
        for (a, where_a), (b, where_b) in itertools.combinations(holders, 2):
            if texts.related(a, b):
                continue
            for at_a, at_b in itertools.product(where_a, where_b):
                run = _extend(index.words[a], index.words[b], at_a, at_b)
                if run[2] >= REUSE_WORDS:
                    runs.setdefault((a, b), set()).add(run)
    return runs


def _runs_of(
    texts: Texts, pairs: set[tuple[int, int]], can_start: set[int]
) -> dict[tuple[int, int], set[Run]]:
    """The runs of some pairs (lower position first), found as `_all_runs` finds them."""
    index = texts.index
    where: dict[int, dict[int, tuple[int, ...]]] = {}
    runs: dict[tuple[int, int], set[Run]] = {}
    for a, b in pairs:
        if texts.related(a, b):
            continue
        for d in (a, b):
            if d not in where:
                where[d] = index.fingerprints(d)
        for fingerprint in where[a].keys() & where[b].keys() & can_start:
            for at_a, at_b in itertools.product(where[a][fingerprint], where[b][fingerprint]):
                run = _extend(index.words[a], index.words[b], at_a, at_b)
                if run[2] >= REUSE_WORDS:
                    runs.setdefault((a, b), set()).add(run)
    return runs


def _relations(
    texts: Texts, a: int, b: int, found: set[Run], stock: StockFlags
) -> tuple[Relation, ...]:
    """The relations of one pair's runs (a before b in the archive; `stock`, a's paragraphs)."""
    relations = []
    when = order(texts.dates[a], texts.dates[b])
    if when in (0, None):  # no direction: the later in sort order is the origin
        kind, origin_is_a = "shared-passage", texts.rank[a] > texts.rank[b]
    else:
        kind, origin_is_a = "quotation", when == 1
    places_a, places_b = texts.places(a), texts.places(b)
    for at_a, at_b, size in sorted(found):
        pieces = [
            piece
            for piece in _pieces(places_a, places_b, at_a, at_b, size)
            if not _is_stock(places_a, piece[0], piece[2], stock)
        ]
        if sum(length for _, _, length in pieces) < REUSE_WORDS:
            continue  # what it shares beside stock paragraphs is too short to be reuse
        for piece_a, piece_b, length in pieces:
            span_a = places_a.words_span(piece_a, piece_a + length)
            span_b = places_b.words_span(piece_b, piece_b + length)
            # Quoted with marks, in part: the marked search has dealt with it.
            if places_a.touches_marks(piece_a, piece_a + length):
                continue
            if places_b.touches_marks(piece_b, piece_b + length):
                continue
            if _mostly_names(places_a.text(span_a)):
                continue
            if origin_is_a:
                relations.append(relation(kind, places_a, span_a, places_b, span_b, exact=True))
            else:
                relations.append(relation(kind, places_b, span_b, places_a, span_a, exact=True))
    return tuple(relations)


def _pieces(a: Places, b: Places, at_a: int, at_b: int, size: int) -> list[tuple[int, int, int]]:
    """A run cut where either text starts a new paragraph: (start in a, in b, size) each."""
    pieces = []
    done = 0
    while done < size:
        length = min(
            size - done,
            a.paragraph_end(at_a + done) - (at_a + done),
            b.paragraph_end(at_b + done) - (at_b + done),
        )
        if length >= MIN_PIECE_WORDS:
            pieces.append((at_a + done, at_b + done, length))
        done += length
    return pieces


def _stock_paragraphs(documents: list[Document], cache: BuildCache | None) -> list[StockFlags]:
    """Per document, which of its paragraphs more than COMMON_FINGERPRINT documents carry.

    A paragraph is its words, case and spacing aside, signed by a 64-bit
    digest (as boilerplate's sentences are): kept by text, the signatures
    spare an edit reading every paragraph of the archive again.
    """
    signed = [_signed_paragraphs(doc, cache) for doc in documents]
    carried: Counter[int] = Counter()
    for mine in signed:
        carried.update(set(mine))
    return [tuple(carried[p] > COMMON_FINGERPRINT for p in mine) for mine in signed]


def _signed_paragraphs(doc: Document, cache: BuildCache | None) -> Sequence[int]:
    """A digest of each of its paragraphs' words, case and spacing aside; cached by text."""
    text = paragraphs_key(doc) if cache is not None else ""
    known = cache.lookup(_PARAGRAPHS, text) if cache is not None else None
    if known is None:
        known = array("q", (_signed(p.text) for p in doc.paragraphs))
        if cache is not None:
            cache.store(_PARAGRAPHS, text, known)
    return known


def _signed(text: str) -> int:
    words = " ".join(text.split()).casefold().encode()
    return int.from_bytes(hashlib.blake2b(words, digest_size=8).digest(), signed=True)


def _is_stock(places: Places, start: int, length: int, stock: StockFlags) -> bool:
    """Whether the words [start, start + length) are a whole stock paragraph of the document."""
    paragraph = places.paragraph_of(start)
    if places.paragraph_first_words[paragraph] != start:
        return False
    if places.paragraph_end(start) != start + length:
        return False
    return stock[paragraph]


def _mostly_names(text: str) -> bool:
    """Whether most words are capitalized: a list of officials and titles, a shared fact."""
    found = words(text)
    return sum(w.text[0].isupper() for w in found) * 2 > len(found)


def _extend(a: list[int], b: list[int], at_a: int, at_b: int) -> tuple[int, int, int]:
    """The longest run of equal words through a[at_a] and b[at_b]: (start in a, in b, size)."""
    if a[at_a] != b[at_b]:  # a hash collision, not a shared word
        return at_a, at_b, 0
    while at_a > 0 and at_b > 0 and a[at_a - 1] == b[at_b - 1]:
        at_a, at_b = at_a - 1, at_b - 1
    size = 0
    while at_a + size < len(a) and at_b + size < len(b) and a[at_a + size] == b[at_b + size]:
        size += 1
    return at_a, at_b, size
