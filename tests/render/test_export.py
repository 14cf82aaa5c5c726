"""The data export, `data/archive.json` and its parts: the documented shape, exact values."""

from __future__ import annotations

import json

from generator.build.pipeline import load
from generator.model import Archive
from generator.render.export import archive_index, part_data, part_path, parts
from generator.render.templating import Links
from generator.sources.archive import load_archive
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE, TRAVEL


def _export(base: str = "/", archive: Archive | None = None) -> dict:
    """The index, with its parts' documents, comparisons and relations joined in order."""
    if archive is None:
        archive, _ = load_archive(EXAMPLE, base_url=base)
    links = Links(base)
    found = parts(archive)
    index = archive_index(archive, links, found)
    files = {part_path(p.collection): part_data(archive, links, p) for p in found}
    return joined(json.loads(json.dumps(index)), json.loads(json.dumps(files)))


def joined(index: dict, files: dict[str, dict]) -> dict:
    """The export's index with every part's lists joined, part by part."""
    data = dict(index)
    for kind in ("documents", "comparisons", "translations", "relations"):
        data[kind] = [item for path in index["parts"] for item in files[path][kind]]
    return data


def read_export(files: dict[str, bytes]) -> dict:
    """`joined` of a rendered site's export files."""
    index = json.loads(files["data/archive.json"])
    return joined(index, {path: json.loads(files[path]) for path in index["parts"]})


def test_documents_in_source_order_with_documented_fields() -> None:
    data = _export()
    assert [d["id"] for d in data["documents"]] == [HEADERLESS, TRAVEL, STATE, MINISTRY, HILL]
    hill = data["documents"][4]
    assert {k: v for k, v in hill.items() if k not in ("paragraphs", "source", "mentions")} == {
        "id": HILL,
        "url": f"documents/{HILL}/",
        "title": "Biden administration backtracks on ‘democratic decline’ as root cause of "
        "migration",
        "title_derived": False,
        "publisher": "The Hill",
        "place": "Washington DC",
        "date": "2023-12-28",
        "byline": "Rafael Bernal",
        "kicker": None,
        "language": "en",
        "collection": "002-27c17665a4c0d5c7",
        "position": 4,
        "word_count": 380,
        "original_url": None,
        "editor": {},
    }
    assert hill["source"]["path"] == "sources/002_27c17665a4c0d5c7.txt"
    assert (hill["source"]["line_start"], hill["source"]["line_end"]) == (32, 45)
    assert len(hill["source"]["sha256"]) == 64
    assert hill["source"]["header"]["byline"] == "Rafael Bernal"
    assert hill["paragraphs"][0] == {
        "id": "p1",
        "text": "The White House on Thursday issued a joint communiqué with Mexico that included "
        "“democratic decline” as a root cause of migration, and hours later deleted the phrase. "
        "The Mexican version did not include the phrase but was otherwise an exact translation "
        "using the agreed-upon language.",
    }


def test_headerless_document_has_nulls() -> None:
    doc = _export()["documents"][0]
    assert (doc["publisher"], doc["place"], doc["date"], doc["byline"], doc["kicker"]) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert doc["title_derived"] is True


def test_collections() -> None:
    data = _export("/repo/")
    assert data["collections"][1] == {
        "id": "002-27c17665a4c0d5c7",
        "url": "collections/002-27c17665a4c0d5c7/",
        "title": "Was President Of Mexico Sending A Message? Wearing Heavy Black Overcoat During "
        "Photo-Op At Meeting With U.S. Delegation…. A “Political Chill” In The Bilateral "
        "Relationship?",
        "title_derived": False,
        "source_path": "sources/002_27c17665a4c0d5c7.txt",
        "documents": [TRAVEL, STATE, MINISTRY, HILL],
        "part": "data/collections/002-27c17665a4c0d5c7.json",
    }
    assert data["documents"][4]["url"] == f"documents/{HILL}/"  # relative to the site root
    assert data["site"]["base_url"] == "/repo/"
    assert data["parts"] == [
        "data/collections/000-ffddd273545a426c.json",
        "data/collections/002-27c17665a4c0d5c7.json",
    ]


def test_documents_outside_any_collection_have_a_part_of_their_own(make_source) -> None:
    source = make_source(
        {
            "sources/loose.md": "---\ntitle: Loose\npublisher: Council\n---\n\nA text.\n",
            "sources/press/a.txt": "Council\nBrussels\n8 January 2024\n\nIn a bundle.\n\nMore.\n",
        }
    )
    archive, _ = load_archive(source)
    data = _export(archive=archive)
    assert data["parts"] == ["data/collections/press-a.json", "data/uncollected.json"]
    assert [(d["collection"], d["title"]) for d in data["documents"]] == [
        ("press-a", "In a bundle."),
        (None, "Loose"),
    ]


def test_every_variant_reading_is_at_its_offsets_in_its_paragraph() -> None:
    archive, _ = load(EXAMPLE)
    data = _export(archive=archive)
    texts = {(d["id"], p["id"]): p["text"] for d in data["documents"] for p in d["paragraphs"]}
    [comparison] = data["comparisons"]
    assert comparison["documents"] == [STATE, MINISTRY, HEADERLESS]
    checked = 0
    for variant in comparison["variants"]:
        assert [p is None for p in variant["paragraphs"]] == [o is None for o in variant["offsets"]]
        places = zip(
            comparison["documents"], variant["paragraphs"], variant["offsets"], strict=True
        )
        for index, (doc_id, paragraph, offsets) in enumerate(places):
            if offsets is not None:
                start, end = offsets
                assert texts[doc_id, paragraph][start:end] == variant["readings"][index]
                checked += 1
    assert checked == 219  # 73 variants, 3 witnesses each
    decline = next(v for v in comparison["variants"] if "democratic" in v["readings"][0])
    assert decline == {
        "id": "v15",
        "kind": "substantive",
        "readings": ["democratic decline,", "", ""],
        "paragraphs": ["p2", "p3", "p3"],
        "offsets": [[224, 243], [217, 217], [217, 217]],
    }


def test_each_quotation_gives_both_ends_offsets_into_their_paragraphs() -> None:
    archive, _ = load(EXAMPLE)  # with the compare stage's relations
    data = _export(archive=archive)
    paragraphs = {(d["id"], p["id"]): p["text"] for d in data["documents"] for p in d["paragraphs"]}
    quotations = [r for r in data["relations"] if r["type"] == "quotation"]
    assert [(r["from"], r["to"]) for r in quotations] == [
        ({"document": HILL, "paragraph": "p4", "start": 1, "end": 111},
         {"document": STATE, "paragraph": "p2", "start": 0, "end": 110}),
        ({"document": HILL, "paragraph": "p4", "start": 158, "end": 391},
         {"document": STATE, "paragraph": "p2", "start": 112, "end": 345}),
    ]  # fmt: skip
    for r in quotations:
        quoting, quoted = r["from"], r["to"]
        assert (
            paragraphs[quoting["document"], quoting["paragraph"]][quoting["start"] : quoting["end"]]
            == r["text"]
        )
        assert (
            paragraphs[quoted["document"], quoted["paragraph"]][quoted["start"] : quoted["end"]]
            == r["source_text"]
        )
    assert quotations[1]["text"].endswith("Nicaraguans and Venezuelans")
    whole = [r for r in data["relations"] if r["type"] != "quotation"]
    assert {(r["from"]["start"], r["to"]["end"], r["text"], r["source_text"]) for r in whole} == {
        (None, None, None, None)
    }
