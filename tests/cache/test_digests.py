"""Content digests: equal content, equal digest; any change, another; caching changes nothing."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
import typing
from dataclasses import replace

from generator.cache.digests import combine, digest, fields_key, key
from generator.model import (
    Archive,
    Comparison,
    Document,
    Group,
    Note,
    Paragraph,
    Provenance,
    SourceLine,
)
from tests.conftest import EXAMPLE, ROOT

NOTE = Note(
    id="n-1", document="d", start=0, end=4, paragraph=1, quote="text", exact="text",
    prefix="", suffix=" here", body_markdown="A *note*.", body_html="<p>A <em>note</em>.</p>",
    source="notes/a.yaml", line=1,
)  # fmt: skip
GROUP = Group(id="g", title="A text", documents=("a", "b"))


def test_equal_content_gives_equal_digests_and_any_change_another() -> None:
    assert digest(NOTE) == digest(replace(NOTE))
    for change in ({"body_markdown": "A note."}, {"start": 1}, {"tags": ("variant",)}):
        assert digest(replace(NOTE, **change)) != digest(NOTE), change


def test_a_digest_cached_on_an_object_does_not_change_it() -> None:
    fresh = replace(NOTE)
    fields_key(fresh)  # caches a key on the object
    assert digest(fresh) == digest(replace(NOTE)) == digest(fresh)


def test_keys_name_shared_objects_by_their_digest() -> None:
    assert key(GROUP, "x", (1, 2)) == combine((digest(GROUP), "x", (1, 2)))
    assert key(GROUP) != key(replace(GROUP, title="Another text"))


def test_fields_key_follows_every_field() -> None:
    assert fields_key(replace(NOTE)) == fields_key(replace(NOTE))
    assert fields_key(replace(NOTE, line=2)) != fields_key(NOTE)


def test_a_comparison_digest_does_not_depend_on_its_group_being_digested_first() -> None:
    fresh, other = replace(GROUP), replace(GROUP)
    digest(fresh)  # caches a digest on the group
    assert digest(Comparison(fresh, ("a", "b"), (), (), ())) == digest(
        Comparison(other, ("a", "b"), (), (), ())
    )
    assert digest(Comparison(replace(GROUP, title="B"), ("a", "b"), (), (), ())) != digest(
        Comparison(other, ("a", "b"), (), (), ())
    )


def test_shared_model_objects_hold_others_only_as_direct_fields() -> None:
    # `digests` names a shared object inside another by its digest only at the top:
    # deeper, its cached digest would be pickled with it and keys would drift.
    def reachable(hint: object) -> set[type]:
        found: set[type] = set()
        pending = [hint]
        while pending:
            current = pending.pop()
            pending.extend(typing.get_args(current))
            if dataclasses.is_dataclass(current) and current not in found:
                found.add(current)  # type: ignore[arg-type]
                pending.extend(typing.get_type_hints(current).values())
        return found

    for shared in (Document, Note, Group, Comparison):
        for name, hint in typing.get_type_hints(shared).items():
            inside = hint if hint in (Document, Note, Group, Comparison) else None
            below = {h for h in typing.get_type_hints(inside).values()} if inside else {hint}
            deeper = set().union(*(reachable(h) for h in below))
            assert not deeper & {Document, Note, Group, Comparison}, (shared, name)


# -- content alone: not which values are one object, not the process ---------------------

TEXT = "The United States and Mexico reaffirmed their shared commitment."


def _document(text: str, line_text: str) -> Document:
    provenance = Provenance(
        "sources/state.txt", 1, 3, "0" * 64, "state", 1, {"title": "Joint communiqué"},
        (SourceLine(1, "Joint communiqué"), SourceLine(3, line_text)),
    )  # fmt: skip
    return Document("d", provenance, (Paragraph(1, text, 3),), "Joint communiqué", False, "en")


def _rebuilt(value: object) -> object:
    """An equal copy in which no two values are one object (every string made anew)."""
    if isinstance(value, str):
        return value.encode().decode() if len(value) > 1 else value
    if isinstance(value, tuple):
        return tuple(_rebuilt(v) for v in value)
    if isinstance(value, dict):
        return {_rebuilt(k): _rebuilt(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        values = {f.name: _rebuilt(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return type(value)(**values)
    return value


def test_a_digest_does_not_depend_on_which_equal_values_are_one_object() -> None:
    # The parser hands the paragraph and its source line the very same string; a
    # document loaded from the cache, or made again, may not. Pickle's bytes differ.
    fresh = _document(TEXT, TEXT)
    rebuilt = _rebuilt(fresh)
    assert rebuilt == fresh
    assert rebuilt.paragraphs[0].text is not fresh.provenance.source_lines[1].text
    assert pickle.dumps(rebuilt) != pickle.dumps(fresh)
    round_tripped = pickle.loads(pickle.dumps(_document(TEXT, TEXT)))
    assert digest(fresh) == digest(rebuilt) == digest(round_tripped)
    assert digest(_document(TEXT, TEXT + " ")) != digest(fresh)


def test_a_key_does_not_depend_on_which_equal_values_are_one_object() -> None:
    shared = TEXT * 2
    assert key(shared, (shared, 1)) == key(shared, (_rebuilt(shared), 1))
    assert combine(shared, shared) == combine(shared, _rebuilt(shared))
    assert key(GROUP, (GROUP,)) == key(replace(GROUP), (_rebuilt(GROUP),))


def test_a_model_object_is_digested_by_its_fields_not_what_is_cached_on_it() -> None:
    document = _document(TEXT, TEXT)
    document.__dict__["_index"] = {"p1": "cached"}  # as Archive keeps its indexes
    assert digest(document) == digest(_document(TEXT, TEXT))
    assert digest(replace(document, title="Another")) != digest(document)


_DIGESTS_OF_THE_EXAMPLE = """
import json, sys
from pathlib import Path
from generator.build.pipeline import load
from generator.cache.digests import digest, key
from generator.render.changed import default_templates, render_changed

archive, _ = load(Path(sys.argv[1]))
print(json.dumps({
    "documents": [digest(d) for d in archive.documents],
    "notes": [digest(n) for n in archive.notes],
    "comparisons": [digest(c) for c in archive.comparisons],
    "config": key(archive.config, {"b": 1, "a": (2, 3)}),
    "pages": render_changed(archive, default_templates(), {}).keys,
}))
"""


def _digests_in_a_process(seed: str) -> dict:
    environment = os.environ | {"PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", _DIGESTS_OF_THE_EXAMPLE, str(EXAMPLE)],
        capture_output=True, text=True, env=environment, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(run.stdout)


def test_digests_and_page_keys_are_the_same_in_every_process() -> None:
    first = _digests_in_a_process("1")
    assert len(first["documents"]) == 5 and first["comparisons"] and first["notes"]
    assert len(first["pages"]) > 50
    assert _digests_in_a_process("2") == first
    assert _digests_in_a_process("random") == first


def test_the_model_holds_no_sets() -> None:
    # A set's order follows the hash seed, not its content: its encoding would too.
    pending: list[object] = [Archive]
    seen: set[object] = set()
    while pending:
        hint = pending.pop()
        if hint in seen:
            continue
        seen.add(hint)
        assert typing.get_origin(hint) not in (set, frozenset) and hint not in (set, frozenset)
        pending.extend(typing.get_args(hint))
        if dataclasses.is_dataclass(hint):
            pending.extend(typing.get_type_hints(hint).values())
