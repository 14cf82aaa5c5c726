"""The stages, in order, shared by `check`, `build` and `serve` so they always agree.

sources → parse → model → enrich (notes, then versions and quotations) → render → write
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path

from generator.build.up_to_date import BuildResult, inputs_digest, up_to_date
from generator.cache import build_state
from generator.cache.digests import key
from generator.cache.store import BuildCache, cache_file
from generator.cores import two_cores
from generator.diagnostics import Diagnostics
from generator.entities.mentions import index_entities
from generator.model import Archive
from generator.notes.annotate import annotate
from generator.notes.note_file import NoteDraft, load_notes_file, note_files
from generator.publish import search
from generator.publish.search import SearchIndexError
from generator.publish.write import OutputError, StaleOutput, publish, publish_in_place
from generator.render.changed import Rendered, render_changed
from generator.sources.archive import load_archive


def load(
    source: Path,
    base_url: str | None = None,
    site_url: str | None = None,
    cache: BuildCache | None = None,
) -> tuple[Archive, Diagnostics]:
    """sources → parse → model → enrich: the archive ready to render, and its problems.

    With a `cache`, each stage's result is reused when the files it reads are
    byte for byte the same as when it was computed: editing a note parses no
    source and detects no group again.
    """
    cache = cache or BuildCache()
    diagnostics = Diagnostics()
    options = {"base": base_url, "site": site_url}
    scope = key(options, cache.tree_digest(source, skip=_read_by_later_stages))

    # Read before the model is made (see `ahead`); their problems are told after its.
    read = Diagnostics()
    drafts: list[NoteDraft] = []
    for path, rel in note_files(source, read):
        file_key = key(rel, cache.file_digest(path))
        drafts += cache.remember(
            "notes", file_key, read, functools.partial(load_notes_file, path, rel)
        )

    def model(found: Diagnostics) -> Archive:
        # Imported only when the model is made: they bring numpy (0.25 s), which a
        # note edit, finding the model in the cache, never needs.
        from generator.compare.comparisons import compare_archive
        from generator.compare.translations import encode_ahead

        archive, parsed = load_archive(source, base_url, site_url, cache)
        found.items.extend(parsed.items)
        # On the second core while the versions and quotations are found, on the first.
        encode_ahead(archive.documents, cache)

        def ahead() -> None:
            # While a child finds the versions, this process would only wait: the
            # notes are anchored and the names found now, into the cache, which
            # the calls below then read (a clean build of 10,000 documents: 2 to
            # 3 s). They read the documents alone, which the groups do not change.
            unseen = Diagnostics()  # told by the calls below, which replay them
            annotate(archive, drafts, unseen, cache, scope)
            index_entities(archive, source, unseen, cache, scope)

        compared = compare_archive(archive, source, found, cache, meanwhile=ahead)
        return replace(compared, sources_digest=scope)

    archive = cache.remember("model", scope, diagnostics, model)
    diagnostics.items.extend(read.items)
    archive = annotate(archive, drafts, diagnostics, cache, scope)
    archive = index_entities(archive, source, diagnostics, cache, scope)
    cache.settle()
    return archive, diagnostics


def _read_by_later_stages(rel: str) -> bool:
    """Files the model does not depend on: notes and entities are cached by their own stages."""
    return rel.startswith("notes/") or rel == "entities.yaml"


def build(
    source: Path,
    out: Path,
    templates: Path,
    base_url: str | None = None,
    site_url: str | None = None,
    clean: bool = False,
    cache: BuildCache | None = None,
    first: Collection[str] = (),
    early: Callable[[], None] | None = None,
    strict: bool = False,
    last: tuple[str, build_state.Previous | None] | None = None,
) -> BuildResult:
    """Load, render and publish; on any error the published output stays as it was.

    Without a `cache` (the command line), the last build's cache is read from
    beside the output and saved back, and the output is swapped whole. With one
    (`serve`, which keeps it in memory), changed files are replaced one by one:
    those named in `first` go first, and `early` is called once they are all
    in place, if the build changes any of them, while the rest are still to come.
    `strict` makes every warning an error: nothing is published then.
    `last` is (`up_to_date.inputs_digest` of these inputs, `build_state.previous(out)`),
    when the caller has read them already.
    """
    serving = cache is not None
    inputs = ""
    previous = None  # what the last build recorded, the output being just as it left it
    if not serving:  # serve rebuilds on file events: something did change
        if last is not None:
            inputs, previous = last
        else:
            inputs = inputs_digest(source, templates, base_url, site_url)
            previous = None if clean else build_state.previous(out)
        shortcut = up_to_date(previous, inputs, strict)
        if shortcut is not None:
            return shortcut
    if cache is None:
        cache = BuildCache() if clean else BuildCache.load(cache_file(out))
    archive, diagnostics = load(source, base_url=base_url, site_url=site_url, cache=cache)
    if strict:
        diagnostics = diagnostics.strict()
    if diagnostics.has_errors:
        return BuildResult(diagnostics)
    current = None  # the published files, as the last build recorded them
    if not serving:
        cache.pages = previous.pages if previous is not None else {}
        current = previous.files if previous is not None else None
    rendered = render_changed(archive, templates, cache.pages, cache, first)
    language, documents = archive.config.language, len(archive.documents)
    # Only `model` holds the archive from here: a `build` lets it go, once the
    # pages are written, before the search index is made (see `_Model`).
    model = _Model(archive, None if serving else (cache, cache_file(out)))
    del archive
    written = _FirstWritten(set(first) & set(rendered.changed), early) if early else None
    try:
        try:
            changed, index, files = _publish(
                rendered,
                out,
                cache.pages,
                serving,
                language,
                written,
                current,
                not clean,
                model.release,
            )
        except StaleOutput:  # a file to keep is gone: nothing can be kept
            assert model.archive is not None  # raised before any page was indexed
            rendered = render_changed(model.archive, templates, {})
            changed, index, files = _publish(
                rendered, out, {}, serving, language, release=model.release
            )
    except (OutputError, SearchIndexError) as problem:
        cache.pages = {}
        return BuildResult(diagnostics, documents, len(rendered.keys), 0, str(problem))
    cache.pages = rendered.keys | index
    if serving:
        build_state.forget(out)  # the next `sourcebook build` starts from a full render
    else:
        build_state.record(out, inputs, documents, diagnostics.lines(), cache.pages, files)
        cache.save(cache_file(out))  # unless `model.release` saved it already
    return BuildResult(
        diagnostics,
        documents,
        len(rendered.keys),
        changed,
        language=language,
        page_keys=rendered.keys,
        indexed={
            number: part
            for path, part in index.items()
            if (number := search.part_of_file(path)) is not None
        },
    )


def resume(out: Path) -> BuildCache:
    """The cache a `serve` session starts from: the last build's, if it left one.

    Its stage results are reused wherever the sources are the same, and its
    page keys while the output is exactly as that build left it, so starting
    `serve` after `build` renders only what changed since.
    """
    cache = BuildCache.load(cache_file(out))
    cache.pages = build_state.rendered_pages(out)
    return cache


def suspend(
    out: Path,
    source: Path,
    templates: Path,
    base_url: str | None,
    site_url: str | None,
    cache: BuildCache,
    last: BuildResult,
    indexed: dict[int, str],
    started: int | None,
) -> None:
    """Save what a `serve` session leaves, so the next build or serve resumes from it.

    `indexed` is what the search index's parts on disk were made from;
    `started` is when the last rebuild began (`time.time_ns()`), or None when
    an edit came after it. The output is recorded as up to date with the
    sources only when the last rebuild published, no input was modified since
    it began, and every part of the index was made from its pages; otherwise
    the next build redoes what is missing, and only that.
    """
    pages = {p: k for p, k in cache.pages.items() if not p.startswith(f"{search.FOLDER}/")}
    pages |= search.keyed_files(out, indexed)
    current = last.published and last.language is not None and started is not None
    if current and indexed != search.part_keys(last.page_keys, last.language or ""):
        current = False
    if current and build_state.modified_since(source, templates, started or 0):
        current = False  # saved while (or after) the rebuild read: it may not hold the edit
    inputs = ""
    if current:
        inputs = inputs_digest(source, templates, base_url, site_url)
    build_state.record(out, inputs, last.documents, last.diagnostics.lines(), pages)
    cache.save(cache_file(out))


class _Model:
    """The archive while its pages are written; a `build` lets it go before indexing.

    Pagefind's runs (two at a time, about 120 MB each at 10,000 documents) ran
    beside this process still holding the whole model and the cache (about
    430 MB of its own). The cache is saved before they run instead of after:
    it is keyed by content, so saving it before the output is published
    claims nothing (the page keys, which do, are recorded after, in the
    build's state). Letting go gives back about 60 MB only: Python's
    allocator keeps an arena while any object in it lives. `serve` keeps
    both for its next rebuild.
    """

    def __init__(self, archive: Archive, saving: tuple[BuildCache, Path] | None) -> None:
        self.archive: Archive | None = archive
        self.saving = saving  # the cache, and where to save it: None under `serve`

    def release(self) -> None:
        """Save the cache, let go of it and of the archive, and give their memory back."""
        if self.saving is None or self.archive is None:
            return
        cache, path = self.saving
        cache.release(path)
        self.archive = None
        gc.collect()  # cycles among what was let go, before the allocator is asked
        _trim_heap()


def _trim_heap() -> None:
    """Return the C heap's free pages to the system (glibc; elsewhere, nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


class _FirstWritten:
    """Calls `early` once every path of `waiting` has been written, if there are any."""

    def __init__(self, waiting: set[str], early: Callable[[], None]) -> None:
        self.waiting = waiting
        self.early: Callable[[], None] | None = early if waiting else None

    def __call__(self, path: str) -> None:
        self.waiting.discard(path)
        if not self.waiting and self.early is not None:
            early, self.early = self.early, None
            early()


def _publish(
    rendered: Rendered,
    out: Path,
    previous: dict[str, str],
    in_place: bool,
    language: str,
    written: Callable[[str], None] | None = None,
    current: build_state.Listing | None = None,
    reuse: bool = True,
    release: Callable[[], None] | None = None,
) -> tuple[int, dict[str, str], build_state.Listing | None]:
    """Write the site; return the files rewritten, the search index's files → their keys,
    and the new output's listing if known without a walk.

    A part of the index is made anew only when one of its pages changed; the
    others are carried over. Under `serve`, once there are page keys to go by
    (from its first build, or from the last `build`), files are replaced one by
    one and the index is left to `serve` to refresh in the background: a
    reload must not wait for it. A first `serve` with none swaps the site in whole.
    `current` is the published files' listing, as recorded (see `publish`).
    Without `reuse` (`--clean`), every part of the index is made anew by Pagefind.
    `release` is called once the pages are written, before Pagefind runs.
    """
    old_index = [path for path in previous if path.startswith(f"{search.FOLDER}/")]
    if in_place and previous:
        removed = previous.keys() - set(old_index)
        changed = publish_in_place(
            rendered.files, out, rendered.kept, removed=removed, placed=written
        )
        return changed, {path: previous[path] for path in old_index}, None
    keys = search.part_keys(rendered.keys, language)
    kept, stale = search.reusable(previous, keys)
    documents = search.document_ids(rendered.keys)
    finish = (
        functools.partial(
            _index,
            language=language,
            out=out,
            parts=stale,
            documents=documents,
            reuse=reuse,
            release=release,
        )
        if stale
        else None
    )
    published = publish(
        rendered.files, out, keep=rendered.kept | kept, finish=finish, current=current
    )
    if published.files is None:
        return published.changed, search.keyed_files(out, keys), None
    index = {
        path: keys[part]
        for path in published.files
        if (part := search.part_of_file(path)) is not None and part in keys
    }  # what `keyed_files` finds, read from the listing instead of the disk
    return published.changed, index, published.files


def _index(
    site: Path,
    language: str,
    out: Path,
    parts: list[int],
    documents: list[str],
    reuse: bool,
    release: Callable[[], None] | None = None,
) -> list[str]:
    """Index the `parts` of the staged `site`; return the folders written (for `publish`).

    `release` is called first: the pages are all written by then.
    """
    if release is not None:
        release()
    previous = out / search.FOLDER
    # Two Pagefind runs at a time fill two cores. With one core asked for, a part
    # at a time: a second run beside the first gains nothing there, and holds
    # another 120 MB or so at 10,000 documents (one run per part and language).
    for chosen in [parts] if two_cores() else [[number] for number in parts]:
        search.write_index(
            site, language, previous=previous, parts=chosen, documents=documents, reuse=reuse
        )
    return [f"{search.FOLDER}/{number}" for number in parts]
