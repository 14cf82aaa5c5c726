"""The translation pages: an original and each translation, sentence beside sentence."""

from __future__ import annotations

from collections.abc import Iterator

from generator.render.output import Output, Plan
from generator.render.translation_view import pair_rows


def translation_pages(plan: Plan) -> Iterator[Output]:
    """A page per translation group, at `translations/<group>/`."""
    model = plan.model
    for group in model.translations:
        members = tuple(model.document(d) for d in group.documents)
        yield plan.page(
            f"translations/{group.id}/index.html",
            (group, members),
            "translation.html",
            lambda archive, group=group, members=members: {
                "group": group,
                "members": list(members),
                "alignments": [
                    {
                        "alignment": a,
                        "left": archive.document(a.left),
                        "right": archive.document(a.right),
                        "rows": pair_rows(a),
                    }
                    for a in group.alignments
                ],
            },
            exact=True,
        )
