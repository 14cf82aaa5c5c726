"""Lists of documents and notes: pages of at most PER_PAGE, the timeline, note tags."""

from __future__ import annotations

from dataclasses import replace

from generator.build.pipeline import load
from generator.render import listings
from generator.render.changed import default_templates, render_site
from generator.render.listings import Pager, months, paged
from generator.render.templating import by_date
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE


def test_pages_of_a_list_and_their_neighbours(monkeypatch) -> None:
    monkeypatch.setattr(listings, "PER_PAGE", 2)
    pages = list(paged("publishers/x/", "/publishers/x/", ["a", "b", "c", "d", "e"]))
    assert pages == [
        ("publishers/x/index.html", ["a", "b"], Pager(1, 3, None, "/publishers/x/2/")),
        (
            "publishers/x/2/index.html",
            ["c", "d"],
            Pager(2, 3, "/publishers/x/", "/publishers/x/3/", start=3),
        ),
        ("publishers/x/3/index.html", ["e"], Pager(3, 3, "/publishers/x/2/", None, start=5)),
    ]
    assert list(paged("c/", "/c/", [])) == [("c/index.html", [], Pager(1, 1, None, None))]


def test_months_run_oldest_first_with_the_undated_last() -> None:
    archive, _ = load(EXAMPLE)
    found = months(by_date(archive.documents))
    assert [(m.key, m.label, [d.id for d in m.documents]) for m in found] == [
        ("2023-12", "December 2023", [found[0].documents[0].id, STATE, MINISTRY, HILL]),
        ("undated", "Undated", [HEADERLESS]),
    ]
    assert found[0].documents[0].date == "2023-12-22"


def test_timeline_pages_of_the_example() -> None:
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    overview = files["timeline/index.html"].decode()
    assert '<li><a href="/timeline/2023-12/">December 2023</a> <span class="count">(4)</span>' in (
        overview
    )
    assert '<h2 id="y-undated">Undated <span class="count">(1)</span></h2>' in overview
    december = files["timeline/2023-12/index.html"].decode()
    assert "<h1>December 2023</h1>" in december
    assert [december.index(f"/documents/{i}/") for i in (STATE, MINISTRY, HILL)] == sorted(
        december.index(f"/documents/{i}/") for i in (STATE, MINISTRY, HILL)
    )
    assert '<a rel="next" href="/timeline/undated/">Undated →</a>' in december
    assert f"/documents/{HEADERLESS}/" in files["timeline/undated/index.html"].decode()


def test_notes_run_over_pages_that_follow_the_notes(monkeypatch) -> None:
    monkeypatch.setattr(listings, "PER_PAGE", 4)
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    # Nine notes: pages of four, four and one.
    assert [p for p in sorted(files) if p.startswith("notes/") and "/tags/" not in p] == [
        "notes/2/index.html",
        "notes/3/index.html",
        "notes/index.html",
    ]
    last = files["notes/3/index.html"].decode()
    assert "<span>Page 3 of 3</span>" in last
    assert '<a rel="prev" href="/notes/2/">← Previous page</a>' in last
    assert listings.note_shape(archive)[0] == 3
    fewer = replace(archive, notes=archive.notes[:4])
    assert listings.note_shape(fewer)[0] == 1


def test_tags_get_distinct_addresses() -> None:
    archive, _ = load(EXAMPLE)
    notes = archive.notes
    tagged = (
        replace(notes[0], tags=("Word choice",)),
        replace(notes[1], tags=("word-choice",)),
        replace(notes[2], tags=()),
    )
    found = listings._tags(tagged)
    assert {tag: slug for tag, (slug, _) in found.items()} == {
        "Word choice": "word-choice",
        "untagged": "untagged",
        "word-choice": "word-choice-2",
    }
