"""Every kind of page in Chromium at four widths: no console error, nothing wider than its
container; and the story a comparison leads with, two clicks from the home page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium, require_browser, served
from tests.sources.test_archive import MINISTRY, STATE

pytestmark = pytest.mark.timeout(300)

GROUP = "mexico-us-joint-communique-mexico-united"
# One page of every kind a reader meets.
PAGES = {
    "index": "/",
    "document": f"/documents/{STATE}/",
    "paragraph": f"/documents/{STATE}/#p2",
    "compare-index": "/compare/",
    "compare": f"/compare/{GROUP}/",
    "compare-other-base": f"/compare/{GROUP}/?base={MINISTRY}",
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
    "404": "/404.html",
}
WIDTHS = (390, 768, 1280, 1920)

# Every element shown whose box, or whose content, runs out of its parent's content box.
# Left alone: what is out of the flow on purpose (absolute, fixed), what is clipped
# (visually hidden), and what a scrolling container holds itself (it scrolls, it does not
# spill; what is inside that must still fit).
OVERFLOWING = """() => {
  const found = [];
  const scrolls = (s) => ["auto", "scroll", "hidden", "clip"].includes(s.overflowX);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "");
  const skipped = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.position === "absolute" || s.position === "fixed" || s.display === "none") return true;
      if (e === el.parentElement && scrolls(s)) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (skipped(el) || !el.getClientRects().length) continue;
    const parent = el.parentElement;
    const ps = getComputedStyle(parent);
    const p = parent.getBoundingClientRect();
    const left = p.left + parseFloat(ps.borderLeftWidth) + parseFloat(ps.paddingLeft);
    const right = p.right - parseFloat(ps.borderRightWidth) - parseFloat(ps.paddingRight);
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width > 0 && (r.right > right + 1 || r.left < left - 1)) {
      found.push(`${name(el)} in ${name(parent)}: ${Math.round(r.left)}–${Math.round(r.right)} ` +
                 `outside ${Math.round(left)}–${Math.round(right)}`);
    } else if (s.display !== "inline" && !scrolls(s) && el.scrollWidth > el.clientWidth + 1 &&
               el.clientWidth > 0) {
      found.push(`${name(el)}: content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def site(example_site: Path) -> Iterator[tuple[object, str]]:
    """The example site, served, and one Chromium."""
    require_browser()
    with chromium() as browser, served(example_site) as address:
        yield browser, address


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_logs_an_error_or_overflows(site: tuple[object, str], width: int) -> None:
    browser, address = site
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    overflowing = {}
    for name, path in PAGES.items():
        page.goto(address + path)
        if name == "search":
            page.wait_for_selector("#results li")
        # The side notes and folded panels count too: open every <details>.
        page.evaluate("document.querySelectorAll('details').forEach((d) => d.open = true)")
        found = page.evaluate(OVERFLOWING)
        if found:
            overflowing[name] = found[:5]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.close()
    assert errors == []
    assert overflowing == {}


def test_overflow_check_catches_a_list_running_out_of_its_cell(site: tuple[object, str]) -> None:
    browser, address = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{address}/compare/{GROUP}/")
    page.evaluate(
        "const v = document.querySelector('table.alignment td > a[href^=\"#v\"]');"
        "v.style.whiteSpace = 'nowrap';"
        "v.textContent = 'v' + Array.from({length: 40}, (_, i) => i + 1).join(', v');"
    )
    found = page.evaluate(OVERFLOWING)
    page.close()
    assert any(line.startswith("a in td:") for line in found), found  # the base's cell


def test_the_story_is_two_clicks_from_home(site: tuple[object, str]) -> None:
    browser, address = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(address + "/")
    page.get_by_role("link", name="Every comparison, on one page").click()
    page.wait_for_url(f"{address}/compare/")
    page.get_by_role("link", name="“democratic decline”").click()
    page.wait_for_url(f"{address}/compare/{GROUP}/#d1")
    first = page.locator("ol.substance > li").first
    assert first.get_attribute("id") == "d1"
    assert first.locator(".substance-head .reading").inner_text() == "democratic decline"
    readings = first.locator("dd").all_inner_texts()
    assert readings == ["democratic decline,", "— nothing here", "— nothing here"]
    assert first.locator("dd .absent").count() == 2
    why = " ".join(first.locator("ul.why li").all_inner_texts())
    assert "Quoted by The Hill, ¶4, word for word" in why
    assert "Noted: The two words at the centre of the story." in why
    # The copy of the Ministry's text is not a second column, until the reader asks.
    column = page.locator("table.alignment th.w2")
    assert not column.is_visible()
    page.get_by_role("checkbox", name="Unknown publisher (same text as Ministry").check()
    assert column.is_visible()
    page.close()
