"""Where the templates shipped with Sourcebook are.

Its own module, with no Jinja, so that the command line can name the
templates (they are an input of every build) without importing the render stage.
"""

from __future__ import annotations

from pathlib import Path


def default_templates() -> Path:
    """The default templates: inside the installed package, or the repository's own."""
    package = Path(__file__).resolve().parent.parent  # generator/, not generator/render/
    installed = package / "templates"  # `pip install .` puts them here (pyproject.toml)
    return installed if installed.is_dir() else package.parent / "templates"
