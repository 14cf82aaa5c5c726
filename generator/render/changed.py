"""Render the archive into the site's files: HTML pages, static assets, data.

The render stage: `render_changed(archive, templates, previous)` keys every
file of the site (`site_files.py`) by what it is made from and renders those
whose key differs from `previous`; `render_site` renders them all. It reads
only the model; writing the files is the publish stage's job (`generator/publish/write.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.cache import inputs
from generator.cache.digests import combine, fields_key, key
from generator.cache.store import BuildCache
from generator.cores import stream_on_cores
from generator.model import Archive, Note
from generator.render.listings import LISTED, note_shape
from generator.render.site_files import ALL, Output, site_outputs
from generator.render.template_folder import default_templates
from generator.render.templating import format_date

__all__ = ["Rendered", "default_templates", "format_date", "render_changed", "render_site"]


@dataclass(frozen=True)
class Rendered:
    """The files to write, produced as the writer takes them, and every file's key."""

    keys: dict[str, str]  # every file of the site → key of what it is made from
    changed: tuple[str, ...]  # files rendered now: new, or their inputs changed
    files: Iterator[tuple[str, bytes]]  # (path, bytes) of the changed files, once, in order

    @property
    def kept(self) -> set[str]:
        """Files not rendered: their inputs, and so their bytes, are as last published."""
        return set(self.keys) - set(self.changed)


def _listed(note: Note) -> tuple[str | int | tuple[str, ...], ...]:
    """What a list of notes shows of each: not the note's text, so editing it skips the list."""
    return (note.id, note.document, note.number, note.exact, note.tags)


def render_site(archive: Archive, templates: Path) -> dict[str, bytes]:
    """Every output file of the site, keyed by its path relative to the output root."""
    return dict(render_changed(archive, templates, {}).files)


def render_changed(
    archive: Archive,
    templates: Path,
    previous: Mapping[str, str],
    cache: BuildCache | None = None,
    first: Collection[str] = (),
) -> Rendered:
    """Render the files whose inputs differ from `previous` (path → key); key them all.

    The files named in `first` (the pages open in a browser under `serve`) are
    rendered before the others.
    """
    plan = _plan(archive, templates, cache)
    notes = _NoteDigests(archive)
    keys: dict[str, str] = {}
    for output, sources_key in plan:
        if output.noted or output.counted:
            keys[output.path] = combine(
                sources_key, notes.of(output.noted), notes.counts(output.counted)
            )
        else:
            keys[output.path] = sources_key
    changed = [output for output, _ in plan if previous.get(output.path) != keys[output.path]]
    pages = [output for output in changed if not output.whole]
    if first:
        pages.sort(key=lambda output: output.path not in first)  # stable: the rest keep order
    exports = [output for output in changed if output.whole]

    def made(output: Output) -> tuple[str, bytes]:
        return output.path, output.make(archive)

    # A generator: each page goes to disk as soon as it is made, so a build never
    # holds the whole site in memory. The exports read every object of the
    # archive: made in the forked child, they made it copy the archive's memory
    # (+80 MB at 10,000 documents), so they are made here, once the child is gone.
    files = itertools.chain(stream_on_cores(made, pages), map(made, exports))
    return Rendered(keys, tuple(o.path for o in pages + exports), files)


_Plan = list[tuple[Output, str]]


def _plan(archive: Archive, templates: Path, cache: BuildCache | None) -> _Plan:
    """Every output with the key of its source-made inputs; reused while the sources are."""
    # The code that renders is an input of every page, as much as the templates are.
    common = key(
        inputs.toolchain(), inputs.folder_digest(templates), archive.config, note_shape(archive)
    )
    plan_key = key(common, archive.sources_digest)
    if cache is not None and archive.sources_digest:
        known = cache.memory.get("plan")
        if known is not None and known[0] == plan_key:
            return known[1]
    # The document and comparison pages (nearly all of the site) name everything
    # they show: an edit to one bundle re-renders those made from what it changed.
    plan = [
        (output, key(common if output.exact else plan_key, output.inputs))
        for output in site_outputs(archive, templates)
    ]
    if cache is not None and archive.sources_digest:
        cache.memory["plan"] = (plan_key, plan)
    return plan


class _NoteDigests:
    """The digest of each document's notes and their count, computed once a render."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.note_keys = {n.id: fields_key(n) for n in archive.notes}
        self.count: dict[str, int] = {}
        for note in archive.notes:
            self.count[note.document] = self.count.get(note.document, 0) + 1
        self.digests: dict[str, str] = {}  # by document id
        self.every: dict[str, str] = {}  # by ALL or LISTED

    def of(self, documents: tuple[str, ...]) -> tuple[str, ...]:
        if documents in ((ALL,), (LISTED,)):  # many pages list every note: digest them once
            known = self.every.get(documents[0])
            if known is None:
                if documents == (ALL,):
                    known = combine(tuple(self.note_keys.values()))
                else:
                    known = combine(tuple(_listed(n) for n in self.archive.notes))
                self.every[documents[0]] = known
            return (known,)
        found = []
        for doc_id in documents:
            known = self.digests.get(doc_id)
            if known is None:
                notes = self.archive.notes_on(doc_id)
                known = self.digests[doc_id] = combine(tuple(self.note_keys[n.id] for n in notes))
            found.append(known)
        return tuple(found)

    def counts(self, documents: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.count.get(d, 0) for d in documents)
