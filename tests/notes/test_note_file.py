"""Reading notes files: both shapes of file, and every mistake named with its line."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.notes.note_file import NoteDraft, load_notes


def _load(make_source, files: dict[str, str]) -> tuple[list[NoteDraft], list[str]]:
    source: Path = make_source({f"notes/{k}": v for k, v in files.items()})
    diagnostics = Diagnostics()
    drafts = load_notes(source, diagnostics)
    return drafts, diagnostics.lines()


def test_list_and_mapping_files(make_source) -> None:
    drafts, problems = _load(
        make_source,
        {
            "a.yaml": (
                "- doc: d1\n  quote: some words\n  note: A *note*.\n  tags: Variant, context\n"
            ),
            "sub/b.yml": (
                "doc: d2\nnotes:\n  - paragraph: P3\n    note: On a paragraph.\n"
                "    author: Ana\n    date: 5 January 2024\n"
                "  - doc: d3\n    quote: other\n    occurrence: 2\n    note: x\n"
            ),
        },
    )
    assert problems == []
    assert drafts == [
        NoteDraft("notes/a.yaml", 1, "d1", 1, "A *note*.", 3, quote="some words",
                  tags=("variant", "context")),
        NoteDraft("notes/sub/b.yml", 3, "d2", 1, "On a paragraph.", 4, paragraph=3,
                  author="Ana", date="2024-01-05"),
        NoteDraft("notes/sub/b.yml", 7, "d3", 7, "x", 10, quote="other", occurrence=2),
    ]  # fmt: skip


def test_mistakes_are_reported_with_their_lines(make_source) -> None:
    drafts, problems = _load(
        make_source,
        {
            "x.yaml": (
                "- doc: d1\n"  # 1
                "  qoute: typo\n"  # 2
                "  note: text\n"  # 3
                "- quote: no doc\n"  # 4
                "  note: text\n"  # 5
                "- doc: d1\n"  # 6
                "  quote: both\n"  # 7
                "  paragraph: p2\n"  # 8
                "  note: text\n"  # 9
                "- doc: d1\n"  # 10
                "  paragraph: second\n"  # 11
                "  occurrence: 0\n"  # 12
                "  note: text\n"  # 13
                "- just a string\n"  # 14
                "- doc: d1\n"  # 15
                "  quote: fine\n"  # 16
                "  tags: {a: 1}\n"  # 17
                "  date: someday\n"  # 18
                "  note: [not, text]\n"  # 19
            )
        },
    )
    assert problems == [
        "notes/x.yaml:1: error: the note needs a 'quote' (the exact passage) or a 'paragraph' "
        "(e.g. p3)",
        "notes/x.yaml:2: warning: unknown key 'qoute' (did you mean 'quote'?); it is ignored",
        "notes/x.yaml:4: error: the note has no 'doc': give the id of the document",
        "notes/x.yaml:8: error: give either 'quote' or 'paragraph', not both",
        "notes/x.yaml:11: error: 'paragraph' must look like p3, not 'second'",
        "notes/x.yaml:12: error: 'occurrence' must be a whole number from 1",
        "notes/x.yaml:14: error: a note must be a mapping with 'doc', 'quote' and 'note'",
        "notes/x.yaml:15: error: the note has no 'note': write the note's text",
        "notes/x.yaml:17: error: 'tags' must be a list of words, e.g. [variant, context]",
        "notes/x.yaml:18: warning: cannot read 'someday' as a date; it is ignored",
        "notes/x.yaml:19: error: 'note' must be text",
    ]
    assert drafts == []


def test_yaml_errors_name_file_and_line(make_source) -> None:
    _, problems = _load(
        make_source,
        {
            "bad.yaml": "- doc: d1\n  note: [unclosed\n",
            "tag.yaml": "- doc: !!python/object/apply:os.system ['echo hacked']\n  note: x\n",
            "shape.yaml": "just: a mapping\n",
        },
    )
    assert problems[0].startswith("notes/bad.yaml:3: error: invalid YAML: ")
    assert problems[1:] == [
        "notes/shape.yaml:1: error: expected a list of notes, or 'notes:' with a list",
        "notes/shape.yaml:1: warning: unknown key 'just'; it is ignored",
        "notes/tag.yaml:1: error: unsupported YAML tag !!python/object/apply:os.system: "
        "only plain data is allowed",
    ]


def test_billion_laughs_is_refused_quickly(make_source) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    _, problems = _load(make_source, {"lol.yaml": "\n".join(lines) + "\n"})
    assert problems == [
        "notes/lol.yaml:1: error: the YAML expands to more than 200000 values (aliases?); "
        "simplify it"
    ]


def test_no_notes_folder_is_fine(make_source) -> None:
    source = make_source({})
    diagnostics = Diagnostics()
    assert load_notes(source, diagnostics) == []
    assert diagnostics.lines() == []


def test_deep_nesting_and_huge_files_are_refused(make_source) -> None:
    deep = "- doc: d1\n  quote: q\n  note: " + "[" * 60 + "]" * 60 + "\n"
    _, problems = _load(make_source, {"deep.yaml": deep, "big.yaml": "#" * 2_000_001})
    assert problems == [
        "notes/big.yaml:1: error: file is larger than 2 MB",
        "notes/deep.yaml:3: error: YAML nested deeper than 40 levels",
    ]
