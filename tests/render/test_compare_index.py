"""The compare/ index: every version group with its witnesses and top difference, in pages."""

from __future__ import annotations

import html
import re

import pytest

from generator.build.pipeline import load
from generator.render import listings
from generator.render.changed import default_templates, render_site
from generator.sources.archive import load_archive

FIRST = (
    "The council met on Monday to discuss the budget.",
    "It noted the risks of corruption and democratic backsliding in the region.",
)
OTHER = (
    "Fishermen along the coast reported unusual catches of cod and herring.",
    "The port authority will publish its findings before the harvest festival.",
)


def _markdown(publisher: str, date: str, *paragraphs: str) -> str:
    return f"---\npublisher: {publisher}\ndate: {date}\n---\n" + "\n\n".join(paragraphs) + "\n"


def _visible(page: bytes) -> list[str]:
    items = re.findall(r'<ol class="findings"[^>]*>(.*?)</ol>', page.decode(), re.S)[0]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
        for li in re.findall(r"<li>(.*?)</li>", items, re.S)
    ]


def test_every_group_is_listed_the_most_versions_first_over_pages(
    make_source, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_source(
        {
            "sources/a.md": _markdown("Port", "2024-02-01", *OTHER),
            "sources/b.md": _markdown(
                "Port", "2024-02-02", OTHER[0], OTHER[1].replace("its", "the")
            ),
            "sources/c.md": _markdown("Council", "2024-01-08", *FIRST),
            "sources/d.md": _markdown("Council", "2024-01-09", FIRST[0], "It noted the risks."),
            "sources/e.md": _markdown("Press", "2024-01-10", FIRST[0], "It noted the risks."),
        }
    )
    a, b, c, d, e = (doc.id for doc in load_archive(source)[0].documents)
    (source / "compare.yaml").write_text(
        f"groups:\n  - id: port\n    title: Port\n    documents: [{a}, {b}]\n"
        f"  - id: council\n    title: Council\n    documents: [{c}, {d}, {e}]\n"
    )
    archive, diagnostics = load(source)
    assert not diagnostics.has_errors, diagnostics.lines()
    monkeypatch.setattr(listings, "PER_PAGE", 1)
    files = render_site(archive, default_templates())
    listing = re.compile(r"compare/(\d+/)?index\.html")
    assert sorted(p for p in files if listing.fullmatch(p)) == [
        "compare/2/index.html",
        "compare/index.html",
    ]
    [council] = _visible(files["compare/index.html"])
    # The words the alignment cut out may vary with the engine; what the line says may not.
    head, top = council.split(" Differs most in: ")
    assert head == (
        "Council 3 versions: Council (8 January 2024), the base; Council (9 January 2024); "
        "Press (10 January 2024), same text as Council"
    )
    assert "democratic backsliding" in top and top.endswith("” — not in Council and its copy")
    assert _visible(files["compare/2/index.html"]) == [
        "Port 2 versions: Port (1 February 2024), the base; Port (2 February 2024) "
        "Differs only in small words, punctuation or order."
    ]
    assert '<a rel="next" href="/compare/2/">' in files["compare/index.html"].decode()


def test_versions_in_another_order_are_never_said_to_read_the_same(make_source) -> None:
    # The same four paragraphs, the second moved to the end: no word differs.
    paragraphs = (*FIRST, *OTHER)
    moved = (paragraphs[0], paragraphs[2], paragraphs[3], paragraphs[1])
    source = make_source(
        {
            "sources/a.md": _markdown("Council", "2024-01-08", *paragraphs),
            "sources/b.md": _markdown("Press", "2024-01-09", *moved),
        }
    )
    archive, _ = load(source)
    site = render_site(archive, default_templates())
    (group,) = archive.groups
    assert _visible(site["compare/index.html"]) == [
        f"{group.title} 2 versions: Council (8 January 2024), the base; Press (9 January 2024)"
        " The same words, in another order."
    ]
    page = " ".join(
        html.unescape(
            re.sub(r"<[^>]+>", " ", site[f"compare/{group.id}/index.html"].decode())
        ).split()
    )
    assert "read the same" not in page
    assert (
        "The versions have the same words, but not in the same order:"
        " Press, 9 January 2024 ¶4 stands elsewhere than in the others." in page
    )
    assert "No word differs: only the order of passages (marked “moved” in the text)." in page
