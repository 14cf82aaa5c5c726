"""Hostile input is shown as text, never run: checked on the HTML of every page.

The fixture archive `tests/hostile/` puts script tags, event handlers,
javascript:/data: URLs, broken HTML, entities and Jinja syntax into every
field an editor or a source can fill. The browser check is in
test_browser.py; this one reads the markup.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main

HOSTILE = Path(__file__).resolve().parent / "hostile"
# Every element the templates may produce; anything else came from the input.
ALLOWED = set(
    "html head meta title link body a header nav main footer p h1 h2 h3 ol ul li span section "
    "details summary dl dt dd code pre time article aside sup mark div em strong q br hr "
    "table thead tbody tr th td caption form fieldset legend label input ins del blockquote "
    "script button select option noscript".split()
)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_data_block = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().split(":", 1)[0].lower()
                if ":" in value and scheme in ("javascript", "data", "vbscript"):
                    self.problems.append(f"{scheme}: URL in {name} of <{tag}>")
        # Only the JSON-LD data block may be inline: browsers never run it.
        kind = dict(attrs).get("type")
        if tag == "script" and not dict(attrs).get("src") and kind != "application/ld+json":
            self.problems.append("inline <script>")
        self.in_data_block = tag == "script" and kind == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self.in_data_block = False

    def handle_data(self, data: str) -> None:
        if self.in_data_block:
            json.loads(data)  # it must be whole JSON: hostile text cannot close it early
            return
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "build"
    assert main(["build", "--source", str(HOSTILE), "--out", str(out)]) == 0
    return out


def test_no_page_carries_markup_or_script_from_the_input(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 8
    problems = []
    for page in pages:
        markup = _Markup()
        markup.feed(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(hostile_site)}: {p}" for p in markup.problems]
    assert problems == []


def test_hostile_text_is_shown_literally(hostile_site: Path) -> None:
    doc = next(hostile_site.glob("documents/2023-12-28-*/index.html"))
    markup = _Markup()
    markup.feed(doc.read_text(encoding="utf-8"))
    text = "".join(markup.text)
    assert "{{ 7*7 }} {% raw %} <a href=\"javascript:window.__pwned='title'\">Title</a>" in text
    assert "</p><script>window.__pwned='p1'</script>" in text
    assert 'with &lt;script&gt; entities &amp; {{ config }} and {% include "base.html" %}.' in text
    assert "<script>window.__pwned='publisher'</script>" in text
    assert "Raw <script>window.__pwned='note'</script>" in text  # the note, as text
    assert "[a javascript link](javascript:window.__pwned='note-link')" in text


def test_every_page_declares_a_content_security_policy(hostile_site: Path) -> None:
    def policy(scripts: str) -> str:
        return (
            '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
            f"img-src 'self' data:;{scripts} object-src 'none'; "
            "base-uri 'none'; form-action 'self'\">"
        )

    for page in hostile_site.rglob("*.html"):
        # The search page alone may compile WebAssembly: Pagefind's index runs in it. Elsewhere
        # scripts and styles fall back to default-src 'self', which says it once.
        search = page.relative_to(hostile_site).as_posix() == "search/index.html"
        expected = policy(" script-src 'self' 'wasm-unsafe-eval';" if search else "")
        assert expected in page.read_text(encoding="utf-8"), page


def test_hostile_file_names_stay_inside_the_output(hostile_site: Path) -> None:
    written = [p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*")]
    assert all(p.replace("-", "").replace("/", "").replace(".", "").replace("_", "").isalnum()
               for p in written)  # fmt: skip
