"""The compare stage on whole archives: groups, relations, comparisons, their pages and export."""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator.build.pipeline import load
from generator.cache.store import BuildCache
from generator.compare import comparisons
from generator.render.changed import default_templates, render_site
from tests.conftest import EXAMPLE
from tests.render.test_export import read_export
from tests.sources.test_archive import (
    EXAMPLE_WARNINGS,
    HEADERLESS,
    HILL,
    MINISTRY,
    STATE,
    TRAVEL,
)

GROUP = "mexico-us-joint-communique-mexico-united"


def _text(page: bytes, pattern: str) -> str:
    """The visible text of the first element matching `pattern`, spaces collapsed."""
    found = re.search(pattern, page.decode(), re.S)
    assert found, pattern
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found[0])).split())


def test_the_example_story_is_found_without_hand_marking() -> None:
    archive, diagnostics = load(EXAMPLE)
    assert diagnostics.lines() == EXAMPLE_WARNINGS
    [group] = archive.groups
    assert (group.id, group.documents, group.declared) == (
        GROUP, (STATE, MINISTRY, HEADERLESS), False,
    )  # fmt: skip
    assert [(r.type, r.origin.document, r.target.document, r.exact) for r in archive.relations] == [
        ("same-text", HEADERLESS, MINISTRY, True),
        ("version", MINISTRY, STATE, False),
        ("quotation", HILL, STATE, True),
        ("quotation", HILL, STATE, True),
    ]
    # One comparison per group, against its base: the State Department's text.
    assert [(c.base, c.witnesses) for c in archive.comparisons] == [
        (STATE, (STATE, MINISTRY, HEADERLESS)),
    ]  # fmt: skip
    default = archive.comparisons[0]
    decline = [v for v in default.variants if "democratic decline" in v.readings[0]]
    assert [(v.readings, v.kind) for v in decline] == [
        (("democratic decline,", "", ""), "substantive")
    ]


def test_pages_tell_the_story() -> None:
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    related = r'<section class="relations".*?</section>'
    copy = files[f"documents/{HEADERLESS}/index.html"]
    assert _text(copy, related).startswith(
        "Related texts inferred Same text as Ministry of Foreign Affairs: Mexico and United "
        "States reaffirm their shared commitment to orderly, humanitarian and regular migration, "
        "word for word (spacing and paragraphing aside). The provenance above is this file's own."
    )
    # Its own provenance stays as the source says: unknown.
    assert "<dt>Publisher</dt><dd>unknown</dd>" in copy.decode()
    hill = _text(files[f"documents/{HILL}/index.html"], related)
    assert (
        "¶4 quotes “This includes reinforcing our partnership to address the root causes of "
        "migration, such as poverty, inequality, democratic decline, and violence, and for the two "
        "countries’ initiative for Cubans, Haitians, Nicaraguans and Venezuelans” from United "
        "States Department of State, ¶2 word for word. These words are in United States "
        "Department of State’s text, not in Ministry of Foreign Affairs or a copy without a "
        "header. See how the versions differ there."
    ) in hill
    state = files[f"documents/{STATE}/index.html"].decode()
    assert f'href="/documents/{HILL}/#p4">The Hill, ¶4</a>' in state
    assert f'href="/compare/{GROUP}/">compare them side by side</a>' in state
    compare = files[f"compare/{GROUP}/index.html"].decode()
    assert "democratic decline" in compare
    # One page per group: another base is chosen in the browser, not served as a page.
    assert sorted(f for f in files if f.startswith("compare/")) == [
        "compare/index.html", f"compare/{GROUP}/index.html",
    ]  # fmt: skip


def test_unrelated_documents_have_no_comparison_pages() -> None:
    archive, _ = load(EXAMPLE)
    files = render_site(archive, default_templates())
    travel = files[f"documents/{TRAVEL}/index.html"].decode()
    assert 'class="relations"' not in travel
    assert not any(p.startswith("compare/") and TRAVEL in p for p in files)


def test_export_lists_comparisons_and_relations() -> None:
    archive, _ = load(EXAMPLE)
    data = read_export(render_site(archive, default_templates()))
    [comparison] = data["comparisons"]
    assert {k: comparison[k] for k in ("id", "url", "documents", "base")} == {
        "id": GROUP,
        "url": f"compare/{GROUP}/",
        "documents": [STATE, MINISTRY, HEADERLESS],
        "base": STATE,
    }
    decline = [v for v in comparison["variants"] if "democratic" in v["readings"][0]]
    assert [(v["readings"], v["kind"]) for v in decline] == [
        (["democratic decline,", "", ""], "substantive")
    ]
    assert [
        (r["type"], r["from"], r["to"], r["exact"]) for r in data["relations"]
    ] == [
        ("same-text", {"document": HEADERLESS, "paragraph": "p1", "start": None, "end": None},
         {"document": MINISTRY, "paragraph": "p1", "start": None, "end": None}, True),
        ("version", {"document": MINISTRY, "paragraph": "p1", "start": None, "end": None},
         {"document": STATE, "paragraph": "p1", "start": None, "end": None}, False),
        ("quotation", {"document": HILL, "paragraph": "p4", "start": 1, "end": 111},
         {"document": STATE, "paragraph": "p2", "start": 0, "end": 110}, True),
        ("quotation", {"document": HILL, "paragraph": "p4", "start": 158, "end": 391},
         {"document": STATE, "paragraph": "p2", "start": 112, "end": 345}, True),
    ]  # fmt: skip


def test_a_declared_group_gets_relations_and_pages(example_source: Path) -> None:
    (example_source / "compare.yaml").write_text(
        f"groups:\n  - id: communique\n    title: The joint communiqué\n"
        f"    documents: [{MINISTRY}, {HEADERLESS}]\n",
        encoding="utf-8",
    )
    archive, diagnostics = load(example_source)
    assert diagnostics.lines() == EXAMPLE_WARNINGS
    assert [(g.id, g.documents, g.declared) for g in archive.groups] == [
        ("communique", (MINISTRY, HEADERLESS), True)
    ]
    brief = [(r.type, r.origin.document, r.target.document) for r in archive.relations]
    assert brief[:3] == [
        ("same-text", HEADERLESS, MINISTRY),
        ("quotation", HILL, STATE),
        ("quotation", HILL, STATE),
    ]
    # Split off from its versions, the State Department's text now shares long
    # verbatim runs with them (cut at paragraph breaks). The copy has no date and
    # the Ministry's is of the same day, with no quotation marks: who took the
    # words from whom is not known, so no direction is claimed.
    assert (
        brief[3:]
        == [("shared-passage", HEADERLESS, STATE)] * 4 + [("shared-passage", STATE, MINISTRY)] * 4
    )
    files = render_site(archive, default_templates())
    assert "compare/communique/index.html" in files


def test_an_edit_aligns_again_only_the_groups_of_the_documents_it_changed(
    example_source: Path, monkeypatch
) -> None:
    aligned: list[str] = []
    compare_group = comparisons._compare_group

    def counted(group, sentences):
        aligned.append(group.id)
        return compare_group(group, sentences)

    monkeypatch.setattr(comparisons, "_compare_group", counted)
    cache = BuildCache()
    first, _ = load(example_source, cache=cache)
    assert aligned == [GROUP]
    bundle = example_source / "sources" / "002_27c17665a4c0d5c7.txt"
    text = bundle.read_text(encoding="utf-8")
    # The news article belongs to no group: editing it aligns nothing again.
    bundle.write_text(text.replace("did not immediately respond", "did not respond"))
    second, _ = load(example_source, cache=cache)
    assert aligned == [GROUP]
    assert second.comparisons == first.comparisons
    assert all(c.group == second.groups[0] for c in second.comparisons)
    # The State Department's text is a witness: its group is aligned again.
    bundle.write_text(text.replace("will travel to Mexico City", "travels to Mexico City"))
    edited = bundle.read_text(encoding="utf-8").replace(
        "The two delegations agreed to meet again", "The two delegations agreed to meet soon"
    )
    bundle.write_text(edited)
    third, _ = load(example_source, cache=cache)
    assert aligned == [GROUP, GROUP]
    assert third.comparisons != first.comparisons
    assert third.comparisons == load(example_source)[0].comparisons


def test_what_the_child_finding_versions_adds_to_the_cache_is_kept_here(
    example_source: Path, monkeypatch
) -> None:
    from generator import cores

    monkeypatch.setattr(cores, "only_thread", lambda: True)  # fork, whatever else runs here
    cache = BuildCache()
    first, _ = load(example_source, cache=cache)
    cache.settle()
    texts = {d.plain_text for d in first.documents}
    assert len(cache.entries["shingle summaries"]) == len(texts)
    assert len(cache.entries["signed sentences"]) >= 3  # the group's three texts at least
    assert cache.entries["version pairs v4"]
    kept = {stage: set(entries) for stage, entries in cache.entries.items()}
    again, _ = load(example_source, cache=cache)
    cache.settle()  # used in the child, so kept
    assert {stage: set(entries) for stage, entries in cache.entries.items()} == kept
    assert again == first


def test_what_the_child_found_for_the_next_build_replaces_the_last_build_s_here(
    example_source: Path, monkeypatch
) -> None:
    from generator import cores
    from generator.cache.digests import paragraphs_key

    monkeypatch.setattr(cores, "only_thread", lambda: True)  # fork, whatever else runs here
    cache = BuildCache()
    load(example_source, cache=cache)
    bundle = example_source / "sources" / "002_27c17665a4c0d5c7.txt"
    text = bundle.read_text(encoding="utf-8")
    bundle.write_text(text.replace("did not immediately respond", "did not respond"))
    second, _ = load(example_source, cache=cache)
    # Kept under the same key as the last build's: sent back from the child all the same.
    met = cache.lookup("candidates met", "last build")
    assert {doc_id: found[0] for doc_id, found in met.items()} == {
        d.id: paragraphs_key(d) for d in second.documents
    }
    reused = cache.lookup("reuse found", "last build")
    assert reused.order == tuple(d.id for d in second.documents)
