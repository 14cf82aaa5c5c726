"""Sourcebook: a static site generator for annotated archives of primary sources."""

__version__ = "0.1.0"
