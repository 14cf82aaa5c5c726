"""Stage 3, enrich: find the versions of one text and the quotations, and align the versions.

Takes: the archive's documents, and the editor's `compare.yaml`.
Gives: `comparisons.compare_archive`, the archive with its groups, relations and
comparisons (rows of aligned sentences, variants). Modules: `witness` and
`shingles` (documents as words and shingles), `groups`, `quotes` and `reuse`
(detection; `passages` places their words),
`align`, `variants`, `wordiff` (alignment), `config` (`compare.yaml`).
May import: the shared top-level modules, `cache`, `sources` and `notes`.
"""
