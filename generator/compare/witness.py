"""A document seen as a witness of a text: its sentences and normalized words.

Comparison normalizes for matching (case, punctuation, quote and dash styles,
whitespace) but always keeps offsets into the original text, so pages show
the words exactly as the source has them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from rapidfuzz import fuzz

from generator.model import Document, Sentence
from generator.sources.sentences import split_sentences

_WORD = re.compile(r"[\w]+(?:[-'’][\w]+)*")


class Word(NamedTuple):
    """A word of a text with its span; `norm` is what matching compares."""

    text: str
    norm: str
    start: int
    end: int


def fold(word: str) -> str:
    """A word lowercased, accents kept, curly apostrophes straightened."""
    if word.isascii():  # most words: nothing to compose or straighten
        return word.lower()
    return unicodedata.normalize("NFC", word).lower().replace("’", "'")


def words(text: str) -> tuple[Word, ...]:
    """The words of `text` (punctuation dropped) with their original spans."""
    if len(text) <= _CACHED_LENGTH:
        return _sentence_words(text)
    return _words(text)


# A group's sentences are read once per comparison of the group, one after the
# other, and again when its pages are rendered: a small cache of recent
# sentences catches nearly every repeat. Whole documents are not cached: at
# 10,000 documents they would hold gigabytes for little gain.
_CACHED_LENGTH = 1000


@functools.lru_cache(maxsize=4096)
def _sentence_words(text: str) -> tuple[Word, ...]:
    return _words(text)


def _words(text: str) -> tuple[Word, ...]:
    return tuple(Word(m[0], fold(m[0]), m.start(), m.end()) for m in _WORD.finditer(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `text` starts and ends: `words` without making the words."""
    return [m.span() for m in _WORD.finditer(text)]


def normalize_words(text: str) -> list[str]:
    """The normalized words of `text`: what two texts must share to be 'the same'."""
    # The same as [w.norm for w in words(text)], without spans: this runs over
    # every word of the archive when grouping, and lowercasing ASCII whole is safe.
    if text.isascii():
        return _WORD.findall(text.lower())
    return [fold(w) for w in _WORD.findall(text)]


def sentences_of(doc: Document) -> list[Sentence]:
    """Every sentence of a document, in reading order, with paragraph and offsets."""
    result: list[Sentence] = []
    offset = 0
    for paragraph in doc.paragraphs:
        cursor = 0
        for sentence in split_sentences(paragraph.text):
            found = paragraph.text.find(sentence, cursor)
            if found < 0:  # the splitter only strips whitespace, but never trust blindly
                found = cursor
            cursor = found + len(sentence)
            result.append(
                Sentence(
                    doc.id,
                    paragraph.number,
                    len(result),
                    sentence,
                    offset + found,
                    offset + found + len(sentence),
                )
            )
        offset += len(paragraph.text) + 2
    return result


def similarity(a: str, b: str) -> float:
    """How alike two sentences are, 0–100, on normalized words (order-aware)."""
    left, right = " ".join(normalize_words(a)), " ".join(normalize_words(b))
    if not left or not right:
        return 100.0 if left == right else 0.0
    return fuzz.ratio(left, right)
