"""The source-file copies document pages show their source lines from."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import SourceLine
from generator.render.output import Output, Plan
from generator.render.source_copy import copy_path, source_copy


def source_copies(plan: Plan) -> Iterator[Output]:
    """One copy per source file, keyed by its documents' lines alone."""
    files: dict[str, list[SourceLine]] = {}
    for doc in plan.model.documents:
        files.setdefault(doc.provenance.path, []).extend(doc.provenance.source_lines)
    for path, lines in files.items():
        held = tuple(lines)
        yield Output(
            copy_path(path),
            (path, held),
            lambda archive, held=held: source_copy(held),
            exact=True,
        )
