"""Enrich: anchor each note draft to its passage and turn it into a model `Note`."""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

from generator.cache.digests import combine, fields_key, paragraphs_key
from generator.cache.store import BuildCache
from generator.diagnostics import Diagnostics
from generator.model import Archive, Document, Note
from generator.notes.anchor import Anchor, AnchorProblem, PassageFinder
from generator.notes.markdown import render_note
from generator.notes.note_file import NoteDraft
from generator.safe_yaml import closest, did_you_mean
from generator.sources.ids import is_valid_id

_CONTEXT = 32  # characters of prefix/suffix kept for the Web Annotation export
# A finder holds its document's text several times over (about 70 KB at 10,000
# documents): keeping one per annotated document took 220 MB. Notes come mostly
# document by document, so the few most recent catch nearly every repeat.
_FINDERS_KEPT = 32


def annotate(
    archive: Archive,
    drafts: list[NoteDraft],
    diagnostics: Diagnostics,
    cache: BuildCache | None = None,
    scope: str = "",
) -> Archive:
    """The archive with every note that anchors; the others are reported as errors.

    With a `cache`, each draft is anchored once for its document's text, the
    ids and lengths of all documents (what its links are checked against) and
    the settings; a draft naming no document, once for a given `scope` (a
    digest of the documents and settings). Editing one note re-anchors that
    note only; editing one bundle, the notes on the documents it changed.
    """
    documents = {d.id: d for d in archive.documents}
    finders: dict[str, PassageFinder] = {}
    placed: list[tuple[str, NoteDraft, _Placement]] = []
    used_ids: set[str] = set()
    linkable = _linkable(archive, cache) if cache is not None else ""
    for draft in drafts:

        def place(found: Diagnostics, draft: NoteDraft = draft) -> _Placement | None:
            return _place(draft, documents, finders, archive.config.base_url, found)

        if cache is None:
            placement = place(diagnostics)
        else:
            doc = documents.get(draft.doc)
            # A draft naming no document: the message names the ids closest to the one given.
            anchored_in = scope if doc is None else paragraphs_key(doc)
            placement = cache.remember(
                "anchor", combine(linkable, anchored_in, fields_key(draft)), diagnostics, place
            )
        if placement is None:
            continue
        note_id = _note_id(draft, used_ids, diagnostics)
        if note_id is None:
            continue
        used_ids.add(note_id)
        placed.append((note_id, draft, placement))
    # serve keeps the last build's notes: a note whose draft, placement and number
    # are the very same is the very same object, and what later stages cached on it
    # (its digest) still holds.
    memo = cache.memory.setdefault("notes", ("", {}))[1] if cache else {}
    return replace(archive, notes=_in_reading_order(placed, archive, memo))


def _linkable(archive: Archive, cache: BuildCache) -> str:
    """A key of what a note's links are checked against: every document's id and length.

    Kept in memory for the archive it was made for: under `serve`, a note edit
    keeps the model, and 10,000 documents cost 10 ms to go over again.
    """
    made_for, known = cache.memory.get("linkable", ("", ""))
    if made_for != archive.sources_digest or not made_for:
        known = combine(
            archive.config.base_url, *((d.id, len(d.paragraphs)) for d in archive.documents)
        )
        cache.memory["linkable"] = (archive.sources_digest, known)
    return known


def _in_reading_order(
    placed: list[tuple[str, NoteDraft, _Placement]],
    archive: Archive,
    memo: dict[str, tuple[NoteDraft, _Placement, Note]],
) -> tuple[Note, ...]:
    """The notes sorted as a reader meets their marks, numbered within each document.

    A mark stands where its passage ends (a paragraph's notes after the passages'),
    so a note inside another's passage comes first: ¹ then ², never ³ before ².
    """
    order = {d.id: i for i, d in enumerate(archive.documents)}
    placed.sort(
        key=lambda p: (
            order[p[1].doc], p[2][1], p[1].quote is None, p[2][0], p[1].source, p[1].line,
        )
    )  # fmt: skip
    made: dict[str, tuple[NoteDraft, _Placement, Note]] = {}
    number = 0
    previous = None
    for note_id, draft, placement in placed:
        number = number + 1 if draft.doc == previous else 1
        previous = draft.doc
        known = memo.get(note_id)
        if known is None or known[0] is not draft or known[1] is not placement:
            known = (draft, placement, _note(note_id, number, draft, placement))
        elif known[2].number != number:
            known = (draft, placement, replace(known[2], number=number))
        made[note_id] = known
    memo.clear()
    memo.update(made)
    return tuple(note for _, _, note in made.values())


def _note(note_id: str, number: int, draft: NoteDraft, placement: _Placement) -> Note:
    start, end, reanchored, paragraph, exact, prefix, suffix, html = placement
    return Note(
        id=note_id,
        document=draft.doc,
        number=number,
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
        close = closest(draft.doc, documents, limit=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        diagnostics.error(
            draft.source, draft.doc_line, f"no document has the id '{draft.doc}'{hint}"
        )
        return None
    finder = finders.pop(doc.id, None) or PassageFinder([p.text for p in doc.paragraphs])
    finders[doc.id] = finder  # the most recently used last
    if len(finders) > _FINDERS_KEPT:
        del finders[next(iter(finders))]
    span = _anchor(draft, doc, finder, diagnostics)
    if span is None:
        return None
    start, end, reanchored = span

    def resolve(target: str, paragraph: str | None) -> str:
        other = documents.get(target)
        if other is None:
            hint = did_you_mean(target, documents, cutoff=0.5)
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
                draft.line_of("paragraph"),
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
        diagnostics.error(draft.source, draft.line_of(problem.key), str(problem))
        return None
    reanchored = anchor.score < 100
    if reanchored:
        diagnostics.warning(draft.source, draft.line_of("quote"), _fuzzy_warning(anchor, finder))
    return anchor.start, anchor.end, reanchored


def _fuzzy_warning(anchor: Anchor, finder: PassageFinder) -> str:
    """What a note anchored to a similar passage is told: true of a typo in a new note and
    of a source corrected under an old one alike (nothing here knows which it is)."""
    passage = " ".join(finder.text[anchor.start : anchor.end].split())
    # Rounded down: a passage that is not word for word is never "100% similar".
    similar = min(99, math.floor(anchor.score))
    return (
        f"the quote is not word for word in the text; anchored to the {similar}% similar "
        f'passage in p{finder.paragraph_at(anchor.start)}: "{passage}"; '
        "if that is the passage meant, copy it into 'quote:'"
    )


def _note_id(draft: NoteDraft, used: set[str], diagnostics: Diagnostics) -> str | None:
    """An explicit id, or one derived from what the note points at (stable across edits)."""
    if draft.id is not None:
        if not is_valid_id(draft.id):
            diagnostics.error(
                draft.source,
                draft.line_of("id"),
                f"note id '{draft.id}' must be lowercase letters, digits and hyphens",
            )
            return None
        if draft.id in used:
            diagnostics.error(
                draft.source, draft.line_of("id"), f"another note already has the id '{draft.id}'"
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
