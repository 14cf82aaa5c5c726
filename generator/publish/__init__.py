"""Stage 6, write: publish the rendered files atomically, with their search index.

Takes: the rendered files and the output folder.
Gives: `write` (the staged folder swapped in whole, or file by file under `serve`),
`search` (the Pagefind index of the staged site, before the swap), `lock` (one
writer per output folder).
May import: the shared top-level modules, `cache` and every earlier stage.
"""
