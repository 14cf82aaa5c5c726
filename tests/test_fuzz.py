"""Property-based tests: no input makes a traceback; parsing is deterministic and faithful."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics
from generator.notes.anchor import AnchorProblem, PassageFinder, normalize_quote
from generator.notes.note_file import load_notes
from generator.sources.archive import load_archive
from generator.sources.bundle import parse_bundle

# Lines that look like bundles: headers, dates, bylines, quotes, odd whitespace.
_PIECES = st.sampled_from(
    [
        "The Hill", "Washington DC", "28 December 2023", "Dec. 28, 2023", "2023-12-28",
        "28 de diciembre de 2023", "by Rafael Bernal", "By Ana", "", " ", "\u00a0", "\ufeff",
        "A title without a period", "A sentence. Another one.", "ends mid-", "word continues",
        "“Quoted,” she said.", "<script>x</script>", "{{ 7*7 }}", "U.S. and D.C.", "\t",
    ]
)  # fmt: skip
_LINES = st.lists(st.one_of(_PIECES, st.text(max_size=60)), max_size=40)
_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _squash(text: str) -> str:
    return "".join(text.split())


@_FAST
@given(_LINES)
def test_parser_is_total_deterministic_and_faithful(lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    first = parse_bundle(lines)
    assert parse_bundle(list(lines)) == first
    source = _squash(" ".join(lines))
    for doc in first.documents:
        assert 1 <= doc.line_start <= doc.line_end <= max(len(lines), 1)
        for paragraph in doc.paragraphs:
            assert paragraph.text == paragraph.text.strip() and paragraph.text
            assert _squash(paragraph.text) in source


@_FAST
@given(st.binary(max_size=400))
def test_any_bytes_in_a_bundle_give_diagnostics_not_tracebacks(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        (root / "sources" / "fuzz.txt").write_bytes(data)
        archive, diagnostics = load_archive(root)
        for line in diagnostics.lines():
            assert line.startswith("sources/fuzz.txt:")
        assert all(d.id for d in archive.documents)


@_FAST
@given(st.text(max_size=300))
def test_any_notes_file_gives_diagnostics_not_tracebacks(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "notes").mkdir()
        (root / "notes" / "fuzz.yaml").write_text(text, encoding="utf-8", errors="replace")
        diagnostics = Diagnostics()
        load_notes(root, diagnostics)
        assert all(line.startswith("notes/fuzz.yaml:") for line in diagnostics.lines())


@_FAST
@given(
    st.lists(st.text(min_size=1, max_size=80).map(str.strip).filter(bool), min_size=1, max_size=5),
    st.data(),
)
def test_anchoring_finds_the_quoted_words_or_explains(paragraphs: list[str], data) -> None:
    finder = PassageFinder(paragraphs)
    text = finder.text
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = data.draw(st.one_of(st.just(text[start:end]), st.text(max_size=30)))
    try:
        anchor = finder.find(quote)
    except AnchorProblem as problem:
        assert str(problem)
        return
    assert 0 <= anchor.start < anchor.end <= len(text)
    if anchor.score == 100:
        assert normalize_quote(text[anchor.start : anchor.end]) == normalize_quote(quote)
