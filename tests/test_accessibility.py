"""Reading with assistive technology and the keyboard, in Chromium: axe-core finds no
violation, Tab reaches every control with a visible focus, notes and comparisons link
both ways. Screenshots at desktop and phone widths go to test-artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import artifacts, chromium, require_browser, served
from tests.sources.test_archive import MINISTRY, STATE

pytestmark = [pytest.mark.timeout(300), pytest.mark.long(110)]  # an audit takes seconds a page

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
GROUP = "mexico-us-joint-communique-mexico-united"
# The pages the audit covers: every kind of page a reader meets.
AUDITED = {
    "index": "/",
    "document": f"/documents/{STATE}/",
    "paragraph": f"/documents/{STATE}/#p2",  # with its own citation panel open
    "compare": f"/compare/{GROUP}/",
    "compare-other-base": f"/compare/{GROUP}/?base={MINISTRY}",  # marked by compare.js
    "compare-index": "/compare/",
    "search": "/search/?q=democratic+decline",
    "notes": "/notes/",
    "note-tag": "/notes/tags/variant/",
    "timeline": "/timeline/",
    "month": "/timeline/2023-12/",
    "entity": "/entities/antony-blinken/",
    "names": "/entities/",
    "publisher": "/publishers/united-states-department-of-state/",
    "collection": "/collections/002-27c17665a4c0d5c7/",
    "about": "/about/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def _require_axe() -> None:
    if not AXE.is_file():
        message = f"{AXE} is missing; run scripts/test (it runs npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for the module: Playwright allows one at a time per thread."""
    require_browser()
    with chromium() as opened:
        yield opened


@pytest.fixture(scope="module")
def site(browser: object, example_site: Path) -> Iterator[tuple[object, str]]:
    """The example site (`example_site`), served, and the browser."""
    with served(example_site) as address:
        yield browser, address


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                            "wcag22aa", "best-practice"]},
        })).violations.map((v) => `${v.id} (${v.impact}): ${v.help}; at ` +
            v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", "))"""
    )
    return list(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_violation(site: tuple[object, str], scheme: str, width: str) -> None:
    _require_axe()
    browser, address = site
    w, h = WIDTHS[width]
    # The audit script is injected inline: only the test's own context lifts the CSP.
    context = browser.new_context(
        viewport={"width": w, "height": h}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    problems = {}
    for name, path in AUDITED.items():
        page.goto(address + path)
        if name == "search":
            page.wait_for_selector("#results li")
        page.screenshot(path=str(artifacts() / f"a11y-{name}-{width}-{scheme}.png"), full_page=True)
        found = _violations(page)
        if found:
            problems[name] = found
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= w, name
    context.close()
    assert problems == {}


def test_axe_check_catches_a_violation(site: tuple[object, str]) -> None:
    _require_axe()
    browser, _ = site
    page = browser.new_context(bypass_csp=True).new_page()
    page.set_content('<!DOCTYPE html><html><body><img src="x.png"><a href="#"></a></body></html>')
    found = _violations(page)
    assert any(v.startswith("image-alt (critical)") for v in found), found
    assert any(v.startswith("html-has-lang (serious)") for v in found), found


def _tab_through(page, limit: int = 400) -> tuple[set[int], list[str]]:
    """Tab until focus comes back round; the focusable elements reached, and any shown
    without a visible focus indicator."""
    reached: set[int] = set()
    unmarked: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                const marked = (style.outlineStyle !== "none" && style.outlineWidth !== "0px")
                    || style.boxShadow !== "none";
                return {index: Number(el.dataset.kb ?? -1), marked,
                        name: el.tagName + " " + (el.textContent || el.id).trim().slice(0, 40)};
            }"""
        )
        if state is None:
            continue
        if state["index"] in reached:
            break
        reached.add(state["index"])
        if not state["marked"]:
            unmarked.append(state["name"])
    return reached, unmarked


@pytest.mark.parametrize("path", ["/", f"/documents/{STATE}/", f"/compare/{GROUP}/"])
def test_keyboard_alone_reaches_every_control(site: tuple[object, str], path: str) -> None:
    browser, address = site
    page = browser.new_page()
    page.goto(address + path)
    # Number every focusable element a reader can see (closed <details> hide theirs).
    expected = page.evaluate(
        f"""() => {{
            const all = [...document.querySelectorAll("{FOCUSABLE}")];
            all.forEach((el, i) => {{ el.dataset.kb = i; }});
            // A group of radio buttons is one Tab stop (its checked one); arrows move inside.
            const stop = (el) => el.type !== "radio" || el.checked;
            const seen = (el) => el.checkVisibility({{visibilityProperty: true}});
            return all.filter((el) => seen(el) && !el.disabled && stop(el))
                      .map((el) => Number(el.dataset.kb));
        }}"""
    )
    assert len(expected) > 10
    reached, unmarked = _tab_through(page)
    missed = sorted(set(expected) - reached)
    names = page.evaluate(
        "(missed) => missed.map((i) => document.querySelector(`[data-kb='${i}']`).outerHTML"
        ".slice(0, 80))",
        missed,
    )
    assert names == []
    assert unmarked == []


def test_skip_link_comes_first_and_moves_to_the_text(site: tuple[object, str]) -> None:
    browser, address = site
    page = browser.new_page()
    page.goto(f"{address}/documents/{STATE}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_from_a_note_to_the_comparison_and_back(site: tuple[object, str]) -> None:
    browser, address = site
    page = browser.new_page()
    page.goto(f"{address}/documents/{STATE}/")
    # The note card leads back to its passage, whose paragraph leads to the comparison.
    note = page.locator("aside.note").first
    note_id = note.get_attribute("id")
    note.locator("a.note-number").click()
    assert page.url.endswith(f"#ref-{note_id}")
    paragraph = page.locator(f"p:has(#ref-{note_id})")
    paragraph.locator(".para-links a", has_text="Compare versions").click()
    page.wait_for_url(f"{address}/compare/{GROUP}/#r*")
    row = page.locator("tr:target")
    assert row.is_visible()
    # In the comparison, the variants quote the note, which links back to it.
    page.locator(f".variant-note a[href$='#{note_id}']").first.click()
    page.wait_for_url(f"{address}/documents/{STATE}/#{note_id}")
    assert page.locator("aside.note:target").get_attribute("id") == note_id
    assert page.locator("aside.note:target").is_visible()
    # The browser's Back returns to the very row.
    page.go_back()
    expect(page.locator("tr:target")).to_be_visible()


@pytest.fixture(scope="module")
def large_served(browser: object, large_site: Path) -> Iterator[tuple[object, str, Path]]:
    """A generated archive of 1,000 documents (`large_site`), served, and the browser."""
    with served(large_site) as address:
        yield browser, address, large_site


def test_a_large_archive_reads_searches_and_passes_the_audit(
    large_served: tuple[object, str, Path],
) -> None:
    _require_axe()
    browser, address, out = large_served

    def first(pattern: str, holding: str = "") -> str:
        found = next(p for p in sorted(out.glob(pattern)) if holding in p.read_text())
        return "/" + found.parent.relative_to(out).as_posix() + "/"

    pages = {
        "index": "/",
        "document": first("documents/*/index.html", holding="<aside"),
        "compare": first("compare/*/index.html"),
        "month": first("timeline/*-*/index.html"),
        "entity": first("entities/*/2/index.html"),
        "notes": "/notes/2/",
        "search": "/search/?q=migration",
    }
    page = browser.new_context(bypass_csp=True).new_page()
    problems = {}
    for name, path in pages.items():
        page.goto(address + path)
        if name == "search":
            page.wait_for_selector("#results li")
        found = _violations(page)
        if found:
            problems[name] = found
    assert problems == {}
    # Search: many documents, twenty shown, more on demand; a result opens at its passage.
    status = page.inner_text("#search-status")
    assert int(status.split()[0]) > 100, status
    assert page.locator("#results li").count() == 20
    page.click("#more")
    expect(page.locator("#results li")).to_have_count(40)
    page.locator("#results li h2 a").first.click()
    page.wait_for_url(f"{address}/documents/**")
    expect(page.locator(":target")).to_contain_text("migration", ignore_case=True)
