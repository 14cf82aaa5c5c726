"""The archive model: plain dataclasses that every later stage reads.

Templates and exports read these objects and nothing else; no stage after
parsing looks at raw source text except through `Provenance.source_lines`.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields


def _pickled_by_fields(cls: type) -> type:
    """Pickle a slotted dataclass as a call with its field values, as fast as a plain one.

    The state methods dataclasses give slotted classes run in Python once per
    object: with 700,000 of them, saving and loading the build cache took 2 s longer.
    """
    values = operator.attrgetter(*(f.name for f in fields(cls)))
    cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[method-assign]
    return cls


# Metadata fields a document header can carry, in display order.
HEADER_FIELDS = ("publisher", "place", "date", "title", "kicker", "byline")
# Fields an editor may assert in a bundle's YAML or a Markdown front matter.
EDITABLE_FIELDS = (*HEADER_FIELDS, "language", "url", "id")


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of a source file, as it is in the file (line ending removed)."""

    number: int
    text: str


@dataclass(frozen=True)
class Provenance:
    """Where a document came from, and what its own header says."""

    path: str  # relative to the source folder, "/" separators
    line_start: int  # 1-based, inclusive, header included
    line_end: int
    sha256: str  # of the exact bytes of those lines, line endings included
    collection: str | None  # collection id
    position: int  # 1-based position of the document in its collection
    header: dict[str, str | None]  # HEADER_FIELDS as the source says them
    source_lines: tuple[SourceLine, ...] = ()
    date_time: str | None = None  # ISO 8601 date-time (offset when the zone is known)
    derived: dict[str, str] = field(default_factory=dict)  # place, agency from a dateline


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph; `text` has whitespace normalized and hard wraps joined."""

    number: int  # 1-based; the anchor is f"p{number}"
    text: str
    line: int  # first source line of the paragraph

    @property
    def id(self) -> str:
        return f"p{self.number}"


@dataclass(frozen=True)
class Document:
    """One source document: its text, its provenance and its effective metadata."""

    id: str
    provenance: Provenance
    paragraphs: tuple[Paragraph, ...]
    title: str
    title_derived: bool  # True when no title line exists and it came from the text
    language: str  # BCP 47
    editor: dict[str, str] = field(default_factory=dict)  # fields asserted by an editor
    url: str | None = None  # the original's address, when known

    def _field(self, name: str) -> str | None:
        if name in self.editor:
            return self.editor[name]
        stated = self.provenance.header.get(name)
        return stated if stated is not None else self.provenance.derived.get(name)

    @property
    def publisher(self) -> str | None:
        return self._field("publisher")

    @property
    def place(self) -> str | None:
        return self._field("place")

    @property
    def date(self) -> str | None:
        """ISO 8601 date, or None when unknown."""
        return self._field("date")

    @property
    def byline(self) -> str | None:
        return self._field("byline")

    @property
    def kicker(self) -> str | None:
        return self._field("kicker")

    @property
    def collection(self) -> str | None:
        return self.provenance.collection

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)

    @property
    def plain_text(self) -> str:
        """Paragraph texts joined by a blank line: the text that offsets count in."""
        return "\n\n".join(p.text for p in self.paragraphs)

    def origin(self, name: str) -> str:
        """Who asserted a field: 'editor', 'source', 'derived' or 'unknown'."""
        if name in self.editor:
            return "editor"
        if name == "title" and self.title_derived:
            return "derived"
        if name == "language" and name not in self.editor:
            return "derived"
        if self.provenance.header.get(name) is not None:
            return "source"
        if name in self.provenance.derived:
            return "derived"
        return "unknown"


@dataclass(frozen=True)
class Collection:
    """A bundle file (or a folder of Markdown documents) and the documents it holds."""

    id: str
    title: str
    title_derived: bool  # True when the bundle has no title of its own
    source_path: str
    documents: tuple[str, ...]  # document ids in source order


@dataclass(frozen=True)
class SiteConfig:
    """Settings from site.yaml, with command-line overrides applied."""

    title: str = "Sourcebook archive"
    description: str | None = None
    language: str = "en"
    site_url: str | None = None  # absolute, ends with "/"
    base_url: str = "/"  # path prefix, starts and ends with "/"
    license: str | None = None
    editors: tuple[str, ...] = ()
    date_order: str | None = None  # 'mdy' or 'dmy': how to read 4/11/2005


@dataclass(frozen=True)
class Note:
    """An editor's note, anchored to a passage (or a whole paragraph) of one document."""

    id: str  # anchor on the document page, unique in the archive
    document: str  # document id
    start: int  # code-point offsets into the document's plain_text
    end: int
    paragraph: int  # number of the paragraph where the passage starts
    quote: str | None  # the passage as the editor wrote it; None for a paragraph note
    exact: str  # the passage as it reads in the document now
    prefix: str  # up to 32 characters before and after, for re-anchoring elsewhere
    suffix: str
    body_markdown: str
    body_html: str  # rendered from Markdown with raw HTML off; links resolved
    source: str  # the notes file, relative to the source folder
    line: int  # line of the note in that file
    author: str | None = None
    date: str | None = None
    tags: tuple[str, ...] = ()
    number: int = 0  # 1-based, in reading order within its document
    reanchored_from: str | None = None  # the old quote, when a changed source moved it


@dataclass(frozen=True)
class Group:
    """Documents that carry versions of one text: copies, edited versions, translations."""

    id: str
    title: str
    documents: tuple[str, ...]  # member ids, the base text first
    declared: bool = False  # True when an editor declared it in compare.yaml

    @property
    def base(self) -> str:
        return self.documents[0]


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Passage:
    """A place in a document: a paragraph, and optionally a span of its plain text."""

    document: str
    paragraph: int  # 1-based
    start: int | None = None  # code-point offsets into the document's plain_text
    end: int | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Relation:
    """An inferred link between two documents (never a change to their provenance).

    type is "same-text" (exact copy, whitespace and paragraphing aside),
    "version" (another version or translation of the same text),
    "quotation" (`origin` is the quoting passage, `target` the quoted one, dated
    the same day or earlier), "shared-passage" (the two hold the same words and
    their dates do not say who quoted whom: no direction is claimed), or
    "same-quote" (both quote the same words in their own quotation marks: they
    quote a common source, not each other).
    """

    type: str
    origin: Passage
    target: Passage
    exact: bool
    text: str | None = None  # the shared words, as the origin has them
    source_text: str | None = None  # the same words (or the closest), as the target has them


# -- comparison of versions: filled by the compare stage -------------------------


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, located in its plain text."""

    document: str
    paragraph: int  # 1-based paragraph number
    index: int  # 0-based position among the document's sentences
    text: str  # as in the source
    start: int  # code-point offsets into Document.plain_text
    end: int


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Row:
    """One place in the text: what each witness has there (an empty cell is a gap)."""

    cells: tuple[tuple[Sentence, ...], ...]  # one per witness, in witness order
    moved: tuple[bool, ...]  # per witness: its sentence here is out of its own reading order

    @property
    def base(self) -> tuple[Sentence, ...]:
        """The base witness's cell."""
        return self.cells[0]


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Variant:
    """One place where the witnesses differ; tuples hold one entry per witness."""

    number: int  # 1-based, in reading order
    row: int  # index of the row in the alignment
    readings: tuple[str, ...]  # the witness's words there, as written; "" when it has none
    paragraphs: tuple[int | None, ...]  # its paragraph there; None where it has a gap
    kind: str  # one of KINDS
    # Offsets into each document's plain_text (start == end: nothing there); None: a gap.
    spans: tuple[tuple[int, int] | None, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """A group's witnesses aligned once, against its base, with the variants between them.

    Each variant holds every witness's reading, so it serves any witness as base."""

    group: Group
    witnesses: tuple[str, ...]  # document ids, the base first
    rows: tuple[Row, ...]
    variants: tuple[Variant, ...]
    similarity: tuple[tuple[str, str, float], ...]  # (doc a, doc b, 0–1) for each pair

    @property
    def base(self) -> str:
        return self.witnesses[0]

    @property
    def is_default(self) -> bool:
        """Whether this comparison uses the group's own base."""
        return self.base == self.group.base


# -- translations: filled by the compare stage (translations.py) ---------------


@dataclass(frozen=True)
class SentencePair:
    """Sentences of two texts in two languages that say the same; one side empty: a gap."""

    left: tuple[Sentence, ...]  # of the alignment's left text (the original, when known)
    right: tuple[Sentence, ...]
    similarity: float  # cosine of the two sides' meanings, 0–1; 0.0 for a gap


@dataclass(frozen=True)
class UnmatchedPassage:
    """A passage of one text that its translation has nothing for."""

    document: str
    paragraph: int  # 1-based
    start: int  # code-point offsets into Document.plain_text
    end: int
    text: str  # as the source has it
    kind: str  # "sentence" (a whole sentence, in a gap) or "clause" (within a pair)
    pair: int  # index of its SentencePair in the alignment


@dataclass(frozen=True)
class TranslationAlignment:
    """Two texts of a translation group in two languages, aligned sentence by sentence."""

    left: str  # document id: the group's original, or its first text when that is unknown
    right: str
    pairs: tuple[SentencePair, ...]  # in the reading order of both texts
    unmatched: tuple[UnmatchedPassage, ...]  # left's, then right's, each in reading order
    coverage: tuple[float, float]  # share of each text's characters in well-matched pairs


@dataclass(frozen=True)
class TranslationGroup:
    """An original and its translations: documents in other languages that say the same."""

    id: str  # the page is translations/<id>/
    title: str
    documents: tuple[str, ...]  # the original first when known, then by date and id
    original: str | None  # None: not declared, and no member is dated before the others
    original_reason: str  # "declared", "earliest date" or "unknown"
    alignments: tuple[TranslationAlignment, ...]  # the first text against each other language's
    declared: bool = False  # True when an editor declared it in compare.yaml


# -- people, organizations, places: filled by the entities stage ----------------


@dataclass(frozen=True)
class Entity:
    """A person, organization, place… as an editor describes it in `entities.yaml`."""

    id: str  # slug: the page is entities/<id>/
    name: str
    kind: str  # a lowercase word: person, organization, place, …
    aliases: tuple[str, ...] = ()  # other forms the documents use, matched like the name
    description: str | None = None  # Markdown, as written
    description_html: str | None = None  # rendered with raw HTML off; links resolved
    link: str | None = None  # an http(s) address about the entity
    source: str = "entities.yaml"
    line: int = 0  # line of the entity in that file


@dataclass(frozen=True)
class Mention:
    """One place where a paragraph names an entity, by its name or an alias."""

    entity: str  # entity id
    document: str
    paragraph: int  # 1-based paragraph number
    start: int  # code-point offsets into that paragraph's text (not the plain text)
    end: int
    text: str  # the words as the paragraph has them


@dataclass(frozen=True)
class Credit:
    """A document whose header names an entity: as its publisher, or in its byline."""

    entity: str  # entity id
    document: str
    role: str  # "publisher" or "byline"


# (attribute, id of a tuple) → (that tuple, its items grouped by the attribute). The
# tuple is held so that its id cannot be reused by another while it is here.
_GROUPINGS: dict[tuple[str, int], tuple[tuple, dict[str, tuple]]] = {}


@dataclass(frozen=True)
class Archive:
    """Everything the build knows about the sources, before rendering."""

    config: SiteConfig
    documents: tuple[Document, ...]  # source-path order, then position
    collections: tuple[Collection, ...]
    notes: tuple[Note, ...] = ()  # by document (in `documents` order), then reading order
    groups: tuple[Group, ...] = ()
    relations: tuple[Relation, ...] = ()
    comparisons: tuple[Comparison, ...] = ()  # one per group
    # A digest of everything the documents, groups and comparisons were made from
    # (source files, options); "" when unknown. Equal digests, equal model.
    sources_digest: str = ""
    entities: tuple[Entity, ...] = ()  # in the order of entities.yaml
    mentions: tuple[Mention, ...] = ()  # by document (in `documents` order), then reading order
    credits: tuple[Credit, ...] = ()  # by entity, then document order
    translations: tuple[TranslationGroup, ...] = ()  # by their first document's archive order

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id."""
        cache = self.__dict__.get("_entity_index")
        if cache is None:
            cache = {e.id: e for e in self.entities}
            object.__setattr__(self, "_entity_index", cache)
        return cache[entity_id]

    def mentions_in(self, doc_id: str) -> tuple[Mention, ...]:
        """The mentions of any entity in one document, in reading order."""
        return self._grouped("_mentions_by_document", self.mentions, "document").get(doc_id, ())

    def mentions_of(self, entity_id: str) -> tuple[Mention, ...]:
        """Every mention of one entity, by document then reading order."""
        return self._grouped("_mentions_by_entity", self.mentions, "entity").get(entity_id, ())

    def credits_of(self, entity_id: str) -> tuple[Credit, ...]:
        """The documents whose header names one entity."""
        return self._grouped("_credits_by_entity", self.credits, "entity").get(entity_id, ())

    def _grouped(self, cache_name: str, items: tuple, key: str) -> dict[str, tuple]:
        cache = self.__dict__.get(cache_name)
        if cache is None:
            # Each build makes new Archives (a note edit gives another), but the
            # mentions come as the very same tuple from the build cache: group it once.
            known = _GROUPINGS.get((key, id(items)))
            if known is not None and known[0] is items:
                cache = known[1]
            else:
                grouped: dict[str, list] = {}
                for item in items:
                    grouped.setdefault(getattr(item, key), []).append(item)
                cache = {k: tuple(v) for k, v in grouped.items()}
                if len(_GROUPINGS) >= 16:
                    _GROUPINGS.clear()
                _GROUPINGS[key, id(items)] = (items, cache)
            object.__setattr__(self, cache_name, cache)
        return cache

    def notes_on(self, doc_id: str) -> tuple[Note, ...]:
        """The notes anchored in one document, in reading order."""
        cache = self.__dict__.get("_notes_index")
        if cache is None:
            cache = {}
            for note in self.notes:
                cache.setdefault(note.document, []).append(note)
            cache = {k: tuple(v) for k, v in cache.items()}
            object.__setattr__(self, "_notes_index", cache)
        return cache.get(doc_id, ())

    def document(self, doc_id: str) -> Document:
        """The document with this id."""
        return self._by_id()[doc_id]

    def _by_id(self) -> dict[str, Document]:
        cache = self.__dict__.get("_index")
        if cache is None:
            cache = {d.id: d for d in self.documents}
            object.__setattr__(self, "_index", cache)
        return cache
