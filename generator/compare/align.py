"""Align the sentences of several witnesses of one text, row by row, against a base.

Every witness is aligned to the base on its own, never to another witness, so
the rows cannot depend on the order the other witnesses are listed in (the
complaint against progressive collators). Per witness: the heaviest monotonic
chain of similar sentence pairs (Needleman–Wunsch without mismatches, computed
sparsely), then the sentences left over on both sides are paired as moved
passages when they are clearly the same. A sentence only a witness has gets a
row of its own after the witness's previous sentence; such sentences of
different witnesses share a row when they are alike.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process

from generator.compare.witness import normalize_words
from generator.model import Row, Sentence

# Sentences less alike than this (0–100, `witness.similarity`) are different sentences.
MATCH = 50.0
# Pairing sentences out of reading order is a stronger claim: it needs more likeness.
MOVED = 70.0
# Sentence pairs compared at most, per pair of witnesses. Real versions are a few
# hundred sentences each: every pair is compared, so a passage is found wherever
# it moved. Beyond this (a 5 MB source of one line, say), each base sentence is
# compared only with the witness's sentences near the same relative place, its
# best few matches kept: the time and memory stay bounded, moves far away are lost.
PAIR_BUDGET = 4_000_000
_BEST_IN_WINDOW = 4


@dataclass(frozen=True)
class _Pairing:
    """How one witness lines up with the base."""

    partner: dict[int, int]  # witness sentence position → base sentence position
    moved: frozenset[int]  # witness positions paired out of reading order


def align(witnesses: list[list[Sentence]]) -> list[Row]:
    """Rows of aligned sentences; witness 0 is the base and rows follow its reading order.

    A row holds one base sentence, or several where a witness has them as one
    (merged), and each witness's sentences there: one, or several where it
    split the base's sentence in two. The words decide, not the full stops:
    a split sentence is then a punctuation variant within one row, not a
    passage missing from one text and added in the other.
    """
    if not witnesses:
        return []
    base = witnesses[0]
    base_keys = [_key(s) for s in base]
    pairings = [_pair(base_keys, [_key(s) for s in w]) for w in witnesses[1:]]
    base_words = [_key(s).split() for s in base]
    joined: set[int] = set()  # base positions that share the row of the one before
    attached: list[dict[int, int]] = []  # per witness: split-off sentence → base position
    for witness, pairing in zip(witnesses[1:], pairings, strict=True):
        mine, joins = _splits_and_merges(base_words, [_key(s).split() for s in witness], pairing)
        attached.append(mine)
        joined |= joins
    starts = [i for i in range(len(base)) if i not in joined]
    row_of = {}  # base position → row number among the base's rows
    ends = [*starts[1:], len(base)] if starts else []
    for number, (low, high) in enumerate(zip(starts, ends, strict=True)):
        row_of.update(dict.fromkeys(range(low, high), number))

    # Where each witness's own sentences go: after the row of the previous
    # sentence it has in reading order (-1: before the first base row).
    # Moved sentences are skipped as anchors: they sit elsewhere in the base.
    extras: dict[int, list[tuple[int, int]]] = {}
    placed: list[dict[int, list[int]]] = []  # per witness: base row → its sentences there
    for k, (witness, pairing) in enumerate(zip(witnesses[1:], pairings, strict=True), 1):
        anchor = -1
        here: dict[int, list[int]] = {}
        for j in range(len(witness)):
            if j in pairing.partner:
                here.setdefault(row_of[pairing.partner[j]], []).append(j)
                if j not in pairing.moved:
                    anchor = row_of[pairing.partner[j]]
            elif j in attached[k - 1]:
                here.setdefault(row_of[attached[k - 1][j]], []).append(j)
            else:
                extras.setdefault(anchor, []).append((k, j))
        placed.append(here)

    width = len(witnesses)
    rows: list[Row] = []
    for anchor in range(-1, len(starts)):
        if anchor >= 0:
            low = starts[anchor]
            high = starts[anchor + 1] if anchor + 1 < len(starts) else len(base)
            cells: list[tuple[Sentence, ...]] = [_cell(*base[low:high])]
            moved = [False]
            for k, pairing in enumerate(pairings, 1):
                mine = placed[k - 1].get(anchor, [])
                cells.append(_cell(*(witnesses[k][j] for j in mine)))
                moved.append(any(j in pairing.moved for j in mine))
            rows.append(Row(tuple(cells), tuple(moved) if any(moved) else _in_order(width)))
        for cluster in _clusters(extras.get(anchor, []), witnesses):
            cells = [()] * width
            for k, j in cluster.items():
                cells[k] = _cell(witnesses[k][j])
            rows.append(Row(tuple(cells), _in_order(width)))
    return rows


# A neighbour joins a sentence's row when the two together are at least this
# much more alike (word-level ratio, 0–100) to the other text's sentence than
# the sentence alone: "…deaf; colour and constitution go together." against
# "…deaf." + "Colour and constitution go together." gains 33.
JOIN_GAIN = 10.0


def _splits_and_merges(
    base: list[list[str]], witness: list[list[str]], pairing: _Pairing
) -> tuple[dict[int, int], set[int]]:
    """Where a witness splits a base sentence, or merges two: by the words, not the stops.

    Returns the witness's unpaired sentences that belong with a neighbour's
    base sentence (witness position → base position), and the unpaired base
    sentences that share a row with the base sentence before them.
    """
    in_order = {j: i for j, i in pairing.partner.items() if j not in pairing.moved}
    attached: dict[int, int] = {}
    for j in range(len(witness)):
        if j in pairing.partner:
            continue
        best: tuple[float, int] | None = None
        for neighbour in (j - 1, j + 1):
            i = in_order.get(neighbour)
            if i is None:
                continue
            both = witness[min(j, neighbour)] + witness[max(j, neighbour)]
            gain = _word_ratio(base[i], both) - _word_ratio(base[i], witness[neighbour])
            if gain >= JOIN_GAIN and (best is None or gain > best[0]):
                best = (gain, i)
        if best is not None:
            attached[j] = best[1]
    paired_base = {i: j for j, i in in_order.items()}
    taken = set(pairing.partner.values())
    joined: set[int] = set()
    for i in range(len(base)):
        if i in taken:
            continue
        best_side: tuple[float, int] | None = None
        for neighbour in (i - 1, i + 1):
            j = paired_base.get(neighbour)
            if j is None:
                continue
            both = base[min(i, neighbour)] + base[max(i, neighbour)]
            gain = _word_ratio(both, witness[j]) - _word_ratio(base[neighbour], witness[j])
            if gain >= JOIN_GAIN and (best_side is None or gain > best_side[0]):
                best_side = (gain, neighbour)
        if best_side is not None:
            joined.add(max(i, best_side[1]))  # the later of the two joins the earlier's row
    return attached, joined


def _word_ratio(a: list[str], b: list[str]) -> float:
    """How alike two word lists are, 0–100: 2·common words in order / all words."""
    if not a or not b:
        return 100.0 if a == b else 0.0
    return fuzz.ratio(a, b)


# The model's most numerous objects are the rows' small tuples: a group of k texts
# is aligned once per base, so each sentence's cell recurs k times, and most rows
# have nothing moved. Shared: 360,000 fewer objects at 10,000 documents.
@functools.lru_cache(maxsize=4096)
def _cell(*sentences: Sentence) -> tuple[Sentence, ...]:
    return sentences


@functools.lru_cache(maxsize=64)
def _in_order(width: int) -> tuple[bool, ...]:
    return (False,) * width


def pair_similarity(a: list[Sentence], b: list[Sentence]) -> float:
    """How much of two whole texts agrees word for word, 0–1 (2·common words / all words)."""
    left = [w for s in a for w in normalize_words(s.text)]
    right = [w for s in b for w in normalize_words(s.text)]
    if not left or not right:
        return 1.0 if left == right else 0.0
    # Indel ratio on word sequences is 2·LCS/(len a + len b): an exact longest
    # common subsequence (difflib's blocks are a heuristic), bit-parallel in C++.
    return fuzz.ratio(left, right) / 100.0


def scores_above(
    a: list[list[str]], b: list[list[str]], cutoff: float
) -> dict[tuple[int, int], float]:
    """Similarity (0–100) of every pair of sentences of a and b alike at least `cutoff`.

    Each sentence is given as its normalized words, which a caller weighing one
    text against many has already: normalizing again cost a fifth of grouping.
    """
    return _scores([" ".join(w) for w in a], [" ".join(w) for w in b], cutoff)


def in_order_pairs(a: list[Sentence], b: list[Sentence]) -> list[tuple[int, int, float]]:
    """Sentences that line up in reading order: (position in a, in b, similarity 0–100)."""
    scores = _scores([_key(s) for s in a], [_key(s) for s in b], MATCH)
    return [(i, j, scores[i, j]) for i, j in _heaviest_chain(scores, len(b))]


def _key(sentence: Sentence) -> str:
    """What `witness.similarity` compares: the normalized words, space-joined."""
    return _normalized(sentence.text)


# A group of k texts is aligned k times, once per base: its sentences come back.
@functools.lru_cache(maxsize=4096)
def _normalized(text: str) -> str:
    return " ".join(normalize_words(text))


def _scores(
    base_keys: Sequence[str], other_keys: Sequence[str], cutoff: float
) -> dict[tuple[int, int], float]:
    """Similarity of every (base, other) pair at or above `cutoff`; the rest are left out."""
    scores: dict[tuple[int, int], float] = {}
    if not base_keys or not other_keys:
        return scores
    m, n = len(base_keys), len(other_keys)
    windowed = m * n > PAIR_BUDGET
    half = max(1, PAIR_BUDGET // (2 * m))
    for i, key in enumerate(base_keys):
        low, high = 0, n
        if windowed:
            centre = i * n // m
            low, high = max(0, centre - half), min(n, centre + half + 1)
        if not key:  # `similarity`: two wordless sentences are alike, else nothing is
            scores.update(((i, j), 100.0) for j in range(low, high) if not other_keys[j])
            continue
        found = process.extract(
            key,
            other_keys[low:high],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            limit=_BEST_IN_WINDOW if windowed else None,
        )
        for _, score, j in found:
            if other_keys[low + j]:
                scores[i, low + j] = score
    return scores


def _pair(base_keys: list[str], other_keys: list[str]) -> _Pairing:
    """Pair one witness's sentences with the base's: in order first, then moved ones."""
    scores = _scores(base_keys, other_keys, MATCH)
    chain = _heaviest_chain(scores, len(other_keys))
    partner = {j: i for i, j in chain}
    used = {i for i, _ in chain}
    # Leftovers that are alike must cross the chain (else the chain would have
    # taken them, since every match adds weight): they are moved passages.
    moved: set[int] = set()
    leftovers = sorted(
        (-score, i, j)
        for (i, j), score in scores.items()
        if score >= MOVED and i not in used and j not in partner
    )
    for _, i, j in leftovers:
        if i not in used and j not in partner:
            partner[j] = i
            used.add(i)
            moved.add(j)
    return _Pairing(partner, frozenset(moved))


def _heaviest_chain(scores: dict[tuple[int, int], float], width: int) -> list[tuple[int, int]]:
    """The pairs, increasing on both sides, whose summed weight is greatest.

    The weight of a pair is its similarity above the threshold, so one sure
    match outweighs a few doubtful ones; gaps cost nothing. Only pairs above
    the threshold are visited, with a Fenwick tree of best chains by witness
    position: O(k log n) for k candidate pairs instead of a full m×n table.
    """
    best: list[tuple[float, int]] = [(0.0, -1)] * (width + 1)  # (weight, pair id)
    pairs: list[tuple[int, int]] = []
    back: list[int] = []
    totals: list[float] = []
    by_base: dict[int, list[tuple[int, float]]] = {}
    for (i, j), score in sorted(scores.items()):
        by_base.setdefault(i, []).append((j, score - MATCH + 1.0))
    for i, row in by_base.items():
        found = []
        for j, weight in row:
            prior, previous = _prefix_best(best, j)  # chains ending before witness j
            found.append((j, prior + weight, previous))
        # Updated only after the whole base sentence: a chain takes one pair per row.
        for j, total, previous in found:
            pairs.append((i, j))
            back.append(previous)
            totals.append(total)
            _raise(best, j + 1, (total, len(pairs) - 1))
    if not pairs:
        return []
    end = max(range(len(pairs)), key=lambda p: (totals[p], -p))
    chain = []
    while end >= 0:
        chain.append(pairs[end])
        end = back[end]
    return chain[::-1]


def _prefix_best(tree: list[tuple[float, int]], count: int) -> tuple[float, int]:
    """The best chain among Fenwick positions 1..count."""
    result = (0.0, -1)
    while count > 0:
        if tree[count][0] > result[0]:
            result = tree[count]
        count -= count & -count
    return result


def _raise(tree: list[tuple[float, int]], position: int, value: tuple[float, int]) -> None:
    """Record a chain ending at Fenwick `position`, where it beats what is there."""
    while position < len(tree):
        if value[0] > tree[position][0]:
            tree[position] = value
        position += position & -position


def _clusters(
    items: list[tuple[int, int]], witnesses: list[list[Sentence]]
) -> list[dict[int, int]]:
    """Group witnesses' own sentences at one place into rows, alike ones together.

    Greedy by similarity, one sentence per witness per row, and never so that
    two rows would have to be in different orders for different witnesses.
    Ties and row order are broken by the sentences themselves (document,
    position, text), never by witness number: that keeps the result order-free.
    """

    def ident(item: tuple[int, int]) -> tuple[str, int, str]:
        sentence = witnesses[item[0]][item[1]]
        return sentence.document, sentence.index, sentence.text

    by_witness: dict[int, list[int]] = {}
    for k, j in items:
        by_witness.setdefault(k, []).append(j)
    candidates = []
    for k, mine in by_witness.items():
        for other, theirs in by_witness.items():
            if other <= k:
                continue
            mine_keys = [_key(witnesses[k][j]) for j in mine]
            found = _scores(mine_keys, [_key(witnesses[other][j]) for j in theirs], MATCH)
            for (a, b), score in found.items():
                pair = sorted([(k, mine[a]), (other, theirs[b])], key=ident)
                candidates.append((-score, [ident(p) for p in pair], pair))
    candidates.sort(key=lambda c: (c[0], c[1]))

    group = {item: n for n, item in enumerate(items)}
    members: dict[int, dict[int, int]] = {n: {k: j} for n, (k, j) in enumerate(items)}
    for _, _, (first, second) in candidates:
        a, b = group[first], group[second]
        if a == b or members[a].keys() & members[b].keys():
            continue
        trial = {n: cells for n, cells in members.items() if n != b}
        trial[a] = {**members[a], **members[b]}
        if _ordered(trial, by_witness, ident) is None:
            continue  # they would cross: one witness has them one way, another the other
        members = trial
        for item in trial[a].items():
            group[item] = a
    order = _ordered(members, by_witness, ident)
    assert order is not None  # every merge kept an order
    return [members[n] for n in order]


def _ordered(
    members: dict[int, dict[int, int]],
    by_witness: dict[int, list[int]],
    ident: Callable[[tuple[int, int]], tuple[str, int, str]],
) -> list[int] | None:
    """Groups in an order every witness agrees with (ties: by content), or None."""
    where = {(k, j): n for n, cells in members.items() for k, j in cells.items()}
    after: dict[int, set[int]] = {n: set() for n in members}
    needs = dict.fromkeys(members, 0)
    for k, positions in by_witness.items():
        for earlier, later in pairwise([where[k, j] for j in positions]):
            if later not in after[earlier]:
                after[earlier].add(later)
                needs[later] += 1
    content = {n: min(ident(item) for item in cells.items()) for n, cells in members.items()}
    ready = [(content[n], n) for n, count in needs.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, n = heapq.heappop(ready)
        order.append(n)
        for later in after[n]:
            needs[later] -= 1
            if needs[later] == 0:
                heapq.heappush(ready, (content[later], later))
    return order if len(order) == len(members) else None
