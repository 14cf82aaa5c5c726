"""Bundles as editors paste them from web pages, wire services and transcripts.

Each fixture in fixtures/pastes/ is shaped like a real paste; each test
asserts the exact fields read and the exact problems reported.
"""

from __future__ import annotations

from pathlib import Path

from generator.sources.archive import load_archive

PASTES = Path(__file__).parent / "fixtures" / "pastes"


def _load(make_source, *names: str, extra: dict[str, str] | None = None):
    files: dict[str, str | bytes] = {
        f"sources/{name}": (PASTES / name).read_bytes() for name in names
    }
    archive, diagnostics = load_archive(make_source({**files, **(extra or {})}))
    return archive.documents, diagnostics.lines()


def _fields(doc) -> tuple:
    return (doc.publisher, doc.place, doc.date, doc.title, doc.byline)


def _origins(doc) -> dict[str, str]:
    return {name: doc.origin(name) for name in ("publisher", "place", "date", "title")}


def test_for_immediate_release_with_the_office_under_the_department(make_source) -> None:
    [doc], problems = _load(make_source, "state-dept-2000.txt")
    assert problems == []
    assert _fields(doc) == (
        "U.S. Department of State, Office of the Spokesman", None, "2000-09-15",
        "Mexico: Meeting of the U.S.-Mexico Binational Commission", None,
    )  # fmt: skip
    assert [p.line for p in doc.paragraphs] == [5, 6]
    assert doc.provenance.date_time is None


def test_title_publisher_updated_date_title_again_and_a_reuters_dateline(make_source) -> None:
    [doc], problems = _load(make_source, "msnbc-2005.txt")
    assert problems == [
        "sources/msnbc-2005.txt:3: warning: numeric date could be 2005-04-11 (month first) or "
        "2005-11-04 (day first); read as 2005-04-11: set 'date_order: dmy' (or 'mdy') in "
        "site.yaml or the bundle's corrections, or the document's 'date'"
    ]
    assert _fields(doc) == (
        "MSNBC News Services", "Washington", "2005-04-11",
        "U.S., Mexico agree on border security plan", None,
    )  # fmt: skip
    # ET on 11 April is daylight time: four hours behind UTC.
    assert doc.provenance.date_time == "2005-04-11T07:15:48-04:00"
    assert doc.provenance.derived == {"agency": "Reuters", "place": "Washington"}
    assert _origins(doc) == {
        "publisher": "source", "place": "derived", "date": "source", "title": "source",
    }  # fmt: skip
    # The dateline stays in the text, where readers expect it.
    assert doc.paragraphs[0].text.startswith("WASHINGTON, April 11 (Reuters) - The United")
    assert [p.line for p in doc.paragraphs] == [5, 6]


def test_the_editor_settles_an_ambiguous_date_and_check_takes_it(make_source) -> None:
    corrections = "documents:\n  1:\n    date: 2005-11-04\n"
    [doc], problems = _load(
        make_source, "msnbc-2005.txt", extra={"sources/msnbc-2005.yaml": corrections}
    )
    assert problems == []
    assert (doc.date, doc.origin("date"), doc.provenance.header["date"]) == (
        "2005-11-04", "editor", "2005-04-11",
    )  # fmt: skip
    assert doc.provenance.date_time is None  # the source's time was on another day


def test_date_order_in_site_yaml_or_the_bundle_reads_day_first(make_source) -> None:
    for extra in (
        {"site.yaml": "title: T\ndate_order: dmy\n"},
        {"sources/dmy-dates.yaml": "date_order: dmy\n"},
    ):
        [doc], problems = _load(make_source, "dmy-dates.txt", extra=extra)
        assert problems == []
        assert _fields(doc) == (
            "The Guardian", "London", "2005-11-04",
            "Britain urges Mexico and US to settle border dispute", None,
        )  # fmt: skip


def test_a_wrong_date_order_is_an_error_with_its_line(make_source) -> None:
    _, problems = _load(make_source, "dmy-dates.txt", extra={"site.yaml": "date_order: ymd\n"})
    assert problems[0] == (
        "site.yaml:1: error: date_order 'ymd' must be 'mdy' (4/11/2005 is 11 April) or 'dmy' "
        "(4/11/2005 is 4 November)"
    )


def test_updated_with_a_time_and_a_title_ending_in_its_date(make_source) -> None:
    [first, second], problems = _load(make_source, "xinhua-2001-2006.txt")
    assert problems == []
    assert _fields(first) == (
        "China Daily", "Beijing", "2006-03-04", "China, Mexico pledge closer trade ties", None,
    )  # fmt: skip
    assert first.provenance.date_time == "2006-03-04T17:07"  # no zone given: no offset
    # The header names a place: the dateline gives only the agency.
    assert first.provenance.derived == {"agency": "Xinhuanet"}
    assert (first.provenance.line_start, first.provenance.line_end) == (1, 6)
    assert _fields(second) == (
        "Embassy of the People's Republic of China in Mexico", "Beijing", "2001-11-11",
        "Foreign Ministry spokesman on the APEC meeting", None,
    )  # fmt: skip
    assert second.provenance.derived == {"agency": "Xinhuanet", "place": "Beijing"}
    assert (second.provenance.line_start, [p.line for p in second.paragraphs]) == (7, [9, 10])


def test_published_and_times_in_indian_standard_time(make_source) -> None:
    [hindu, times], problems = _load(make_source, "hindu-2005.txt")
    assert problems == []
    assert _fields(hindu) == (
        "The Hindu", "New Delhi", "2005-07-29",
        "India, U.S. sign framework for defence cooperation", None,
    )  # fmt: skip
    assert hindu.provenance.date_time == "2005-07-29T00:00+05:30"
    assert hindu.provenance.derived == {"agency": "PTI"}
    assert _fields(times) == (
        "Hindustan Times", "Mumbai", "2006-11-21", "Mexican trade delegation visits Mumbai", None,
    )  # fmt: skip
    assert times.provenance.date_time == "2006-11-21T15:53+05:30"
    assert times.provenance.derived == {}


def test_a_transcript_header_and_the_editor_naming_its_publisher(make_source) -> None:
    [doc], problems = _load(make_source, "white-house-transcript.txt")
    assert problems == [
        "sources/white-house-transcript.txt:5: warning: header read as a transcript's: title "
        "'Remarks by President Biden and President López Obrador of Mexico Before Bilateral "
        "Meeting', venue and place 'The Oval Office, Washington, D.C.', no publisher; set "
        "'publisher' in the bundle's corrections"
    ]
    assert _fields(doc) == (
        None, "The Oval Office, Washington, D.C.", "2023-01-12",
        "Remarks by President Biden and President López Obrador of Mexico Before Bilateral "
        "Meeting", None,
    )  # fmt: skip
    assert doc.provenance.date_time == "2023-01-12T18:21-05:00"
    assert [p.line for p in doc.paragraphs] == [7, 8]
    assert doc.paragraphs[0].text.startswith("PRESIDENT BIDEN: Well, Mr. President, welcome.")

    corrections = "documents:\n  1:\n    publisher: The White House\n"
    [doc], problems = _load(
        make_source,
        "white-house-transcript.txt",
        extra={"sources/white-house-transcript.yaml": corrections},
    )
    assert problems == []
    assert (doc.publisher, doc.origin("publisher")) == ("The White House", "editor")


def test_hard_wrapped_text_without_blank_lines_reads_as_the_unwrapped_copy(make_source) -> None:
    # Documents come in source-path order: ap-lines.txt first.
    [lines, wrapped], problems = _load(make_source, "ap-wrapped.txt", "ap-lines.txt")
    assert problems == []
    assert [p.text for p in wrapped.paragraphs] == [p.text for p in lines.paragraphs]
    assert [p.line for p in wrapped.paragraphs] == [5, 9, 12]
    assert len(lines.paragraphs) == 3
    assert wrapped.paragraphs[0].text == (
        "MEXICO CITY (AP) — Mexico and the United States agreed on Wednesday to keep their "
        "busiest border crossings open through the holidays, after a meeting between President "
        "Andrés Manuel López Obrador and a delegation led by Secretary of State Antony Blinken."
    )
    assert wrapped.provenance.derived == {"agency": "AP"}
    assert (wrapped.provenance.line_start, wrapped.provenance.line_end) == (1, 13)


def test_an_unread_date_line_between_two_documents_is_an_error(make_source) -> None:
    [doc], problems = _load(make_source, "unread-date.txt")
    assert problems == [
        "sources/unread-date.txt:9: error: '28.12.2023' looks like the date line of a new "
        "document's header, but it cannot be read as a date, so the lines around it are read "
        "as part of the document above; write the date as '28 December 2023' or '2023-12-28'"
    ]
    # Without the error, the two documents would pass as one.
    assert [p.line for p in doc.paragraphs] == [5, 6, 7, 8, 9, 10, 11]


def test_text_before_the_first_header_is_reported_with_its_paragraphs(make_source) -> None:
    [notes, release], problems = _load(make_source, "headerless-part.txt")
    assert problems == [
        "sources/headerless-part.txt:1: warning: text before the first header has no header of "
        "its own; it is kept as a document of unknown provenance, lines 1–3 read as 3 "
        "paragraphs (one per line)"
    ]
    assert _fields(notes) == (
        None, None, None, "Notes from the press call, copied from the briefing room page:", None
    )  # fmt: skip
    assert _fields(release) == (
        "United States Department of State", "Washington DC", "2023-12-27",
        "Secretary Blinken's Travel to Mexico", None,
    )  # fmt: skip


def test_a_file_without_any_header_says_so_on_its_first_line(make_source) -> None:
    text = (PASTES / "ap-wrapped.txt").read_text(encoding="utf-8").split("\n", 4)[4]
    archive, diagnostics = load_archive(make_source({"sources/copy.txt": text}))
    assert diagnostics.lines() == [
        "sources/copy.txt:1: warning: no header found (publisher, place and date lines): the "
        "text is kept as one document of unknown provenance, lines 1–9 read as 3 paragraphs "
        "(hard-wrapped lines joined)"
    ]
    [doc] = archive.documents
    assert (doc.publisher, doc.date, doc.title_derived) == (None, None, True)
    assert doc.provenance.derived == {"agency": "AP", "place": "Mexico City"}
    assert doc.place == "Mexico City"


def test_the_same_shapes_with_blank_lines_and_hard_wraps(make_source) -> None:
    [embassy, msnbc, transcript], problems = _load(
        make_source,
        "embassy-wrapped.txt",
        "msnbc-2005-wrapped.txt",
        "white-house-transcript-wrapped.txt",
    )
    assert [line.split(": warning: ")[0] for line in problems] == [
        "sources/msnbc-2005-wrapped.txt:3",  # the ambiguous 4/11/2005
        "sources/white-house-transcript-wrapped.txt:5",  # no publisher
    ]
    assert (_fields(embassy), embassy.provenance.derived, [p.line for p in embassy.paragraphs]) == (
        ("Embassy of the People's Republic of China in Mexico", "Beijing", "2001-11-11",
         "Foreign Ministry spokesman on the APEC meeting", None),
        {"agency": "Xinhuanet", "place": "Beijing"},
        [4, 7],
    )  # fmt: skip
    assert (_fields(msnbc), msnbc.provenance.date_time, [p.line for p in msnbc.paragraphs]) == (
        ("MSNBC News Services", "Washington", "2005-04-11",
         "U.S., Mexico agree on border security plan", None),
        "2005-04-11T07:15:48-04:00",
        [6, 9],
    )  # fmt: skip
    assert msnbc.paragraphs[0].text == (
        "WASHINGTON, April 11 (Reuters) - The United States and Mexico agreed on Monday to share "
        "more information on people crossing their border, officials said."
    )
    assert (_fields(transcript), [p.line for p in transcript.paragraphs]) == (
        (None, "The Oval Office, Washington, D.C.", "2023-01-12",
         "Remarks by President Biden and President López Obrador of Mexico Before Bilateral "
         "Meeting", None),
        [8, 11],
    )  # fmt: skip


def test_the_end_of_the_document_above_is_no_transcript_title(make_source) -> None:
    [statement, gaggle], problems = _load(make_source, "press-office-then-transcript.txt")
    assert problems == []
    assert [p.text for p in statement.paragraphs][-1] == "###"
    assert _fields(gaggle) == (
        "The White House", "Washington, D.C.", "2023-12-28",
        "Press Gaggle by the Press Secretary Aboard Air Force One", None,
    )  # fmt: skip
    assert gaggle.provenance.date_time == "2023-12-28T18:21-05:00"
    assert (gaggle.provenance.line_start, [p.line for p in gaggle.paragraphs]) == (7, [12])
