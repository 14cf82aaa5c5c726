"""The render stage: the page set, links that resolve, and text that stays text."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build.pipeline import load
from generator.cache.store import BuildCache
from generator.publish.write import publish
from generator.render.changed import default_templates, format_date, render_changed, render_site
from tests.conftest import EXAMPLE
from tests.crawl import broken_links
from tests.entities.test_mentions import EXAMPLE_ENTITIES
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE, TRAVEL

GROUP = "mexico-us-joint-communique-mexico-united"
NOTE_TAGS = ("context", "provenance", "translation", "variant")


def _site(source: Path, base_url: str | None = None) -> dict[str, bytes]:
    archive, diagnostics = load(source, base_url=base_url)
    assert not diagnostics.has_errors, diagnostics.lines()
    return render_site(archive, default_templates())


def test_page_set_of_the_example_archive() -> None:
    files = _site(EXAMPLE)
    pages = sorted(p for p in files if p.endswith(".html"))
    assert pages == sorted(
        [
            "index.html",
            "404.html",
            "about/index.html",
            "search/index.html",
            "timeline/index.html",
            "timeline/2023-12/index.html",
            "timeline/undated/index.html",
            "notes/index.html",
            *(f"notes/tags/{t}/index.html" for t in NOTE_TAGS),
            "entities/index.html",
            *(f"entities/{e}/index.html" for e in EXAMPLE_ENTITIES),
            "publishers/ministry-of-foreign-affairs/index.html",
            "publishers/the-hill/index.html",
            "publishers/united-states-department-of-state/index.html",
            "collections/000-ffddd273545a426c/index.html",
            "collections/002-27c17665a4c0d5c7/index.html",
            *(f"documents/{i}/index.html" for i in (HEADERLESS, TRAVEL, STATE, MINISTRY, HILL)),
            # The index of every group; one comparison per group, whose base the
            # reader chooses in the browser.
            "compare/index.html",
            f"compare/{GROUP}/index.html",
        ]
    )
    assert files[".nojekyll"] == b""
    assert "assets/style.css" in files
    assert "data/archive.json" in files
    assert "data/annotations.jsonld" in files


@pytest.mark.parametrize("base", ["/", "/repo/"])
def test_every_internal_link_resolves(tmp_path: Path, base: str) -> None:
    out = tmp_path / "build"
    publish(_site(EXAMPLE, base_url=base), out)
    assert broken_links(out, base) == []
    index = (out / "index.html").read_text()
    assert f'href="{base}documents/{HILL}/"' in index
    assert f'href="{base}assets/style.css"' in index


def test_crawler_reports_broken_links(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/missing/">x</a><a href="/index.html#nope">y</a><a href="rel/">z</a>'
        '<p id="here"></p><a href="#here">ok</a><a href="https://example.org/">ext</a>'
    )
    assert broken_links(tmp_path) == [
        "/index.html: '/missing/' leads to no file",
        "/index.html: '/index.html#nope' has no anchor #nope",
        "/index.html: relative link 'rel/' (links must carry the base path)",
    ]


def test_index_lists_the_newest_documents_first_and_every_publisher_and_collection() -> None:
    html = _site(EXAMPLE)["index.html"].decode()
    latest = html.split('id="latest"')[1].split('id="publishers"')[0]
    order = [latest.index(f"documents/{i}/") for i in (HILL, MINISTRY, STATE, TRAVEL, HEADERLESS)]
    assert order == sorted(order)  # newest first (same day: last in the file first); undated last
    assert "5 documents from 3 publishers in 2 collections." in html
    assert (
        '<li><a href="/publishers/united-states-department-of-state/">United States Department '
        'of State</a> <span class="count">(2)</span></li>'
    ) in html
    assert '<li><a href="/collections/000-ffddd273545a426c/">' in html


def _visible(html: str) -> str:
    import html as entities
    import re

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_home_page_tells_what_the_archive_found_and_links_to_the_comparisons() -> None:
    files = _site(EXAMPLE)
    html = files["index.html"].decode()
    found = html.split('id="found-h"')[1].split('id="latest"')[0]
    assert f'<a href="/compare/{GROUP}/#d1">“democratic decline”</a>' in found
    assert _visible(found).startswith(
        ">What the archive found Found by comparing the texts, with nothing marked by hand: "
        "1 text is here in more than one version, and 1 document is quoted by others. "
        "Versions of one text Mexico-U.S. Joint Communique: Mexico and the United States "
        "Reaffirm Their Shared Commitments on an Orderly, Humane and Regular Migration "
        "3 versions: United States Department of State (28 December 2023), the base; Ministry "
        "of Foreign Affairs (28 December 2023); a copy without a header, same text as Ministry "
        "of Foreign Affairs Differs most in: “democratic decline” — not in Ministry of Foreign "
        "Affairs and its copy; quoted by The Hill; noted by the editors Every comparison, on "
        "one page Quoted by others"
    )
    assert '<a href="/compare/">Every comparison, on one page</a>' in found
    assert f'Quoted by <a href="/documents/{HILL}/">The Hill</a> · 2 passages' in found
    # A bundle without a title is named from its document, never by its file name.
    assert "000_ffddd273545a426c.txt" not in html
    index = files["compare/index.html"].decode()
    assert index.count('<a href="/compare/') == 2  # the group, and its top difference
    assert f'<a href="/compare/{GROUP}/#d1">“democratic decline”</a>' in index


def test_document_page_shows_provenance_and_numbered_paragraphs() -> None:
    html = _site(EXAMPLE)[f"documents/{HILL}/index.html"].decode()
    assert '<p id="p1"><a class="pnum" href="#p1"' in html
    assert 'id="p9"' in html and 'id="p10"' not in html
    assert "<code>sources/002_27c17665a4c0d5c7.txt</code>, lines 32–45" in html
    assert "By Rafael Bernal" in html
    copy = "/sources/002_27c17665a4c0d5c7.txt"  # the lines themselves: its source file's copy
    assert '<details class="source-lines" data-lines="32-45">' in html
    assert f'<a href="{copy}">the file\'s lines, numbered</a>' in html  # what the block fetches
    assert 'rel="prev"' in html
    assert "documents from The Hill" not in html  # The Hill has one document
    state = _site(EXAMPLE)[f"documents/{STATE}/index.html"].decode()
    # The publisher's page lists them; the page names it once, not its documents again.
    assert (
        '<p class="related"><a href="/publishers/united-states-department-of-state/">'
        "All 2 documents from United States Department of State</a></p>"
    ) in state
    assert f"documents/{TRAVEL}/" not in state.split('<nav class="pager"')[1].split("</nav>")[1]
    # A paragraph quoted elsewhere links the very paragraph that quotes it.
    assert (
        ' · Quoted by <a href="/documents/2023-12-28-hill-biden-administration-backtracks-'
        'democratic-decline/#p4">The Hill, ¶4</a></span>'
    ) in state


def test_headerless_document_says_what_is_unknown_and_derived() -> None:
    html = _site(EXAMPLE)[f"documents/{HEADERLESS}/index.html"].decode()
    assert "derived title" in html
    assert "Unknown publisher" in html
    assert "<dt>Publisher</dt><dd>unknown" in html


def test_editor_values_are_marked_as_editor(make_source) -> None:
    source = make_source(
        {
            "sources/copy.txt": "A copy of a text. More.\n",
            "sources/copy.yaml": "documents:\n  1:\n    publisher: Ministry\n",
        }
    )
    html = next(v for k, v in _site(source).items() if k.startswith("documents/")).decode()
    assert (
        '<dt>Publisher</dt><dd><a href="/publishers/ministry/">Ministry</a> '
        '<span class="origin editor" title="Asserted by the '
        "archive's editors, not in the source\">editor</span> "
        '<span class="was">not in the source</span>'
    ) in html


def test_source_text_is_escaped_never_evaluated(make_source) -> None:
    hostile = (
        "<script>alert(1)</script> Press\nPlace {{ 7*7 }}\n2 January 2024\n"
        '<img src=x onerror="alert(2)"> title {% raw %}\n'
        "Body with {{ 7*7 }} and <b>bold</b> &amp; entity.\n"
    )
    files = _site(make_source({"sources/<x>.txt": hostile}))
    html = "".join(v.decode() for k, v in files.items() if k.endswith(".html"))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;amp; entity." in html


def test_format_date() -> None:
    assert format_date("2023-12-28") == "28 December 2023"
    assert format_date(None) == "undated"


def test_noted_passages_are_marked_and_linked_to_their_notes() -> None:
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    html = files[f"documents/{STATE}/index.html"].decode()
    inner, outer = archive.notes_on(STATE)[1:]
    # The marks read in order: ² after the inner passage, ³ after the outer one.
    assert (
        f'<mark>such as poverty, inequality, </mark><mark class="overlap">democratic decline</mark>'
        f'<sup class="refs"><a href="#{inner.id}" id="ref-{inner.id}" aria-label="Note 2">2</a>'
        f'</sup><mark>, and violence</mark><sup class="refs"><a href="#{outer.id}" '
        f'id="ref-{outer.id}" aria-label="Note 3">3</a></sup>'
    ) in html
    card = f'<aside class="note" id="{outer.id}" aria-labelledby="{outer.id}-label" lang="en">'
    assert card in html
    assert f'href="/documents/{MINISTRY}/#p3">Ministry, ¶3</a>' in html
    assert "<dt>Notes</dt><dd>3</dd>" in html


def test_notes_index_and_counts_on_the_archive_index() -> None:
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    notes = files["notes/index.html"].decode()
    assert "9 notes on 4 documents." in notes
    for tag, count in (("variant", 4), ("context", 3)):
        link = f'<a href="/notes/tags/{tag}/">{tag}</a> <span class="count">({count})</span>'
        assert f"<li>{link}</li>" in notes
    tagged = files["notes/tags/variant/index.html"].decode()
    assert "<h1>Notes tagged <q>variant</q></h1>" in tagged
    assert tagged.count('<li><a href="/documents/') == 4
    index = files["index.html"].decode()
    assert 'The Hill · <time datetime="2023-12-28">28 December 2023</time> · 3 notes' in index


def test_keys_kept_between_renders_follow_note_edits_as_fresh_keys_do(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()  # kept across renders, as `serve` keeps it
    hill, added = source / "notes" / "hill.yaml", source / "notes" / "added.yaml"

    def keys() -> dict[str, str]:
        archive, _ = load(source, cache=cache)
        kept = render_changed(archive, default_templates(), {}, cache=cache).keys
        assert kept == render_changed(archive, default_templates(), {}).keys
        return kept

    def edit(change: Callable[[], object]) -> set[str]:
        before = keys()
        change()
        after = keys()
        return {path for path in after if before.get(path) != after[path]}

    def reword() -> None:
        hill.write_text(hill.read_text().replace("do not say which", "say nothing of it"))

    def retag() -> None:
        hill.write_text(hill.read_text().replace("tags: [context]", "tags: [timeline]", 1))

    def add() -> None:
        added.write_text(f"- doc: {STATE}\n  quote: democratic decline\n  note: Added.\n")

    page, state_page = f"documents/{HILL}/index.html", f"documents/{STATE}/index.html"
    reworded = edit(reword)
    assert page in reworded and state_page not in reworded
    assert "notes/index.html" in edit(retag)
    assert state_page in edit(add)
    assert state_page in edit(added.unlink)
