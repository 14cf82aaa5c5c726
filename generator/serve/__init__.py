"""`sourcebook serve`: build, serve over HTTP, rebuild on every edit, reload the open pages.

Takes: what `build` takes, plus a host and port.
Gives: `server.serve`, `live` (what the open pages are told, and their script) and
`refresh` (the search index, refreshed in the background).
May import: every stage and `build`; only the CLI imports it.
"""
