"""compare.yaml: editors declare, rename, split and merge version groups."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.compare.config import (
    CompareConfig,
    DeclaredGroup,
    load_compare_config,
    resolve_groups,
)
from generator.diagnostics import Diagnostics
from generator.model import Document, Group, Provenance

IDS = {"a", "b", "c", "d"}


def _load(tmp_path: Path, text: str) -> tuple[CompareConfig, list[str]]:
    (tmp_path / "compare.yaml").write_text(text)
    diagnostics = Diagnostics()
    return load_compare_config(tmp_path, IDS, diagnostics), diagnostics.lines()


def _doc(doc_id: str, date: str | None, publisher: str | None = "P") -> Document:
    header = {"publisher": publisher, "date": date}
    provenance = Provenance("sources/x.txt", 1, 1, "0" * 64, None, 1, header)
    return Document(doc_id, provenance, (), f"Title of {doc_id}", False, "en")


DOCS = [_doc("a", "2023-12-28"), _doc("b", "2023-12-27"), _doc("c", None, None), _doc("d", None)]


def test_declared_group_with_title_base_and_id(tmp_path: Path) -> None:
    config, problems = _load(
        tmp_path,
        "groups:\n  - id: joint\n    title: Joint text\n    documents: [a, b, c]\n    base: b\n"
        "ungrouped: [d]\n",
    )
    assert problems == []
    assert config == CompareConfig(
        (DeclaredGroup(("b", "a", "c"), "joint", "Joint text"),), frozenset({"d"})
    )


def test_problems_name_the_line(tmp_path: Path) -> None:
    _, problems = _load(
        tmp_path,
        "groups:\n"
        "  - documents: [a, zz]\n"  # 2
        "  - documents: [a]\n"  # 3
        "  - documents: [a, b]\n"  # 4
        "    base: c\n"
        "  - documents: [a, b]\n"  # 6
        "    id: Not OK\n"
        "  - documents: [c, d]\n"  # 8
        "  - documents: [d, a]\n"  # 9
        "    titel: typo\n"
        "grups: []\n",  # 11
    )
    assert problems == [
        "compare.yaml:2: error: no document has the id 'zz'",
        "compare.yaml:3: error: a group needs 'documents': a list of at least two ids",
        "compare.yaml:4: error: the base 'c' is not one of the group's documents",
        "compare.yaml:6: error: group id 'Not OK' must be lowercase letters, digits and hyphens",
        "compare.yaml:9: error: 'd' is already in the group declared at line 8",
        "compare.yaml:9: warning: unknown key 'titel' (did you mean 'title'?)",
        "compare.yaml:11: warning: unknown key 'grups' (did you mean 'groups'?)",
    ]


def test_detected_groups_yield_to_declared_ones() -> None:
    detected = [["a", "b", "c", "d"]]
    # Nothing declared: the base has a known source and the earliest date.
    (group,) = resolve_groups(detected, CompareConfig(), DOCS)
    assert group == Group("title-b", "Title of b", ("b", "a", "d", "c"))
    # Split: declare one part; the rest stays a detected group.
    split = CompareConfig((DeclaredGroup(("c", "d"), None, "Copies"),))
    assert resolve_groups(detected, split, DOCS) == (
        Group("title-b", "Title of b", ("b", "a")),
        Group("title-c", "Copies", ("c", "d"), declared=True),
    )
    # Ungrouped documents leave their group; a group of one disappears.
    alone = CompareConfig((), frozenset({"a", "c", "d"}))
    assert resolve_groups(detected, alone, DOCS) == ()
    # Merge: declare the union of two detected groups.
    merged = CompareConfig((DeclaredGroup(("a", "b", "c", "d"), "all", None),))
    assert resolve_groups([["a", "b"], ["c", "d"]], merged, DOCS) == (
        Group("all", "Title of a", ("a", "b", "c", "d"), declared=True),
    )


def test_no_file_means_no_declarations(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert load_compare_config(tmp_path, IDS, diagnostics) == CompareConfig()
    assert diagnostics.lines() == []


def test_the_base_is_the_earliest_version_then_the_most_quoted_never_the_file_order() -> None:
    docs = [
        _doc("copy", None, publisher=None),
        _doc("ministry", "2023-12-28"),
        _doc("state", "2023-12-28"),
        _doc("later", "2023-12-29"),
    ]
    for order in (docs, docs[::-1]):
        detected = [[d.id for d in order]]
        [group] = resolve_groups(detected, CompareConfig(), order, {"state": 1})
        assert group.documents == ("state", "ministry", "later", "copy")
        [unquoted] = resolve_groups(detected, CompareConfig(), order)
        assert unquoted.documents == ("ministry", "state", "later", "copy")  # then by id


def test_groups_and_their_ids_do_not_depend_on_the_file_order() -> None:
    # Two groups whose bases have one title: the earlier group gets the plain id.
    docs = [replace(_doc(f"d{n}", f"2024-01-0{n}"), title="Joint statement") for n in range(1, 5)]
    first = resolve_groups([["d3", "d4"], ["d1", "d2"]], CompareConfig(), docs)
    second = resolve_groups([["d2", "d1"], ["d4", "d3"]], CompareConfig(), docs[::-1])
    assert first == second
    assert [(g.id, g.documents) for g in first] == [
        ("joint-statement", ("d1", "d2")),
        ("joint-statement-2", ("d3", "d4")),
    ]
