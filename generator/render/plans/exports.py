"""The data exports: `data/archive.json`, a part per collection, the notes as Web Annotations."""

from __future__ import annotations

import json
from collections.abc import Iterator

from generator.render import annotations, export
from generator.render.output import ALL, Output, Plan


def export_files(plan: Plan) -> Iterator[Output]:
    """The data files: the notes, the export's index and its parts."""
    model, links = plan.model, plan.links
    yield Output(
        "data/annotations.jsonld",
        (),
        lambda archive: _json(annotations.collection(archive)),
        noted=(ALL,),
        whole=True,
    )
    parts = export.parts(model)
    yield Output(
        "data/archive.json",
        (model.collections, model.entities, model.credits),
        lambda archive: _json(export.archive_index(archive, links, parts)),
        whole=True,
    )
    # Made after the pages, like the index. Each part is made again after any
    # source edit, but only those whose bytes changed are written.
    for part in parts:
        yield Output(
            export.part_path(part.collection),
            (part,),
            lambda archive, p=part: _json(export.part_data(archive, links, p)),
            whole=True,
        )


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")
