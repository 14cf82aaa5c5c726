"""The data export `data/archive.json`: the documented shape, exact values."""

from __future__ import annotations

import json

from generator.build.pipeline import load
from generator.render.export import archive_data
from generator.render.templating import Links
from generator.sources.archive import load_archive
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE, TRAVEL


def _export(base: str = "/") -> dict:
    archive, _ = load_archive(EXAMPLE, base_url=base)
    return json.loads(json.dumps(archive_data(archive, Links(base))))


def test_documents_in_source_order_with_documented_fields() -> None:
    data = _export()
    assert [d["id"] for d in data["documents"]] == [HEADERLESS, TRAVEL, STATE, MINISTRY, HILL]
    hill = data["documents"][4]
    assert {k: v for k, v in hill.items() if k not in ("paragraphs", "source")} == {
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
    }
    assert data["documents"][4]["url"] == f"documents/{HILL}/"  # relative to the site root
    assert data["site"]["base_url"] == "/repo/"


def test_every_variant_reading_is_at_its_offsets_in_its_paragraph() -> None:
    archive, _ = load(EXAMPLE)
    data = json.loads(json.dumps(archive_data(archive, Links("/"))))
    texts = {(d["id"], p["id"]): p["text"] for d in data["documents"] for p in d["paragraphs"]}
    [comparison] = data["comparisons"]
    assert sum(len(v["offsets"]) for v in comparison["variants"]) == 222
    for variant in comparison["variants"]:
        assert set(variant) == {"id", "paragraphs", "offsets", "kind"}  # no words of its own
        assert variant["offsets"].keys() == variant["paragraphs"].keys()

    def reading(variant: dict, doc_id: str) -> str:
        if doc_id not in variant["offsets"]:
            return ""
        start, end = variant["offsets"][doc_id]
        return texts[doc_id, variant["paragraphs"][doc_id]][start:end]

    decline = [v for v in comparison["variants"] if "democratic" in reading(v, STATE)]
    assert [(v["offsets"], v["kind"]) for v in decline] == [
        ({STATE: [224, 243], MINISTRY: [217, 217], HEADERLESS: [217, 217]}, "substantive")
    ]
    assert [reading(decline[0], d) for d in comparison["documents"]] == [
        "democratic decline,",
        "",
        "",
    ]


def test_each_quotation_gives_both_ends_offsets_into_their_paragraphs() -> None:
    archive, _ = load(EXAMPLE)  # with the compare stage's relations
    data = json.loads(json.dumps(archive_data(archive, Links("/"))))
    paragraphs = {(d["id"], p["id"]): p["text"] for d in data["documents"] for p in d["paragraphs"]}
    quotations = [r for r in data["relations"] if r["type"] == "quotation"]
    assert [(r["from"], r["to"]) for r in quotations] == [
        ({"document": HILL, "paragraph": "p4", "start": 1, "end": 111},
         {"document": STATE, "paragraph": "p2", "start": 0, "end": 110}),
        ({"document": HILL, "paragraph": "p4", "start": 158, "end": 391},
         {"document": STATE, "paragraph": "p2", "start": 112, "end": 345}),
    ]  # fmt: skip
    # The words are held once, in the paragraphs: the model's text and source text are there.
    relations = [r for r in archive.relations if r.type == "quotation"]
    for r, model in zip(quotations, relations, strict=True):
        assert set(r) == {"type", "from", "to", "exact"}
        quoting, quoted = r["from"], r["to"]
        assert (
            paragraphs[quoting["document"], quoting["paragraph"]][quoting["start"] : quoting["end"]]
            == model.text
        )
        assert (
            paragraphs[quoted["document"], quoted["paragraph"]][quoted["start"] : quoted["end"]]
            == model.source_text
        )
    assert relations[1].text.endswith("Nicaraguans and Venezuelans")
    whole = [r for r in data["relations"] if r["type"] != "quotation"]
    assert {(r["from"]["start"], r["to"]["end"]) for r in whole} == {(None, None)}
