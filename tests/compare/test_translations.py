"""Translation groups on the bilingual fixtures: found, aligned, what each text lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.pipeline import load
from generator.cache.store import BuildCache
from generator.compare import meaning, translations
from generator.compare.translation_candidates import (
    anchor_sequence,
    anchors,
    anchors_in_order,
    by_base,
    candidate_pairs,
)
from generator.compare.witness import sentences_of
from generator.model import Archive, Group, TranslationGroup
from tests.compare.translation_fixtures import ADDED_CLAUSE, ORIGINAL, REPORT, TRANSLATION

SPANISH = "2023-12-28-secretaria-relaciones-exteriores-comunicado-conjunto-mexico-estados"
ENGLISH = "2023-12-28-embassy-united-states-mexico-united-states-joint-communique"
REPORTED = "2023-12-28-universal-blinken-mayorkas-palacio-nacional"


def _archive(root: Path, files: dict[str, str], cache: BuildCache | None = None) -> Archive:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    archive, diagnostics = load(root, cache=cache)
    assert diagnostics.lines() == []
    return archive


FILES = {
    "sources/a-original.txt": ORIGINAL,
    "sources/b-translation.txt": TRANSLATION,
    "sources/c-report.txt": REPORT,
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return _archive(tmp_path_factory.mktemp("bilingual"), FILES)


def _shape(group: TranslationGroup) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    [alignment] = group.alignments
    return [
        (tuple(s.index for s in p.left), tuple(s.index for s in p.right)) for p in alignment.pairs
    ]


def test_the_original_and_its_translation_are_grouped_and_the_report_is_not(
    archive: Archive,
) -> None:
    assert [d.language for d in archive.documents] == ["es", "en", "es"]
    [group] = archive.translations
    # Both are dated 28 December: nothing says which came first.
    assert (group.documents, group.original, group.original_reason, group.declared) == (
        (ENGLISH, SPANISH), None, "unknown", False,
    )  # fmt: skip
    assert group.id == "mexico-united-states-joint-communique-migration"
    assert REPORTED not in group.documents
    # The report names the same officials on the same day: a candidate, then rejected.
    assert (ENGLISH, REPORTED) in candidate_pairs(list(archive.documents), [])


def test_the_alignment_is_sentence_by_sentence_with_the_split_as_a_two_to_one(
    archive: Archive,
) -> None:
    [group] = archive.translations
    [alignment] = group.alignments
    assert (alignment.left, alignment.right) == (ENGLISH, SPANISH)
    # The English splits the Spanish sentence on smuggling and trade (its 4th) in two.
    assert _shape(group) == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3, 4), (3,)), ((5,), (4,)), ((6,), (5,)),
        ((7,), (6,)),
    ]  # fmt: skip
    assert [p.left[0].text[:24] for p in alignment.pairs][3] == "Cooperation includes eff"
    assert all(p.similarity >= 0.6 for p in alignment.pairs)
    assert alignment.coverage == (1.0, 1.0)


def test_the_added_clause_is_listed_and_nothing_else(archive: Archive) -> None:
    [group] = archive.translations
    [alignment] = group.alignments
    [added] = alignment.unmatched
    assert (added.document, added.kind, added.paragraph, added.text) == (
        ENGLISH, "clause", 5, ADDED_CLAUSE,
    )  # fmt: skip
    assert archive.document(ENGLISH).plain_text[added.start : added.end] == ADDED_CLAUSE
    assert alignment.pairs[added.pair].left[0].text.endswith(ADDED_CLAUSE + ".")


def test_grouping_does_not_depend_on_file_order(archive: Archive, tmp_path: Path) -> None:
    reordered = _archive(
        tmp_path,
        {
            "sources/a-report.txt": REPORT,
            "sources/b-translation.txt": TRANSLATION,
            "sources/z/original.txt": ORIGINAL,
        },
    )
    assert [d.id for d in reordered.documents] == [REPORTED, ENGLISH, SPANISH]
    assert reordered.translations == archive.translations


def test_the_earliest_dated_text_is_the_original(tmp_path: Path) -> None:
    later = TRANSLATION.replace("28 December 2023", "29 December 2023")
    changed = _archive(tmp_path, {**FILES, "sources/b-translation.txt": later})
    [group] = changed.translations
    english = ENGLISH.replace("2023-12-28", "2023-12-29")
    assert (group.documents, group.original, group.original_reason) == (
        (SPANISH, english), SPANISH, "earliest date",
    )  # fmt: skip
    [alignment] = group.alignments
    assert (alignment.left, alignment.right) == (SPANISH, english)
    assert [(p.text, p.document) for p in alignment.unmatched] == [(ADDED_CLAUSE, english)]


def test_compare_yaml_names_the_original_and_declares_groups(tmp_path: Path) -> None:
    declared = (
        "translations:\n"
        f"  - documents: [{ENGLISH}, {SPANISH}]\n"
        f"    original: {SPANISH}\n"
        "    id: communique\n"
        "    title: The communiqué, in Spanish and English\n"
    )
    changed = _archive(tmp_path, {**FILES, "compare.yaml": declared})
    [group] = changed.translations
    assert (group.id, group.title, group.documents, group.original, group.original_reason) == (
        "communique", "The communiqué, in Spanish and English", (SPANISH, ENGLISH), SPANISH,
        "declared",
    )  # fmt: skip
    assert group.declared


def test_compare_yaml_can_split_a_found_group(tmp_path: Path) -> None:
    # Declaring the report with the original claims the original: the found group is gone.
    declared = f"translations:\n  - documents: [{SPANISH}, {REPORTED}]\n"
    changed = _archive(tmp_path, {**FILES, "compare.yaml": declared})
    [group] = changed.translations
    assert (group.documents, group.alignments, group.original) == (
        (SPANISH, REPORTED), (), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            f"  - documents: [{SPANISH}, nope]\n",
            "compare.yaml:2: error: no document has the id 'nope'",
        ),
        (
            f"  - documents: [{SPANISH}, {ENGLISH}]\n    original: {REPORTED}\n",
            f"compare.yaml:2: error: the original '{REPORTED}' is not one of the group's documents",
        ),
        (
            f"  - documents: [{SPANISH}]\n",
            "compare.yaml:2: error: a translation group needs 'documents': "
            "a list of at least two ids",
        ),
    ],
)
def test_compare_yaml_problems_are_one_line_each(tmp_path: Path, entry: str, message: str) -> None:
    for rel, text in {**FILES, "compare.yaml": "translations:\n" + entry}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    _, diagnostics = load(tmp_path)
    assert diagnostics.lines() == [message]


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the encoder is given, in order, for the test to inspect."""
    texts: list[str] = []
    real = meaning._encode

    def counting(batch: list[str]):
        texts.extend(batch)
        return real(batch)

    monkeypatch.setattr(meaning, "_encode", counting)
    return texts


def test_an_edit_encodes_only_the_sentences_it_changed(tmp_path: Path, encoded: list[str]) -> None:
    cache = BuildCache()
    _archive(tmp_path, FILES, cache)
    assert len(encoded) > 15
    encoded.clear()
    cache.settle()
    _archive(tmp_path, FILES, cache)
    assert encoded == []
    cache.settle()
    edited = TRANSLATION.replace("received Secretary", "welcomed Secretary")
    after = _archive(tmp_path, {**FILES, "sources/b-translation.txt": edited}, cache)
    assert encoded == [after.document(ENGLISH).paragraphs[0].text]
    assert [g.documents for g in after.translations] == [(ENGLISH, SPANISH)]


def test_anchors_are_names_numbers_and_acronyms_not_sentence_starts(archive: Archive) -> None:
    found = anchors(archive.document(SPANISH))
    assert {"andres", "lopez", "obrador", "blinken", "mayorkas", "barcena", "2024", "30"} <= found
    assert "el" not in found and "las" not in found  # capitals that start a sentence
    shared = anchors(archive.document(ENGLISH)) & found
    assert {"lopez", "blinken", "mayorkas", "barcena", "washington", "2024"} <= shared


def test_anchors_in_order_tell_the_translation_from_the_report(archive: Archive) -> None:
    spanish, english, report = (
        anchor_sequence(archive.document(d)) for d in (SPANISH, ENGLISH, REPORTED)
    )
    assert spanish[:6] == ("andres", "manuel", "lopez", "obrador", "palacio", "nacional")
    assert (len(spanish), len(english), len(report)) == (18, 21, 19)
    # 13 of the Spanish text's 18 anchors, all in the translation's order; the
    # report names 11 of the English text's anchors, but only 6 in the same order.
    assert anchors_in_order(spanish, english) == 13 / 18
    assert anchors_in_order(english, report) == 6 / 19


def test_a_candidate_that_fails_the_anchor_check_is_never_encoded(
    tmp_path: Path, encoded: list[str]
) -> None:
    archive = _archive(tmp_path, FILES)
    documents = list(archive.documents)
    # The report is a candidate of the English text (same day, same officials) ...
    assert candidate_pairs(documents, ()) == [(ENGLISH, SPANISH), (ENGLISH, REPORTED)]
    # ... but none of its sentences was encoded: only the translation pair's were.
    report = {p.text for p in archive.document(REPORTED).paragraphs}
    assert not any(text in paragraph for text in encoded for paragraph in report)
    assert len(set(encoded)) == len(encoded) > 15


def test_sentences_encoded_ahead_in_another_process_give_the_same_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoded: list[str]
) -> None:
    expected = _archive(tmp_path / "here", FILES).translations
    here = set(encoded)
    encoded.clear()
    monkeypatch.setattr(translations, "AHEAD_FROM_DOCUMENTS", 0)  # three documents are few
    archive = _archive(tmp_path / "ahead", FILES)
    assert archive.translations == expected
    # The pair's sentences were encoded by the child (whose calls this list does not
    # see); this process encoded only what the alignment asked for afterwards.
    sentences = {s.text for d in (ENGLISH, SPANISH) for s in sentences_of(archive.document(d))}
    assert sentences <= here and not sentences & set(encoded)
    assert 0 < len(encoded) < len(here)


def test_a_version_groups_members_stand_for_its_base() -> None:
    groups = [Group("g", "G", ("a2", "a1")), Group("h", "H", ("b1", "b2", "b3"))]
    pairs = [("a1", "b2"), ("a2", "b3"), ("a1", "a2"), ("a1", "c"), ("b3", "c")]
    # a1 and a2 are one text (a2's), b2 and b3 are b1: two pairs, and none within a group.
    assert by_base(pairs, groups) == [("a2", "b1"), ("a2", "c"), ("b1", "c")]


def test_a_monolingual_archive_starts_no_encoding_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = list(_archive(tmp_path / "en", {"sources/b.txt": TRANSLATION}).documents)
    both = list(_archive(tmp_path / "both", FILES).documents)
    started: list[object] = []
    monkeypatch.setattr(translations, "AHEAD_FROM_DOCUMENTS", 0)
    monkeypatch.setattr(translations.meaning, "encode_ahead", lambda *a: started.append(a))
    translations.encode_ahead(english, BuildCache())
    assert started == []  # no pair to translate: no child, no encoder loaded
    translations.encode_ahead(both, BuildCache())
    assert len(started) == 1


def test_an_edit_reads_the_anchors_of_the_edited_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    real = translations.anchor_sequence

    def counting(doc):
        read.append(doc.id)
        return real(doc)

    monkeypatch.setattr(translations, "anchor_sequence", counting)
    cache = BuildCache()
    _archive(tmp_path, FILES, cache)
    assert sorted(read) == sorted([ENGLISH, SPANISH, REPORTED])
    read.clear()
    cache.settle()
    edited = TRANSLATION.replace("received Secretary", "welcomed Secretary")
    after = _archive(tmp_path, {**FILES, "sources/b-translation.txt": edited}, cache)
    assert read == [ENGLISH]
    assert [g.documents for g in after.translations] == [(ENGLISH, SPANISH)]


def test_anchors_read_ahead_in_another_process_are_kept_for_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(translations, "AHEAD_FROM_DOCUMENTS", 0)  # three documents are few
    cache = BuildCache()
    expected = _archive(tmp_path / "here", FILES).translations
    assert _archive(tmp_path / "ahead", FILES, cache).translations == expected
    cache.settle()
    assert len(cache.entries["translation anchors"]) == 3
    edited = TRANSLATION.replace("received Secretary", "welcomed Secretary")
    _archive(tmp_path / "ahead", {**FILES, "sources/b-translation.txt": edited}, cache)
    cache.settle()
    # The edited document's anchors replace its old ones; the other two are kept.
    assert len(cache.entries["translation anchors"]) == 3


def test_a_monolingual_archive_reads_no_anchors(archive: Archive) -> None:
    def never(doc):
        raise AssertionError(doc.id)

    spanish = [archive.document(SPANISH), archive.document(REPORTED)]
    assert {d.language for d in spanish} == {"es"}
    assert translations.document_pairs(spanish, never) == []
