"""The build loop: the stages in order, shared by `check`, `build` and `serve`.

Takes: the source folder, the templates and the output folder.
Gives: `pipeline.load` (the enriched archive and its problems) and
`pipeline.build` (load, render what changed, publish).
May import: every stage; only `serve` and the CLI import it.
"""
