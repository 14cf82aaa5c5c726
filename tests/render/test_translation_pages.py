"""The translation page and the export of a translation group, on the bilingual fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build.pipeline import load
from generator.render.changed import default_templates, render_site
from tests.compare.test_translations import ENGLISH, FILES, SPANISH
from tests.compare.translation_fixtures import ADDED_CLAUSE
from tests.render.test_export import read_export

PAGE = "translations/mexico-united-states-joint-communique-migration/index.html"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("bilingual-site")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    archive, diagnostics = load(Path(root))
    assert diagnostics.lines() == []
    return render_site(archive, default_templates())


def test_each_side_is_in_its_own_language_and_names_it(files: dict[str, bytes]) -> None:
    page = files[PAGE].decode()
    rows = re.findall(r'<tr id="a1-s\d+">(.*?)</tr>', page, re.S)
    assert len(rows) == 7
    for row in rows:
        assert re.findall(r'<td lang="(\w+)"', row) == ["en", "es"]
    assert re.findall(r"<th scope=\"col\">(.*?)</th>", page) == [
        "Embassy of the United States in Mexico, 28 December 2023 · English",
        "Secretaría de Relaciones Exteriores, 28 December 2023 · Spanish",
    ]
    assert "Which text is the original is not known" in page
    # No word-level diff across languages: nothing is struck out or inserted.
    assert "<del" not in page and "<ins" not in page


def test_the_added_clause_is_marked_in_place_and_listed(files: dict[str, bytes]) -> None:
    page = files[PAGE].decode()
    assert re.findall(r'<mark class="unmatched"[^>]*>(.*?)</mark>', page) == [ADDED_CLAUSE]
    assert f'a clause: <q lang="en">{ADDED_CLAUSE}</q>' in page


def test_the_export_holds_the_alignment_and_the_unmatched_passage(
    files: dict[str, bytes],
) -> None:
    [group] = read_export(files)["translations"]
    assert (group["documents"], group["original"], group["original_reason"]) == (
        [ENGLISH, SPANISH], None, "unknown",
    )  # fmt: skip
    [alignment] = group["alignments"]
    assert alignment["coverage"] == {ENGLISH: 1.0, SPANISH: 1.0}
    shape = [
        ([s["index"] for s in p[ENGLISH]], [s["index"] for s in p[SPANISH]])
        for p in alignment["pairs"]
    ]
    assert shape[3] == ([3, 4], [3])
    [unmatched] = alignment["unmatched"]
    assert unmatched == {
        "document": ENGLISH, "paragraph": "p5", "start": unmatched["start"],
        "end": unmatched["start"] + len(ADDED_CLAUSE), "text": ADDED_CLAUSE, "kind": "clause",
        "pair": 6,
    }  # fmt: skip


def test_each_document_page_links_to_its_translations(files: dict[str, bytes]) -> None:
    page = files[f"documents/{SPANISH}/index.html"].decode()
    related = re.search(r'<section class="relations".*?</section>', page, re.S)
    assert related
    text = " ".join(re.sub(r"<[^>]+>", "", related[0]).split())
    assert text == (
        "Related texts inferred This text is also in Embassy of the United States in Mexico "
        "(English): read them side by side, sentence by sentence."
    )
    assert f'href="/{PAGE.removesuffix("index.html")}"' in related[0]
