"""Document ids: readable, stable, and always a safe `[a-z0-9-]` path segment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.sources.ids import (
    ID_PATTERN,
    MAX_ID_LENGTH,
    base_id,
    disambiguate,
    is_valid_id,
    slugify,
)


def test_paths_and_separators_in_titles_become_words() -> None:
    assert base_id(None, "../../etc", "/etc/passwd") == "etc-etc-passwd"
    assert base_id(None, None, "C:\\Windows\\System32") == "c-windows-system32"


def test_look_alike_characters_never_reach_an_id() -> None:
    # Cyrillic а, fullwidth solidus, one dot leader, right-to-left override
    title = "Ministry／of\u2024Foreign \u202eAffairs: pаyments"
    assert base_id("2023-12-28", None, title) == "2023-12-28-ministry-offoreign-affairs-pyments"


def test_reserved_names_get_a_suffix() -> None:
    for title in ("CON", "nul", "Aux", "index", "Data", "assets"):
        assert base_id(None, None, title) == f"{title.lower()}-doc"


def test_long_titles_are_cut_at_a_word() -> None:
    slug = base_id("2023-12-28", "Ministry " * 300, "Word " * 1000)
    assert slug == "2023-12-28-ministry-ministry-ministry-word-word-word-word-word"
    assert len(base_id(None, None, "x" * 5000)) == MAX_ID_LENGTH  # one long word: cut inside


def test_a_title_of_nothing_readable_still_gives_an_id() -> None:
    assert base_id(None, None, "«»—…") == "document"
    assert base_id(None, "日本外務省", "声明") == "document"


def test_disambiguated_ids_stay_within_the_limit() -> None:
    long = base_id(None, None, "word " * 100)
    assert len(disambiguate(long, "sources/a.txt:1")) <= MAX_ID_LENGTH
    assert disambiguate("a-b", "sources/a.txt:1") != disambiguate("a-b", "sources/a.txt:2")


def test_editor_given_ids_must_be_safe() -> None:
    assert is_valid_id("2023-12-28-hill-report")
    for bad in ("../x", "a/b", "A-B", "a--b", "-a", "a-", "a b", "ä", "x" * 81, ""):
        assert not is_valid_id(bad), bad


@given(st.text(), st.text(), st.one_of(st.none(), st.dates().map(str)))
def test_every_id_is_a_safe_path_segment(title: str, publisher: str, date: str | None) -> None:
    slug = base_id(date, publisher, title)
    assert ID_PATTERN.fullmatch(slug) and len(slug) <= MAX_ID_LENGTH
    assert slugify(title) == "" or ID_PATTERN.fullmatch(slugify(title))
