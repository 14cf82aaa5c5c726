"""Version groups: found through shingle keys, verified sentence by sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.generate_archive import generate
from generator.cache.store import BuildCache
from generator.compare import groups
from generator.compare.groups import detect_groups, group_relations
from generator.compare.shingles import ShingleIndex
from generator.model import Document, Group, Paragraph, Passage, Provenance, Relation
from generator.sources.archive import load_archive
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, MINISTRY, STATE

A = "The delegates met in the old library on Monday morning to read the draft."
B = "Rain had flooded the northern roads for three days before the talks began."
C = "Nobody expected the treaty to survive its first winter in the mountains."
D = "Fishermen along the coast reported unusual catches of cod and herring."
E = "A committee will publish its findings before the harvest festival next year."
# The same sentences lightly reworded, as a second translation would have them.
A2 = "The delegates gathered in the old library on Monday morning to read the draft."
B2 = "Rain had flooded the northern highways for three days before talks began."
C2 = "No one expected the treaty to survive its first winter in the mountains."
D2 = "Fishermen on the coast reported unusual catches of cod and of herring."


def _doc(doc_id: str, *paragraphs: str, publisher: str | None = "P", date: str = "") -> Document:
    header = {"publisher": publisher, "date": date or None}
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, header)
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, body, "T", False, "en")


def _groups(*docs: Document) -> list[list[str]]:
    return detect_groups(ShingleIndex.of(docs))


def test_the_example_archive_has_one_group_of_three() -> None:
    archive, _ = load_archive(EXAMPLE)
    assert _groups(*archive.documents) == [[HEADERLESS, STATE, MINISTRY]]


def test_the_example_copy_is_same_text_and_the_ministry_a_version() -> None:
    archive, _ = load_archive(EXAMPLE)
    group = Group("g", "T", (STATE, MINISTRY, HEADERLESS))
    assert group_relations((group,), list(archive.documents)) == [
        Relation("same-text", Passage(HEADERLESS, 1), Passage(MINISTRY, 1), True),
        Relation("version", Passage(MINISTRY, 1), Passage(STATE, 1), False),
    ]


def test_copies_versions_and_other_paragraphing_group_together() -> None:
    original = _doc("original", f"{A} {B}", f"{C} {D} {E}")
    copy = _doc("copy", A, B, C, D, E, publisher=None)
    version = _doc("version", f"{A2} {B2} {C2}", f"{D2} {E}")
    assert _groups(original, copy, version) == [["original", "copy", "version"]]


def test_a_pair_is_verified_again_only_once_one_of_its_texts_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    verified: list[int] = []
    coverage = groups._coverage
    monkeypatch.setattr(groups, "_coverage", lambda a, b: verified.append(1) or coverage(a, b))
    cache = BuildCache()

    def detect(*docs: Document) -> list[list[str]]:
        return detect_groups(ShingleIndex.of(docs), cache)

    original = ("original", f"{A} {B}", f"{C} {D} {E}")
    assert detect(_doc(*original), _doc("version", f"{A2} {B2} {C2}", f"{D2} {E}")) == [
        ["original", "version"]
    ]
    assert len(verified) == 1
    # Equal documents, read again: the verdict is kept by content, not by object.
    assert detect(_doc(*original), _doc("version", f"{A2} {B2} {C2}", f"{D2} {E}")) == [
        ["original", "version"]
    ]
    assert len(verified) == 1
    assert detect(_doc(*original), _doc("version", f"{A2} {B2} {C}", f"{D2} {E}")) == [
        ["original", "version"]
    ]
    assert len(verified) == 2


def test_a_text_quoting_a_passage_is_not_a_version() -> None:
    source = _doc("source", f"{A} {B}", f"{C} {D}")
    report = _doc(
        "report",
        "Officials spoke on Tuesday about the meeting, which few had followed closely.",
        f"“{A}” the statement said, and the press office added nothing more that day.",
        "Critics said the statement was vague and that the treaty had many enemies still.",
        "Observers expect a new round of talks in the spring, perhaps in another city.",
    )
    assert _groups(source, report) == []


def test_unrelated_texts_on_one_topic_make_no_group() -> None:
    # Sentences built from one small stock of phrases share many shingles by chance.
    docs = [
        _doc("one", "The minister discussed the shared border. Officials reviewed bilateral trade."
             " The council welcomed humanitarian aid after a week of talks."),
        _doc("two", "The minister discussed bilateral trade. Officials reviewed the shared border."
             " The council rejected humanitarian aid before the end of the session."),
    ]  # fmt: skip
    assert _groups(*docs) == []


def test_texts_too_short_to_tell_are_never_grouped() -> None:
    assert _groups(_doc("a", "Thank you."), _doc("b", "Thank you.")) == []


def test_a_huge_family_is_one_group() -> None:
    # Every key of these documents is held by all of them: only neighbours are compared.
    family = [_doc(f"d{n:03d}", f"{A} {B}", f"{C} {D} {E}", f"Issued as number {n}.")
              for n in range(150)]  # fmt: skip
    assert _groups(*family) == [[d.id for d in family]]


def test_a_generated_archive_groups_each_family_alone(tmp_path: Path) -> None:
    generate(tmp_path, documents=300, seed=3)
    archive, _ = load_archive(tmp_path)
    family = {d.id: re.match(r"Statement (\d+)", d.title)[1] for d in archive.documents}
    groups = _groups(*archive.documents)
    assert all(len({family[m] for m in members}) == 1 for members in groups)
    truth: dict[str, set[str]] = {}
    for doc_id, name in family.items():
        truth.setdefault(name, set()).add(doc_id)
    families = [members for members in truth.values() if len(members) > 1]
    found = sum(set(members) in [set(g) for g in groups] for members in families)
    assert found >= 0.97 * len(families), (found, len(families))
