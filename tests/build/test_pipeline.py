"""Incremental builds: what they re-render, and that they always equal a clean build."""

from __future__ import annotations

import gc
import gzip
import json
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import cores
from generator.build import pipeline
from generator.build.pipeline import BuildResult, build, load
from generator.cache import build_state, inputs
from generator.cache.store import BuildCache, cache_file
from generator.compare import comparisons
from generator.notes import annotate
from generator.publish import search
from generator.render import changed, feeds, search_parts
from generator.render.changed import default_templates, render_changed
from tests.conftest import EXAMPLE, ROOT

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.generate_archive import generate

STATE = "2023-12-28-united-states-department-mexico-us-joint-communique-mexico"
GROUP = "mexico-us-joint-communique-mexico-united"
MINISTRY = "2023-12-28-ministry-foreign-affairs-mexico-united-states-reaffirm-shared"
HEADERLESS = "president-mexico-andres-manuel-lopez"
HILL = "2023-12-28-hill-biden-administration-backtracks-democratic-decline"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _edit_first_note(source: Path) -> None:
    path = sorted((source / "notes").glob("*.yaml"))[0]
    text = path.read_text()
    start = text.index("note:") + len("note:")
    path.write_text(text[:start] + " Edited." + text[start:])


def test_a_note_edit_re_renders_its_page_its_comparisons_and_the_export(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()
    archive, _ = load(source, cache=cache)
    cache.pages = render_changed(archive, default_templates(), {}).keys
    _edit_first_note(source)
    archive, _ = load(source, cache=cache)
    rendered = render_changed(archive, default_templates(), cache.pages)
    assert sorted(rendered.changed) == [
        f"compare/{GROUP}/index.html",
        "data/annotations.jsonld",
        f"documents/{STATE}/index.html",
    ]  # not the notes index: it lists the notes without their text
    assert len(rendered.kept) == len(rendered.keys) - 3


def test_a_text_edit_re_renders_the_pages_of_what_it_changed(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()
    archive, _ = load(source, cache=cache)
    cache.pages = render_changed(archive, default_templates(), {}).keys
    bundle = source / "sources" / "002_27c17665a4c0d5c7.txt"
    text = bundle.read_text(encoding="utf-8")
    bundle.write_text(text.replace("did not immediately respond", "did not respond"))
    archive, _ = load(source, cache=cache)
    rendered = render_changed(archive, default_templates(), cache.pages)
    # The news article's page, its source copy and its bundle's export part, the
    # pages of the names its edited paragraph mentions (they quote the paragraph),
    # and what is remade after any source edit (the home page, the annotations).
    # No other document's page: they show its title and the passages they share,
    # which did not change; no comparison, no list: the article is in no group.
    assert sorted(rendered.changed) == [
        "data/annotations.jsonld",
        "data/collections/002-27c17665a4c0d5c7.json",
        f"documents/{HILL}/index.html",
        "entities/the-hill/index.html",
        "entities/white-house/index.html",
        "index.html",
        "sources/002_27c17665a4c0d5c7.txt",
    ]


def test_a_note_edit_from_the_saved_cache_keys_nothing_and_plans_only_what_it_renders(
    tmp_path: Path, monkeypatch
) -> None:
    source, templates = tmp_path / "src", default_templates()
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()
    archive, _ = load(source, cache=cache)
    first = render_changed(archive, templates, {}, cache)
    cache.save(tmp_path / "cache")
    _edit_first_note(source)
    cache = BuildCache.load(tmp_path / "cache")
    archive, _ = load(source, cache=cache)
    planned: list[str] = []
    real = changed.site_outputs

    def recorded(*args: object) -> object:
        for output in real(*args):  # type: ignore[arg-type]
            planned.append(output.path)
            yield output

    keyed: list[tuple[object, ...]] = []
    real_key = changed.key

    def counted(*parts: object) -> str:
        keyed.append(parts)
        return real_key(*parts)

    monkeypatch.setattr(changed, "site_outputs", recorded)
    monkeypatch.setattr(changed, "key", counted)
    rendered = render_changed(archive, templates, first.keys, cache)
    files = dict(rendered.files)
    monkeypatch.undo()
    # What every page shares, and the plan's key: no output's inputs digested again.
    assert len(keyed) == 2
    assert planned == [
        f"compare/{GROUP}/index.html",
        f"documents/{STATE}/index.html",
        "data/annotations.jsonld",
    ]  # in the site's order
    full = render_changed(archive, templates, {})
    assert rendered.keys == full.keys
    assert files == {path: data for path, data in full.files if path in files}


def test_a_note_edit_does_not_parse_or_compare_again(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()
    load(source, cache=cache)
    _edit_first_note(source)

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sources were parsed again")

    monkeypatch.setattr("generator.build.pipeline.load_archive", fail)
    archive, diagnostics = load(source, cache=cache)
    assert not diagnostics.has_errors
    assert [n.document for n in archive.notes if n.body_markdown.startswith("Edited.")] == [STATE]


def _serving(tmp_path: Path) -> tuple[Path, Path, Path, BuildCache]:
    """A copy of the example and of the templates, built as `serve` first builds them."""
    source, templates, out = tmp_path / "src", tmp_path / "templates", tmp_path / "build"
    shutil.copytree(EXAMPLE, source)
    shutil.copytree(default_templates(), templates)
    cache = BuildCache()
    assert build(source, out, templates, cache=cache).published
    return source, templates, out, cache


def test_under_serve_the_open_pages_are_written_and_announced_before_the_rest(
    tmp_path: Path,
) -> None:
    source, templates, out, cache = _serving(tmp_path)
    page = templates / "document.html"
    page.write_text(page.read_text().replace("</article>", "<!-- edited --></article>"))
    open_page = f"documents/{HILL}/index.html"
    edited_when_announced: list[list[str]] = []

    def edited() -> list[str]:
        pages = sorted((out / "documents").glob("*/index.html"))
        return [p.relative_to(out).as_posix() for p in pages if "<!-- edited -->" in p.read_text()]

    result = build(
        source,
        out,
        templates,
        cache=cache,
        first={open_page, "assets/style.css"},
        early=lambda: edited_when_announced.append(edited()),
    )
    assert result.published
    assert edited_when_announced == [[open_page]]
    assert len(edited()) == 5


def test_under_serve_an_edit_that_leaves_the_open_pages_as_they_were_is_not_announced_early(
    tmp_path: Path,
) -> None:
    source, templates, out, cache = _serving(tmp_path)
    _edit_first_note(source)  # a note on the State Department's text, not the Hill's
    announced: list[str] = []
    result = build(
        source,
        out,
        templates,
        cache=cache,
        first={f"documents/{HILL}/index.html"},
        early=lambda: announced.append("early"),
    )
    assert result.published and result.changed == 3
    assert announced == []


def test_unchanged_files_keep_their_inode_and_timestamp(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    out = tmp_path / "build"
    assert build(source, out, default_templates()).published
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    _edit_first_note(source)
    result = build(source, out, default_templates())
    assert result.published and result.changed == 3
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    moved = sorted(p.relative_to(out).as_posix() for p in after if after[p] != before.get(p))
    assert [p for p in moved if not p.startswith("pagefind/")] == [
        f"compare/{GROUP}/index.html",
        "data/annotations.jsonld",
        f"documents/{STATE}/index.html",
    ]
    # The search index: the edited page's entry, the word lists and what lists them.
    fragments = [p for p in moved if p.startswith("pagefind/0/en/fragment/")]
    assert [_indexed_url(out / p) for p in fragments] == [f"/documents/{STATE}/"]
    index = [p for p in moved if p.startswith("pagefind/") and p not in fragments]
    others = {p.split("/")[3].split("_")[0] for p in index}
    assert others <= {"index", "filter", "pagefind.en", "pagefind-entry.json"}


def test_a_note_edit_re_indexes_only_its_documents_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pagefind_runs: list[Path]
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 2)  # the example's 5 documents in 3 parts
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    out = tmp_path / "build"
    assert build(source, out, default_templates()).published
    parts = search_parts.parts_of(p.name for p in (out / "documents").iterdir())
    assert len(parts) == 3
    before = {p: p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    runs = pagefind_runs
    runs.clear()  # the first build's runs
    _edit_first_note(source)  # a note on the State Department's text
    assert build(source, out, default_templates()).published
    assert len(runs) == 1  # Pagefind ran over one part's pages, not the site's
    after = {p: p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    moved = {p.relative_to(out / "pagefind").parts[0] for p in after if after[p] != before.get(p)}
    assert moved == {str(next(n for n, ids in parts.items() if STATE in ids))}
    assert len(after) == len(before)


def _indexed_url(fragment: Path) -> str:
    return json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])["url"]


def test_renaming_a_publisher_re_renders_the_pages_that_name_it(tmp_path: Path) -> None:
    """The Hill quotes the State Department: its page names the quoted document's publisher."""
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    out = tmp_path / "build"
    assert build(source, out, default_templates()).published
    bundle = next(p for p in _bundles(source) if "Department of State" in p.read_text())
    bundle.with_suffix(".yaml").write_text(
        f"documents:\n  {STATE}:\n    publisher: US Department of State\n    id: {STATE}\n"
    )
    assert build(source, out, default_templates()).published
    hill = (out / f"documents/{HILL}/index.html").read_text()
    assert f'href="/documents/{STATE}/#p2">US Department of State, ¶2</a>' in hill


def test_an_edit_to_a_module_of_the_package_shows_in_the_next_build(tmp_path: Path) -> None:
    # As an editor meets it: Sourcebook upgraded (here, one module edited), then `build`.
    # Before, the page keys kept in the output's state did not cover the code: "0 rewritten".
    code = tmp_path / "code"
    shutil.copytree(
        ROOT / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "templates", code / "templates")
    source, out = tmp_path / "src", tmp_path / "build"
    shutil.copytree(EXAMPLE, source)

    def sourcebook_build() -> str:
        command = [sys.executable, "-m", "generator", "build", "--source", str(source)]
        run = subprocess.run(
            [*command, "--out", str(out)], capture_output=True, text=True, check=True,
            cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(code)},
        )  # fmt: skip
        return re.sub(r" \(\d+\.\d+ s\)", "", run.stdout.strip())

    # The example's headerless copy is reported in every build: "1 warning". (70 files: a
    # document page's two scripts are one, assets/document.js.)
    assert sourcebook_build().endswith(": 70 files, 70 rewritten, 1 warning")
    before = _tree(out)
    module = code / "generator" / "render" / "feeds.py"
    module.write_text(module.read_text().replace('"Allow: /"]', '"Allow: /", "# upgraded"]'))
    assert sourcebook_build().endswith(": 70 files, 1 rewritten, 1 warning")
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n# upgraded\n"
    assert {p for p, data in _tree(out).items() if before.get(p) != data} == {"robots.txt"}
    assert sourcebook_build() == f"nothing changed since the last build of {out}/: 1 warning"


def test_an_output_touched_by_hand_is_rendered_whole_again(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    out, clean = tmp_path / "build", tmp_path / "clean"
    assert build(source, out, default_templates()).published
    (out / "about" / "index.html").write_text("edited by hand")
    _edit_first_note(source)
    assert build(source, out, default_templates()).published
    assert build(source, clean, default_templates(), clean=True).published
    assert _tree(out) == _tree(clean)


def test_edits_published_through_the_spare_equal_a_clean_build(tmp_path: Path) -> None:
    """From the third build on, the spare (the site of the build before) is brought up to
    date and swapped in; a spare or an output edited by hand changes nothing of that."""
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    out, clean, spare = tmp_path / "build", tmp_path / "clean", tmp_path / ".build.spare"
    notes = _notes_files(source)[0]

    def edit_and_build(number: int) -> None:
        text = notes.read_text()
        start = text.index("note:") + len("note:")
        notes.write_text(text[:start] + f" Edit {number}." + text[start:])
        before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
        spare_folder = spare.stat().st_ino if spare.is_dir() else None
        result = build(source, out, default_templates())
        assert result.published and not result.up_to_date
        assert build(source, clean, default_templates(), clean=True).published
        assert _tree(out) == _tree(clean), f"edit {number}"
        state = json.loads((tmp_path / ".build.state.json").read_text())
        assert state["files"] == build_state.listing(out)  # what it wrote, exactly
        if spare_folder is not None:
            assert out.stat().st_ino == spare_folder  # the spare, swapped in
        moved = {p for p in out.rglob("*") if p.is_file() and before.get(p) != (
            p.stat().st_ino, p.stat().st_mtime_ns)}  # fmt: skip
        assert {p.relative_to(out).as_posix() for p in moved if "pagefind" not in p.parts} == {
            f"compare/{GROUP}/index.html",
            "data/annotations.jsonld",
            f"documents/{STATE}/index.html",
        }

    assert build(source, out, default_templates()).published
    edit_and_build(1)  # the site staged whole: the first site becomes the spare
    edit_and_build(2)  # through the spare
    edit_and_build(3)
    page = spare / "about" / "index.html"  # shared with the output: replaced, not edited
    page.unlink()
    page.write_text("replaced by hand in the spare")
    (spare / "extra.html").write_text("added by hand")
    edit_and_build(4)
    assert not (out / "extra.html").exists()
    (out / "about" / "index.html").write_text("edited by hand")  # in place: the spare too
    text = notes.read_text()
    notes.write_text(text.replace(" Edit 4.", " Edit 5.", 1))
    assert build(source, out, default_templates()).published  # rendered whole again
    assert build(source, clean, default_templates(), clean=True).published
    assert _tree(out) == _tree(clean)
    edit_and_build(6)
    edit_and_build(7)


# -- random edit sequences: incremental output equals a clean build, byte for byte ------------


def _notes_files(root: Path) -> list[Path]:
    return sorted((root / "notes").glob("*.yaml"))


def _bundles(root: Path) -> list[Path]:
    return sorted((root / "sources").glob("*.txt"))


def _note_body(root: Path, templates: Path, rng: random.Random) -> None:
    path = rng.choice(_notes_files(root))
    text = path.read_text()
    bodies = [m.start(1) for m in re.finditer(r"note: (\S)", text)]
    if bodies:
        at = rng.choice(bodies)
        path.write_text(text[:at] + f"Revised {rng.randrange(1000)} — " + text[at:])


def _note_delete(root: Path, templates: Path, rng: random.Random) -> None:
    path = rng.choice(_notes_files(root))
    entries = re.split(r"(?m)^(?=- doc:)", path.read_text())
    if len(entries) > 2:
        del entries[rng.randrange(1, len(entries))]
        path.write_text("".join(entries))


def _note_add(root: Path, templates: Path, rng: random.Random) -> None:
    ids = re.findall(r"(?m)^- doc: (\S+)", "".join(p.read_text() for p in _notes_files(root)))
    target = rng.choice(ids)
    with (root / "notes" / "added.yaml").open("a") as stream:
        stream.write(f"- doc: {target}\n  paragraph: p1\n  note: Added {rng.randrange(1000)}.\n")


def _text_sentence(root: Path, templates: Path, rng: random.Random) -> None:
    path = rng.choice(_bundles(root))
    lines = path.read_text().split("\n")
    long = [i for i, line in enumerate(lines) if len(line) > 120]
    lines[rng.choice(long)] += f" The editors counted {rng.randrange(1000)} delegates."
    path.write_text("\n".join(lines))


def _place(root: Path, templates: Path, rng: random.Random) -> None:
    path = rng.choice(_bundles(root))
    text = path.read_text()  # the place is not part of a document's id: notes still anchor
    path.write_text(text.replace("\nWashington DC\n", "\nWashington, D.C.\n", 1))


def _copy_bundle(root: Path, templates: Path, rng: random.Random) -> None:
    path = rng.choice(_bundles(root))
    # Other titles, so the copies get ids of their own; the texts stay the same.
    text = path.read_text().replace("Statement ", "Reprint of statement ")
    (root / "sources" / f"copy-{rng.randrange(10**6)}.txt").write_text(text)


def _remove_copy(root: Path, templates: Path, rng: random.Random) -> None:
    copies = sorted((root / "sources").glob("copy-*.txt"))
    if copies:  # the notes point into the generated bundles: removing those breaks them
        rng.choice(copies).unlink()


def _template(root: Path, templates: Path, rng: random.Random) -> None:
    path = templates / "base.html"
    path.write_text(path.read_text().replace("Built with Sourcebook", "Built with Sourcebook."))


def _site_title(root: Path, templates: Path, rng: random.Random) -> None:
    path = root / "site.yaml"
    path.write_text(path.read_text().replace("title: ", f"title: Edition {rng.randrange(99)} ", 1))


def _entities(root: Path, templates: Path, rng: random.Random) -> None:
    path = root / "entities.yaml"
    text = path.read_text()
    if "bilateral trade" not in text:  # a new entity, mentioned in many paragraphs
        path.write_text(text + "- name: Bilateral Trade\n  aliases: [bilateral trade]\n")
    else:
        path.write_text(text.replace("description: A generated", "description: A renamed", 1))


EDITS: list[Callable[[Path, Path, random.Random], None]] = [
    _note_body,
    _note_body,
    _note_delete,
    _note_add,
    _text_sentence,
    _place,
    _copy_bundle,
    _remove_copy,
    _template,
    _site_title,
    _entities,
]


class _Upgrade:
    """Upgrades of the code a build runs, as a process sees them: new bytes, new behaviour.

    The package `inputs` digests is a copy, so that a module of it can be edited;
    what the edit would change is patched into the running code at the same time.
    """

    def __init__(self, package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        shutil.copytree(inputs.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(inputs, "PACKAGE", package)
        inputs.toolchain.cache_clear()
        self.package, self.monkeypatch, self.releases = package, monkeypatch, 0

    def module(self, root: Path, templates: Path, rng: random.Random) -> None:
        """A module of the package edited: robots.txt, made by every build, says so."""
        self.releases += 1
        release = f"# release {self.releases}"
        path = self.package / "render" / "feeds.py"
        path.write_text(path.read_text() + f"\n{release}\n")
        robots = feeds.robots
        self.monkeypatch.setattr(
            feeds, "robots", lambda archive: robots(archive) + b"%s\n" % release.encode()
        )
        inputs.toolchain.cache_clear()

    def dependency(self, root: Path, templates: Path, rng: random.Random) -> None:
        """markdown-it-py upgraded (a fake version): notes render differently, cached or not."""
        self.releases += 1
        release, version, render = self.releases, inputs.version, annotate.render_note
        self.monkeypatch.setattr(
            inputs,
            "version",
            lambda name: f"99.{release}" if name == "markdown-it-py" else version(name),
        )

        def rendered(*args: object) -> tuple[str, list[str]]:
            html, problems = render(*args)
            return html.replace("<p>", f'<p data-release="{release}">'), problems

        self.monkeypatch.setattr(annotate, "render_note", rendered)
        inputs.toolchain.cache_clear()


@pytest.fixture
def upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Edits to the code and the dependencies, for one test; forgotten after it."""
    yield _Upgrade(tmp_path / "package", monkeypatch)
    inputs.toolchain.cache_clear()


@pytest.mark.long(40)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edit_sequences_build_what_a_clean_build_builds(
    tmp_path: Path, seed: int, upgrade: _Upgrade
) -> None:
    rng = random.Random(seed)
    source = tmp_path / "src"
    generate(source, 40, seed=seed)
    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    incremental, served, clean = tmp_path / "incremental", tmp_path / "served", tmp_path / "clean"
    memory = BuildCache()
    edits = [*EDITS, upgrade.module, upgrade.dependency]
    # Every kind of edit once, in a random order, then a few more at random.
    steps = rng.sample(edits, len(edits)) + [rng.choice(edits) for _ in range(4)]
    published = 0
    # What a clean build made of these very inputs, when an earlier step had them too: an
    # edit that changes no byte (a copy removed when there is none, say) is built clean once.
    made: dict[tuple[str, int], tuple[BuildResult, dict[str, bytes]]] = {}
    for step, edit in enumerate([None, *steps]):
        if edit is not None:
            edit(source, templates, rng)
        inputs_now = (
            inputs.folder_digest(source) + inputs.folder_digest(templates),
            upgrade.releases,
        )
        if inputs_now not in made:
            built = build(source, clean, templates, clean=True)
            made[inputs_now] = built, _tree(clean) if built.published else {}
        reference, expected = made[inputs_now]
        results: list[BuildResult] = [
            build(source, incremental, templates),
            _served_build(source, served, templates, memory),
            reference,
        ]
        label = f"step {step} ({edit.__name__ if edit else 'first build'}), seed {seed}"
        assert len({r.published for r in results}) == 1, label
        assert len({tuple(r.diagnostics.lines()) for r in results}) == 1, label
        if reference.published:
            published += 1
            assert _tree(incremental) == expected, label
            assert _tree(served) == expected, label
    # Every step builds: the edits keep the archive valid, so every comparison is real.
    assert published == len(steps) + 1
    assert cache_file(incremental).is_file()


def _served_build(source: Path, out: Path, templates: Path, cache: BuildCache) -> BuildResult:
    """A rebuild as `serve` makes it, search index refreshed as it does in the background."""
    result = build(source, out, templates, cache=cache)
    if result.published:
        search.refresh_index(out, result.language or "en")
    return result


# -- sources at the edges: bounded time and memory -----------------------------------------


def _bounded(args: list[str], memory_gb: int, seconds: int) -> subprocess.CompletedProcess:
    """Run sourcebook in a child limited to `memory_gb` of address space and `seconds`."""

    def limit() -> None:
        size = memory_gb * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=Path(__file__).resolve().parents[2],
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=seconds,
    )


def _sentences(total: int, seed: int) -> str:
    rng = random.Random(seed)
    words = "the council reaffirmed orderly humane migration and examined a shared border".split()
    sentences, size = [], 0
    while size < total:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 20))).capitalize()
        sentences.append(sentence + ".")
        size += len(sentence) + 2
    return " ".join(sentences)[:total]


@pytest.mark.long(8)
def test_two_versions_of_one_1_mb_line_build_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """Found once unbounded, at 5 MB: aligning them compared every sentence pair (24 GB,
    killed). 1 MB is some 11,000 sentences a version, 30 times the pair budget: the
    alignment is windowed as at 5 MB, and unbounded it runs out of the 3 GB here too."""
    line = _sentences(1_000_000, seed=1)
    (tmp_path / "src" / "sources").mkdir(parents=True)
    (tmp_path / "src" / "sources" / "one.txt").write_text(line)
    (tmp_path / "src" / "sources" / "two.txt").write_text(line.replace("council", "Council", 3))
    out = tmp_path / "build"
    result = _bounded(["build", "--source", str(tmp_path / "src"), "--out", str(out)], 3, 240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == "".join(
        f"sources/{name}.txt:1: warning: no header found (publisher, place and date lines): the "
        "text is kept as one document of unknown provenance, line 1 read as 1 paragraph (one "
        "per line)\n"
        for name in ("one", "two")
    )
    assert len(list((out / "documents").iterdir())) == 2
    groups = [p for p in (out / "compare").iterdir() if p.is_dir()]
    assert len(groups) == 1  # the two are versions of one text


@pytest.mark.long(18)
def test_100000_tiny_documents_are_checked_in_bounded_time_and_memory(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    for bundle in range(100):
        lines = []
        for k in range(1000):
            n = bundle * 1000 + k
            lines += ["Reuters", "Ottawa", "3 August 2020", f"Item {n}", f"Day {n}: item {n}."]
        (tmp_path / "sources" / f"b{bundle:03}.txt").write_text("\n".join(lines) + "\n")
    result = _bounded(["check", "--source", str(tmp_path)], 3, 240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "ok: 100000 documents in 100 collections\n"


def test_clean_makes_every_part_of_the_search_index_anew(tmp_path: Path, monkeypatch) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(EXAMPLE, source)
    indexed: list[Path] = []
    real = search._index_bundle
    monkeypatch.setattr(
        search,
        "_index_bundle",
        lambda pages, into, *rest: indexed.append(into) or real(pages, into, *rest),
    )
    assert build(source, out, default_templates()).published
    made = len(indexed)
    assert made == 1  # the example's one language, one part
    # Nothing changed for Pagefind, but --clean trusts nothing the last build left.
    assert build(source, out, default_templates(), clean=True).published
    assert len(indexed) == 2 * made


def test_a_build_saves_its_cache_and_lets_the_model_go_before_indexing(
    tmp_path: Path, monkeypatch
) -> None:
    out, seen, archives = tmp_path / "out", {}, []
    rendering, indexing = pipeline.render_changed, search.write_index

    def rendered(archive, *args, **kwargs):  # type: ignore[no-untyped-def]
        archives.append(weakref.ref(archive))
        return rendering(archive, *args, **kwargs)

    def indexed(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        gc.collect()
        seen["archive"] = archives[0]()
        stages = sqlite3.connect(cache_file(out)).execute("SELECT DISTINCT stage FROM entries")
        seen["stages"] = {row[0] for row in stages}
        indexing(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_changed", rendered)
    monkeypatch.setattr(search, "write_index", indexed)
    result = build(EXAMPLE, out, default_templates(), clean=True)
    assert result.published
    assert seen["archive"] is None  # let go while Pagefind runs
    assert "model" in seen["stages"]  # the cache saved by then
    build_state.state_file(out).unlink()  # the next build must go by the cache alone

    def parsed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sources were parsed again: the cache lacks the model")

    monkeypatch.setattr(pipeline, "load_archive", parsed)
    assert build(EXAMPLE, out, default_templates()).published


def test_the_notes_are_anchored_while_a_child_finds_the_versions_and_told_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cores, "only_thread", lambda: True)  # fork, whatever else runs here
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    (source / "notes" / "broken.yaml").write_text(
        "- doc: no-such-document\n  quote: anything\n  note: Lost.\n"
    )
    running, anchored = [False], []
    in_child, place = comparisons.in_child, annotate._place

    def watched(function, meanwhile=None):  # type: ignore[no-untyped-def]
        def flagged() -> None:
            running[0] = True
            try:
                meanwhile()
            finally:
                running[0] = False

        return in_child(function, flagged if meanwhile else None)

    def placed(*args, **kwargs):  # type: ignore[no-untyped-def]
        anchored.append(running[0])
        return place(*args, **kwargs)

    monkeypatch.setattr(comparisons, "in_child", watched)
    monkeypatch.setattr(annotate, "_place", placed)
    archive, diagnostics = load(source, cache=BuildCache())
    assert len(anchored) == len(archive.notes) + 1 and all(anchored)
    assert [line for line in diagnostics.lines() if "broken.yaml" in line] == [
        "notes/broken.yaml:1: error: no document has the id 'no-such-document'"
    ]


def test_with_one_core_asked_for_the_index_is_made_a_part_at_a_time(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 2)  # the example's 5 documents in 3 parts
    asked: list[list[int]] = []
    indexing = search.write_index

    def indexed(*args, parts, **kwargs) -> None:  # type: ignore[no-untyped-def]
        asked.append(sorted(parts))
        indexing(*args, parts=parts, **kwargs)

    monkeypatch.setattr(search, "write_index", indexed)
    sites = {}
    for two_cores in (True, False):
        monkeypatch.setattr(pipeline, "two_cores", lambda two=two_cores: two)
        out = tmp_path / f"out-{two_cores}"
        assert build(EXAMPLE, out, default_templates(), clean=True).published
        sites[two_cores] = _tree(out)
    assert asked == [[0, 1, 2], [0], [1], [2]]
    assert sites[True] == sites[False]  # the same index, byte for byte
