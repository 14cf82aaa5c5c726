"""What a planner says of each file of the site, and what every planner shares.

An `Output` is one file: the model objects it is made from, and how to make it.
A `Plan` holds what several kinds of page read (the documents in date order,
the publishers, each document's group) and makes template pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.model import Archive, Collection, Comparison, Document, Group
from generator.render.templating import Links, by_date, environment
from generator.sources.ids import name_slug

ALL = "*"  # in `Output.noted`: the output shows every note of the archive


@dataclass(frozen=True)
class Output:
    """One file of the site: what it is made from, and how to make it on demand.

    `inputs` are model objects made from the sources; `noted` and `counted`
    name the documents whose notes, or note counts, it shows. Notes change far
    more often than sources, so the two parts of a file's key are kept apart.
    `whole`: it reads the whole archive (the data exports). `exact`: its
    `inputs` name everything it shows that the sources make, so a source edit
    that leaves them alone leaves it alone; any other file is made again after
    every source edit (the lists, whose documents' titles and dates they show).
    """

    path: str
    inputs: tuple[object, ...]
    make: Callable[[Archive], bytes]
    noted: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()
    whole: bool = False
    exact: bool = False


@dataclass(frozen=True)
class Plan:
    """What the planners read: the model as the sources made it, and the templates.

    `model` is read for what the sources make (documents, groups, comparisons);
    each `make` reads the notes from the archive it is given, so one plan
    serves every build until the sources change.
    """

    model: Archive
    templates: Path
    env: jinja2.Environment
    links: Links
    ordered: list[Document]  # oldest first, undated last
    collections: dict[str, Collection]
    publishers: dict[str, tuple[str, list[Document]]]  # slug → (name, documents by date)
    default: dict[str, Comparison]  # group id → its default comparison
    group_of: dict[str, Group]  # document id → its version group
    # Document id → what a list shows of it (`doc_line`): id, title, publisher, date.
    # Made once: the lists' keys read it for every document, three times over.
    lines: dict[str, tuple[str, str, str | None, str | None]]

    @classmethod
    def of(cls, model: Archive, templates: Path) -> Plan:
        """The plan of one archive's site."""
        ordered = by_date(model.documents)
        return cls(
            model=model,
            templates=templates,
            env=environment(templates),
            links=Links(model.config.base_url),
            ordered=ordered,
            collections={c.id: c for c in model.collections},
            publishers=_by_publisher(ordered),
            default={c.group.id: c for c in model.comparisons if c.is_default},
            group_of={d: g for g in model.groups for d in g.documents},
            lines={d.id: (d.id, d.title, d.publisher, d.date) for d in ordered},
        )

    def page(
        self,
        path: str,
        inputs: tuple[object, ...],
        template: str,
        context: Callable[[Archive], dict],
        noted: tuple[str, ...] = (),
        counted: tuple[str, ...] = (),
        exact: bool = False,
    ) -> Output:
        """An HTML page rendered from `template` with the `context` of the archive given."""
        env, links = self.env, self.links

        def make(archive: Archive) -> bytes:
            common = {"site": archive.config, "links": links, "archive": archive}
            html = env.get_template(template).render(**common, **context(archive))
            return html.encode("utf-8")

        return Output(path, inputs, make, noted, counted, exact=exact)


def _by_publisher(ordered: list[Document]) -> dict[str, tuple[str, list[Document]]]:
    """Documents by publisher (in date order), keyed by a unique slug of the name."""
    result: dict[str, tuple[str, list[Document]]] = {}
    slug_of: dict[str, str] = {}
    for doc in ordered:
        if not doc.publisher:
            continue
        slug = slug_of.get(doc.publisher)
        if slug is None:
            slug = name_slug(doc.publisher, "publisher", result)
            slug_of[doc.publisher] = slug
            result[slug] = (doc.publisher, [])
        result[slug][1].append(doc)
    return result
