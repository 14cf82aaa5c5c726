"""Content digests: equal content, equal digest; any change, another; caching changes nothing."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import replace

from generator.cache.digests import combine, digest, fields_key, key
from generator.model import Comparison, Document, Group, Note

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
