"""Words, with their places in the text, as every comparison reads them."""

from __future__ import annotations

from generator.compare.witness import word_spans, words

TEXT = "Mexico’s “democratic decline,” said the U.S.-Mexico note — 3,000 façades; l'été."


def test_word_spans_are_where_the_words_are() -> None:
    assert word_spans(TEXT) == [(w.start, w.end) for w in words(TEXT)]
    assert [TEXT[start:end] for start, end in word_spans(TEXT)] == [w.text for w in words(TEXT)]
    assert [w.norm for w in words(TEXT)][:3] == ["mexico's", "democratic", "decline"]
