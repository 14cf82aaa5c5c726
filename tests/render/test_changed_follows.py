"""A text edit renders what it changed: the files whose inputs moved, and every other
file of a clean render is byte for byte the one kept."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.build.pipeline import load
from generator.cache import deferred
from generator.cache.digests import digest, key
from generator.cache.store import BuildCache
from generator.render.changed import default_templates, render_changed, render_site
from generator.render.site_files import site_outputs
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE

BUNDLE = "002_27c17665a4c0d5c7.txt"
GROUP = "mexico-us-joint-communique-mexico-united"


def _edited(tmp_path: Path, old: str, new: str) -> tuple[list[str], set[str]]:
    """Render the example, edit one sentence of its bundle, render what changed: the
    files rendered, and the files of a clean render of the edited archive that differ
    from the render before (each of them must be among those rendered)."""
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()
    archive, _ = load(source, cache=cache)
    before = render_site(archive, default_templates())
    keys = render_changed(archive, default_templates(), {}).keys
    bundle = source / "sources" / BUNDLE
    text = bundle.read_text(encoding="utf-8")
    assert old in text
    bundle.write_text(text.replace(old, new, 1), encoding="utf-8")
    archive, _ = load(source, cache=cache)
    rendered = render_changed(archive, default_templates(), keys)
    clean = render_site(archive, default_templates())
    assert dict(rendered.files) == {p: clean[p] for p in rendered.changed}
    return sorted(rendered.changed), {p for p in clean if before.get(p) != clean[p]}


def _page(doc_id: str) -> str:
    return f"documents/{doc_id}/index.html"


def test_an_edit_outside_any_group_renders_its_page_what_names_it_and_the_home_page(
    tmp_path: Path,
) -> None:
    rendered, differ = _edited(tmp_path, "did not immediately respond", "did not respond")
    # Not its neighbours in time (they show its title only), not the lists it is on
    # (its title and date are as they were), nor the compare/ index.
    assert rendered == [
        "data/annotations.jsonld",  # the notes' selectors count in the text
        f"data/collections/{BUNDLE.removesuffix('.txt').replace('_', '-')}.json",
        _page(HILL),
        "entities/the-hill/index.html",  # the edited paragraph mentions them
        "entities/white-house/index.html",
        "index.html",  # the home page reads every quotation: remade after any text edit
        f"sources/{BUNDLE}",
    ]
    assert differ == set(rendered) - {"index.html"}


def test_an_edit_in_a_group_renders_the_group_and_the_pages_that_show_its_rows(
    tmp_path: Path,
) -> None:
    rendered, differ = _edited(tmp_path, "address the root causes", "address the deep root causes")
    assert rendered == [
        "compare/index.html",  # the group's finding: its comparison changed
        f"compare/{GROUP}/index.html",
        "data/annotations.jsonld",
        f"data/collections/{BUNDLE.removesuffix('.txt').replace('_', '-')}.json",
        _page(HILL),  # it quotes the group, and links to the rows of its words
        _page(MINISTRY),  # the group's other versions link to its rows
        _page(STATE),
        _page(HEADERLESS),
        "index.html",
        f"sources/{BUNDLE}",
    ]
    assert differ == {
        f"compare/{GROUP}/index.html",
        "data/annotations.jsonld",
        f"data/collections/{BUNDLE.removesuffix('.txt').replace('_', '-')}.json",
        _page(HILL),
        _page(STATE),
        f"sources/{BUNDLE}",
    }


def test_planning_and_keying_read_no_comparison_rows() -> None:
    """A comparison read from the cache is a placeholder until its rows are asked for:
    planning every page (after a bundle edit) must not ask."""
    archive, _ = load(EXAMPLE)

    def unread(later: bytes) -> dict:
        raise AssertionError("a comparison's rows were read while planning")

    placeholders = []
    for comparison in archive.comparisons:
        digest(comparison)  # kept on the object, as the cache keeps it
        head, _ = deferred.split(comparison) or pytest.fail("comparisons are deferred")
        placeholders.append(deferred.placeholder(head, b"", unread))
    archive = replace(archive, comparisons=tuple(placeholders))
    outputs = list(site_outputs(archive, default_templates()))
    assert [key(*o.inputs) for o in outputs]
    assert all(deferred._PENDING in c.__dict__ for c in archive.comparisons)


def test_a_template_edit_renders_every_page_anew_without_planning_the_site_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    cache = BuildCache()  # as `serve` keeps it: the plan's outputs stay in memory
    archive, _ = load(EXAMPLE, cache=cache)
    keys = render_changed(archive, templates, {}, cache).keys
    document = templates / "document.html"
    document.write_text(document.read_text().replace("</article>", "<!-- edited --></article>"))
    planned: list[int] = []
    monkeypatch.setattr(
        "generator.render.changed.site_outputs",
        lambda *args: planned.append(1) or site_outputs(*args),
    )
    rendered = render_changed(archive, templates, keys, cache)
    assert planned == []
    assert set(rendered.changed) == set(keys)  # any page may include or extend the template
    files = dict(rendered.files)
    assert "<!-- edited -->" in files[_page(HILL)].decode()
    assert files == render_site(archive, templates)
    planned.clear()  # render_site plans on its own, without a cache
    # An asset is planned with its bytes: editing one plans the site again.
    style = templates / "assets" / "style.css"
    style.write_text(style.read_text() + "\n/* edited */\n")
    again = render_changed(archive, templates, rendered.keys, cache)
    assert planned == [1]
    assert dict(again.files)["assets/style.css"].endswith(b"/* edited */\n")
