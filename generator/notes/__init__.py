"""Stage 2, enrich: read the editors' notes and anchor each to the exact passage it quotes.

Takes: `notes/**/*.yaml` and the archive from `sources`.
Gives: `note_file` (note drafts read from YAML), `anchor` (finding a quoted passage),
`annotate` (drafts → anchored `Note`s on the archive), `markdown` (a note's safe HTML).
May import: the shared top-level modules, `cache` and `sources`.
"""
