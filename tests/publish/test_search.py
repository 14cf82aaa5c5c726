"""The Pagefind search index: what it holds, that it is reproducible, and its failures."""

from __future__ import annotations

import gzip
import json
import shutil
import threading
import time
from pathlib import Path

import cbor2
import pytest

from generator.cli import main
from generator.publish import search
from generator.render import search_parts
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HILL, STATE


def _page(
    title: str, text: str, publisher: str = "The Paper", year: str = "2023", language: str = "en"
) -> str:
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><title>t</title>'
        f'<meta property="og:title" content="{title}" data-pagefind-meta="title[content]">'
        "</head><body><article data-pagefind-body>"
        f'<p class="byline"><span data-pagefind-filter="publisher">{publisher}</span> '
        f'<time data-pagefind-filter="year:{year}">{year}</time></p>'
        f'<p id="p1"><a class="pnum" href="#p1">1</a> {text}<sup class="refs">9</sup></p>'
        "</article></body></html>"
    )


def _site(root: Path, pages: dict[str, str]) -> Path:
    for doc_id, html in pages.items():
        folder = root / "documents" / doc_id
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(html)
    return root


def _fragments(index: Path) -> dict[str, dict]:
    """Every indexed page of every bundle, by address."""
    found = {}
    for path in index.glob("*/*/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        found[data["url"]] = data
    return found


def _words(bundle: Path) -> list[str]:
    """The words (stems) a bundle's index holds."""
    found = []
    for path in bundle.glob("index/*.pf_index"):
        chunk = cbor2.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        found += [entry[0] for entry in chunk[0]]
    return sorted(found)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_index_holds_text_and_filters_without_page_furniture(tmp_path: Path) -> None:
    site = _site(tmp_path, {"a": _page("A title", "Words about migration.", "El Diario", "2021")})
    search.write_index(site, "en")
    fragment = _fragments(site / "pagefind")["/documents/a/"]
    assert fragment["meta"]["title"] == "A title"
    assert fragment["filters"] == {"publisher": ["El Diario"], "year": ["2021"]}
    # Paragraph numbers and note marks are not words of the text.
    assert fragment["content"] == "El Diario 2021. Words about migration."
    assert [(a["element"], a["id"]) for a in fragment["anchors"]] == [("p", "p1")]


def test_each_page_is_indexed_in_its_own_language(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "a": _page("A", "Ministers negotiating."),
            "b": _page("B", "Ministros negociaron.", language="es"),
        },
    )
    search.write_index(site, "en")
    assert sorted(p.name for p in (site / "pagefind" / "0").iterdir()) == ["en", "es"]
    assert sorted(p.name for p in (site / "pagefind" / "0" / "es").glob("wasm.*")) == [
        "wasm.es.pagefind"
    ]
    index = site / "pagefind" / "0"
    assert _words(index / "en") == ["2023", "a", "minist", "negoti", "paper", "the"]
    # Spanish stems: the English stemmer leaves "ministros" and "negociaron" as they are.
    assert _words(index / "es") == ["2023", "b", "ministr", "negoci", "pap", "the"]


def test_same_pages_give_the_same_index_bytes(tmp_path: Path) -> None:
    # Many filter values: Pagefind writes them in a new order each run.
    pages = {
        f"d{i}": _page(f"T{i}", f"text {i}", publisher=f"Publisher {i % 7}", year=str(2000 + i))
        for i in range(30)
    }
    site = _site(tmp_path / "site", pages)
    runs = []
    for n in range(4):
        # Half the runs told which pages the site has, as `build` tells it.
        known = list(pages) if n % 2 else None
        search.write_index(site, "en", into=tmp_path / f"index{n}", documents=known)
        runs.append(_files(tmp_path / f"index{n}"))
    assert all(run == runs[0] for run in runs)
    assert any(path.startswith("0/en/filter/") for path in runs[0])


def test_unchanged_index_files_are_linked_to_the_previous_ones(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"a": _page("A", "first"), "b": _page("B", "second")})
    search.write_index(site, "en", into=tmp_path / "old")
    (site / "documents" / "b" / "index.html").write_text(_page("B", "second, edited"))
    search.write_index(site, "en", into=tmp_path / "new", previous=tmp_path / "old")
    old, new = _files(tmp_path / "old"), _files(tmp_path / "new")
    same = [p for p in new if old.get(p) == new[p]]
    assert "0/en/pagefind.js" in same
    for rel in same:
        assert (tmp_path / "new" / rel).stat().st_ino == (tmp_path / "old" / rel).stat().st_ino
    assert len([p for p in new if p.startswith("0/en/fragment/") and p not in same]) == 1


def test_no_documents_means_no_index(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>t</title>")
    search.write_index(tmp_path, "en")
    assert not (tmp_path / "pagefind").exists()


def test_pagefind_failure_is_one_clear_line(tmp_path: Path, monkeypatch) -> None:
    site = _site(tmp_path, {"a": _page("A", "text")})
    monkeypatch.setattr(search, "_executable", lambda: "/bin/false")
    with pytest.raises(search.SearchIndexError) as failure:
        search.write_index(site, "en")
    assert str(failure.value) == "Pagefind could not index the site: exit code 1"
    monkeypatch.setattr(search, "_executable", lambda: str(tmp_path / "no-such-program"))
    with pytest.raises(search.SearchIndexError) as failure:
        search.write_index(site, "en")
    assert str(failure.value).startswith("cannot run Pagefind to index the site: ")


def test_failed_index_leaves_the_published_site_as_it_was(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    out = tmp_path / "build"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out)]) == 0
    before = _files(out)
    monkeypatch.setattr(search, "_executable", lambda: "/bin/false")
    # Other links on every page: no bundle of the index can be carried over.
    moved = ["--base-url", "/elsewhere/", "--clean"]
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out), *moved]) == 1
    assert "error: Pagefind could not index the site: exit code 1" in capsys.readouterr().err
    assert _files(out) == before


def test_document_ids_are_those_of_the_document_pages() -> None:
    pages = {
        f"documents/{STATE}/index.html": "k1",
        "notes/index.html": "k2",
        "documents/x.json": "",
    }
    assert search.document_ids(pages) == [STATE]


def test_part_keys_follow_document_pages_only() -> None:
    pages = {f"documents/{STATE}/index.html": "k1", "notes/index.html": "k2"}
    keys = search.part_keys(pages, "en")
    assert list(keys) == [0]
    assert search.part_keys({**pages, "notes/index.html": "other"}, "en") == keys
    assert search.part_keys({**pages, f"documents/{STATE}/index.html": "k3"}, "en") != keys
    assert search.part_keys({**pages, f"documents/{HILL}/index.html": "k4"}, "en") != keys
    assert search.part_keys(pages, "es") != keys


def test_parts_split_the_documents_evenly_and_keep_each_in_its_part(monkeypatch) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 100)
    ids = [f"doc-{n}" for n in range(1000)]
    parts = search_parts.parts_of(ids)
    assert list(parts) == list(range(10))
    assert sorted(d for members in parts.values() for d in members) == sorted(ids)
    assert [len(members) for members in parts.values()] == [
        98,
        101,
        112,
        85,
        86,
        92,
        128,
        99,
        99,
        100,
    ]
    # One more document: the others stay where they were.
    grown = search_parts.parts_of([*ids[:-1], "doc-new"])
    moved = {d for n in parts for d in set(parts[n]) ^ set(grown[n])}
    assert moved == {ids[-1], "doc-new"}
    assert search_parts.parts_of([]) == {}


def test_bundles_are_each_parts_languages(monkeypatch) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 2)
    languages = {"doc-1": "es", "doc-2": "en", "doc-3": "en", "doc-4": "fr"}
    assert search_parts.parts_of(languages) == {0: ["doc-2"], 1: ["doc-1", "doc-3", "doc-4"]}
    assert search_parts.bundles_of(languages) == ("0/en", "1/en", "1/es", "1/fr")


def test_a_changed_page_re_indexes_its_part_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 3)
    pages = {f"d{n}": _page(f"T{n}", f"text number {n}") for n in range(9)}
    site = _site(tmp_path / "site", pages)
    index = tmp_path / "index"
    search.write_index(site, "en", into=index)
    parts = search_parts.parts_of(pages)
    assert len(parts) == 3
    # Each bundle carries Pagefind's program and its language's WebAssembly (of two
    # Pagefinds in one page, each needs its own copy); the ready-made interfaces nowhere.
    old = _files(index)
    assert sorted(p for p in old if p.count("/") == 2) == sorted(
        [
            "0/en/pagefind-entry.json",
            "0/en/pagefind-worker.js",
            "0/en/pagefind.js",
            next(p for p in old if p.startswith("0/en/pagefind.en")),
            "0/en/wasm.en.pagefind",
            "1/en/pagefind-entry.json",
            "1/en/pagefind-worker.js",
            "1/en/pagefind.js",
            next(p for p in old if p.startswith("1/en/pagefind.en")),
            "1/en/wasm.en.pagefind",
            "2/en/pagefind-entry.json",
            "2/en/pagefind-worker.js",
            "2/en/pagefind.js",
            next(p for p in old if p.startswith("2/en/pagefind.en")),
            "2/en/wasm.en.pagefind",
        ]
    )
    assert set(_fragments(index)) == {f"/documents/{d}/" for d in pages}
    edited = parts[2][0]
    (site / "documents" / edited / "index.html").write_text(_page("T", "edited words"))
    search.write_index(site, "en", into=index, parts=[2])
    assert {p: b for p, b in _files(index).items() if not p.startswith("2/")} == {
        p: b for p, b in old.items() if not p.startswith("2/")
    }
    assert _fragments(index)[f"/documents/{edited}/"]["content"] == "The Paper 2023. edited words."


@pytest.mark.parametrize(("background", "at_once"), [(False, 2), (True, 1)])
def test_parts_are_indexed_two_at_a_time_and_one_at_a_time_in_the_background(
    tmp_path: Path, monkeypatch, background: bool, at_once: int
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 3)
    site = _site(tmp_path / "site", {f"d{n}": _page(f"T{n}", f"text {n}") for n in range(9)})
    running, most, lock = [0], [0], threading.Lock()
    run_pagefind = search._run_pagefind

    def watched(*args: object) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)  # long enough for a second run to start, if it may
        run_pagefind(*args)
        with lock:
            running[0] -= 1

    monkeypatch.setattr(search, "_run_pagefind", watched)
    search.write_index(site, "en", into=tmp_path / "index", background=background)
    assert most[0] == at_once
    assert len(_fragments(tmp_path / "index")) == 9


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def _nine_pages_indexed(root: Path, monkeypatch) -> tuple[Path, dict[str, str]]:
    """A site of nine document pages in three parts, indexed into `root/pagefind`."""
    monkeypatch.setattr(search_parts, "PART_SIZE", 3)
    pages = {f"d{n}": _page(f"T{n}", f"text number {n}") for n in range(9)}
    site = _site(root / "site", pages)
    search.write_index(site, "en")
    return site, pages


def test_refresh_redoes_only_the_parts_named(
    tmp_path: Path, monkeypatch, pagefind_runs: list[Path]
) -> None:
    site, pages = _nine_pages_indexed(tmp_path, monkeypatch)
    before = _inodes(site / "pagefind")
    edited = search_parts.parts_of(pages)[1][0]
    (site / "documents" / edited / "index.html").write_text(_page("T", "edited words"))
    pagefind_runs.clear()  # the runs that made the index
    search.refresh_index(site, "en", parts=[1])
    assert len(pagefind_runs) == 1
    after = _inodes(site / "pagefind")
    assert sorted({p.split("/")[0] for p in after if after[p] != before.get(p)}) == ["1"]
    assert {p for p in after if p[0] != "1"} == {p for p in before if p[0] != "1"}
    assert _fragments(site / "pagefind")[f"/documents/{edited}/"]["content"] == (
        "The Paper 2023. edited words."
    )
    assert sorted(p.name for p in site.iterdir()) == ["documents", "pagefind"]


def test_refresh_indexes_a_part_the_served_index_lacks(
    tmp_path: Path, monkeypatch, pagefind_runs: list[Path]
) -> None:
    site, _ = _nine_pages_indexed(tmp_path, monkeypatch)
    old = _files(site / "pagefind")
    pagefind_runs.clear()  # the runs that made the index
    search.refresh_index(site, "en", parts=[])
    assert pagefind_runs == []  # nothing named, nothing missing: nothing to do
    shutil.rmtree(site / "pagefind" / "2")
    search.refresh_index(site, "en", parts=[])
    assert len(pagefind_runs) == 1
    assert _files(site / "pagefind") == old


def test_refresh_replaces_the_served_index_whole(tmp_path: Path) -> None:
    site = _site(tmp_path, {"a": _page("A", "before")})
    search.write_index(site, "en")
    (site / "documents" / "a" / "index.html").write_text(_page("A", "after"))
    search.refresh_index(site, "en")
    assert _fragments(site / "pagefind")["/documents/a/"]["content"] == "The Paper 2023. after."
    assert sorted(p.name for p in site.iterdir()) == ["documents", "pagefind"]
