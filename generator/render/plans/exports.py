"""The data exports: `data/archive.json`, a part per collection, the notes as Web Annotations."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator

from generator.model import Archive
from generator.render import annotations, export
from generator.render.output import ALL, Output, Plan


def export_files(plan: Plan, wanted: Collection[str] | None = None) -> Iterator[Output]:
    """The data files: the notes, the export's index and its parts.

    With `wanted`, only the parts it names (what a part reads is worked out for
    its key, which a build that knows the keys does not need).
    """
    model, links = plan.model, plan.links
    yield Output(
        "data/annotations.jsonld",
        (),
        lambda archive: _json(annotations.collection(archive)),
        noted=(ALL,),
        whole=True,
    )
    parts = export.parts(model)
    paths = tuple(export.part_path(p.collection) for p in parts)
    yield Output(
        "data/archive.json",
        (model.collections, model.entities, model.credits, paths),
        lambda archive: _json(export.archive_index(archive, links, parts)),
        whole=True,
        exact=True,
    )
    # Made after the pages, like the index; each made again only when what it holds
    # changed (a bundle edit: its own part, and those of its relations' other ends).
    for part in parts:
        if wanted is not None and export.part_path(part.collection) not in wanted:
            continue
        yield Output(
            export.part_path(part.collection),
            (part, *_part_reads(model, part)),
            lambda archive, p=part: _json(export.part_data(archive, links, p)),
            whole=True,
            exact=True,
        )


def _part_reads(model: Archive, part: export.Part) -> tuple[object, ...]:
    """What a part reads besides itself (`export.part_data`): its documents with their
    mentions, and the paragraph lengths of the other documents its offsets count in."""
    documents = tuple((model.document(d), model.mentions_in(d)) for d in part.documents)
    others = {w for c in part.comparisons for w in c.witnesses}
    for relation in part.relations:
        others.update((relation.origin.document, relation.target.document))
    lengths = tuple(
        (d, tuple(len(p.text) for p in model.document(d).paragraphs)) for d in sorted(others)
    )
    return documents, lengths


def _json(data: object) -> bytes:
    """Data as compact UTF-8 JSON: no spaces after separators, which no reader needs."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
