"""The comparison pages: one per group, every witness once, the base chosen in the browser."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator

from generator.model import Archive, Comparison, Document
from generator.render.compare_rows import rows_view
from generator.render.compare_view import variants_view
from generator.render.output import Output, Plan
from generator.render.substance import copy_columns, differences, quotations_of, ranked


def comparison_pages(plan: Plan, wanted: Collection[str] | None = None) -> Iterator[Output]:
    """A page per group at `compare/<group>/`, marked against the group's base.

    With `wanted`, only the pages it names.
    """
    model = plan.model
    for comparison in model.comparisons:
        path = f"compare/{comparison.group.id}/index.html"
        if wanted is not None and path not in wanted:
            continue
        witnesses = tuple(model.document(w) for w in comparison.witnesses)
        # What the substance list shows of other documents: who quotes the witnesses.
        quoting = quotations_of(model, comparison.witnesses)
        yield plan.page(
            path,
            (comparison, witnesses, quoting, copy_columns(comparison, model)),
            "compare.html",
            functools.partial(comparison_context, comparison, witnesses),
            noted=comparison.witnesses,
            exact=True,
        )


def comparison_context(
    comparison: Comparison, witnesses: tuple[Document, ...], archive: Archive, base: int = 0
) -> dict:
    """A comparison page's context, marked against column `base`; its differences weigh
    the archive's current notes."""
    weighed = ranked(comparison, archive)
    return {
        "group": comparison.group,
        "comparison": comparison,
        "witnesses": list(witnesses),
        "base": base,
        "rows": rows_view(comparison, base),
        "variants": variants_view(comparison, archive),
        "substance": differences(comparison, archive, weighed=weighed),
        "moved": {d.variant.number for d in weighed if d.change == "moved"},
        "moved_passages": moved_passages(comparison),
        "copies": copy_columns(comparison, archive),
    }


def moved_passages(comparison: Comparison) -> list[tuple[int, int, tuple[int, ...]]]:
    """Sentences a witness has out of the others' order: (row number, column, its ¶s).

    The same for every base: a page that had only these would otherwise say the
    versions read the same.
    """
    return [
        (number, column, tuple(sorted({sentence.paragraph for sentence in cell})))
        for number, row in enumerate(comparison.rows, 1)
        for column, cell in enumerate(row.cells)
        if cell and row.moved[column]
    ]
