"""The data exports: `data/archive.json` and the notes as W3C Web Annotations."""

from __future__ import annotations

import json
from collections.abc import Iterator

from generator.render import annotations, export
from generator.render.output import ALL, Output, Plan


def export_files(plan: Plan) -> Iterator[Output]:
    """The two data files; both read the whole archive."""
    model, links = plan.model, plan.links
    yield Output(
        "data/annotations.jsonld",
        (),
        lambda archive: _json(annotations.collection(archive)),
        noted=(ALL,),
        whole=True,
    )
    yield Output(
        "data/archive.json",
        (
            model.documents,
            model.collections,
            tuple(plan.default.values()),
            model.relations,
            model.entities,
            model.mentions,
            model.credits,
            model.translations,
        ),
        lambda archive: _json(export.archive_data(archive, links)),
        whole=True,
    )


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")
