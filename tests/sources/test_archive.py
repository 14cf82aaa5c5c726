"""The sources stage: from files on disk to Documents with provenance and stable ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.sources.archive import load_archive
from tests.conftest import EXAMPLE

BUNDLE = "sources/002_27c17665a4c0d5c7.txt"
COPY = "sources/000_ffddd273545a426c.txt"

TRAVEL = "2023-12-22-united-states-department-secretary-state-antony-j-blinken"
STATE = "2023-12-28-united-states-department-mexico-us-joint-communique-mexico"
MINISTRY = "2023-12-28-ministry-foreign-affairs-mexico-united-states-reaffirm-shared"
HILL = "2023-12-28-hill-biden-administration-backtracks-democratic-decline"
HEADERLESS = "president-mexico-andres-manuel-lopez"


# The example's headerless copy is there on purpose; the editor is told what was made of it.
EXAMPLE_WARNINGS = [
    "sources/000_ffddd273545a426c.txt:1: warning: no header found (publisher, place and date "
    "lines): the text is kept as one document of unknown provenance, lines 1–10 read as 10 "
    "paragraphs (one per line)"
]


def _digest(rel: str, start: int, end: int) -> str:
    lines = (EXAMPLE / rel).read_bytes().splitlines(keepends=True)
    return hashlib.sha256(b"".join(lines[start - 1 : end])).hexdigest()


def test_example_archive_documents_in_source_order() -> None:
    archive, diagnostics = load_archive(EXAMPLE)
    assert diagnostics.lines() == EXAMPLE_WARNINGS
    assert [d.id for d in archive.documents] == [HEADERLESS, TRAVEL, STATE, MINISTRY, HILL]


def test_example_provenance_field_by_field() -> None:
    archive, _ = load_archive(EXAMPLE)
    rows = {
        d.id: (
            d.provenance.path,
            d.provenance.line_start,
            d.provenance.line_end,
            d.provenance.position,
            d.collection,
            d.publisher,
            d.place,
            d.date,
            d.byline,
            d.kicker,
            d.title_derived,
            d.language,
            len(d.paragraphs),
        )
        for d in archive.documents
    }
    bundle = "002-27c17665a4c0d5c7"
    assert rows == {
        HEADERLESS: (
            COPY, 1, 10, 1, "000-ffddd273545a426c", None, None, None, None, None, True, "en", 10
        ),
        TRAVEL: (
            BUNDLE, 2, 5, 1, bundle, "United States Department of State", "Washington DC",
            "2023-12-22", None, None, True, "en", 1,
        ),
        STATE: (
            BUNDLE, 6, 16, 2, bundle, "United States Department of State", "Washington DC",
            "2023-12-28", None, None, False, "en", 7,
        ),
        MINISTRY: (
            BUNDLE, 17, 31, 3, bundle, "Ministry of Foreign Affairs", "Mexico City, Mexico",
            "2023-12-28", None, "FOREIGN AFFAIRS-MEXICO-UNITED STATES Joint Press Release",
            False, "en", 9,
        ),
        HILL: (
            BUNDLE, 32, 45, 4, bundle, "The Hill", "Washington DC", "2023-12-28",
            "Rafael Bernal", None, False, "en", 9,
        ),
    }  # fmt: skip


def test_example_hashes_cover_the_exact_bytes_of_the_lines() -> None:
    archive, _ = load_archive(EXAMPLE)
    for doc in archive.documents:
        p = doc.provenance
        assert p.sha256 == _digest(p.path, p.line_start, p.line_end), doc.id
    # The headerless file is one document: its hash is the whole file's.
    whole = hashlib.sha256((EXAMPLE / COPY).read_bytes()).hexdigest()
    assert archive.document(HEADERLESS).provenance.sha256 == whole


def test_example_titles() -> None:
    archive, _ = load_archive(EXAMPLE)
    titles = {d.id: d.title for d in archive.documents}
    assert titles[HEADERLESS] == (
        "The President of Mexico, Andrés Manuel López Obrador, met yesterday in Mexico City with a…"
    )
    assert titles[TRAVEL] == (
        "Secretary of State Antony J. Blinken will travel to Mexico City, Mexico December 27, 2023."
    )
    assert titles[STATE] == (
        "Mexico-U.S. Joint Communique: Mexico and the United States Reaffirm Their Shared "
        "Commitments on an Orderly, Humane and Regular Migration"
    )
    assert titles[MINISTRY] == (
        "Mexico and United States reaffirm their shared commitment to orderly, humanitarian "
        "and regular migration"
    )
    assert titles[HILL] == (
        "Biden administration backtracks on ‘democratic decline’ as root cause of migration"
    )


def test_example_paragraphs_and_source_lines() -> None:
    archive, _ = load_archive(EXAMPLE)
    hill = archive.document(HILL)
    assert hill.paragraphs[0].id == "p1"
    assert hill.paragraphs[0].line == 37
    assert hill.paragraphs[0].text.startswith("The White House on Thursday issued a joint")
    assert hill.paragraphs[-1].line == 45
    assert [line.number for line in hill.provenance.source_lines] == list(range(32, 46))
    assert hill.provenance.source_lines[0].text == "The Hill"
    assert hill.provenance.source_lines[4].text == "by Rafael Bernal"
    assert hill.word_count == sum(len(p.text.split()) for p in hill.paragraphs)


def test_example_collections() -> None:
    archive, _ = load_archive(EXAMPLE)
    first, second = archive.collections
    assert (first.id, first.title, first.title_derived, first.source_path) == (
        "000-ffddd273545a426c",
        # No title, no publisher, no date: its document's own (derived) title, not the file's.
        "The President of Mexico, Andrés Manuel López Obrador, met yesterday in Mexico City "
        "with a…",
        True,
        COPY,
    )
    assert second.title.startswith("Was President Of Mexico Sending A Message?")
    assert second.title_derived is False
    assert second.documents == (TRAVEL, STATE, MINISTRY, HILL)


def test_a_collection_without_a_title_is_named_by_its_first_documents_publisher_and_date(
    make_source,
) -> None:
    source = make_source(
        {
            "sources/press/b.md": "---\npublisher: Council\ndate: 2024-01-08\n---\nText.\n",
            "sources/press/c.md": "---\npublisher: Other\ndate: 2024-01-09\n---\nMore.\n",
        }
    )
    archive, _ = load_archive(source)
    [press] = archive.collections
    assert (press.title, press.title_derived) == ("Council, 8 January 2024", True)


def _two_docs(extra_first: str = "", extra_last: str = "") -> str:
    return (
        extra_first
        + "The Daily\nLondon\n2 January 2024\nAlpha report on things\nAlpha body text.\n"
        + "The Daily\nLondon\n3 January 2024\nBeta report on things\nBeta body text.\n"
        + extra_last
    )


def test_ids_stable_when_other_documents_are_added_removed_or_edited(make_source) -> None:
    base, _ = load_archive(make_source({"sources/a.txt": _two_docs()}, "one"))
    before = [d.id for d in base.documents]
    assert before == ["2024-01-02-daily-alpha-report-things", "2024-01-03-daily-beta-report-things"]
    added = "The Daily\nLondon\n1 January 2024\nGamma report\nGamma body text.\n"
    grown, _ = load_archive(make_source({"sources/a.txt": _two_docs(extra_first=added)}, "two"))
    assert [d.id for d in grown.documents][1:] == before
    edited = _two_docs().replace("Alpha body text.", "Alpha body text, much revised.")
    edited = edited.replace("Beta body", "Beta body edited")
    changed, _ = load_archive(make_source({"sources/a.txt": edited}, "three"))
    assert [d.id for d in changed.documents] == before
    other_file, _ = load_archive(
        make_source({"sources/a.txt": _two_docs(), "sources/0.txt": added}, "four")
    )
    assert [d.id for d in other_file.documents if d.collection == "a"] == before


def test_colliding_ids_get_a_suffix_from_their_own_content(make_source) -> None:
    text = "The Daily\nLondon\n2 January 2024\nSame title\nFirst body.\n"
    text += "The Daily\nLondon\n2 January 2024\nSame title\nSecond body.\n"
    archive, diagnostics = load_archive(make_source({"sources/a.txt": text}))
    ids = [d.id for d in archive.documents]
    assert len(set(ids)) == 2
    assert all(i.startswith("2024-01-02-daily-same-title-") for i in ids)
    assert all(len(i) == len("2024-01-02-daily-same-title-") + 6 for i in ids)
    assert diagnostics.lines() == []


def test_editor_corrections_stay_apart_from_the_source(make_source) -> None:
    source = make_source(
        {
            "sources/copy.txt": "A first sentence of a copy. And more.\nSecond paragraph.\n",
            "sources/copy.yaml": (
                "documents:\n"
                "  1:\n"
                "    publisher: Secretaría de Relaciones Exteriores\n"
                "    url: https://example.org/original\n"
                "    date: 28 December 2023\n"
            ),
        }
    )
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == []
    (doc,) = archive.documents
    assert doc.publisher == "Secretaría de Relaciones Exteriores"
    assert doc.provenance.header["publisher"] is None
    assert doc.origin("publisher") == "editor"
    assert doc.date == "2023-12-28"
    assert doc.url == "https://example.org/original"
    assert doc.editor == {
        "publisher": "Secretaría de Relaciones Exteriores",
        "url": "https://example.org/original",
        "date": "2023-12-28",
    }
    assert doc.id == "first-sentence-copy"  # ids come from the source, not the corrections
    assert doc.title == "A first sentence of a copy."
    assert doc.title_derived is True


def test_corrections_by_id_and_pinned_id(make_source) -> None:
    source = make_source(
        {
            "sources/a.txt": _two_docs(),
            "sources/a.yaml": (
                "documents:\n"
                "  2024-01-03-daily-beta-report-things:\n"
                "    byline: Jane Roe\n"
                "    id: beta\n"
            ),
        }
    )
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == []
    assert [d.id for d in archive.documents] == ["2024-01-02-daily-alpha-report-things", "beta"]
    assert archive.document("beta").byline == "Jane Roe"


def test_correction_problems_name_file_and_line(make_source) -> None:
    source = make_source(
        {
            "sources/a.txt": _two_docs(),
            "sources/a.yaml": (
                "documents:\n"
                "  1:\n"
                "    publsher: Typo Press\n"
                "    date: someday\n"
                "  7:\n"
                "    place: Nowhere\n"
                "  no-such-id:\n"
                "    place: Nowhere\n"
                "  2:\n"
                "    id: Not Valid!\n"
            ),
        }
    )
    _, diagnostics = load_archive(source)
    assert diagnostics.lines() == [
        "sources/a.yaml:3: warning: unknown field 'publsher' (did you mean 'publisher'?); "
        "it is ignored",
        "sources/a.yaml:4: error: cannot read 'someday' as a date",
        "sources/a.yaml:5: error: the bundle has 2 document(s); there is no document 7",
        "sources/a.yaml:7: error: no document of this bundle has the id 'no-such-id'",
        "sources/a.yaml:10: error: id 'Not Valid!' must be lowercase letters, digits and hyphens",
    ]


def test_markdown_document_with_front_matter(make_source) -> None:
    source = make_source(
        {
            "sources/typed/note.md": (
                "---\n"
                "publisher: El Universal\n"
                "place: Ciudad de México\n"
                "date: 28 de diciembre de 2023\n"
                "title: Reunión sobre migración\n"
                "language: es\n"
                "url: https://example.org/nota\n"
                "---\n"
                "El presidente recibió a la delegación *de los* Estados Unidos.\n"
                "\n"
                "Segundo párrafo\n"
                "con salto de línea.\n"
            )
        }
    )
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == []
    (doc,) = archive.documents
    assert doc.id == "2023-12-28-universal-reunion-sobre-migracion"
    assert (doc.publisher, doc.place, doc.date, doc.language, doc.url) == (
        "El Universal",
        "Ciudad de México",
        "2023-12-28",
        "es",
        "https://example.org/nota",
    )
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (9, "El presidente recibió a la delegación de los Estados Unidos."),
        (11, "Segundo párrafo con salto de línea."),
    ]
    assert doc.collection == "typed"
    assert [c.id for c in archive.collections] == ["typed"]


def test_front_matter_id_names_the_document(make_source) -> None:
    source = make_source(
        {
            "sources/a.md": "---\ntitle: First\nid: chosen-id\n---\nText.\n",
            "sources/b.md": "---\ntitle: Second\nid: Not Valid!\n---\nMore.\n",
        }
    )
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == [
        "sources/b.md:3: error: id 'Not Valid!' must be lowercase letters, digits and hyphens"
    ]
    assert [d.id for d in archive.documents] == ["chosen-id", "second"]


def test_invalid_utf8_is_reported_with_line_and_byte_offset(make_source) -> None:
    source = make_source(
        {
            "sources/bad.txt": b"The Daily\nLondon\n2 January 2024\nCaf\xe9 society\n",
            "sources/good.txt": _two_docs(),
        }
    )
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == [
        "sources/bad.txt:4: error: not valid UTF-8: byte 0xe9 at byte offset 35 (column 4); "
        "save the file as UTF-8"
    ]
    assert len(archive.documents) == 2  # the rest of the archive is still read


def test_binary_and_empty_files(make_source) -> None:
    source = make_source(
        {"sources/image.txt": b"\x89PNG\r\n\x1a\n\x00\x00", "sources/empty.txt": "\n\n"}
    )
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == [
        "sources/empty.txt:1: warning: the bundle is empty",
        "sources/image.txt:1: error: looks like a binary file, not text; remove it from sources/",
    ]
    assert archive.documents == ()


def test_symlink_pointing_outside_is_refused(make_source, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The Daily\nLondon\n2 January 2024\nSecret\nDo not publish.\n")
    source = make_source({"sources/a.txt": _two_docs()})
    (source / "sources" / "link.txt").symlink_to(secret)
    archive, diagnostics = load_archive(source)
    assert diagnostics.lines() == [
        "sources/link.txt:1: error: symbolic link points outside the sources folder"
    ]
    assert all("Secret" not in d.title for d in archive.documents)


def test_missing_sources_folder(tmp_path: Path) -> None:
    _, diagnostics = load_archive(tmp_path)
    assert diagnostics.lines() == [f"sources:1: error: no 'sources' folder in {tmp_path}"]


def test_a_cached_bundle_is_parsed_again_only_once_its_bytes_change(
    tmp_path: Path, monkeypatch
) -> None:
    import shutil

    from generator.cache.store import BuildCache
    from generator.sources import archive as archive_module

    source = tmp_path / "site"
    shutil.copytree(EXAMPLE, source)
    parsed: list[int] = []
    real = archive_module.parse_bundle

    def counting(lines: list[str], date_order: str | None = None):  # type: ignore[no-untyped-def]
        parsed.append(len(lines))
        return real(lines, date_order)

    monkeypatch.setattr(archive_module, "parse_bundle", counting)
    cache = BuildCache()
    first, _ = load_archive(source, cache=cache)
    assert len(parsed) == 2  # every bundle, once
    again, diagnostics = load_archive(source, cache=cache)
    assert len(parsed) == 2 and again == first
    assert diagnostics.lines() == EXAMPLE_WARNINGS  # a kept bundle's problems are still told
    edited = source / BUNDLE
    edited.write_text(edited.read_text().replace("migration", "Migration", 1))
    after, _ = load_archive(source, cache=cache)
    assert len(parsed) == 3  # the edited bundle alone
    assert after == load_archive(source)[0]
    assert after != first
