"""The comparison pages: each group's witnesses side by side, one page per base."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from generator.model import Archive, Comparison, Document
from generator.render.compare_view import rows_view, variants_view
from generator.render.output import Output, Plan
from generator.render.substance import copy_columns, differences, quotations_of, ranked


def comparison_pages(plan: Plan) -> Iterator[Output]:
    """A page per comparison: the default one at `compare/<group>/`, others under their base."""
    model = plan.model
    for comparison in model.comparisons:
        group = comparison.group
        witnesses = tuple(model.document(w) for w in comparison.witnesses)
        # What the substance list shows of other documents: who quotes the witnesses.
        quoting = quotations_of(model, comparison.witnesses)
        yield plan.page(
            f"compare/{group.id}/index.html"
            if comparison.is_default
            else f"compare/{group.id}/{comparison.base}/index.html",
            (comparison, witnesses, quoting, copy_columns(comparison, model)),
            "compare.html",
            functools.partial(_context, comparison, witnesses),
            noted=comparison.witnesses,
            exact=True,
        )


def _context(comparison: Comparison, witnesses: tuple[Document, ...], archive: Archive) -> dict:
    """A comparison page's context; its differences weigh the archive's current notes."""
    weighed = ranked(comparison, archive)
    return {
        "group": comparison.group,
        "comparison": comparison,
        "witnesses": list(witnesses),
        "rows": rows_view(comparison),
        "variants": variants_view(comparison, archive),
        "substance": differences(comparison, archive, weighed=weighed),
        "moved": {d.variant.number for d in weighed if d.change == "moved"},
        "copies": copy_columns(comparison, archive),
    }
