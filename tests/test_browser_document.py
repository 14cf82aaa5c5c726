"""A document page in Chromium: its source lines come from the source file's one copy,
and its BibTeX and CSL-JSON are made from its JSON-LD; without JavaScript the reader
still has the formatted citation and a link to the source lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.cli import main
from tests.browser import chromium, served
from tests.sources.test_archive import HILL

pytestmark = pytest.mark.timeout(240)

TEX_TITLE = r"Path C:\docs {draft} 50% R&D $2 #3 file_name ~5 x^2"
TEX_DOC = "2023-12-28-hill-path-c-docs-draft-50"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for the module (each test opens its own page and context)."""
    with chromium() as opened:
        yield opened


def _build(source: Path, out: Path) -> Path:
    assert main(["build", "--source", str(source), "--out", str(out)]) == 0
    return out


def _tex_archive(folder: Path) -> Path:
    """One document whose title and site title hold every TeX special character."""
    (folder / "sources").mkdir(parents=True)
    (folder / "site.yaml").write_text('title: "Test & {archive}"\n', encoding="utf-8")
    (folder / "sources" / "a.txt").write_text(
        f"The Hill\nWashington DC\n28 December 2023\n{TEX_TITLE}\nby Ana Ruiz\n"
        "The first paragraph of the text.\nThe second paragraph, with more words in it.\n",
        encoding="utf-8",
    )
    return folder


def test_source_lines_are_shown_from_the_source_files_copy(
    browser: object, example_site: Path
) -> None:
    site = example_site
    html = (site / "documents" / HILL / "index.html").read_text(encoding="utf-8")
    assert 'class="ln"' not in html  # the page no longer carries the lines itself
    with served(site) as address:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(f"{address}/documents/{HILL}/")
        page.click("details.provenance > summary")
        assert not any("/sources/" in url for url in fetched)  # only when asked
        page.click("details.source-lines > summary")
        lines = page.locator("details.source-lines .ln")
        expect(lines).to_have_count(14)
        numbers = lines.evaluate_all("spans => spans.map(s => Number(s.dataset.line))")
        assert numbers == list(range(32, 46))
        assert lines.nth(0).inner_text() == "The Hill"
        assert lines.nth(3).inner_text() == (
            "Biden administration backtracks on ‘democratic decline’ as root cause of migration"
        )
        assert lines.nth(4).inner_text() == "by Rafael Bernal"
        # Closing and opening again shows them once, fetched once.
        page.click("details.source-lines > summary")
        page.click("details.source-lines > summary")
        expect(lines).to_have_count(14)
        assert [url for url in fetched if "/sources/" in url] == [
            f"{address}/sources/002_27c17665a4c0d5c7.txt"
        ]
        assert errors == []


def test_without_javascript_a_reader_gets_the_citation_and_the_source_lines(
    browser: object, example_site: Path
) -> None:
    site = example_site
    with served(site) as address:
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(f"{address}/documents/{HILL}/")
        page.click("details.cite > summary")
        assert page.locator("details.cite .citation").inner_text() == (
            "Rafael Bernal. “Biden administration backtracks on ‘democratic decline’ as root "
            "cause of migration.” The Hill, 28 December 2023. In US–Mexico migration talks, "
            f"December 2023. /documents/{HILL}/ (accessed [date])."
        )
        assert page.locator("details.cite pre").count() == 0  # BibTeX needs the script
        page.click("details.provenance > summary")
        page.click("details.source-lines > summary")
        page.click("details.source-lines a")
        assert page.url == f"{address}/sources/002_27c17665a4c0d5c7.txt"
        text = page.inner_text("body")
        # Numbered as in the file, and read as UTF-8 although served without a charset.
        assert "32\tThe Hill\n" in text
        assert (
            "35\tBiden administration backtracks on ‘democratic decline’ as root cause of "
            "migration\n36\tby Rafael Bernal\n"
        ) in text


def test_bibtex_and_csl_json_are_made_from_the_json_ld(browser: object, tmp_path: Path) -> None:
    site = _build(_tex_archive(tmp_path / "src"), tmp_path / "build")
    with served(site) as address:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{address}/documents/{TEX_DOC}/")
        page.click("details.cite > summary")
        here = f"{address}/documents/{TEX_DOC}/"
        bibtex = page.locator("details.cite pre.bibtex").inner_text()
        assert bibtex == (
            f"@misc{{{TEX_DOC},\n"
            "  title = {{Path C:\\textbackslash{}docs \\{draft\\} 50\\% R\\&D \\$2 \\#3 "
            "file\\_name \\textasciitilde{}5 x\\textasciicircum{}2}},\n"
            "  author = {Ana Ruiz},\n"
            "  organization = {The Hill},\n"
            "  date = {2023-12-28},\n"
            f"  howpublished = {{\\url{{{here}}}}},\n"
            "  note = {In: Test \\& \\{archive\\}}\n"
            "}"
        )
        csl = page.locator("details.cite pre.csl").inner_text()
        assert json.loads(csl) == {
            "id": TEX_DOC,
            "type": "article-newspaper",
            "title": TEX_TITLE,
            "container-title": "Test & {archive}",
            "URL": here,
            "language": "en",
            "author": [{"literal": "Ana Ruiz"}],
            "publisher": "The Hill",
            "issued": {"date-parts": [[2023, 12, 28]]},
        }
        assert csl.startswith('{\n  "id": ')  # indented for reading
        for what, expected in (("BibTeX", bibtex), ("CSL-JSON", csl)):
            page.locator("details.cite button", has_text=f"Copy {what}").click()
            page.wait_for_function(
                "async expected => (await navigator.clipboard.readText()) === expected",
                arg=expected,
            )
        assert errors == []


def test_a_publisher_without_a_byline_is_the_bibtex_author(browser: object, tmp_path: Path) -> None:
    source = _tex_archive(tmp_path / "src")
    text = (source / "sources" / "a.txt").read_text(encoding="utf-8")
    (source / "sources" / "a.txt").write_text(text.replace("by Ana Ruiz\n", ""), "utf-8")
    site = _build(source, tmp_path / "build")
    with served(site) as address:
        page = browser.new_page()
        page.goto(f"{address}/documents/{TEX_DOC}/")
        page.click("details.cite > summary")
        bibtex = page.locator("details.cite pre.bibtex").inner_text()
        assert "  author = {{The Hill}},\n  organization = {The Hill},\n" in bibtex
        csl = json.loads(page.locator("details.cite pre.csl").inner_text())
        assert csl["type"] == "document" and "author" not in csl
