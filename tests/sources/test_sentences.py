"""Sentences: abbreviations of titles and offices, English and Spanish, and times."""

from __future__ import annotations

from generator.sources.sentences import split_sentences


def test_titles_and_offices_do_not_end_a_sentence() -> None:
    assert split_sentences(
        "Pres. López Obrador received Sec. Blinken and Amb. Salazar. They spoke for an hour."
    ) == [
        "Pres. López Obrador received Sec. Blinken and Amb. Salazar.",
        "They spoke for an hour.",
    ]


def test_spanish_titles() -> None:
    assert split_sentences(
        "La Sra. Bárcena recibió al Sr. Blinken y a la Dip. Ruiz. Hablaron una hora."
    ) == ["La Sra. Bárcena recibió al Sr. Blinken y a la Dip. Ruiz.", "Hablaron una hora."]


def test_a_time_ends_a_sentence_unless_its_zone_follows() -> None:
    assert split_sentences(
        "The talks began at 5 p.m. The delegations spoke to reporters at 7 p.m. EST in the "
        "lobby. They left at 9 a.m. on Friday."
    ) == [
        "The talks began at 5 p.m.",
        "The delegations spoke to reporters at 7 p.m. EST in the lobby.",
        "They left at 9 a.m. on Friday.",
    ]
