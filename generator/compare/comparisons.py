"""Enrich: detect version groups and quotations, and align every group's witnesses.

`compare_archive(archive, source, diagnostics)` returns the archive with its
groups, its relations, and one `Comparison` per group: its witnesses aligned
once, against the group's base, with each variant place holding every
witness's reading. Any other witness can be the base of the page in the
reader's browser: what differs from it follows from the same readings, so
nothing is aligned again per base. With a cache, a group whose documents did
not change keeps its comparison: an edit to one bundle aligns only the groups
of its documents again.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generator.cache.digests import key
from generator.cache.store import BuildCache, Changes, scoped
from generator.compare.align import align, pair_similarity
from generator.compare.closest import CACHED_STAGES as CLOSEST_STAGES
from generator.compare.closest import LAST_FOUND as CLOSEST_LAST
from generator.compare.config import CompareConfig, load_compare_config, resolve_groups
from generator.compare.groups import CACHED_STAGES as GROUPING_STAGES
from generator.compare.groups import LAST_FOUND as GROUPING_LAST
from generator.compare.groups import detect_groups, group_relations
from generator.compare.quotes import find_quotations
from generator.compare.reuse import CACHED_STAGES as REUSE_STAGES
from generator.compare.reuse import LAST_FOUND as REUSE_LAST
from generator.compare.shingles import CACHED_STAGES as SHINGLE_STAGES
from generator.compare.shingles import ShingleIndex
from generator.compare.translations import translation_groups
from generator.compare.variants import find_variants
from generator.compare.witness import sentences_of
from generator.cores import in_child, map_on_cores
from generator.diagnostics import Diagnostics
from generator.model import Archive, Comparison, Document, Group, Relation, Sentence


def compare_archive(
    archive: Archive,
    source: Path,
    diagnostics: Diagnostics,
    cache: BuildCache | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Archive:
    """The archive with its groups, relations and comparisons.

    `meanwhile()` is run while the versions and quotations are found in a
    child: work of the build's that does not need them.
    """
    documents = list(archive.documents)
    config = load_compare_config(source, {d.id for d in documents}, diagnostics)
    cache = cache or BuildCache()
    detected, quotations = _versions_and_quotations(documents, config, cache, meanwhile)
    quoted = Counter(r.target.document for r in quotations if r.type == "quotation")
    groups = resolve_groups(detected, config, documents, quoted)
    relations = group_relations(groups, documents) + quotations
    by_id = {d.id: d for d in documents}
    # A group's comparisons follow from the group and its documents alone.
    group_keys = {g.id: key(g, *(by_id[d] for d in g.documents)) for g in groups}
    known = {g.id: cache.lookup("comparison", group_keys[g.id]) for g in groups}
    missing = [g for g in groups if known[g.id] is None]
    grouped = {d for g in missing for d in g.documents}
    sentences = {d.id: sentences_of(d) for d in documents if d.id in grouped}
    computed = map_on_cores(
        lambda group: _compare_group(group, {d: sentences[d] for d in group.documents}),
        missing,
    )
    for group, found in zip(missing, computed, strict=True):
        cache.store("comparison", group_keys[group.id], found)
        known[group.id] = found
    # A kept comparison holds the group it was made for, equal to this build's.
    comparisons = tuple(c for g in groups if (c := known[g.id]) is not None)
    translations = translation_groups(documents, groups, source, diagnostics, cache)
    return replace(
        archive,
        groups=groups,
        relations=tuple(relations),
        comparisons=comparisons,
        translations=translations,
    )


def _versions_and_quotations(
    documents: list[Document],
    config: CompareConfig,
    cache: BuildCache,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[list[str]], list[Relation]]:
    """The version groups detected, and the quotations, found in a forked child.

    Their temporaries (every text's sentences, shingles and fingerprints) took
    about 300 MB at 10,000 documents; freed in this process, most of it stayed
    with the allocator, in arenas shared with what lives on, until the build
    ended. In a child they die with it: what crosses back is the groups, the
    relations and the cache's new entries.
    """
    for stage in (*GROUPING_STAGES, *SHINGLE_STAGES, *REUSE_STAGES, *CLOSEST_STAGES):
        cache.read_in(stage)  # the child must not read through this process's database

    def find() -> tuple[list[list[str]], list[Relation], Changes]:
        mark = cache.mark()
        # What the last build found is replaced, under the same key: sent back all the same.
        for stage, last in (*GROUPING_LAST, *REUSE_LAST, *CLOSEST_LAST):
            mark.get(stage, set()).discard(scoped(last))
        index = ShingleIndex.of(documents, cache)
        detected = detect_groups(index, cache)
        # Quotations need only who is grouped with whom; the bases need the quotations.
        quotations = find_quotations(index, resolve_groups(detected, config, documents), cache)
        return detected, quotations, cache.changes(mark)

    detected, quotations, changes = in_child(find, meanwhile)
    cache.merge(changes)
    return detected, quotations


def _compare_group(group: Group, sentences: dict[str, list[Sentence]]) -> Comparison:
    """The group's one comparison: every witness aligned against the group's base."""
    order = (group.base, *(d for d in group.documents if d != group.base))
    rows = align([sentences[d] for d in order])
    variants = find_variants(rows, list(order))
    # Similarity is symmetric: once per pair, whichever text the reader takes as base.
    pairs = tuple(
        (a, b, pair_similarity(sentences[a], sentences[b]))
        for a, b in itertools.combinations(order, 2)
    )
    return Comparison(group, order, tuple(rows), tuple(variants), pairs)
