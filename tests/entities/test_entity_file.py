"""Reading `entities.yaml`: both shapes of file, ids, and every mistake named with its line."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.entities.entity_file import EntityDraft, load_entities


def _load(make_source, text: str) -> tuple[list[EntityDraft], list[str]]:
    source: Path = make_source({"entities.yaml": text})
    diagnostics = Diagnostics()
    drafts = load_entities(source, diagnostics)
    return drafts, diagnostics.lines()


def test_list_file(make_source) -> None:
    drafts, problems = _load(
        make_source,
        "- name: Elizabeth Sherwood-Randall\n"  # 1
        "  kind: Person\n"
        "  aliases: [Liz Sherwood-Randall, Sherwood-Randall]\n"
        "  description: White House *Homeland Security* Advisor.\n"  # 4
        "  link: https://example.org/esr\n"
        "- name: '  Department   of State '\n"  # 6
        "  aliases: State Department\n"
        "  id: dos\n",
    )
    assert problems == []
    assert drafts == [
        EntityDraft(1, "elizabeth-sherwood-randall", "Elizabeth Sherwood-Randall", "person",
                    ("Liz Sherwood-Randall", "Sherwood-Randall"),
                    "White House *Homeland Security* Advisor.", 4, "https://example.org/esr"),
        EntityDraft(6, "dos", "Department of State", "other", ("State Department",), None, 6),
    ]  # fmt: skip


def test_mapping_file_takes_names_from_its_keys(make_source) -> None:
    drafts, problems = _load(
        make_source,
        "Antony Blinken:\n  kind: person\n  aliases: [Blinken]\nMexico City:\n",
    )
    assert problems == []
    assert [(d.line, d.id, d.name, d.kind, d.aliases) for d in drafts] == [
        (1, "antony-blinken", "Antony Blinken", "person", ("Blinken",)),
        (4, "mexico-city", "Mexico City", "other", ()),
    ]


def test_no_file_means_no_entities(make_source) -> None:
    source = make_source({})
    diagnostics = Diagnostics()
    assert load_entities(source, diagnostics) == []
    assert diagnostics.lines() == []


def test_mistakes_are_reported_with_their_lines(make_source) -> None:
    drafts, problems = _load(
        make_source,
        "- name: Antony Blinken\n"  # 1
        "  alias: [Blinken]\n"  # 2
        "  kind: person\n"  # 3
        "- kind: person\n"  # 4
        "- name: Mallory\n"  # 5
        "  link: javascript:alert(1)\n"  # 6
        "- name: Eve\n"  # 7
        "  kind: secret agent\n"  # 8
        "- name: Trent\n"  # 9
        "  aliases: {a: b}\n"  # 10
        "- just a string\n"  # 11
        "- name: '---'\n"  # 12
        "- name: Bob\n"  # 13
        "  aliases: [Robert, Bob, Robert]\n"  # 14
        "  id: Not An Id\n"  # 15
        "- name: Carol\n"  # 16
        "  description: [a, list]\n"  # 17
        "  link: https://example.org/ carol\n",  # 18
    )
    assert problems == [
        "entities.yaml:2: warning: unknown key 'alias' (did you mean 'aliases'?); it is ignored",
        "entities.yaml:4: error: the entity has no 'name': write it as the texts do",
        "entities.yaml:6: error: 'link' must be a web address starting with https:// or "
        "http://, not 'javascript:alert(1)'",
        "entities.yaml:8: error: 'kind' must be one word such as person, organization or place, "
        "not 'secret agent'",
        "entities.yaml:10: error: 'aliases' must be a list of names, e.g. [AMLO, López Obrador]",
        "entities.yaml:11: error: an entity must be a mapping with at least a 'name'",
        "entities.yaml:12: error: the name '---' has no letters or digits",
        "entities.yaml:14: warning: 'Bob' is given twice for 'Bob'; once is enough",
        "entities.yaml:14: warning: 'Robert' is given twice for 'Bob'; once is enough",
        "entities.yaml:15: error: entity id 'Not An Id' must be lowercase letters, digits and "
        "hyphens",
        "entities.yaml:17: error: 'description' must be text",
        "entities.yaml:18: error: 'link' must be a web address starting with https:// or "
        "http://, not 'https://example.org/ carol'",
    ]
    assert [d.name for d in drafts] == ["Antony Blinken"]


def test_a_name_or_alias_of_two_entities_is_an_error_naming_both_lines(make_source) -> None:
    drafts, problems = _load(
        make_source,
        "- name: Antony Blinken\n"  # 1
        "  aliases: [Blinken]\n"
        "- name: Alejandro Mayorkas\n"  # 3
        "  id: secretary\n"
        "- name: Donald Blinken\n"  # 5
        "  aliases: [Blinken]\n"
        "- name: Antony  Blinken\n"  # 7: the same name, spacing aside
        "- name: Joe Biden\n"  # 8
        "  id: secretary\n"
        "- name: Blinken’s office\n"  # 10
        "- name: blinken\n",  # 11: another case is another name
    )
    assert problems == [
        "entities.yaml:5: error: 'Blinken' is already a name of 'Antony Blinken' (line 1); "
        "a name or alias may belong to one entity only",
        "entities.yaml:7: error: 'Antony Blinken' is already a name of 'Antony Blinken' "
        "(line 1); a name or alias may belong to one entity only",
        "entities.yaml:8: error: entity id 'secretary' is already the id of "
        "'Alejandro Mayorkas' (line 3)",
    ]
    assert [(d.id, d.name) for d in drafts] == [
        ("antony-blinken", "Antony Blinken"),
        ("secretary", "Alejandro Mayorkas"),
        ("blinkens-office", "Blinken’s office"),
        ("blinken", "blinken"),
    ]


def test_names_that_slug_alike_get_distinct_ids(make_source) -> None:
    drafts, problems = _load(make_source, "- name: U.S.\n- name: US\n- name: 東京\n")
    assert problems == []
    assert [d.id for d in drafts] == ["us", "us-2", "entity"]


def test_a_file_that_is_not_a_list_or_mapping(make_source) -> None:
    assert _load(make_source, "just text\n") == (
        [],
        ["entities.yaml:1: error: expected a list of entities, each with a 'name'"],
    )
    (problem,) = _load(make_source, "- name: [unclosed\n")[1]
    assert problem.startswith("entities.yaml:2: error: invalid YAML: ")  # libyaml's wording
