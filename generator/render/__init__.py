"""Stage 5, render: every file of the site, from the model alone.

Takes: the enriched archive and the templates folder.
Gives: `site_files.site_outputs` (each file with what it is made from), and
`changed.render_changed` (the bytes of the files whose inputs changed). The
views (`compare_view`, `entity_view`, `listings`, `marks`, `citation`) shape the
model for the templates; `export` and `annotations` write the data files, `feeds`
the sitemap and Atom feed.
May import: the shared top-level modules, `cache` and the enrich stages.
"""
