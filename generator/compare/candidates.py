"""Candidate versions: the pairs of documents whose rarest shingle keys meet.

Each document looks up its KEYS_LOOKED_UP rarest keys held by another
document, earlier or later in the archive, and meets the CANDIDATES
documents found most often (CANDIDATE_SHARED times at least; ties by id).
A pair is a candidate when either of its documents meets the other. A
document with fewer than FEW_RARE_KEYS rare keys (a member of a huge family
of copies, whose keys all are common) meets, through each key held by more
than COMMON_KEY documents, its NEIGHBOURS next such holders in content order.

What a document meets is a function of its keys, of how many documents hold
each of them, of the holders of its rare ones, and of their ids: nothing
else. With a cache, what each document met is kept by id for the next
build, which looks again only for the documents an edit changed, added or
removed, and for those holding one of the keys these gained or lost: every
other document's keys are held by the same documents as before, so it
meets whom it met. Looking again for all 10,000 took 2.2 s of CPU after an
edit to one bundle.
"""

from __future__ import annotations

import heapq
import zlib
from collections import Counter
from collections.abc import Callable, Sequence

from generator.cache.digests import paragraphs_key
from generator.cache.store import BuildCache
from generator.compare.postings import Postings
from generator.compare.shingles import ShingleIndex

# Each document looks up its rarest keys held by others, and meets the few
# documents found most often, at least twice: on the benchmark archive, 2,000
# documents meet 27,000 others at least twice, and the 313 versions among them
# are nearly all found ten times or more.
KEYS_LOOKED_UP = 24
CANDIDATE_SHARED = 2
CANDIDATES = 8
# A key held by more documents than this is boilerplate or a huge family: each
# holder meets only its NEIGHBOURS next holders, in content order, through it.
COMMON_KEY = 64
NEIGHBOURS = 4
# Documents with fewer rare keys than this look for their versions through common ones.
FEW_RARE_KEYS = 6
# The cache's stage for what each document met in the last build, by id:
# (its paragraphs' key, whether it had keys, the ids it met, its rare keys,
# its keys held by another).
_MET = "candidates met"
_LAST = "last build"
CACHED_STAGES = (_MET,)
# The entries a build replaces with what it found, for the next (stage, key).
LAST_FOUND = ((_MET, _LAST),)
_Met = tuple[str, bool, tuple[str, ...], int, int]


def candidate_pairs(
    index: ShingleIndex,
    keys: list[list[int]],
    shared: Sequence[bool] | None = None,
    cache: BuildCache | None = None,
) -> set[tuple[int, int]]:
    """Pairs of documents (lower position first) worth verifying: they share rare keys.

    With `shared`, only a document mostly made of sentences many documents
    carry (`Boilerplate.mostly_shared`) takes the huge-family rule: one with
    words of its own finds its versions through the keys of those words, and
    a report made of stock text around a few lines of its own is no family's
    member. With a `cache`, only the documents an edit touched look again.
    """
    ids = [doc.id for doc in index.documents]
    texts = [paragraphs_key(doc) for doc in index.documents]
    postings = Postings.of(keys)
    previous = cache.lookup(_MET, _LAST) if cache is not None else None
    again = _touched(index, keys, ids, texts, postings, previous)
    position = {doc_id: d for d, doc_id in enumerate(ids)}
    holders, size = postings.holders, None
    if again is None:
        # Every document looks: a dictionary answers its many lookups faster.
        everyone = postings.as_dict()
        holders, size = everyone.__getitem__, {k: len(h) for k, h in everyone.items()}
    met: list[_Met] = []
    for d, mine in enumerate(keys):
        if again is None or d in again:
            sizes = postings.count(mine).tolist() if size is None else [size[k] for k in mine]
            best, rare, telling = _meet(d, mine, sizes, holders, ids)
            met.append((texts[d], bool(mine), best, rare, telling))
        else:
            assert previous is not None
            met.append(previous[ids[d]])
    if cache is not None:
        cache.store(_MET, _LAST, {ids[d]: found for d, found in enumerate(met)})
    found: set[tuple[int, int]] = set()
    rank: dict[int, tuple[int, str]] = {}  # documents that need the common keys
    for d, (_text, _keyed, best, rare, telling) in enumerate(met):
        for other in best:
            o = position[other]
            found.add((min(d, o), max(d, o)))
        huge = shared is None or shared[d]
        if huge and rare < FEW_RARE_KEYS and rare < telling:
            # Too few rare keys to find its versions by: a member of a huge family.
            rank[d] = (_content_rank(index.words[d]), ids[d])
    common: dict[int, list[int]] = {}
    for d in rank:
        for key, size in zip(keys[d], postings.count(keys[d]).tolist(), strict=True):
            if size > COMMON_KEY:
                common.setdefault(key, []).append(d)
    for holders in common.values():
        ordered = sorted(holders, key=rank.__getitem__)
        for at, d in enumerate(ordered):
            for other in ordered[at + 1 : at + 1 + NEIGHBOURS]:
                found.add((min(d, other), max(d, other)))
    return found


def _meet(
    d: int,
    mine: list[int],
    sizes: list[int],
    holders: Callable[[int], list[int]],
    ids: list[str],
) -> tuple[tuple[str, ...], int, int]:
    """Whom a document meets (ids), how many rare keys it has, and how many held by another."""
    telling = sorted((size, k) for size, k in zip(sizes, mine, strict=True) if size > 1)
    rare = [key for size, key in telling[:KEYS_LOOKED_UP] if size <= COMMON_KEY]
    met: Counter[int] = Counter()
    for key in rare:
        met.update(holders(key))
    del met[d]
    # Most documents met share one key only: leaving them out before ranking
    # keeps the same best (they rank last) at a fraction of the cost.
    often = [(o, count) for o, count in met.items() if count >= CANDIDATE_SHARED]
    best = heapq.nsmallest(CANDIDATES, often, key=lambda m: (-m[1], ids[m[0]]))
    return tuple(ids[o] for o, _count in best), len(rare), len(telling)


def _touched(
    index: ShingleIndex,
    keys: list[list[int]],
    ids: list[str],
    texts: list[str],
    postings: Postings,
    previous: dict[str, _Met] | None,
) -> set[int] | None:
    """The documents that must look again; None when all must (nothing usable was kept).

    A key gained or lost by a document changes how many hold it, and who:
    every holder of such a key looks again (unless it is common before and
    after), and the documents changed or added. A key no document gained or
    lost is held by the same documents (ids) as in the last build.
    """
    if previous is None:
        return None
    again: set[int] = set()
    moved: Counter[int] = Counter()  # keys gained (+1 each) or lost (-1 each)
    for d, doc_id in enumerate(ids):
        old = previous.get(doc_id)
        if old is not None and old[0] == texts[d]:
            continue
        again.add(d)
        before = _kept_keys(index, old)
        if before is None:
            return None
        now = set(keys[d])
        moved.update(dict.fromkeys(now - before, 1))
        moved.subtract(dict.fromkeys(before - now, 1))
    for doc_id in previous.keys() - set(ids):
        before = _kept_keys(index, previous[doc_id])
        if before is None:
            return None
        moved.subtract(dict.fromkeys(before, 1))
    wanted = list(moved)
    for key, size in zip(wanted, postings.count(wanted).tolist(), strict=True):
        # Held by more than COMMON_KEY before and after, a key is no holder's
        # rare key either time: only its holders' neighbours change, and those
        # are found again from every document's counts anyway.
        if size > COMMON_KEY and size - moved[key] > COMMON_KEY:
            continue
        again.update(postings.holders(key))
    return again


def _kept_keys(index: ShingleIndex, old: _Met | None) -> set[int] | None:
    """The keys a document had in the last build (none if it was not there); None if unknown."""
    if old is None or not old[1]:
        return set()
    kept = index.kept_keys(old[0])
    return None if kept is None else set(kept)


def _content_rank(words: list[int]) -> int:
    """A stable, content-derived place for a document among the holders of a common key."""
    return zlib.crc32(" ".join(map(str, words)).encode())
