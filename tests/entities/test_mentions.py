"""Entities: mentions found in the texts, credits, problems, pages and the data export."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from generator.build.pipeline import load
from generator.cache.store import BuildCache
from generator.entities.mentions import MentionFinder
from generator.model import Credit, Mention
from generator.publish.write import publish
from generator.render import entity_view
from generator.render.changed import default_templates, render_site
from tests.conftest import EXAMPLE
from tests.crawl import broken_links
from tests.render.test_export import read_export
from tests.sources.test_archive import (
    EXAMPLE_WARNINGS,
    HEADERLESS,
    HILL,
    MINISTRY,
    STATE,
    TRAVEL,
)
from tests.test_hostile import HOSTILE

EXAMPLE_ENTITIES = [
    "andres-manuel-lopez-obrador", "joe-biden", "antony-blinken", "alejandro-mayorkas",
    "elizabeth-sherwood-randall", "ken-salazar", "katie-tobin", "alicia-barcena-ibarra",
    "luisa-maria-alcalde-lujan", "luis-cresencio-sandoval", "jose-rafael-ojeda",
    "rosa-icela-rodriguez", "esteban-moctezuma-barragan", "arturo-felix-medina",
    "roberto-velasco-alvarez", "armando-lopez-cardenas", "alejandro-celorio",
    "ildefonso-guajardo-villarreal", "xochitl-galvez", "rafael-bernal",
    "united-states-department-of-state", "ministry-of-foreign-affairs", "interior-ministry",
    "national-institute-of-migration", "white-house", "biden-administration",
    "national-security-council", "the-hill", "mexico-city", "washington-dc",
    "western-hemisphere", "los-angeles-declaration-for-migration-and-protection",
]  # fmt: skip

BUNDLE = (
    "The Daily\nLondon\n2 January 2024\nTalks resume\nby Ana Ruiz and Tomás Vega\n"
    "Elizabeth Sherwood-Randall met the State Department’s team; the state of talks is good.\n"
    "Sherwood-Randall and O'Brien spoke. Bidenomics is not Biden, nor is BIDEN.\n"
    "The Daily\nLondon\n3 January 2024\nTalks end\n"
    "Homeland security adviser Liz Sherwood-Randall left. He saw the homeland security adviser.\n"
)
D1 = "2024-01-02-daily-talks-resume"
D2 = "2024-01-03-daily-talks-end"
ENTITIES = (
    "- name: Elizabeth Sherwood-Randall\n"  # 1
    "  kind: person\n"
    "  aliases: [Liz Sherwood-Randall, Sherwood-Randall]\n"
    "- name: State Department\n"  # 4
    "  kind: organization\n"
    "- name: Biden\n"  # 6
    "- name: Conor O’Brien\n"  # 7
    "  aliases: [O’Brien]\n"
    "- name: homeland security adviser\n"  # 9
    "  kind: role\n"
    "- name: The Daily\n"  # 11
    "- name: Ana Ruiz\n"  # 12
    "- name: Nobody Here\n"  # 13
    "  description: See [the talks](2024-01-02-daily-talks-resume#p2).\n"
)


def _load(make_source, entities: str = ENTITIES, bundle: str = BUNDLE):
    return load(make_source({"sources/daily.txt": bundle, "entities.yaml": entities}))


def _found(finder: MentionFinder, text: str) -> list[tuple[str, int]]:
    return [(text[s:e], i) for s, e, i in finder.find(text)]


# -- finding mentions --------------------------------------------------------


def test_whole_words_case_sensitive_longest_first() -> None:
    finder = MentionFinder(
        [("Elizabeth Sherwood-Randall", "Sherwood-Randall"), ("State",), ("New York",),
         ("York Times",), ("U.S.",)]
    )  # fmt: skip
    text = (
        "Elizabeth Sherwood-Randall and Sherwood-Randall; the state of the State; "
        "Statesman, Stately, TriState; The New York Times; U.S.-made"
    )
    assert _found(finder, text) == [
        ("Elizabeth Sherwood-Randall", 0),
        ("Sherwood-Randall", 0),
        ("State", 1),
        ("York Times", 3),  # overlapping forms: the longer one wins, wherever it starts
        ("U.S.", 4),
    ]


def test_typographic_variants_match() -> None:
    # A non-breaking space in the file's name, curly apostrophes and other dashes in the text.
    finder = MentionFinder([("Conor\u00a0O'Brien",), ("Sherwood-Randall",), ("José Ojeda",)])
    text = (
        "Conor O’Brien, Conor O'Brien, Sherwood–Randall, Sherwood‑Randall, "
        "Sherwood- Randall (a line broken at the hyphen), Jose\u0301 Ojeda"
    )
    assert _found(finder, text) == [
        ("Conor O’Brien", 0),
        ("Conor O'Brien", 0),
        ("Sherwood–Randall", 1),
        ("Sherwood‑Randall", 1),
        ("Sherwood- Randall", 1),
        ("Jose\u0301 Ojeda", 2),
    ]
    # A letter followed by a combining accent is still inside the word.
    assert _found(MentionFinder([("Jose",)]), "Jose\u0301 Ojeda") == []


def test_lowercase_forms_also_match_at_the_start_of_a_sentence() -> None:
    finder = MentionFinder([("homeland security adviser",), ("Biden",)])
    assert _found(finder, "Homeland security adviser X; the homeland security adviser.") == [
        ("Homeland security adviser", 0),
        ("homeland security adviser", 0),
    ]
    assert _found(finder, "biden BIDEN Biden") == [("Biden", 1)]


def test_mentions_and_credits_in_an_archive(make_source) -> None:
    archive, diagnostics = _load(make_source)
    assert diagnostics.lines() == [
        "entities.yaml:13: warning: 'Nobody Here' is not mentioned in any document; "
        "check its name and aliases against the texts"
    ]
    assert archive.mentions == (
        Mention("elizabeth-sherwood-randall", D1, 1, 0, 26, "Elizabeth Sherwood-Randall"),
        Mention("state-department", D1, 1, 35, 51, "State Department"),
        Mention("elizabeth-sherwood-randall", D1, 2, 0, 16, "Sherwood-Randall"),
        Mention("conor-obrien", D1, 2, 21, 28, "O'Brien"),
        Mention("biden", D1, 2, 54, 59, "Biden"),
        Mention("homeland-security-adviser", D2, 1, 0, 25, "Homeland security adviser"),
        Mention("elizabeth-sherwood-randall", D2, 1, 26, 46, "Liz Sherwood-Randall"),
        Mention("homeland-security-adviser", D2, 1, 64, 89, "homeland security adviser"),
    )
    assert archive.credits == (
        Credit("the-daily", D1, "publisher"),
        Credit("the-daily", D2, "publisher"),
        Credit("ana-ruiz", D1, "byline"),
    )
    assert [m.paragraph for m in archive.mentions_of("elizabeth-sherwood-randall")] == [1, 2, 1]
    assert archive.entity("nobody-here").description_html == (
        f'<p>See <a href="/documents/{D1}/#p2">the talks</a>.</p>'
    )


def test_description_links_are_checked(make_source) -> None:
    _, diagnostics = _load(
        make_source,
        "- name: Biden\n"
        "  description: '[a](#p2), [b](2024-01-02-daily-talks-resum), [c](mailto:x@y.z)'\n"
        "- name: State Department\n"
        f"  description: '[d]({D2}#p9)'\n",
    )
    assert diagnostics.lines() == [
        "entities.yaml:2: error: link '#p2' in a description must name its document, "
        "e.g. 'doc-id#p2'",
        "entities.yaml:2: error: the description links to an unknown document "
        f"'2024-01-02-daily-talks-resum' (did you mean '{D1}'?)",
        f"entities.yaml:4: error: the description links to p9 of '{D2}', which has 1 paragraph(s)",
    ]


def test_no_entities_file_changes_nothing(make_source) -> None:
    archive, diagnostics = load(make_source({"sources/daily.txt": BUNDLE}))
    assert (archive.entities, archive.mentions, archive.credits) == ((), (), ())
    assert diagnostics.lines() == []


# -- the example archive -------------------------------------------------------


def _where(archive, entity_id: str) -> list[tuple[str, int, str]]:
    short = {HEADERLESS: "HEADERLESS", TRAVEL: "TRAVEL", STATE: "STATE", MINISTRY: "MINISTRY",
             HILL: "HILL"}  # fmt: skip
    return [(short[m.document], m.paragraph, m.text) for m in archive.mentions_of(entity_id)]


def test_example_mentions_exactly() -> None:
    archive, diagnostics = load(EXAMPLE)
    assert diagnostics.lines() == EXAMPLE_WARNINGS
    assert [e.id for e in archive.entities] == EXAMPLE_ENTITIES
    assert len(archive.mentions) == 133
    assert _where(archive, "elizabeth-sherwood-randall") == [
        ("HEADERLESS", 1, "Elizabeth Sherwood-Randall"),
        ("HEADERLESS", 10, "Elizabeth Sherwood-Randall"),
        ("TRAVEL", 1, "Liz Sherwood-Randall"),
        ("STATE", 1, "Elizabeth Sherwood-Randall"),
        ("STATE", 7, "Elizabeth Sherwood-Randall"),
        ("MINISTRY", 1, "Elizabeth Sherwood-Randall"),
        ("MINISTRY", 9, "Elizabeth Sherwood-Randall"),
        ("HILL", 2, "Liz Sherwood-Randall"),
    ]
    assert _where(archive, "antony-blinken") == [
        ("HEADERLESS", 1, "Antony Blinken"),
        ("HEADERLESS", 10, "Antony Blinken"),
        ("TRAVEL", 1, "Antony J. Blinken"),
        ("TRAVEL", 1, "Antony J. Blinken"),
        ("TRAVEL", 1, "Blinken"),
        ("TRAVEL", 1, "Blinken"),
        ("STATE", 1, "Antony Blinken"),
        ("STATE", 7, "Antony Blinken"),
        ("MINISTRY", 1, "Antony Blinken"),
        ("MINISTRY", 9, "Antony Blinken"),
        ("HILL", 2, "Antony Blinken"),
    ]
    # "Biden administration" is its own entity: the longer form takes those words.
    assert _where(archive, "biden-administration") == [
        ("HEADERLESS", 6, "Biden administration"),
        ("STATE", 3, "Biden administration"),
        ("MINISTRY", 5, "Biden administration"),
    ]
    assert [(d, p) for d, p, _ in _where(archive, "joe-biden")] == [
        ("HEADERLESS", 2), ("HEADERLESS", 5), ("HEADERLESS", 10), ("HEADERLESS", 10),
        ("STATE", 1), ("STATE", 3), ("STATE", 7),
        ("MINISTRY", 2), ("MINISTRY", 5), ("MINISTRY", 9), ("MINISTRY", 9),
    ]  # fmt: skip
    assert _where(archive, "ministry-of-foreign-affairs") == [
        ("HEADERLESS", 9, "Foreign Ministry"),
        ("STATE", 6, "SRE"),
        ("MINISTRY", 8, "Foreign Ministry"),
    ]
    assert _where(archive, "washington-dc") == [
        ("HEADERLESS", 8, "Washington, D.C."),
        ("STATE", 5, "Washington"),
        ("MINISTRY", 7, "Washington, D.C."),
    ]
    assert [(d, p) for d, p, _ in _where(archive, "andres-manuel-lopez-obrador")] == [
        ("HEADERLESS", 1), ("HEADERLESS", 5), ("HEADERLESS", 9), ("TRAVEL", 1),
        ("STATE", 1), ("STATE", 1), ("STATE", 3), ("STATE", 6),
        ("MINISTRY", 1), ("MINISTRY", 5), ("MINISTRY", 8),
        ("HILL", 2), ("HILL", 5), ("HILL", 6), ("HILL", 6),
    ]  # fmt: skip
    assert archive.mentions_of("united-states-department-of-state") == ()
    assert archive.credits_of("united-states-department-of-state") == (
        Credit("united-states-department-of-state", TRAVEL, "publisher"),
        Credit("united-states-department-of-state", STATE, "publisher"),
    )
    assert archive.credits_of("rafael-bernal") == (Credit("rafael-bernal", HILL, "byline"),)


# -- pages ----------------------------------------------------------------------


class _Nesting(HTMLParser):
    """Records links opened inside links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_links = 0
        self.nested: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            if self.open_links:
                self.nested.append(str(dict(attrs).get("href")))
            self.open_links += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.open_links -= 1


def test_mentions_are_linked_in_the_text_together_with_note_marks() -> None:
    archive, _ = load(EXAMPLE, base_url="/repo/")
    files = render_site(archive, default_templates())
    page = files[f"documents/{MINISTRY}/index.html"].decode()
    p9 = page.split('<p id="p9">')[1].split("</p>")[0]
    # The note's passage starts with one mention, holds another and ends with a third;
    # its reference mark follows the last link instead of sitting inside it.
    assert (
        '; and <a href="/repo/entities/katie-tobin/"><mark>Katie Tobin</mark></a>'
        "<mark>, Special Assistant to President </mark>"
        '<a href="/repo/entities/joe-biden/" title="Joe Biden">'
        "<mark>Biden</mark></a>"
        "<mark> and Senior Director for Transborder at the </mark>"
        '<a href="/repo/entities/national-security-council/">'
        "<mark>National Security Council</mark></a>"
        '<sup class="refs"><a href="#n-9ac3ee6c" id="ref-n-9ac3ee6c" aria-label="Note 2">2</a>'
        "</sup>."
    ) in p9
    assert (
        'On President <a href="/repo/entities/joe-biden/" title="Joe Biden">Biden</a>&#39;s side'
    ) in p9
    for path, html in files.items():
        if path.endswith(".html"):
            nesting = _Nesting()
            nesting.feed(html.decode())
            assert nesting.nested == [], path
    assert '<a href="/repo/entities/">Names</a>' in files["index.html"].decode()


def test_a_note_ending_inside_a_mention_puts_its_mark_after_the_link(make_source) -> None:
    source = make_source(
        {
            "sources/daily.txt": BUNDLE,
            "entities.yaml": ENTITIES,
            "notes/n.yaml": f"- doc: {D2}\n  quote: adviser Liz\n  note: Two mentions cut.\n",
        }
    )
    archive, diagnostics = load(source)
    assert not diagnostics.has_errors
    page = render_site(archive, default_templates())[f"documents/{D2}/index.html"].decode()
    p1 = page.split('<p id="p1">')[1].split("</p>")[0]
    (note,) = archive.notes
    assert p1.split("</a> ", 1)[1] == (
        # No title where the mention is the name but for its case.
        '<a href="/entities/homeland-security-adviser/">'
        "Homeland security <mark>adviser</mark></a>"
        '<mark> </mark><a href="/entities/elizabeth-sherwood-randall/" '
        'title="Elizabeth Sherwood-Randall"><mark>Liz</mark> Sherwood-Randall</a>'
        f'<sup class="refs"><a href="#{note.id}" id="ref-{note.id}" aria-label="Note 1">1</a>'
        "</sup> left. He saw the "
        '<a href="/entities/homeland-security-adviser/">'
        "homeland security adviser</a>."
    )
    nesting = _Nesting()
    nesting.feed(page)
    assert nesting.nested == []


def test_entity_page_lists_every_mentioning_paragraph_with_an_excerpt() -> None:
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    page = files["entities/elizabeth-sherwood-randall/index.html"].decode()
    assert "<h1>Elizabeth Sherwood-Randall</h1>" in page
    assert "Also written: Liz Sherwood-Randall, Sherwood-Randall" in page
    assert "<p>8 mentions in 5 documents, by date.</p>" in page
    links = [
        part.split('"')[0] for part in page.split('<li><a href="/documents/')[1:]
    ]  # in the site's date order: TRAVEL, STATE, MINISTRY, HILL, then the undated copy
    assert links == [
        f"{TRAVEL}/#p1", f"{STATE}/#p1", f"{STATE}/#p7", f"{MINISTRY}/#p1", f"{MINISTRY}/#p9",
        f"{HILL}/#p2", f"{HEADERLESS}/#p1", f"{HEADERLESS}/#p10",
    ]  # fmt: skip
    assert (
        f'<li><a href="/documents/{HILL}/#p2">¶2</a> …Mayorkas '
        "and homeland security adviser <mark>Liz Sherwood-Randall</mark>.</ul>"  # no </li>: implied
    ) in page
    state = files["entities/united-states-department-of-state/index.html"].decode()
    assert '<h2 id="credits">Documents from United States Department of State</h2>' in state
    assert "<p>Not mentioned in the texts.</p>" in state
    index = files["entities/index.html"].decode()
    assert [h.split("<")[0] for h in index.split("<h2 id=")[1:]] == [
        '"kind-person">People ', '"kind-organization">Organizations ', '"kind-place">Places ',
        '"kind-agreement">Agreements ',
    ]  # fmt: skip
    assert '<li><a href="#kind-person">People</a> (20)</li>' in index
    assert (
        '<li><a href="/entities/joe-biden/">Joe Biden</a> '
        '<span class="meta">11 mentions in 3 documents</span>'
    ) in index
    assert (
        '<a href="/entities/united-states-department-of-state/">United States Department of '
        'State</a> <span class="meta">not mentioned in the texts</span>'
    ) in index


def test_export_has_entities_and_mentions() -> None:
    archive, _ = load(EXAMPLE)
    data = read_export(render_site(archive, default_templates()))
    assert [e["id"] for e in data["entities"]] == EXAMPLE_ENTITIES
    esr = data["entities"][4]
    assert esr == {
        "id": "elizabeth-sherwood-randall",
        "url": "entities/elizabeth-sherwood-randall/",
        "name": "Elizabeth Sherwood-Randall",
        "kind": "person",
        "aliases": ["Liz Sherwood-Randall", "Sherwood-Randall"],
        "description": esr["description"],
        "link": None,
        "credits": [],
    }
    assert esr["description"].startswith("White House Homeland Security Advisor;")
    assert data["entities"][19]["credits"] == [{"document": HILL, "role": "byline"}]
    assert sum(len(d["mentions"]) for d in data["documents"]) == 133
    first = data["documents"][0]["mentions"][0]
    assert data["documents"][0]["id"] == HEADERLESS
    assert first == {
        "entity": "andres-manuel-lopez-obrador",
        "paragraph": "p1",
        "start": 25,
        "end": 52,
        "text": "Andrés Manuel López Obrador",
    }
    text = next(d for d in data["documents"] if d["id"] == HEADERLESS)["paragraphs"][0]["text"]
    assert text[first["start"] : first["end"]] == first["text"]


def test_hostile_names_are_text(tmp_path: Path) -> None:
    archive, diagnostics = load(HOSTILE)
    assert not diagnostics.has_errors
    files = render_site(archive, default_templates())
    page = files["entities/script-window-pwned-p1-script/index.html"].decode()
    assert "<h1>&lt;script&gt;window.__pwned=&#39;p1&#39;&lt;/script&gt;</h1>" in page
    assert "Raw &lt;script&gt;window.__pwned='entity'&lt;/script&gt;, &lt;b onclick" in page
    assert [c.role for c in archive.credits_of("script-window-pwned-p1-script")] == ["byline"]


def test_many_mentions_are_split_into_linked_pages(make_source, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(entity_view, "MENTIONS_PER_PAGE", 2)
    said = {1: "Biden spoke.", 2: "Biden spoke. Biden left. Biden stayed.", 3: "Biden spoke.",
            4: "Biden left.", 5: "Biden came back."}  # fmt: skip
    bundle = "".join(
        f"The Daily\nLondon\n{day} January 2024\nDay {day}\n{text}\n" for day, text in said.items()
    )
    archive, diagnostics = _load(make_source, "- name: Biden\n", bundle)
    assert diagnostics.lines() == []
    files = render_site(archive, default_templates())
    pages = sorted(p for p in files if p.startswith("entities/biden/"))
    assert pages == ["entities/biden/2/index.html", "entities/biden/3/index.html",
                     "entities/biden/index.html"]  # fmt: skip

    def marks(path: str) -> int:
        return files[path].decode().count("<mark>Biden</mark>")

    # About two mentions a page, but a document's mentions are never split.
    assert [marks(f"entities/biden/{n}index.html") for n in ("", "2/", "3/")] == [4, 2, 1]
    second = files["entities/biden/2/index.html"].decode()
    assert "<p>7 mentions in 5 documents, by date.</p>" in second
    assert "<span>Page 2 of 3</span>" in second
    assert '<a rel="prev" href="/entities/biden/">← Earlier mentions</a>' in second
    assert '<a rel="next" href="/entities/biden/3/">Later mentions →</a>' in second
    publish(files, tmp_path / "out")
    assert broken_links(tmp_path / "out") == []


def test_a_note_edit_finds_no_mention_again_but_an_entities_edit_does(
    example_source: Path, monkeypatch
) -> None:
    cache = BuildCache()
    first, _ = load(example_source, cache=cache)
    notes = example_source / "notes" / "hill.yaml"
    notes.write_text(notes.read_text().replace("tags: [context]", "tags: [context, edited]", 1))

    def fail(*args: object) -> None:
        raise AssertionError("mentions were searched again")

    with monkeypatch.context() as patched:
        patched.setattr("generator.entities.mentions._index", fail)
        again, diagnostics = load(example_source, cache=cache)
    assert diagnostics.lines() == EXAMPLE_WARNINGS
    assert again.mentions == first.mentions and again.entities == first.entities
    entities = example_source / "entities.yaml"
    entities.write_text(entities.read_text().replace("aliases: [Biden]", "aliases: []"))
    edited, _ = load(example_source, cache=cache)
    assert len(edited.mentions_of("joe-biden")) == 3  # "Joe Biden" only, no longer "Biden"


def test_a_bundle_edit_searches_only_the_edited_documents_again(make_source, monkeypatch) -> None:
    cache = BuildCache()
    source = make_source({"sources/daily.txt": BUNDLE, "entities.yaml": ENTITIES})
    load(source, cache=cache)
    bundle = source / "sources" / "daily.txt"
    bundle.write_text(BUNDLE.replace("He saw the", "Biden saw the"))
    searched: list[str] = []
    find = MentionFinder.find
    monkeypatch.setattr(
        MentionFinder, "find", lambda self, text: searched.append(text) or find(self, text)
    )
    edited, _ = load(source, cache=cache)
    # The second document's paragraph, and the bylines (credits are not kept per document).
    assert searched == [
        "Homeland security adviser Liz Sherwood-Randall left."
        " Biden saw the homeland security adviser.",
        "Ana Ruiz and Tomás Vega",
        "",
    ]
    monkeypatch.undo()
    fresh, _ = load(source)
    assert edited.mentions == fresh.mentions
    assert edited.mentions[-2:] == (
        Mention("biden", D2, 1, 53, 58, "Biden"),
        Mention("homeland-security-adviser", D2, 1, 67, 92, "homeland security adviser"),
    )
