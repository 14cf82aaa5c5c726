"""Stage 1, sources → parse → model: find the source files, parse them, build the documents.

Takes: the source folder (`site.yaml`, `sources/**/*.txt|.md`, corrections beside bundles).
Gives: `archive.load_archive`, an `Archive` of documents and collections with their
provenance, and the problems found. Modules: `bundle` (plain-text bundles), with
`headers` (header shapes), `layout` (lines, blocks, hard wraps) and `datelines`;
`markdown` (typed documents), `corrections`, `site_config`, `dates`, `language`,
`sentences`, `ids`.
May import: the shared top-level modules and `cache`.
"""
