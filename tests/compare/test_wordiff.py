"""Word differences: original text kept, minor changes told apart, both texts rebuilt."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from generator.compare.witness import normalize_words
from generator.compare.wordiff import Piece, diff_words


def _rebuilt(pieces: list[Piece]) -> tuple[str, str]:
    """The base and the other text put back together from the pieces."""
    base = "".join(p.text for p in pieces if p.op in ("same", "del"))
    other = "".join(p.text for p in pieces if p.op in ("same", "ins"))
    return base, other


def test_deleted_words_carry_their_punctuation() -> None:
    base = "such as poverty, inequality, democratic decline, and violence"
    other = "such as poverty, inequality and violence"
    assert diff_words(base, other) == [
        Piece("such as poverty, inequality", "same"),
        Piece(", democratic decline,", "del"),
        Piece(" and violence", "same"),
    ]


def test_replaced_words_are_whole_words() -> None:
    assert diff_words("the old foo bar", "the old form bar") == [
        Piece("the old ", "same"),
        Piece("foo", "del"),
        Piece("form", "ins"),
        Piece(" bar", "same"),
    ]


def test_inserted_words() -> None:
    assert diff_words("Both delegations agreed.", "Both delegations quickly agreed.") == [
        Piece("Both delegations", "same"),
        Piece(" quickly", "ins"),
        Piece(" agreed.", "same"),
    ]


def test_case_and_punctuation_differences_are_minor() -> None:
    assert diff_words("Both countries agree.", "both countries, agree!") == [
        Piece("Both", "del", minor=True),
        Piece("both", "ins", minor=True),
        Piece(" countries", "same"),
        Piece(",", "ins", minor=True),
        Piece(" agree", "same"),
        Piece(".", "del", minor=True),
        Piece("!", "ins", minor=True),
    ]


def test_quote_and_apostrophe_styles_are_minor() -> None:
    assert diff_words("“We don’t,” she said", '"We don\'t" she said') == [
        Piece("“", "del", minor=True),
        Piece('"', "ins", minor=True),
        Piece("We ", "same"),
        Piece("don’t,”", "del", minor=True),
        Piece("don't\"", "ins", minor=True),
        Piece(" she said", "same"),
    ]


def test_a_change_next_to_a_minor_one_is_not_minor() -> None:
    assert diff_words("The two countries", "Both countries") == [
        Piece("The two", "del"),
        Piece("Both", "ins"),
        Piece(" countries", "same"),
    ]


def test_identical_empty_and_wordless_texts() -> None:
    assert diff_words("Same text.", "Same text.") == [Piece("Same text.", "same")]
    assert diff_words("", "") == []
    assert diff_words("", "New words") == [Piece("New words", "ins")]
    assert diff_words("— …", "—") == [Piece("—", "same"), Piece(" …", "del", minor=True)]


# Texts made of words and of what surrounds words, alike enough to share some.
_TOKENS = [
    "a", "b", "the", "The", "THE", "don't", "don’t", "é", "U.S.", "well-known",
    " ", " ", "  ", "\n", ",", ", ", ".", ". ", "“", "”", '"', "'", "’", "—", "-", "(", ")",
]  # fmt: skip
_texts = st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join)


@given(_texts, _texts)
def test_pieces_rebuild_both_texts(base: str, other: str) -> None:
    pieces = diff_words(base, other)
    assert _rebuilt(pieces) == (base, other)
    assert all(p.text and p.op in ("same", "del", "ins") for p in pieces)
    for before, after in pairwise(pieces):
        assert before.op != after.op  # neighbours are always joined
        assert (before.op, after.op) != ("ins", "del")  # a change reads del, then ins
    for piece in pieces:
        if piece.op == "same":
            assert not piece.minor


@given(st.text(max_size=60), st.text(max_size=60))
def test_pieces_rebuild_any_texts(base: str, other: str) -> None:
    assert _rebuilt(diff_words(base, other)) == (base, other)


@given(st.lists(st.sampled_from(_TOKENS), max_size=30), st.data())
def test_case_and_punctuation_changes_are_all_minor(tokens: list[str], data) -> None:
    swaps = {",": ";", ".": "!", "“": '"', "’": "'", "the": "THE", "a": "A"}
    changed = [swaps.get(t, t) if data.draw(st.booleans()) else t for t in tokens]
    base, other = "".join(tokens), "".join(changed)
    assert normalize_words(base) == normalize_words(other)
    for piece in diff_words(base, other):
        assert piece.op == "same" or piece.minor, (base, other, piece)
