"""Bundles as they come in the wild: encodings, line ends, layouts, header variants, dates."""

from __future__ import annotations

import pytest

from generator.sources.archive import load_archive

P = (
    "The two governments agreed to keep the crossings open during the holidays and to meet "
    "again in January."
)
Q = (
    "Officials said that the agreement would be reviewed every three months by a joint "
    "committee of both countries."
)
# The same two paragraphs hard-wrapped, separated by a run of blank lines.
WRAPPED = (
    "The two governments agreed to keep the crossings\nopen during the holidays and to meet "
    "again in January.\n\n\n\nOfficials said that the agreement would be reviewed\nevery three "
    "months by a joint committee of both countries.\n"
)


def _one(make_source, data: bytes):
    source = make_source({"sources/bundle.txt": data})
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == []
    [doc] = archive.documents
    return doc


def _fields(doc) -> tuple:
    return (doc.publisher, doc.place, doc.date, doc.title, doc.title_derived, doc.byline)


def test_bom_and_crlf_line_layout(make_source) -> None:
    header = "\ufeffMinistry of Foreign Affairs\r\nMexico City\r\n28 December 2023\r\n"
    text = f"{header}An agreement\r\n{P}\r\n{Q}\r\n"
    doc = _one(make_source, text.encode())
    assert _fields(doc) == (
        "Ministry of Foreign Affairs", "Mexico City", "2023-12-28", "An agreement", False, None,
    )  # fmt: skip
    assert [(p.number, p.line, p.text) for p in doc.paragraphs] == [(1, 5, P), (2, 6, Q)]
    assert (doc.provenance.line_start, doc.provenance.line_end) == (1, 6)


def test_wrapped_layout_joins_lines_and_skips_blank_runs(make_source) -> None:
    text = f"Ministry of Foreign Affairs\nMexico City\nDecember 28, 2023\nAn agreement\n\n{WRAPPED}"
    doc = _one(make_source, text.encode())
    assert _fields(doc) == (
        "Ministry of Foreign Affairs", "Mexico City", "2023-12-28", "An agreement", False, None,
    )  # fmt: skip
    assert [(p.line, p.text) for p in doc.paragraphs] == [(6, P), (11, Q)]


def test_wrapped_header_without_place_line_and_with_byline(make_source) -> None:
    text = f"The Hill\nDec. 28, 2023\nBiden backtracks on phrase\nBy Rafael Bernal\n\n{WRAPPED}"
    doc = _one(make_source, text.encode())
    assert _fields(doc) == (
        "The Hill", None, "2023-12-28", "Biden backtracks on phrase", False, "Rafael Bernal",
    )  # fmt: skip
    assert doc.id == "2023-12-28-hill-biden-backtracks-phrase"


def test_no_title_line_nbsp_and_trailing_spaces(make_source) -> None:
    text = f"State Department\u00a0 \nWashington DC   \n2023-12-28\n{P}  \n\n\n{Q}\n"
    doc = _one(make_source, text.encode())
    assert _fields(doc) == (
        "State Department", "Washington DC", "2023-12-28",
        "The two governments agreed to keep the crossings open during the holidays and to meet…",
        True, None,
    )  # fmt: skip
    assert [p.text for p in doc.paragraphs] == [P, Q]


@pytest.mark.parametrize(
    "date",
    ["28 December 2023", "December 28, 2023", "Dec. 28, 2023", "2023-12-28",
     "28 de diciembre de 2023"],
)  # fmt: skip
def test_every_date_form_in_a_header(make_source, date: str) -> None:
    text = f"Ministry of Foreign Affairs\nMexico City\n{date}\nA title\n{P}\n"
    doc = _one(make_source, text.encode())
    assert doc.date == "2023-12-28"
    # The date is read as ISO 8601; the line itself is kept as the file has it.
    assert doc.provenance.source_lines[2].text == date


def test_a_spanish_document_is_detected_as_spanish(make_source) -> None:
    text = (
        "Secretaría de Relaciones Exteriores\nCiudad de México\n28 de diciembre de 2023\n"
        "México y Estados Unidos reafirman su compromiso\n"
        "Los dos gobiernos acordaron mantener abiertos los cruces fronterizos durante las "
        "fiestas y reunirse de nuevo en enero.\n"
    )
    doc = _one(make_source, text.encode())
    assert (doc.publisher, doc.place, doc.language) == (
        "Secretaría de Relaciones Exteriores", "Ciudad de México", "es",
    )  # fmt: skip


def test_a_hyphen_at_a_wrapped_line_end_is_kept(make_source) -> None:
    # A line-end hyphen may be a real one ("cross-border"): the parser never guesses.
    text = (
        "Ministry of Foreign Affairs\nMexico City\n28 December 2023\nA title for it\n\n"
        "Both delegations said they had agreed on measures for cross-\nborder trade and on "
        "keeping the crossings open until January.\n\n" + WRAPPED
    )
    doc = _one(make_source, text.encode())
    assert doc.paragraphs[0].text == (
        "Both delegations said they had agreed on measures for cross-border trade and on "
        "keeping the crossings open until January."
    )
