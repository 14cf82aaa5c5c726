"""What the translation page shows: each pair of sentences, and what one side lacks, marked."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Sentence, TranslationAlignment, UnmatchedPassage


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's text; `unmatched` when the other language has nothing for it."""

    text: str
    unmatched: bool


@dataclass(frozen=True)
class Side:
    """One language's cell of a row: its sentences' paragraphs and text, in pieces."""

    paragraphs: tuple[int, ...]
    pieces: tuple[Piece, ...]
    gap: bool  # the other side has sentences, this one none


@dataclass(frozen=True)
class PairRow:
    """One row of the page: a pair of sentences (or a sentence and a gap)."""

    number: int  # 1-based; the anchor is f"{alignment}-s{number}"
    left: Side
    right: Side
    similarity: float


def pair_rows(alignment: TranslationAlignment) -> list[PairRow]:
    """Every pair of an alignment as rows, with the unmatched passages marked in place."""
    unmatched: dict[str, list[UnmatchedPassage]] = {}
    for passage in alignment.unmatched:
        unmatched.setdefault(passage.document, []).append(passage)
    return [
        PairRow(
            number,
            _side(pair.left, unmatched.get(alignment.left, [])),
            _side(pair.right, unmatched.get(alignment.right, [])),
            pair.similarity,
        )
        for number, pair in enumerate(alignment.pairs, 1)
    ]


def _side(sentences: tuple[Sentence, ...], unmatched: list[UnmatchedPassage]) -> Side:
    pieces: list[Piece] = []
    for number, sentence in enumerate(sentences):
        if number:
            pieces.append(Piece(" ", False))
        cursor = sentence.start
        for passage in unmatched:
            if passage.end <= sentence.start or passage.start >= sentence.end:
                continue
            start, end = max(passage.start, cursor), min(passage.end, sentence.end)
            if start > cursor:
                pieces.append(
                    Piece(sentence.text[cursor - sentence.start : start - sentence.start], False)
                )
            pieces.append(Piece(sentence.text[start - sentence.start : end - sentence.start], True))
            cursor = end
        if cursor < sentence.end:
            pieces.append(Piece(sentence.text[cursor - sentence.start :], False))
    paragraphs = tuple(dict.fromkeys(s.paragraph for s in sentences))
    return Side(paragraphs, tuple(pieces), gap=not sentences)
