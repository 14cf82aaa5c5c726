"""Shingle keys and fingerprints: the same words always give the same summaries."""

from __future__ import annotations

import random

from generator.compare.shingles import REUSE_WORDS, ShingleIndex
from generator.compare.witness import normalize_words
from generator.model import Document, Paragraph, Provenance


def _doc(doc_id: str, text: str) -> Document:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {})
    return Document(doc_id, provenance, (Paragraph(1, text, 1),), "T", False, "en")


def test_words_are_normalized_as_witnesses_are() -> None:
    text = "“Mexico’s” DEMOCRATIC decline — Ça va, co-operation; naïve Naïve"
    index = ShingleIndex.of([_doc("a", text)])
    ids = index.words[0]
    by_id = {i: w for w, i in index.vocabulary.items()}
    assert [by_id[i] for i in ids] == normalize_words(text)
    assert [by_id[i] for i in ids] == [
        "mexico's", "democratic", "decline", "ça", "va", "co-operation", "naïve", "naïve",
    ]  # fmt: skip


def test_summaries_do_not_depend_on_the_rest_of_the_archive() -> None:
    text = "the two countries reaffirmed their existing commitments on regular migration " * 3
    alone = ShingleIndex.of([_doc("a", text)])
    crowded = ShingleIndex.of([_doc("z", "other words first, in another order"), _doc("a", text)])
    assert alone.keys(0) == crowded.keys(1)
    assert alone.fingerprints(0) == crowded.fingerprints(1)


def test_every_shared_run_of_reuse_length_leaves_a_common_fingerprint() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(400)]
    for _ in range(200):
        run = rng.choices(vocabulary, k=REUSE_WORDS)
        left = rng.choices(vocabulary, k=rng.randint(0, 40)) + run
        right = run + rng.choices(vocabulary, k=rng.randint(0, 40))
        left += rng.choices(vocabulary, k=rng.randint(0, 40))
        index = ShingleIndex.of([_doc("a", " ".join(left)), _doc("b", " ".join(right))])
        assert set(index.fingerprints(0)) & set(index.fingerprints(1))


def test_fingerprint_positions_point_at_their_shingle() -> None:
    index = ShingleIndex.of([_doc("a", " ".join(f"w{n}" for n in range(30)))])
    words = index.words[0]
    assert index.fingerprints(0)
    for positions in index.fingerprints(0).values():
        assert all(0 <= position <= len(words) - 5 for position in positions)


def test_a_repeated_fingerprint_lists_every_place() -> None:
    text = " ".join(f"w{n}" for n in range(12))
    index = ShingleIndex.of([_doc("a", f"{text} {text}")])
    inside_first_copy = [p for p in index.fingerprints(0).values() if p[0] <= 12 - 5]
    assert inside_first_copy
    assert all(p == (p[0], p[0] + 12) for p in inside_first_copy)


def test_summaries_kept_in_a_cache_are_the_ones_computed() -> None:
    from generator.cache.store import BuildCache

    texts = [
        "one two three four five six seven eight nine ten eleven twelve thirteen",
        "short",
        "a b a b a b a b a b a b a b a b a b a b a b a b a b",  # positions repeat
    ]
    plain = ShingleIndex.of([_doc(str(n), t) for n, t in enumerate(texts)])
    cache = BuildCache()
    for _round in range(2):  # computed, then read from the cache
        cached = ShingleIndex.of([_doc(str(n), t) for n, t in enumerate(texts)], cache)
        for d in range(len(texts)):
            assert cached.keys(d) == plain.keys(d)
            assert cached.fingerprints(d) == plain.fingerprints(d)
            assert list(cached.fingerprints(d)) == list(plain.fingerprints(d))  # same order
    assert len(cache.entries["shingle summaries"]) == len(texts)
