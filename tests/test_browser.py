"""Pages as a reader's browser runs them: headless Chromium against the built sites."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.cli import main
from generator.render import search_parts
from tests.browser import artifacts, chromium, served
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HILL, MINISTRY, STATE
from tests.test_hostile import HOSTILE

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for the module (each test opens its own page and context)."""
    with chromium() as opened:
        yield opened


def _build(source: Path, out: Path) -> Path:
    assert main(["build", "--source", str(source), "--out", str(out)]) == 0
    return out


def test_hostile_archive_runs_no_script_in_chromium(browser: object, tmp_path: Path) -> None:
    site = _build(HOSTILE, tmp_path / "build")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    events: list[str] = []
    with served(site) as address:
        page = browser.new_page()
        page.on(
            "dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss())
        )
        page.on("pageerror", lambda error: events.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                events.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        for rel in pages:
            path = "/" + rel.removesuffix("index.html")
            page.goto(address + path)
            page.mouse.move(10, 10)
            page.mouse.move(300, 300)  # would fire injected mouseover handlers
            assert page.evaluate("typeof window.__pwned") == "undefined", path
        # Search results show the indexed text, which Pagefind keeps unescaped.
        for words in ("pwned", "script", "javascript", "onerror"):
            page.goto(f"{address}/search/?q={words}")
            page.wait_for_selector("#results li", timeout=15_000)
            page.mouse.move(300, 300)
            assert page.evaluate("typeof window.__pwned") == "undefined", words
            assert "<script>" in page.inner_text("#results")  # shown as text
    assert events == []


def test_chromium_check_catches_an_injected_script(browser: object, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><body><script>window.__pwned = 1; alert('x')</script></body></html>"
    )
    events: list[str] = []
    with served(tmp_path) as address:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (events.append("dialog"), dialog.dismiss()))
        page.goto(address + "/")
        assert page.evaluate("typeof window.__pwned") == "number"
    assert events == ["dialog"]


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots_of_the_example_site(
    browser: object, example_site: Path, name: str, width: int, height: int
) -> None:
    site = example_site
    folder = artifacts()
    with served(site) as address:
        page = browser.new_page(viewport={"width": width, "height": height})
        for label, path in [
            ("index", "/"),
            (
                "document",
                "/documents/2023-12-28-united-states-department-mexico-us-joint-communique-mexico/",
            ),
            ("notes", "/notes/"),
        ]:
            page.goto(address + path)
            target = folder / f"{label}-{name}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            # Nothing wider than the viewport: the layout is responsive.
            assert page.evaluate("document.documentElement.scrollWidth") <= width


# One part holds the whole index; parts of two documents make three, merged by the page.
@pytest.mark.parametrize("part_size", [1000, 2])
def test_search_finds_the_deleted_phrase_and_opens_the_passage(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part_size: int
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", part_size)
    site = _build(EXAMPLE, tmp_path / "build")
    parts = sorted(p.name for p in (site / "pagefind").iterdir())
    assert parts == (["0"] if part_size == 1000 else ["0", "1", "2"])
    # One bundle per part, all English: the page loads Pagefind from the first and
    # merges the others into it.
    programs = site.glob("pagefind/*/*/pagefind.js")
    bundles = sorted(p.parent.relative_to(site).as_posix() for p in programs)
    assert bundles == [f"pagefind/{part}/en" for part in parts]
    with served(site) as address:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None
        )
        # The header's search box leads to the search page, query in the address.
        page.goto(address + "/")
        page.fill("#site-q", "democratic decline")
        page.press("#site-q", "Enter")
        page.wait_for_selector("#results li")
        assert page.url == f"{address}/search/?q=democratic+decline"
        assert page.inner_text("#search-status") == "3 documents found."
        found = {
            link.get_attribute("href"): link.inner_text()
            for link in page.query_selector_all("#results li h2 a")
        }
        # Both texts that carry the phrase, at the paragraph; and the editor's note on
        # the Ministry's text, which says the phrase is missing there.
        assert found == {
            f"/documents/{STATE}/#p2": (
                "Mexico-U.S. Joint Communique: Mexico and the United States Reaffirm Their "
                "Shared Commitments on an Orderly, Humane and Regular Migration"
            ),
            f"/documents/{HILL}/#p1": (
                "Biden administration backtracks on ‘democratic decline’ as root cause of migration"
            ),
            f"/documents/{MINISTRY}/#n-d7ce465b": (
                "Mexico and United States reaffirm their shared commitment to orderly, "
                "humanitarian and regular migration"
            ),
        }
        state = page.locator("#results li", has_text="Joint Communique")
        assert state.locator("mark").all_inner_texts() == ["democratic decline,"]
        assert state.locator(".meta").inner_text() == (
            "United States Department of State · 28 December 2023 · ¶2"
        )
        # A filter narrows the results and goes into the shareable address.
        page.select_option("#filter-publisher", "The Hill")
        expect(page.locator("#results li")).to_have_count(1)
        assert page.url == f"{address}/search/?q=democratic+decline&publisher=The+Hill"
        # A shared address opens with its results; a result opens at the passage.
        page.goto(
            f"{address}/search/?q=democratic+decline&publisher=United+States+Department+of+State"
        )
        page.wait_for_selector("#results li")
        assert page.input_value("#filter-publisher") == "United States Department of State"
        page.click("#results li h2 a")
        page.wait_for_url(f"{address}/documents/{STATE}/#p2")
        target = page.locator(":target")
        assert target.get_attribute("id") == "p2"
        assert "democratic decline" in target.inner_text()
        assert target.is_visible()
        assert errors == []


# Enter at once, and Enter after typing's 200 ms timer has already searched (as on a
# slow machine): either way the reader sees one search, not results cleared and refilled.
@pytest.mark.parametrize("pause_ms", [0, 500])
def test_typing_a_query_and_pressing_enter_searches_once(
    browser: object, example_site: Path, pause_ms: int
) -> None:
    site = example_site
    with served(site) as address:
        page = browser.new_page()
        page.goto(address + "/search/")
        page.evaluate(
            """() => {
              window.statuses = [];
              const status = document.getElementById("search-status");
              new MutationObserver(() => window.statuses.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
            }"""
        )
        page.fill("#q", "democratic decline")
        if pause_ms:
            page.wait_for_selector("#results li")  # typing's timer has run the search
            page.wait_for_timeout(pause_ms)
        page.press("#q", "Enter")
        page.wait_for_selector("#results li")
        page.wait_for_timeout(600)  # past the 200 ms the typing alone would have waited
        assert page.evaluate("window.statuses") == ["Searching…", "3 documents found."]


def test_search_page_without_javascript_points_to_the_browsing_pages(
    browser: object, example_site: Path
) -> None:
    site = example_site
    with served(site) as address:
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(address + "/search/?q=democratic+decline")
        assert page.locator("noscript").count() == 1
        assert "needs JavaScript" in page.inner_text("main")


def test_a_paragraph_gets_its_own_citation_to_copy(browser: object, example_site: Path) -> None:
    site = example_site
    with served(site) as address:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{address}/documents/{STATE}/")
        assert page.locator("details.cite-paragraph").count() == 0
        page.click("#p2 a.pnum")  # the paragraph's number is its permanent link
        here = f"{address}/documents/{STATE}/#p2"
        panel = page.locator("details.cite-paragraph")
        # The panel follows the hash change, which the page handles after the click returns.
        expect(panel.locator("summary")).to_have_text("Cite paragraph 2")
        citation = panel.locator("p[aria-label='Citation']").inner_text()
        assert citation == (
            "“Mexico-U.S. Joint Communique: Mexico and the United States Reaffirm Their Shared "
            "Commitments on an Orderly, Humane and Regular Migration.” United States Department "
            "of State, 28 December 2023, ¶ 2. In US–Mexico migration talks, December 2023. "
            f"{here} (accessed [date])."
        )
        bibtex = panel.locator("pre[aria-label='BibTeX']").inner_text()
        assert bibtex.startswith(f"@misc{{{STATE}-p2,")
        assert f"howpublished = {{\\url{{{here}}}}}" in bibtex
        assert bibtex.endswith("  pages = {¶~2}\n}")
        csl = json.loads(panel.locator("pre[aria-label='CSL-JSON']").inner_text())
        assert (csl["id"], csl["URL"], csl["locator"], csl["label"]) == (
            f"{STATE}-p2",
            here,
            "2",
            "paragraph",
        )
        panel.locator("button", has_text="Copy citation").click()
        # Writing to the clipboard is a promise the click does not wait for.
        page.wait_for_function(
            "async expected => (await navigator.clipboard.readText()) === expected", arg=citation
        )
        # Another paragraph's number moves the panel there.
        page.click("#p3 a.pnum")
        expect(page.locator("details.cite-paragraph summary")).to_have_text("Cite paragraph 3")
        expect(page.locator("details.cite-paragraph")).to_have_count(1)
        assert errors == []


def test_search_works_under_a_project_path(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On GitHub Pages a project site lives under /<repo>/: so must the index and links."""
    monkeypatch.setattr(search_parts, "PART_SIZE", 1)  # every part merged from under /repo/
    root = tmp_path / "pages"
    out = root / "repo"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out), "--base-url", "/repo/"]) == 0
    with served(root) as address:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{address}/repo/search/?q=democratic+decline&publisher=The+Hill")
        page.wait_for_selector("#results li")
        link = page.locator("#results li h2 a")
        assert link.get_attribute("href") == f"/repo/documents/{HILL}/#p1"
        link.click()
        page.wait_for_url(f"{address}/repo/documents/{HILL}/#p1")
        assert errors == []


def test_printed_document_keeps_its_notes_as_footnotes(browser: object, example_site: Path) -> None:
    site = example_site
    with served(site) as address:
        page = browser.new_page()
        page.goto(f"{address}/documents/{STATE}/")
        page.emulate_media(media="print")

        def style(selector: str, name: str, pseudo: str = "") -> str:
            return page.evaluate(
                "([s, n, p]) => getComputedStyle(document.querySelector(s), p || null)[n]",
                [selector, name, pseudo],
            )

        # Site furniture goes; each note prints under its paragraph, in small type, ruled off.
        assert style("header.site nav", "display") == "none"
        assert style("form.site-search", "display") == "none"
        assert style("details.cite", "display") == "none"
        assert style("aside.note", "display") == "block"
        assert style("aside.note", "fontSize") == "11.3333px"  # 8.5pt
        assert style("aside.note", "borderTopStyle") == "solid"
        box = page.evaluate(
            "() => [document.getElementById('p2').getBoundingClientRect().bottom,"
            " document.querySelector('#p2 ~ .side .note').getBoundingClientRect().top]"
        )
        assert box[1] > box[0]  # below the paragraph, not beside it
        # A link out of the site prints its address.
        page.evaluate(
            "() => document.getElementById('p1').insertAdjacentHTML('beforeend',"
            " ' <a id=\\'out\\' href=\\'https://example.org/x\\'>x</a>')"
        )
        assert style("#out", "content", "::after") == '" <https://example.org/x>"'
