"""Variant units: merged across witnesses, classified, located, numbered in reading order."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.pipeline import load
from generator.compare.align import align
from generator.compare.variants import find_variants
from generator.compare.witness import sentences_of
from generator.model import Document, Paragraph, Provenance, Variant


def _doc(doc_id: str, *paragraphs: str) -> Document:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {})
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, body, "T", False, "en")


def _variants(*docs: Document) -> list[Variant]:
    rows = align([sentences_of(d) for d in docs])
    return find_variants(rows, [d.id for d in docs])


def _brief(variants: list[Variant]) -> list[tuple[int, tuple[str, ...], str]]:
    return [(v.number, v.readings, v.kind) for v in variants]


def test_added_removed_and_replaced_words() -> None:
    base = _doc("a", "Rain had flooded the northern roads for three days.")
    other = _doc("b", "Heavy rain had flooded the roads for three whole weeks.")
    assert _brief(_variants(base, other)) == [
        (1, ("Rain", "Heavy rain"), "wording"),  # an added word next to a changed one
        (2, ("northern", ""), "substantive"),
        (3, ("days.", "whole weeks."), "wording"),
    ]


def test_case_and_punctuation_only() -> None:
    base = _doc("a", "The delegates met, in the old library, on “Monday” morning.")
    other = _doc("b", "the delegates met in the old library; on 'Monday' morning!")
    assert _brief(_variants(base, other)) == [
        (1, ("The", "the"), "punctuation"),
        (2, ("met,", "met"), "punctuation"),
        (3, ("library,", "library;"), "punctuation"),
        (4, ("“Monday” morning.", "'Monday' morning!"), "punctuation"),
    ]


def test_changes_of_several_witnesses_at_one_place_make_one_unit() -> None:
    base = _doc("a", "One two three four five six seven.")
    first = _doc("b", "One two THREE 3 five six seven.")  # case of "three", "four" replaced
    second = _doc("c", "One two three four 5 six seven.")  # touches the first's change
    third = _doc("d", "One two three four five six 7.")  # not next to any other change
    variants = _variants(base, first, second, third)
    assert _brief(variants) == [
        (
            1,
            ("three four five", "THREE 3 five", "three four 5", "three four five"),
            "wording",
        ),
        (2, ("seven.", "seven.", "seven.", "7."), "wording"),
    ]
    assert variants[0].paragraphs == (1, 1, 1, 1)


def test_a_sentence_missing_from_a_witness_is_one_substantive_variant() -> None:
    base = _doc("a", "Rain had flooded the roads.", "Nobody expected the treaty to survive.")
    other = _doc("b", "Rain had flooded the roads. Copper prices doubled.")
    (added, missing) = _variants(base, other)
    assert added == Variant(1, 1, ("", "Copper prices doubled."), (None, 1), "substantive",
                            (None, (28, 50)))  # fmt: skip
    assert missing == Variant(
        2, 2, ("Nobody expected the treaty to survive.", ""), (2, None), "substantive",
        ((29, 67), None),
    )  # fmt: skip


def test_identical_readings_are_never_variants() -> None:
    text = "Rain had flooded the roads. Nobody expected the treaty to survive."
    split = _doc("b", "Rain had flooded the roads.", "Nobody expected the treaty to survive.")
    assert _variants(_doc("a", text), split, _doc("c", text)) == []


def test_numbering_follows_reading_order_across_rows() -> None:
    base = _doc("a", "The treaty was signed in May.", "Copper prices doubled in June.")
    other = _doc("b", "The treaty was signed in April.", "Copper prices fell in June.")
    variants = _variants(base, other)
    assert [(v.number, v.row, v.readings) for v in variants] == [
        (1, 0, ("May.", "April.")),
        (2, 1, ("doubled", "fell")),
    ]
    assert [v.paragraphs for v in variants] == [(1, 1), (2, 2)]


def test_witness_order_only_permutes_readings() -> None:
    base = _doc("a", "Rain had flooded the northern roads for three days.")
    one = _doc("b", "Rain had flooded the roads for three whole days.")
    two = _doc("c", "Rain has flooded the northern roads for 3 days.")
    forward = _variants(base, one, two)
    backward = _variants(base, two, one)
    assert [(v.readings[0], v.readings[2], v.readings[1], v.kind) for v in backward] == [
        (*v.readings, v.kind) for v in forward
    ]


def test_witness_ids_must_match_the_rows() -> None:
    docs = [_doc("a", "One sentence."), _doc("b", "One sentence.")]
    rows = align([sentences_of(d) for d in docs])
    with pytest.raises(ValueError):
        find_variants(rows, ["a"])
    with pytest.raises(ValueError):
        find_variants(rows, ["b", "a"])


_WORDS = ["Rain", "rain", "had", "flooded", "the", "The", "roads", "for", "three", "days"]
_GLUE = [" ", " ", " ", ", ", "; ", " “", "” ", " (", ") "]
_sentence = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(_sentence, _sentence)
def test_readings_are_what_the_spans_point_at(base_words, other_words) -> None:
    base_text = "".join(w + g for w, g in base_words).strip() or "x"
    other_text = "".join(w + g for w, g in other_words).strip() or "x"
    docs = [_doc("a", base_text), _doc("b", other_text)]
    for variant in _variants(*docs):
        assert variant.kind in ("substantive", "wording", "punctuation")
        assert len(set(variant.readings)) > 1
        for doc, reading, span in zip(docs, variant.readings, variant.spans, strict=True):
            if span is not None:
                assert doc.plain_text[span[0] : span[1]] == reading


@pytest.fixture(scope="module")
def communique() -> list[Variant]:
    archive, _ = load(Path(__file__).resolve().parents[2] / "site_src")
    state, ministry, copy = (archive.documents[i] for i in (2, 3, 0))
    return _variants(state, ministry, copy)


def test_democratic_decline_is_a_substantive_variant_of_the_state_text(communique) -> None:
    (variant,) = [v for v in communique if "democratic" in v.readings[0]]
    assert variant == Variant(
        15, 3, ("democratic decline,", "", ""), (2, 3, 3), "substantive",
        ((713, 732), (701, 701), (701, 701)),
    )  # fmt: skip


def test_the_communique_variants(communique) -> None:
    assert len(communique) == 73
    kinds = [v.kind for v in communique]
    assert (kinds.count("substantive"), kinds.count("wording"), kinds.count("punctuation")) == (
        17, 46, 10,
    )  # fmt: skip
    assert [v.number for v in communique] == list(range(1, 74))
    # "U.S. officials" / "officials from the United States" is one rewording, not a
    # word removed and three added around a shared "officials" (wordiff's lone matches).
    assert [v.readings for v in communique if "officials from" in v.readings[0]] == [
        ("officials from the United States", "U.S. officials", "U.S. officials")
    ]
    # The copy reads exactly as the Ministry: only paragraphing differs.
    assert all(v.readings[1] == v.readings[2] for v in communique)
    assert communique[1].readings == ("Mexico", "Mexico,", "Mexico,")
    assert communique[1].kind == "punctuation"


# -- words, not sentences, are what vary (issue #18) -----------------------------

DEAF = (
    "Some instances of correlation are quite whimsical: thus cats with blue eyes are"
    " invariably deaf; colour and constitution go together, of which many remarkable cases"
    " could be given amongst animals and plants."
)
DEAF_SPLIT = (
    "Some instances of correlation are quite whimsical: thus cats with blue eyes are"
    " generally deaf. Colour and constitution go together, of which many remarkable cases"
    " could be given amongst animals and plants."
)


def test_a_split_sentence_is_one_word_variant_and_a_punctuation_variant() -> None:
    assert _brief(_variants(_doc("first", DEAF), _doc("sixth", DEAF_SPLIT))) == [
        (1, ("invariably", "generally"), "wording"),
        (2, ("deaf; colour", "deaf. Colour"), "punctuation"),
    ]
    # Either way round: two sentences merged into one are the same variants.
    assert _brief(_variants(_doc("sixth", DEAF_SPLIT), _doc("first", DEAF))) == [
        (1, ("generally", "invariably"), "wording"),
        (2, ("deaf. Colour", "deaf; colour"), "punctuation"),
    ]


def test_a_missing_sentence_hides_no_other_variant() -> None:
    opening = "The two governments met in Mexico City on Wednesday."
    state = _doc("state", f"{opening} Both agreed to reauthorize the U.S. plan for a year.")
    ministry = _doc("ministry", f"{opening} Both agreed to reauthorise the US plan for a year.")
    copy = _doc("copy", opening)
    variants = _variants(state, ministry, copy)
    assert _brief(variants) == [
        (
            1,
            (
                "Both agreed to reauthorize the U.S. plan for a year.",
                "Both agreed to reauthorise the US plan for a year.",
                "",
            ),
            "substantive",
        ),
        (2, ("reauthorize", "reauthorise", ""), "wording"),
        (3, ("U.S.", "US", ""), "wording"),
    ]
    assert [v.paragraphs for v in variants] == [(1, 1, None)] * 3
    assert variants[1].spans == ((68, 79), (68, 79), None)
