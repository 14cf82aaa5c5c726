from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.publish import index_record, search
from generator.render import search_parts
from tests.publish.test_search import _page, _site


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("documents/*/index.html"))


def test_the_digest_follows_the_pages_bytes_their_documents_and_the_language(
    tmp_path: Path,
) -> None:
    site = _site(tmp_path / "a", {"a": _page("A", "Ministers met."), "b": _page("B", "Talks.")})
    digest = index_record.pages_digest(_pages(site), "en")
    assert index_record.pages_digest(_pages(site), "en") == digest
    assert index_record.pages_digest(_pages(site), "es") != digest
    assert index_record.pages_digest(_pages(site)[:1], "en") != digest
    renamed = _site(tmp_path / "b", {"a": _page("A", "Ministers met."), "c": _page("B", "Talks.")})
    assert index_record.pages_digest(_pages(renamed), "en") != digest
    (site / "documents" / "b" / "index.html").write_text(_page("B", "Talks!"))
    assert index_record.pages_digest(_pages(site), "en") != digest


def test_a_part_whose_pages_did_not_change_is_linked_not_indexed(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 1)  # one part per document: "a" and "d" in two
    pages = {"a": _page("A", "Ministers met."), "d": _page("D", "Talks resumed.")}
    old = _site(tmp_path / "old", pages)
    search.write_index(old, "en")
    new = _site(tmp_path / "new", {**pages, "a": _page("A", "Ministers met again.")})
    parts = search_parts.parts_of(pages)
    changed = next(n for n, members in parts.items() if members == ["a"])
    kept = next(n for n, members in parts.items() if members == ["d"])
    runs: list[Path] = []
    run = search._run_pagefind

    def counted(site: Path, into: Path, language: str, background: bool) -> None:
        runs.append(into)
        run(site, into, language, background)

    monkeypatch.setattr(search, "_run_pagefind", counted)
    search.write_index(new, "en", previous=old / "pagefind")
    assert runs == [new / "pagefind" / str(changed) / "en"]
    for path in sorted((old / "pagefind" / str(kept)).rglob("*")):
        twin = new / "pagefind" / str(kept) / path.relative_to(old / "pagefind" / str(kept))
        assert twin.exists() and (path.is_dir() or twin.stat().st_ino == path.stat().st_ino)
    entry = json.loads((new / "pagefind" / str(changed) / "en" / "pagefind-entry.json").read_text())
    pages = [new / "documents" / "a" / "index.html"]
    assert entry[index_record.RECORD] == index_record.pages_digest(pages, "en")


def test_a_bundle_is_indexed_again_when_its_record_is_missing_or_other(
    tmp_path: Path, monkeypatch
) -> None:
    old = _site(tmp_path / "old", {"a": _page("A", "Ministers met.")})
    search.write_index(old, "en")
    bundle = old / "pagefind" / "0" / "en"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    new = tmp_path / "new"
    shutil.copytree(old / "documents", new / "documents")
    digest = index_record.pages_digest(sorted(new.glob("documents/*/index.html")), "en")
    assert entry[index_record.RECORD] == digest
    assert index_record.reuse(bundle, new / "pagefind" / "0" / "en", digest)
    (bundle / "pagefind-entry.json").write_text(json.dumps({**entry, "sourcebook_pages": "x"}))
    assert not index_record.reuse(bundle, tmp_path / "elsewhere", digest)
    del entry[index_record.RECORD]
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry))
    monkeypatch.setattr(search, "_executable", lambda: "/bin/false")
    with pytest.raises(search.SearchIndexError) as failure:
        search.write_index(new, "en", previous=old / "pagefind")
    assert str(failure.value) == "Pagefind could not index the site: exit code 1"
