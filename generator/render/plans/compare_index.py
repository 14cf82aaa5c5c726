"""The `compare/` index: every version group, with its witnesses and top difference, in pages."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from generator.render.findings import group_finding, ordered_groups
from generator.render.listings import LISTED, paged
from generator.render.output import Output, Plan
from generator.render.substance import copy_columns, quotations_of


def compare_index_pages(plan: Plan, wanted: Collection[str] | None = None) -> Iterator[Output]:
    """The groups, the most witnesses first, over pages of the lists' size.

    With `wanted`, only the pages it names (a note edit: their inputs read the
    quotations of every group's witnesses).
    """
    model = plan.model
    groups = ordered_groups(plan.default, [g.id for g in model.groups])
    for path, shown, pager in paged("compare/", plan.links.page("compare"), groups):
        if wanted is not None and path not in wanted:
            continue
        witnesses = tuple(w for c in shown for w in c.witnesses)
        # What a finding reads of the rest of the archive: who quotes its witnesses
        # (with their publishers) and which are copies of which.
        around = tuple((quotations_of(model, c.witnesses), copy_columns(c, model)) for c in shown)
        yield plan.page(
            path,
            (tuple(shown), tuple(model.document(w) for w in witnesses), around, pager, len(groups)),
            "compare_index.html",
            lambda archive, shown=shown, pager=pager: {
                "findings": [group_finding(c, archive) for c in shown],
                "total": len(groups),
                "pager": pager,
            },
            # The top differences weigh where the editors' notes are, not what they say.
            noted=(LISTED,),
            exact=True,
        )
