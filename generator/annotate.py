"""Enrich: anchor each note draft to its passage and turn it into a model `Note`."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import replace

from generator.anchor import AnchorProblem, PassageFinder
from generator.cache import BuildCache
from generator.diagnostics import Diagnostics
from generator.digests import combine, fields_key
from generator.ids import is_valid_id
from generator.model import Archive, Document, Note
from generator.note_markdown import render_note
from generator.notes import NoteDraft

_CONTEXT = 32  # characters of prefix/suffix kept for the Web Annotation export


def annotate(
    archive: Archive,
    drafts: list[NoteDraft],
    diagnostics: Diagnostics,
    cache: BuildCache | None = None,
    scope: str = "",
) -> Archive:
    """The archive with every note that anchors; the others are reported as errors.

    With a `cache`, each draft is anchored once for a given `scope` (a digest of
    the documents and settings): editing one note re-anchors that note only.
    """
    documents = {d.id: d for d in archive.documents}
    finders: dict[str, PassageFinder] = {}
    notes: list[Note] = []
    used_ids: set[str] = set()
    # serve only: the Note objects of the last build, reused where nothing changed
    memo = cache.memory.setdefault("annotate", ("", ({}, {})))[1] if cache else ({}, {})
    bases: dict[str, tuple[NoteDraft, _Placement, Note]] = memo[0]
    built: dict[str, tuple[NoteDraft, _Placement, Note]] = {}
    for draft in drafts:

        def place(found: Diagnostics, draft: NoteDraft = draft) -> _Placement | None:
            return _place(draft, documents, finders, archive.config.base_url, found)

        if cache is None:
            placement = place(diagnostics)
        else:
            placement = cache.remember(
                "anchor", combine(scope, fields_key(draft)), diagnostics, place
            )
        if placement is None:
            continue
        note_id = _note_id(draft, used_ids, diagnostics)
        if note_id is None:
            continue
        used_ids.add(note_id)
        known = bases.get(note_id)
        if known is not None and known[0] is draft and known[1] is placement:
            built[note_id] = known
            notes.append(known[2])
            continue
        start, end, reanchored, paragraph, exact, prefix, suffix, html = placement
        notes.append(
            Note(
                id=note_id,
                document=draft.doc,
                start=start,
                end=end,
                paragraph=paragraph,
                quote=draft.quote,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                body_markdown=draft.note,
                body_html=html,
                source=draft.source,
                line=draft.line,
                author=draft.author,
                date=draft.date,
                tags=draft.tags,
                reanchored_from=draft.quote if reanchored else None,
            )
        )
        built[note_id] = (draft, placement, notes[-1])
    bases.clear()
    bases.update(built)
    return replace(archive, notes=_in_reading_order(notes, archive, memo[1]))


# Where a note sits and what it says: start, end, re-anchored, paragraph, exact,
# prefix, suffix, body HTML.
_Placement = tuple[int, int, bool, int, str, str, str, str]


def _place(
    draft: NoteDraft,
    documents: dict[str, Document],
    finders: dict[str, PassageFinder],
    base: str,
    diagnostics: Diagnostics,
) -> _Placement | None:
    """Anchor one draft in its document and render its body; None if it cannot be."""
    doc = documents.get(draft.doc)
    if doc is None:
        close = difflib.get_close_matches(draft.doc, list(documents), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        diagnostics.error(
            draft.source, draft.doc_line, f"no document has the id '{draft.doc}'{hint}"
        )
        return None
    finder = finders.get(doc.id)
    if finder is None:
        finder = finders[doc.id] = PassageFinder([p.text for p in doc.paragraphs])
    span = _anchor(draft, doc, finder, diagnostics)
    if span is None:
        return None
    start, end, reanchored = span

    def resolve(target: str, paragraph: str | None) -> str:
        other = documents.get(target)
        if other is None:
            close = difflib.get_close_matches(target, list(documents), n=1, cutoff=0.5)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise KeyError(f"the note links to an unknown document '{target}'{hint}")
        if paragraph and int(paragraph[1:]) > len(other.paragraphs):
            raise KeyError(
                f"the note links to {paragraph} of '{target}', which has "
                f"{len(other.paragraphs)} paragraph(s)"
            )
        return f"{base}documents/{target}/" + (f"#{paragraph}" if paragraph else "")

    html, problems = render_note(draft.note, doc.id, resolve)
    for problem in problems:
        diagnostics.error(draft.source, draft.note_line, problem)
    text = finder.text
    return (
        start,
        end,
        reanchored,
        finder.paragraph_at(start),
        text[start:end],
        text[max(0, start - _CONTEXT) : start],
        text[end : end + _CONTEXT],
        html,
    )


def _anchor(
    draft: NoteDraft, doc: Document, finder: PassageFinder, diagnostics: Diagnostics
) -> tuple[int, int, bool] | None:
    if draft.paragraph is not None:
        if draft.paragraph > len(doc.paragraphs):
            diagnostics.error(
                draft.source,
                draft.line,
                f"document '{doc.id}' has {len(doc.paragraphs)} paragraphs; "
                f"there is no p{draft.paragraph}",
            )
            return None
        span = finder.paragraph_span(draft.paragraph)
        return span.start, span.end, False
    assert draft.quote is not None
    try:
        anchor = finder.find(draft.quote, draft.occurrence, draft.prefix, draft.suffix)
    except AnchorProblem as problem:
        diagnostics.error(draft.source, draft.line, str(problem))
        return None
    reanchored = anchor.score < 100
    if reanchored:
        diagnostics.warning(
            draft.source,
            draft.line,
            f"the quote no longer matches exactly; anchored to the clearly similar passage in "
            f"p{finder.paragraph_at(anchor.start)} ({anchor.score:.0f}% similar): "
            f'was "{draft.quote}", now "{finder.text[anchor.start : anchor.end]}"; '
            "update the quote to silence this warning",
        )
    return anchor.start, anchor.end, reanchored


def _note_id(draft: NoteDraft, used: set[str], diagnostics: Diagnostics) -> str | None:
    """An explicit id, or one derived from what the note points at (stable across edits)."""
    if draft.id is not None:
        if not is_valid_id(draft.id):
            diagnostics.error(
                draft.source,
                draft.line,
                f"note id '{draft.id}' must be lowercase letters, digits and hyphens",
            )
            return None
        if draft.id in used:
            diagnostics.error(
                draft.source, draft.line, f"another note already has the id '{draft.id}'"
            )
            return None
        return draft.id
    target = "\n".join(
        str(part)
        for part in (
            draft.doc,
            draft.quote,
            draft.paragraph,
            draft.occurrence,
            draft.prefix,
            draft.suffix,
        )
    )
    note_id = "n-" + hashlib.sha256(target.encode()).hexdigest()[:8]
    if note_id in used:  # two notes on one passage: tell them apart by their text
        note_id = "n-" + hashlib.sha256(f"{target}\n{draft.note}".encode()).hexdigest()[:8]
    counter = 2
    while note_id in used:
        note_id = f"{note_id}-{counter}"
        counter += 1
    return note_id


def _in_reading_order(
    notes: list[Note], archive: Archive, memo: dict | None = None
) -> tuple[Note, ...]:
    """The notes sorted as a reader meets them, numbered within each document.

    With a `memo` (kept across rebuilds), a note whose placement and number are
    unchanged is the very object of the last build, so what later stages cached
    on it (its digest) still holds.
    """
    order = {d.id: i for i, d in enumerate(archive.documents)}
    notes.sort(key=lambda n: (order[n.document], n.start, -n.end, n.source, n.line))
    known = memo if memo is not None else {}
    kept: dict[tuple[int, int], tuple[Note, Note]] = {}
    numbered: list[Note] = []
    number = 0
    previous = None
    for note in notes:
        number = number + 1 if note.document == previous else 1
        previous = note.document
        found = known.get((id(note), number))
        if found is None or found[0] is not note:
            found = (note, replace(note, number=number))  # the placed note, held: ids stay unique
        kept[id(note), number] = found
        numbered.append(found[1])
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return tuple(numbered)
