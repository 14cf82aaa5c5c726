"""The work a quotation costs stays bounded as an archive grows: counted, not timed."""

from __future__ import annotations

import pytest

from generator.compare import closest
from generator.compare.closest import CLOSEST_DOCUMENTS
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.model import Document, Paragraph, Provenance, Relation

HEADLINE = (
    "The two ministers agreed to reopen the northern crossing to trucks carrying grain "
    "fuel and medicine before the first snow of the winter"
)
STOCK = (
    "For further information, contact the press office. This statement was issued in "
    "Ottawa and is also available on the website, with the full list of participants."
)
REPLACEMENTS = ["wheat", "ports", "courts", "water", "bridges"]


def _doc(doc_id: str, date: str, *paragraphs: str) -> Document:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {"date": date})
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, body, "T", False, "en")


def _changed(report: int) -> str:
    """The headline with one word changed: a different wording for every report."""
    words = HEADLINE.split()
    at = 2 + report % (len(words) - 4)
    words[at] = REPLACEMENTS[report // (len(words) - 4)]
    return " ".join(words)


def _archive(copies: int, reports: int) -> list[Document]:
    """A release, `copies` wire copies of its headline, and reports quoting it with a change.

    Every document ends with the same stock paragraph; the reports come out a
    day after the release and the copies. (Each report's last words before the
    stock paragraph are its own: see docs/compare.md, Limits, on stock
    paragraphs after a shared sentence.)
    """
    release = _doc("a-release", "2024-03-01", HEADLINE + ".", "Talks resume in March.", STOCK)
    wire = [_doc(f"copy-{n:02d}", "2024-03-01", HEADLINE + ".", STOCK) for n in range(copies)]
    news = [
        _doc(f"report-{n:02d}", "2024-03-02", f"“{_changed(n)},” she told outlet {n}.", STOCK)
        for n in range(reports)
    ]
    return [release, *wire, *news]


def _brief(relations: list[Relation]) -> list[tuple[str, str, str, bool]]:
    return sorted((r.type, r.origin.document, r.target.document, r.exact) for r in relations)


@pytest.mark.parametrize(("copies", "reports"), [(12, 10), (24, 20), (48, 40)])
def test_a_quote_with_differences_compares_a_bounded_number_of_documents(
    copies: int, reports: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    examined: dict[tuple[int, ...], list[int]] = {}
    best_window = closest._best_window

    def counted(index, doc, places, quote, votes, needed):
        examined.setdefault(quote, []).append(doc)
        return best_window(index, doc, places, quote, votes, needed)

    monkeypatch.setattr(closest, "_best_window", counted)
    documents = _archive(copies, reports)
    relations = find_quotations(ShingleIndex.of(documents), ())
    # Every report asks once, and compares CLOSEST_DOCUMENTS of the 1 + copies
    # documents holding the headline, however many there are.
    assert len(examined) == reports
    assert {len(docs) for docs in examined.values()} == {CLOSEST_DOCUMENTS}
    # Equally close, the earliest (by date, then id) are the ones linked.
    earliest = ["a-release", "copy-00", "copy-01", "copy-02", "copy-03"]
    assert _brief(relations) == sorted(
        ("quotation", f"report-{n:02d}", source, False)
        for n in range(reports)
        for source in earliest
    )
    # Nor does the order of the files change a thing.
    assert _brief(find_quotations(ShingleIndex.of(documents[::-1]), ())) == _brief(relations)
