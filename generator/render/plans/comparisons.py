"""The comparison pages: each group's witnesses side by side, one page per base."""

from __future__ import annotations

from collections.abc import Iterator

from generator.render.compare_view import rows_view, variants_view
from generator.render.output import Output, Plan


def comparison_pages(plan: Plan) -> Iterator[Output]:
    """A page per comparison: the default one at `compare/<group>/`, others under their base."""
    model = plan.model
    for comparison in model.comparisons:
        group = comparison.group
        witnesses = tuple(model.document(w) for w in comparison.witnesses)
        yield plan.page(
            f"compare/{group.id}/index.html"
            if comparison.is_default
            else f"compare/{group.id}/{comparison.base}/index.html",
            (comparison, witnesses),
            "compare.html",
            lambda archive, comparison=comparison, witnesses=witnesses: {
                "group": comparison.group,
                "comparison": comparison,
                "witnesses": list(witnesses),
                "rows": rows_view(comparison),
                "variants": variants_view(comparison, archive),
            },
            noted=comparison.witnesses,
            exact=True,
        )
