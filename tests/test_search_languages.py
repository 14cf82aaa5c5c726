"""Search across languages: each document stemmed in its own, one search page for all.

Real Pagefind, real Chromium, over a small archive of an English and a Spanish text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.cli import main
from tests.browser import chromium, served

pytestmark = pytest.mark.timeout(240)

ENGLISH_ID = "2023-12-28-paper-ministers-negotiate"
SPANISH_ID = "2023-12-28-diario-ministros-negocian"
# The Spanish stemmer makes "negociaron" and "negociaciones" both "negoci", and
# "crecimiento" and "crecer" both "crec"; the English one leaves them apart, too far
# apart for Pagefind's tolerance of typing errors (so with every page forced to
# English, as before, neither query finds the text). "negotiating" and "negotiated"
# share the English stem "negoti": were both languages' bundles searched by one
# Pagefind, one language's stemmer would serve both, and one of the two would fail.
ENGLISH = (
    "---\npublisher: The Paper\ndate: 2023-12-28\ntitle: Ministers negotiate\n"
    "language: en\n---\n"
    "The ministers were negotiating the agreements with Ebrard until late.\n"
)
SPANISH = (
    "---\npublisher: El Diario\ndate: 2023-12-28\ntitle: Los ministros negocian\n"
    "language: es\n---\n"
    "Los ministros negociaron los acuerdos comerciales con Ebrard hasta tarde, y hablaron "
    "del crecimiento.\n"
)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-document archive, built (its search index too)."""
    root = tmp_path_factory.mktemp("bilingual")
    source = root / "src"
    (source / "sources").mkdir(parents=True)
    (source / "site.yaml").write_text("title: Two languages\nlanguage: en\n")
    (source / "sources" / "paper.md").write_text(ENGLISH)
    (source / "sources" / "diario.md").write_text(SPANISH)
    assert main(["build", "--source", str(source), "--out", str(root / "build")]) == 0
    return root / "build"


def _results(page, address: str, query: str) -> list[tuple[str | None, str]]:
    """The search page's results for `query`: each one's language and title."""
    page.goto(f"{address}/search/?q={query}")
    page.wait_for_selector("#search-status:not(:text-is('Searching…')):not(:empty)")
    return [
        (item.get_attribute("lang"), item.locator("h2").inner_text())
        for item in page.locator("#results li").all()
    ]


def test_each_language_has_its_bundle(bilingual: Path) -> None:
    bundles = sorted(p.parent.relative_to(bilingual).as_posix() for p in bilingual.glob(
        "pagefind/*/*/pagefind-entry.json"
    ))  # fmt: skip
    assert bundles == ["pagefind/0/en", "pagefind/0/es"]
    form = (bilingual / "search" / "index.html").read_text()
    assert 'data-bundles="0/en 0/es"' in form


def test_search_stems_each_document_in_its_language_and_shows_both(bilingual: Path) -> None:
    errors: list[str] = []
    with chromium() as browser, served(bilingual) as address:
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None
        )
        # Spanish inflections the text does not hold find it by their Spanish stems.
        assert _results(page, address, "negociaciones") == [("es", "Los ministros negocian")]
        assert _results(page, address, "crecer") == [("es", "Los ministros negocian")]
        # English words are stemmed as English, as before.
        assert _results(page, address, "negotiated") == [("en", "Ministers negotiate")]
        # A name in both: one list, each result in its document's language.
        both = _results(page, address, "Ebrard")
        assert sorted(both) == [("en", "Ministers negotiate"), ("es", "Los ministros negocian")]
        assert page.inner_text("#search-status") == "2 documents found."
        # What the page says of a result is in the page's language.
        assert page.locator("#results li .meta").evaluate_all("ms => ms.map(m => m.lang)") == [
            "en",
            "en",
        ]
        links = page.locator("#results li h2 a").evaluate_all("as => as.map(a => a.pathname)")
        assert set(links) == {f"/documents/{ENGLISH_ID}/", f"/documents/{SPANISH_ID}/"}
        # The language filter narrows to one language's documents.
        page.select_option("#filter-language", "Spanish")
        expect(page.locator("#results li")).to_have_count(1)
        assert page.locator("#results li").get_attribute("lang") == "es"
    assert errors == []
