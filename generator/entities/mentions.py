"""Enrich: find where the documents name the editor's entities, and which documents they issued.

A mention is a whole-word, case-sensitive match of an entity's name or one
of its aliases in a paragraph ("State" is not "state"; a form the editor
writes in lowercase, such as "homeland security adviser", also matches with
a capital at the start of a sentence). Where forms overlap, the longer one
wins: "Elizabeth Sherwood-Randall" is one mention, not also one of
"Sherwood-Randall". Straight and curly quotes and apostrophes, the kinds of
dash, non-breaking spaces, composed or decomposed accents and a hyphen left
by a line break ("Sherwood- Randall") all match, as they do for notes.

One Aho-Corasick pass per paragraph finds every form of every entity at once.
"""

from __future__ import annotations

import itertools
import unicodedata
from array import array
from dataclasses import replace
from pathlib import Path

import ahocorasick

from generator.cache.digests import key, paragraphs_key
from generator.cache.store import BuildCache
from generator.diagnostics import Diagnostics
from generator.entities.entity_file import FILE, EntityDraft, load_entities
from generator.model import Archive, Credit, Document, Entity, Mention
from generator.notes.anchor import fold, normalize_quote
from generator.notes.markdown import render_note
from generator.safe_yaml import did_you_mean

_MAX_BROKEN_HYPHENS = 3  # a form with more hyphens gets no line-break variants


def index_entities(
    archive: Archive,
    source: Path,
    diagnostics: Diagnostics,
    cache: BuildCache | None = None,
    scope: str = "",
) -> Archive:
    """The archive with the entities of `entities.yaml`, their mentions and credits.

    With a `cache`, the result is kept for a given `scope` (a digest of the
    documents and settings) and `entities.yaml`'s bytes: a note edit finds no
    mention again.
    """

    def compute(found: Diagnostics) -> _Index:
        return _index(archive, source, found, cache)

    if cache is None:
        entities, mentions, credits = compute(diagnostics)
        listed = None
    else:
        path = source / FILE
        listed = cache.file_digest(path) if path.is_file() else None
        entities, mentions, credits = cache.remember(
            "entities", key(scope, listed), diagnostics, compute
        )
    if not entities:
        return archive
    # Pages are planned once per sources digest: it must cover the entities too.
    digest = key(archive.sources_digest, listed) if archive.sources_digest else ""
    return replace(
        archive, entities=entities, mentions=mentions, credits=credits, sources_digest=digest
    )


_Index = tuple[tuple[Entity, ...], tuple[Mention, ...], tuple[Credit, ...]]


def _index(
    archive: Archive, source: Path, diagnostics: Diagnostics, cache: BuildCache | None
) -> _Index:
    drafts = load_entities(source, diagnostics)
    if not drafts:
        return (), (), ()
    forms = [d.forms for d in drafts]
    finder = MentionFinder(forms)
    found_in = _DocumentMentions(finder, key(forms), cache)
    mentions: list[Mention] = []
    for doc in archive.documents:
        found = found_in(doc)
        for at in range(0, len(found), 4):
            index, place, start, end = found[at : at + 4]
            paragraph = doc.paragraphs[place]
            mentions.append(
                Mention(
                    drafts[index].id,
                    doc.id,
                    paragraph.number,
                    start,
                    end,
                    paragraph.text[start:end],
                )
            )
    credits = _credits(drafts, archive.documents, finder)
    found = {m.entity for m in mentions} | {c.entity for c in credits}
    for draft in drafts:
        if draft.id not in found:
            diagnostics.warning(
                FILE,
                draft.line,
                f"'{draft.name}' is not mentioned in any document; "
                "check its name and aliases against the texts",
            )
    documents = {d.id: d for d in archive.documents}
    entities = tuple(_entity(d, documents, archive.config.base_url, diagnostics) for d in drafts)
    return entities, tuple(mentions), credits


class _DocumentMentions:
    """Each document's mentions, kept in the cache by its paragraphs and the entities' forms.

    After a bundle edit, only that bundle's documents are searched again: the
    pass over every paragraph took 1.7 s of a bundle edit's build at 10,000
    documents (pyinstrument, on a loaded machine).
    """

    _STAGE = "entity mentions"

    def __init__(self, finder: MentionFinder, forms_key: str, cache: BuildCache | None) -> None:
        self.finder = finder
        self.forms_key = forms_key
        self.cache = cache

    def __call__(self, doc: Document) -> array:
        """(entity index, paragraph's place in the document, start, end), flat, in order."""
        cache_key = key(self.forms_key, paragraphs_key(doc))
        if self.cache is not None:
            kept = self.cache.lookup(self._STAGE, cache_key)
            if kept is not None:
                return kept
        # Flat ints, not a Mention each: the cache pickles one small array per document.
        found = array("l")
        for place, paragraph in enumerate(doc.paragraphs):
            for start, end, index in self.finder.find(paragraph.text):
                found.extend((index, place, start, end))
        if self.cache is not None:
            self.cache.store(self._STAGE, cache_key, found)
        return found


class MentionFinder:
    """Finds the forms of many entities in a text, in one pass, whole words only."""

    def __init__(self, forms: list[tuple[str, ...]]) -> None:
        """`forms[i]` are the name and aliases of entity i."""
        self._automaton = ahocorasick.Automaton()
        explicit = [(normalize_quote(f), index) for index, fs in enumerate(forms) for f in fs]
        for form, index in explicit:
            self._automaton.add_word(form, (index, len(form), form))
        # Variants come second, so a form an editor wrote always keeps its entity.
        for form, index in explicit:
            for variant in _variants(form):
                if variant not in self._automaton:
                    self._automaton.add_word(variant, (index, len(variant), form))
        self._empty = not explicit
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Every mention in `text`: (start, end, entity index), in reading order."""
        if self._empty:
            return []
        folded = fold(text)
        candidates = []
        for last, (index, length, form) in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if form[0].isalnum() and start > 0 and _in_word(folded[start - 1]):
                continue
            if form[-1].isalnum() and end < len(folded) and _in_word(folded[end]):
                continue
            candidates.append((start, end, index))
        if len(candidates) > 1:
            candidates = _longest_first(candidates)
        return candidates


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.combining(char) != 0


def _longest_first(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping matches, a longer one always taking the place of a shorter."""
    chosen: list[tuple[int, int, int]] = []
    for candidate in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        start, end, _ = candidate
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append(candidate)
    return sorted(chosen)


def _variants(form: str) -> set[str]:
    """Other ways a text may write `form`: broken at a hyphen, capitalized, (de)composed."""
    variants = {form}
    hyphens = [i for i in range(1, len(form) - 1) if form[i] == "-" and form[i + 1].isalpha()]
    if 0 < len(hyphens) <= _MAX_BROKEN_HYPHENS:
        for count in range(1, len(hyphens) + 1):
            for chosen in itertools.combinations(hyphens, count):
                pieces, previous = [], 0
                for position in chosen:
                    pieces.append(form[previous : position + 1] + " ")
                    previous = position + 1
                variants.add("".join(pieces) + form[previous:])
    if form[0].islower():
        variants |= {v[0].upper() + v[1:] for v in variants}
    variants |= {unicodedata.normalize(n, v) for v in variants for n in ("NFC", "NFD")}
    variants.discard(form)
    return variants


def _credits(
    drafts: list[EntityDraft], documents: tuple[Document, ...], finder: MentionFinder
) -> tuple[Credit, ...]:
    """Documents whose publisher is an entity's name, or whose byline names an entity."""
    by_form = {normalize_quote(f): d.id for d in drafts for f in d.forms}
    found: dict[str, list[Credit]] = {d.id: [] for d in drafts}
    for doc in documents:
        publisher = by_form.get(normalize_quote(doc.publisher or ""))
        if publisher is not None:
            found[publisher].append(Credit(publisher, doc.id, "publisher"))
        for index in dict.fromkeys(i for _, _, i in finder.find(doc.byline or "")):
            found[drafts[index].id].append(Credit(drafts[index].id, doc.id, "byline"))
    return tuple(c for d in drafts for c in found[d.id])


def _entity(
    draft: EntityDraft, documents: dict[str, Document], base: str, diagnostics: Diagnostics
) -> Entity:
    html = None
    if draft.description is not None:

        def resolve(target: str, paragraph: str | None) -> str:
            if not target:
                raise KeyError(
                    f"link '#{paragraph}' in a description must name its document, "
                    f"e.g. 'doc-id#{paragraph}'"
                )
            other = documents.get(target)
            if other is None:
                hint = did_you_mean(target, documents, cutoff=0.5)
                raise KeyError(f"the description links to an unknown document '{target}'{hint}")
            if paragraph and int(paragraph[1:]) > len(other.paragraphs):
                raise KeyError(
                    f"the description links to {paragraph} of '{target}', which has "
                    f"{len(other.paragraphs)} paragraph(s)"
                )
            return f"{base}documents/{target}/" + (f"#{paragraph}" if paragraph else "")

        html, problems = render_note(draft.description, "", resolve)
        for problem in problems:
            diagnostics.error(FILE, draft.description_line, problem)
    return Entity(
        id=draft.id,
        name=draft.name,
        kind=draft.kind,
        aliases=draft.aliases,
        description=draft.description,
        description_html=html,
        link=draft.link,
        source=FILE,
        line=draft.line,
    )
