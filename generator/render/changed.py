"""Render the archive into the site's files: HTML pages, static assets, data.

The render stage: `render_changed(archive, templates, previous)` keys every
file of the site (`site_files.py`) by what it is made from and renders those
whose key differs from `previous`; `render_site` renders them all. The keys
of the files' source-made inputs are kept in the cache, under the sources'
digest: a note edit computes only the notes' part of each key, and plans only
the files it renders. It reads only the model; writing the files is the
publish stage's job (`generator/publish/write.py`).
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
    entries, outputs = _plan(archive, templates, cache)
    notes = _NoteDigests(archive)
    # Every page reads the templates (through `extends` and `include`, any of
    # them): their digest is part of every key, but not of the plan's, so that a
    # template edit under `serve` renders the open page at once, without planning
    # the site again (15 s at 10,000 documents).
    shown_by = inputs.folder_digest(templates)
    keys = _Keys.of(entries, shown_by, notes, cache)
    changed = [entry for entry in entries if previous.get(entry[0]) != keys[entry[0]]]
    if outputs is None:  # keys known from the last build's plan: make only what changed
        wanted = {entry[0] for entry in changed}
        html = [entry[0] for entry in entries if entry[0].endswith(".html")]
        outputs = {o.path: o for o in site_outputs(archive, templates, wanted, html)}
    pages = [outputs[entry[0]] for entry in changed if not entry[4]]
    if first:
        pages.sort(key=lambda output: output.path not in first)  # stable: the rest keep order
    exports = [outputs[entry[0]] for entry in changed if entry[4]]

    def made(output: Output) -> tuple[str, bytes]:
        return output.path, output.make(archive)

    # A generator: each page goes to disk as soon as it is made, so a build never
    # holds the whole site in memory. The exports read every object of the
    # archive: made in the forked child, they made it copy the archive's memory
    # (+80 MB at 10,000 documents), so they are made here, once the child is gone.
    files = itertools.chain(stream_on_cores(made, pages), map(made, exports))
    return Rendered(keys, tuple(o.path for o in pages + exports), files)


# Each output's (path, key of its source-made inputs, noted, counted, whole), in order.
_Entry = tuple[str, str, tuple[str, ...], tuple[str, ...], bool]
_PLAN = "plan"  # the cache's stage of the last plan's entries


def _plan(
    archive: Archive, templates: Path, cache: BuildCache | None
) -> tuple[list[_Entry], dict[str, Output] | None]:
    """Every output's entry, and the outputs by path; reused while the sources are.

    The entries are kept in the cache (saved with it), the outputs in memory
    only (`serve`): a build that finds the entries but not the outputs (a
    `build` after a note edit) gets None for them, and makes only the outputs
    it renders.
    """
    # The code that renders is an input of every page, as much as the templates are
    # (`render_changed` adds those). Of the templates folder, planning reads the
    # assets alone: the static files are planned with their bytes.
    common = key(
        inputs.toolchain(),
        inputs.folder_digest(templates / "assets"),
        archive.config,
        note_shape(archive),
    )
    plan_key = key(common, archive.sources_digest)
    reusable = cache is not None and bool(archive.sources_digest)
    if cache is not None and reusable:
        known = cache.memory.get(_PLAN)
        if known is not None and known[0] == plan_key:
            return known[1]
        entries = cache.lookup(_PLAN, plan_key)
        if entries is not None:
            return entries, None
    # The document and comparison pages (nearly all of the site) name everything
    # they show: an edit to one bundle re-renders those made from what it changed.
    outputs: dict[str, Output] = {}
    entries = []
    for output in site_outputs(archive, templates):
        # `combine`, not `key`: the encoder names each shared model object by its digest
        # as `key` does, without first walking every nested tuple in Python (at 10,000
        # documents, 2 s of a bundle edit's 3.5 s of keying).
        sources_key = combine(common if output.exact else plan_key, output.inputs)
        entries.append((output.path, sources_key, output.noted, output.counted, output.whole))
        outputs[output.path] = output
    if cache is not None and reusable:
        cache.memory[_PLAN] = (plan_key, (entries, outputs))
        cache.keep_only(_PLAN, plan_key, entries)
    return entries, outputs


_KEYS = "keys"  # the cache's memory of the last render's keys (`serve`)


class _Keys:
    """Every file's key; under `serve`, the last rebuild's for files whose notes are the same.

    A note edit changes the keys of the few files that show that document's
    notes. Computing all 15,000 keys again at 10,000 documents was half of a
    note edit's rebuild in process (0.10 of 0.21 s).
    """

    def __init__(self, entries: list[_Entry], shown_by: str, notes: _NoteDigests) -> None:
        self.entries, self.shown_by = entries, shown_by
        self.note_keys = notes.note_keys
        self.note_documents = {n.id: n.document for n in notes.archive.notes}
        self.keys: dict[str, str] = {}
        # Which entries show each document's notes (or count them); and those that show all.
        self.showing: dict[str, list[int]] = {}
        self.every: list[int] = []
        for number, (path, _, noted, counted, _) in enumerate(entries):
            self.keys[path] = self._key(number, notes)
            if noted in ((ALL,), (LISTED,)):
                self.every.append(number)
                noted = ()
            for document in {*noted, *counted}:
                self.showing.setdefault(document, []).append(number)

    def _key(self, number: int, notes: _NoteDigests) -> str:
        _, sources_key, noted, counted, _ = self.entries[number]
        if noted or counted:
            return combine(self.shown_by, sources_key, notes.of(noted), notes.counts(counted))
        return combine(self.shown_by, sources_key)

    @classmethod
    def of(
        cls, entries: list[_Entry], shown_by: str, notes: _NoteDigests, cache: BuildCache | None
    ) -> dict[str, str]:
        """The keys of `entries`, from the last render's where only some notes changed."""
        known = cache.memory.get(_KEYS) if cache is not None else None
        last = known[1] if known is not None else None
        if not isinstance(last, _Keys) or last.entries is not entries or last.shown_by != shown_by:
            last = cls(entries, shown_by, notes)
        else:
            last._follow(notes)
        if cache is not None:
            cache.memory[_KEYS] = ("", last)
        return dict(last.keys)

    def _follow(self, notes: _NoteDigests) -> None:
        """Key again the entries that show a note added, removed or changed since."""
        new, old = notes.note_keys, self.note_keys
        edited = {n for n in new.keys() | old.keys() if new.get(n) != old.get(n)}
        if not edited:
            return
        documents = {self.note_documents[n] for n in edited if n in old}
        documents |= {n.document for n in notes.archive.notes if n.id in edited}
        redo = set(self.every)
        for document in documents:
            redo.update(self.showing.get(document, ()))
        for number in sorted(redo):
            self.keys[self.entries[number][0]] = self._key(number, notes)
        self.note_keys = new
        self.note_documents = {n.id: n.document for n in notes.archive.notes}


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
