"""What one language leaves out: clauses and list items within a pair of sentences."""

from __future__ import annotations

import pytest

from generator.compare.meaning import SentenceVectors
from generator.compare.omissions import clauses, unmatched_passages
from generator.compare.sentence_alignment import Bead
from generator.model import Sentence

# (left, right, what only one side has, or "" when both say the same)
CASES = [
    (
        "Las delegaciones acordaron reunirse nuevamente en Washington en enero de 2024.",
        "The delegations agreed to meet again in Washington in January 2024, where they will "
        "review the results of the new border measures.",
        "where they will review the results of the new border measures",
    ),
    (
        "Las delegaciones acordaron atender las causas estructurales de la migración, como la "
        "pobreza, la desigualdad y la violencia.",
        "The delegations agreed to address the root causes of migration, such as poverty, "
        "inequality, democratic decline and violence.",
        "democratic decline",
    ),
    (
        "La canciller Alicia Bárcena señaló que México recibirá a 30 mil personas refugiadas "
        "en 2024.",
        "Foreign Secretary Alicia Bárcena said that Mexico will receive 30,000 refugees in 2024, "
        "most of them from Venezuela and Haiti.",
        "most of them from Venezuela and Haiti",
    ),
    (
        "Las delegaciones acordaron reunirse en Washington en enero de 2024, donde revisarán los "
        "resultados de las nuevas medidas fronterizas.",
        "The delegations agreed to meet in Washington in January 2024.",
        "donde revisarán los resultados de las nuevas medidas fronterizas",
    ),
    (
        "Ambos países reafirmaron sus compromisos de promover una migración ordenada, humana y "
        "regular.",
        "Both countries reaffirmed their commitments to promote orderly, humane and regular "
        "migration.",
        "",
    ),
    (
        "El presidente Andrés Manuel López Obrador recibió en Palacio Nacional al secretario de "
        "Estado, Antony Blinken, y al secretario de Seguridad Nacional, Alejandro Mayorkas.",
        "President Andrés Manuel López Obrador received Secretary of State Antony Blinken and "
        "Secretary of Homeland Security Alejandro Mayorkas at the National Palace.",
        "",
    ),
    (
        "Las delegaciones acordaron atender las causas estructurales de la migración, como la "
        "pobreza, la desigualdad y la violencia.",
        "The delegations agreed to address the root causes of migration, such as poverty, "
        "inequality and violence.",
        "",
    ),
]


def _sentence(document: str, text: str) -> Sentence:
    return Sentence(document, 1, 0, text, 0, len(text))


@pytest.mark.parametrize(("left", "right", "added"), CASES)
def test_the_clause_one_side_adds_is_marked_and_nothing_else(
    left: str, right: str, added: str
) -> None:
    vectors = SentenceVectors()
    a, b = _sentence("es", left), _sentence("en", right)
    similarity = float(vectors.of([left])[0] @ vectors.of([right])[0])
    bead = Bead((0,), (0,), similarity)
    # The ratio of lengths of a faithful English translation to its Spanish text.
    found = unmatched_passages([bead], [a], [b], 0.9, vectors.of)
    assert [p.text for p in found] == ([added] if added else [])
    for passage in found:
        source = left if passage.document == "es" else right
        assert source[passage.start : passage.end] == passage.text
        assert passage.kind == "clause"


def test_a_sentence_divides_at_punctuation_and_conjunctions() -> None:
    text = "Poverty, inequality and violence, where it grows."
    assert [text[a:b] for a, b in clauses(text)] == [
        "Poverty,", "inequality", "and violence,", "where it grows.",
    ]  # fmt: skip


def test_a_gap_is_a_whole_unmatched_sentence() -> None:
    a = _sentence("es", "Los funcionarios viajaron después a Washington.")
    [found] = unmatched_passages([Bead((0,), (), 0.0)], [a], [], 1.0, SentenceVectors().of)
    assert (found.document, found.kind, found.text, found.pair) == (
        "es", "sentence", "Los funcionarios viajaron después a Washington", 0,
    )  # fmt: skip
