"""What the index of names and each entity's page show: kinds, counts, excerpts.

Reads the model only; `plans/entities.py` passes the results to `entities.html` and
`entity.html`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Archive, Credit, Document, Entity, Mention
from generator.sources.ids import slugify

EXCERPT_WIDTH = 40  # characters shown at most on each side of a mention (about a clause)
# Mentions on one page of an entity; a document's mentions are never split across pages.
MENTIONS_PER_PAGE = 120  # about 60 KB of HTML: the page budget is 100 KB
_HEADINGS = {
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "event": "Events",
    "agreement": "Agreements",
    "work": "Works",
    "other": "Other",
}
_FIRST = ("person", "organization", "place")


@dataclass(frozen=True)
class Listed:
    """An entity on the index: how often and in how many documents it is mentioned."""

    entity: Entity
    mentions: int
    documents: int


@dataclass(frozen=True)
class Kind:
    """The entities of one kind, by name."""

    kind: str
    heading: str
    entities: tuple[Listed, ...]

    @property
    def anchor(self) -> str:
        return f"kind-{self.kind}"


@dataclass(frozen=True)
class Excerpt:
    """A mention with the words around it, cut at word edges."""

    paragraph: int
    before: str
    words: str
    after: str


@dataclass(frozen=True)
class MentioningDocument:
    """A document that mentions an entity, and each mention in reading order."""

    document: Document
    excerpts: tuple[Excerpt, ...]


def kinds_view(archive: Archive) -> list[Kind]:
    """The entities grouped by kind (people, organizations, places first), each by name."""
    grouped: dict[str, list[Listed]] = {}
    for entity in archive.entities:
        mentions = archive.mentions_of(entity.id)
        documents = len({m.document for m in mentions})
        grouped.setdefault(entity.kind, []).append(Listed(entity, len(mentions), documents))

    def order(kind: str) -> tuple[int, str]:
        if kind in _FIRST:
            return _FIRST.index(kind), ""
        return (len(_FIRST) + 1 if kind == "other" else len(_FIRST)), kind

    return [
        Kind(
            kind,
            heading(kind),
            tuple(sorted(grouped[kind], key=lambda e: (slugify(e.entity.name), e.entity.name))),
        )
        for kind in sorted(grouped, key=order)
    ]


def heading(kind: str) -> str:
    """`person` → `People`; an editor's own kind is shown as written."""
    return _HEADINGS.get(kind, kind.replace("-", " ").capitalize())


def mentions_by_document(
    archive: Archive, entity: Entity, position: dict[str, int]
) -> list[tuple[Document, tuple[Mention, ...]]]:
    """The documents that mention `entity`, in the site's order (`position`), with the mentions."""
    found: dict[str, list[Mention]] = {}
    for mention in archive.mentions_of(entity.id):
        found.setdefault(mention.document, []).append(mention)
    return [
        (archive.document(doc_id), tuple(found[doc_id]))
        for doc_id in sorted(found, key=position.__getitem__)
    ]


def with_excerpts(shown: list[tuple[Document, tuple[Mention, ...]]]) -> list[MentioningDocument]:
    """Each document's mentions with the words around them, as an entity's page shows them."""
    return [
        MentioningDocument(
            doc,
            tuple(
                Excerpt(m.paragraph, *excerpt(doc.paragraphs[m.paragraph - 1].text, m.start, m.end))
                for m in mentions
            ),
        )
        for doc, mentions in shown
    ]


def credited_documents(
    archive: Archive, entity: Entity, position: dict[str, int]
) -> list[tuple[Credit, Document]]:
    """The documents whose header names `entity`, in the site's order (`position`)."""
    credits = sorted(archive.credits_of(entity.id), key=lambda c: position[c.document])
    return [(c, archive.document(c.document)) for c in credits]


def excerpt(text: str, start: int, end: int, width: int = EXCERPT_WIDTH) -> tuple[str, str, str]:
    """The words before, the mention, the words after; a cut side ends in `…`."""
    before = text[max(0, start - width) : start]
    if start > width:
        cut = before.find(" ")
        before = "…" + (before[cut + 1 :] if 0 <= cut < len(before) - 1 else before)
    after = text[end : end + width]
    if end + width < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return before, text[start:end], after


def paginate(
    mentioning: list[tuple[Document, tuple[Mention, ...]]], per_page: int | None = None
) -> list[list[tuple[Document, tuple[Mention, ...]]]]:
    """The documents split into pages of about `per_page` mentions; always one page at least."""
    per_page = per_page or MENTIONS_PER_PAGE
    pages: list[list[tuple[Document, tuple[Mention, ...]]]] = [[]]
    count = 0
    for item in mentioning:
        if count >= per_page:
            pages.append([])
            count = 0
        pages[-1].append(item)
        count += len(item[1])
    return pages
