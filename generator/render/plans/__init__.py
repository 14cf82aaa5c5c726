"""One planner per kind of file: which files it makes, and from what.

Each planner takes the `Plan` and yields `Output`s; `site_files` runs them in
order. Adding a kind of page is adding one planner there.
"""
