"""`sourcebook serve`: build, serve over HTTP, rebuild on every edit, reload the open pages.

Takes: what `build` takes, plus a host and port.
Gives: `server.serve`, and `live` (what the open pages are told, and their script).
May import: every stage and `build`; only the CLI imports it.
"""
