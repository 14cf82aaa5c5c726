"""The pages that list documents and notes: home, publishers, collections, notes, tags.

A list is cut into pages of at most PER_PAGE items, so that every page stays
small (under 100 KB with its stylesheet) however large the archive grows.
Page 1 lives at the list's own address, page n at `<address>n/`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.cache.digests import combine
from generator.model import Archive, Collection, Comparison, Document, Note
from generator.render.findings import HOME_GROUPS, group_finding, most_quoted, quoted_total
from generator.render.templating import MONTH_NAMES
from generator.sources.ids import name_slug

PER_PAGE = 100
LATEST = 20  # documents on the home page; the timeline lists them all
LISTED = "list"  # in `Output.noted`: the output lists notes, without their text

Item = TypeVar("Item")
# site_files' page maker: (path, inputs, template, context, noted, counted) → Output
PageMaker = Callable[..., object]


@dataclass(frozen=True)
class Pager:
    """Where one page of a list is among its pages, and the addresses of its neighbours."""

    number: int
    count: int
    previous: str | None
    next: str | None
    start: int = 1  # the number, in the whole list, of this page's first item


def paged(
    folder: str, address: str, items: Sequence[Item]
) -> Iterator[tuple[str, Sequence[Item], Pager]]:
    """(output path, the items on it, its pager) for each page of `items`; one page at least.

    `folder` is the list's output folder ("publishers/x/"), `address` its URL.
    """
    chunks = [items[i : i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [items[:0]]
    for number, chunk in enumerate(chunks, 1):
        path, pager = _page_at(folder, address, number, len(chunks))
        yield path, chunk, pager


def _page_at(folder: str, address: str, number: int, count: int) -> tuple[str, Pager]:
    """The output path of page `number` of `count` of a list, and its pager."""

    def url(n: int) -> str:
        return address if n == 1 else f"{address}{n}/"

    path = f"{folder}index.html" if number == 1 else f"{folder}{number}/index.html"
    pager = Pager(
        number,
        count,
        url(number - 1) if number > 1 else None,
        url(number + 1) if number < count else None,
        start=(number - 1) * PER_PAGE + 1,
    )
    return path, pager


def _ids(docs: Sequence[Document]) -> tuple[str, ...]:
    return tuple(d.id for d in docs)


# Document id → what a list shows of it (`Plan.lines`).
Lines = Mapping[str, tuple[str, str, str | None, str | None]]


def _lines(docs: Sequence[Document], lines: Lines) -> tuple[object, ...]:
    """What a list shows of each document (`doc_line`): not its text, so editing a
    paragraph leaves the lists it is on alone."""
    return tuple(lines[d.id] for d in docs)


def home_page(
    page: PageMaker, ordered: list[Document], collections: tuple[Collection, ...],
    publishers: dict[str, tuple[str, list[Document]]], groups: list[Comparison],
) -> object:  # fmt: skip
    """The home page: what the archive found (versions, quotations), the newest documents,
    and every publisher and collection with counts."""
    # `ordered` runs oldest first, undated last: those come after the dated ones here too.
    dated = [d for d in ordered if d.date]
    latest = list(reversed(dated[-LATEST:]))
    latest += [d for d in ordered if not d.date][: LATEST - len(latest)]
    overview = tuple((slug, name, len(docs)) for slug, (name, docs) in publishers.items())
    shown = tuple(groups[:HOME_GROUPS])
    return page(
        "index.html",
        (len(ordered), tuple(latest), collections, overview, shown, len(groups)),
        "index.html",
        lambda archive: {
            "total": len(ordered),
            "latest": latest,
            "collections": collections,
            "publishers": sorted(overview, key=lambda p: (-p[2], p[1])),
            "findings": [group_finding(c, archive) for c in shown],
            "groups_total": len(groups),
            "quoted": most_quoted(archive),
            "quoted_total": quoted_total(archive),
        },
        # The groups' top differences weigh where the editors' notes are, not what they
        # say: a note's text edited leaves the page alone.
        noted=(LISTED,),
        counted=_ids(latest),
    )


def document_lists(
    page: PageMaker,
    template: str,
    folder: str,
    address: str,
    documents: list[Document],
    context: dict,
    lines: Lines,
) -> Iterator[object]:
    """A list of documents (a publisher's, a collection's) over as many pages as it needs."""
    for path, shown, pager in paged(folder, address, documents):
        yield page(
            path,
            (_lines(shown, lines), pager, tuple(sorted(context.items())), len(documents)),
            template,
            lambda archive, shown=shown, pager=pager: {
                **context,
                "documents": shown,
                "total": len(documents),
                "pager": pager,
            },
            counted=_ids(shown),
            exact=True,
        )


@dataclass(frozen=True)
class Month:
    """One month of the timeline: its documents, in date order."""

    key: str  # "2023-12", or "undated"
    label: str  # "December 2023"
    documents: tuple[Document, ...]


def months(ordered: list[Document]) -> list[Month]:
    """The documents by month, oldest first; undated ones last, as a month of their own."""
    found: dict[str, list[Document]] = {}
    for doc in ordered:
        found.setdefault(doc.date[:7] if doc.date else "undated", []).append(doc)
    return [Month(key, _month_label(key), tuple(docs)) for key, docs in found.items()]


def _month_label(key: str) -> str:
    if key == "undated":
        return "Undated"
    year, month = key.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def timeline_pages(
    page: PageMaker, ordered: list[Document], address: str, lines: Lines
) -> Iterator[object]:
    """The timeline: years and months with their counts, and a page (or more) per month."""
    by_month = months(ordered)
    years: dict[str, list[Month]] = {}
    for month in by_month:
        years.setdefault(month.key[:4] if month.key != "undated" else "Undated", []).append(month)
    overview = tuple((m.key, m.label, len(m.documents)) for m in by_month)
    yield page(
        "timeline/index.html",
        (overview, len(ordered)),
        "timeline.html",
        lambda archive: {"years": years, "total": len(ordered), "address": address},
        exact=True,
    )
    for index, month in enumerate(by_month):
        earlier = by_month[index - 1] if index > 0 else None
        later = by_month[index + 1] if index + 1 < len(by_month) else None
        around = tuple((m.key, m.label) if m else None for m in (earlier, later))
        for path, shown, pager in paged(
            f"timeline/{month.key}/", f"{address}{month.key}/", month.documents
        ):
            yield page(
                path,
                (month.key, _lines(shown, lines), pager, around, len(month.documents)),
                "timeline_month.html",
                lambda archive, month=month, shown=shown, pager=pager, around=around: {
                    "month": month,
                    "documents": shown,
                    "pager": pager,
                    "earlier": around[0],
                    "later": around[1],
                    "address": address,
                },
                counted=_ids(shown),
                exact=True,
            )


def note_shape(archive: Archive) -> tuple[int, tuple[tuple[str, int], ...]]:
    """What the notes decide of the list of pages: how many note pages, which tags, and
    how many pages each tag has."""
    tags = _tags(archive.notes)
    return _page_count(len(archive.notes)), tuple(
        (t, _page_count(len(n))) for t, (_, n) in tags.items()
    )


def _page_count(items: int) -> int:
    return max(1, -(-items // PER_PAGE))


def note_pages(
    page: PageMaker, model: Archive, ordered: list[Document], address: str, lines: Lines
) -> Iterator[object]:
    """Every note, by document, over pages of PER_PAGE notes; and a page per tag.

    The notes are read when each page is made, not from `model`: a note edit
    reuses the list of pages, which `note_shape` keeps in step with the notes.
    """
    position = {d.id: i for i, d in enumerate(ordered)}
    last: dict[str, object] = {}

    def sorted_notes(archive: Archive) -> tuple[list[Note], dict[str, tuple[str, list[Note]]]]:
        """The notes in reading order, and by tag; worked out once for all the pages."""
        if last.get("notes") is not archive.notes:
            ordered_notes = sorted(
                archive.notes, key=lambda n: (position.get(n.document, -1), n.number)
            )
            last.update(notes=archive.notes, view=(ordered_notes, _tags(ordered_notes)))
        return last["view"]  # type: ignore[return-value]

    def share(archive: Archive, number: int) -> dict:
        notes, tags = sorted_notes(archive)
        shown = notes[(number - 1) * PER_PAGE : number * PER_PAGE]
        groups: list[tuple[Document, list[Note]]] = []
        for note in shown:
            if not groups or groups[-1][0].id != note.document:
                groups.append((archive.document(note.document), []))
            groups[-1][1].append(note)
        return {
            "notes_by_document": groups,
            "total": len(notes),
            "documents_with_notes": len({n.document for n in notes}),
            "tags": [(tag, slug, len(tagged)) for tag, (slug, tagged) in tags.items()],
            "pager": _page_at("notes/", address, number, _page_count(len(notes)))[1],
        }

    def tagged(archive: Archive, tag: str, slug: str, number: int) -> dict:
        notes = sorted_notes(archive)[1].get(tag, ("", []))[1]
        return {
            "tag": tag,
            "total": len(notes),
            "notes": notes[(number - 1) * PER_PAGE : number * PER_PAGE],
            "pager": _page_at("", f"{address}tags/{slug}/", number, _page_count(len(notes)))[1],
        }

    # Which documents have notes is the notes' to say, not the plan's: every page
    # names what it could show of any document, digested once for them all.
    shown = combine(_lines(ordered, lines))
    pages = _page_count(len(model.notes))
    for number in range(1, pages + 1):
        yield page(
            _page_at("notes/", address, number, pages)[0],
            (shown, number),
            "notes.html",
            lambda archive, number=number: share(archive, number),
            noted=(LISTED,),
            exact=True,
        )
    for tag, (slug, notes) in _tags(model.notes).items():
        count = _page_count(len(notes))
        for number in range(1, count + 1):
            yield page(
                _page_at(f"notes/tags/{slug}/", "", number, count)[0],
                (tag, slug, number, shown),
                "notes_tag.html",
                lambda archive, tag=tag, slug=slug, number=number: tagged(
                    archive, tag, slug, number
                ),
                noted=(LISTED,),
                exact=True,
            )


def _tags(notes: tuple[Note, ...] | list[Note]) -> dict[str, tuple[str, list[Note]]]:
    """Each tag, sorted, with a unique address slug and its notes ("untagged" for none)."""
    found: dict[str, list[Note]] = {}
    for note in notes:
        for tag in note.tags or ("untagged",):
            found.setdefault(tag, []).append(note)
    result: dict[str, tuple[str, list[Note]]] = {}
    taken: set[str] = set()
    for tag in sorted(found):
        slug = name_slug(tag, "tag", taken)
        taken.add(slug)
        result[tag] = (slug, found[tag])
    return result
