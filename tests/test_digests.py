"""Content digests: equal content, equal digest; any change, another; caching changes nothing."""

from __future__ import annotations

from dataclasses import replace

from generator.digests import combine, digest, fields_key, key
from generator.model import Group, Note

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
