"""What the archive found, for the home page and the `compare/` index: the version groups
with their top difference, and the documents most quoted.

Reads only the model; the differences come from `substance.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Archive, Comparison, Document
from generator.render.substance import Difference, copy_columns, differences

HOME_GROUPS = 5  # groups the home page shows; the compare/ index lists them all
HOME_QUOTED = 5  # most quoted documents on the home page


@dataclass(frozen=True)
class GroupFinding:
    """A version group as a list shows it: its witnesses, copies, and top difference."""

    comparison: Comparison  # the group's default comparison
    witnesses: tuple[Document, ...]  # the base first
    copies: dict[int, int]  # column of an exact copy → column of its original
    top: Difference | None  # what differs most in substance, if anything does
    why: tuple[str, ...] = ()  # why it is listed, in a few words each
    reordered: bool = False  # a witness has passages out of the others' order


@dataclass(frozen=True)
class QuotedDocument:
    """A document other documents quote, and who quotes it."""

    document: Document
    quoting: tuple[Document, ...]  # distinct quoting documents, in archive order
    passages: int  # quoted passages in all


def ordered_groups(comparisons: dict[str, Comparison], group_ids: list[str]) -> list[Comparison]:
    """The groups' default comparisons, the most witnesses first, then in archive order."""
    found = [comparisons[g] for g in group_ids if g in comparisons]
    return sorted(found, key=lambda c: -len(c.witnesses))


def group_finding(comparison: Comparison, archive: Archive) -> GroupFinding:
    """One group as the lists show it, its top difference weighed with the current notes."""
    top = differences(comparison, archive, shown=1)
    witnesses = tuple(archive.document(w) for w in comparison.witnesses)
    copies = copy_columns(comparison, archive)
    why = _why(top[0], witnesses, copies, archive) if top else ()
    reordered = any(any(row.moved) for row in comparison.rows)
    return GroupFinding(comparison, witnesses, copies, top[0] if top else None, why, reordered)


def _why(
    top: Difference, witnesses: tuple[Document, ...], copies: dict[int, int], archive: Archive
) -> tuple[str, ...]:
    """The reasons a difference is listed, in a few words each."""

    def named(columns: tuple[int, ...], last: str) -> str:
        names = []
        for column in columns:
            name = witnesses[column].publisher or "a copy without a header"
            if any(original == column for original in copies.values()):
                name += " and its copy"
            names.append(name)
        return f"{', '.join(names[:-1])}{last}{names[-1]}" if len(names) > 1 else names[0]

    found = []
    if top.change == "unmatched":
        if top.only_in == (0,):
            found.append(f"not in {named(top.missing_from, ' or ')}")
        else:
            found.append(f"only in {named(top.only_in, ' and ')}")
    quoting = dict.fromkeys(r.origin.document for r in top.quoted_by)
    if quoting:
        names = [archive.document(d).publisher or "a document without a publisher" for d in quoting]
        found.append(f"quoted by {', '.join(dict.fromkeys(names))}")
    if top.notes:
        found.append("noted by the editors")
    if top.names:
        found.append("names or numbers changed")
    if top.change == "wording":
        found.append("worded differently")
    if top.change == "moved":
        found.append("moved")
    return tuple(found)


def quoted_total(archive: Archive) -> int:
    """How many documents other documents quote."""
    return len({r.target.document for r in archive.relations if r.type == "quotation"})


def most_quoted(archive: Archive, limit: int = HOME_QUOTED) -> list[QuotedDocument]:
    """The documents quoted by the most other documents (then by passages, archive order)."""
    quoting: dict[str, dict[str, None]] = {}
    passages: dict[str, set[tuple[int, int | None]]] = {}
    for relation in archive.relations:
        if relation.type != "quotation":
            continue
        target = relation.target.document
        quoting.setdefault(target, {})[relation.origin.document] = None
        passages.setdefault(target, set()).add((relation.target.paragraph, relation.target.start))
    position = {d.id: i for i, d in enumerate(archive.documents)}
    ranked = sorted(quoting, key=lambda d: (-len(quoting[d]), -len(passages[d]), position[d]))
    return [
        QuotedDocument(
            archive.document(d),
            tuple(archive.document(o) for o in sorted(quoting[d], key=position.__getitem__)),
            len(passages[d]),
        )
        for d in ranked[:limit]
    ]
