"""Read `site.yaml`, the archive's settings, and apply command-line overrides."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from generator import safe_yaml
from generator.diagnostics import Diagnostics
from generator.model import SiteConfig

_KEYS = (
    "title",
    "description",
    "language",
    "site_url",
    "base_url",
    "license",
    "editors",
    "date_order",
)
DATE_ORDERS = ("mdy", "dmy")


_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def normalize_base_url(value: str) -> str:
    """A path prefix that starts and ends with one slash (`repo` → `/repo/`)."""
    parts = [p for p in value.strip().split("/") if p not in ("", ".")]
    return "/" + "".join(p + "/" for p in parts)


def base_url_problem(value: str) -> str | None:
    """Why a base path is unusable (odd characters, `..`), or None."""
    parts = [p for p in value.strip().split("/") if p not in ("", ".")]
    if any(p == ".." or not _SEGMENT.fullmatch(p) for p in parts):
        return (
            f"base path '{value}' may hold only letters, digits and - . _ ~ "
            "between slashes, e.g. /repo/"
        )
    return None


def load_config(
    source: Path,
    diagnostics: Diagnostics,
    base_url: str | None = None,
    site_url: str | None = None,
) -> SiteConfig:
    """The site settings: `site.yaml` if present, then the overrides given."""
    path = source / "site.yaml"
    values: dict[str, object] = {}
    node = None
    if path.is_file():
        data, node = safe_yaml.load(path, "site.yaml", diagnostics)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            diagnostics.error("site.yaml", 1, "site.yaml must be a mapping of settings")
            data = {}
        for key, value in data.items():
            line = safe_yaml.line_of(node, key)
            if key not in _KEYS:
                diagnostics.warning(
                    "site.yaml", line, f"unknown setting '{key}'; known: {', '.join(_KEYS)}"
                )
            elif key == "editors":
                if isinstance(value, str):
                    value = [value]
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    diagnostics.error("site.yaml", line, "'editors' must be a list of names")
                    continue
                values[key] = tuple(value)
            elif value is not None:
                if not isinstance(value, str | int | float):
                    diagnostics.error("site.yaml", line, f"'{key}' must be text")
                    continue
                values[key] = str(value)
        if values.get("date_order") not in (None, *DATE_ORDERS):
            line = safe_yaml.line_of(node, "date_order")
            diagnostics.error("site.yaml", line, date_order_problem(str(values.pop("date_order"))))
        if "site_url" in values:
            values["site_url"] = _check_site_url(str(values["site_url"]), diagnostics, node)
    if site_url is not None:
        values["site_url"] = _check_site_url(site_url, diagnostics, None)
    if base_url is not None:
        values["base_url"] = base_url
    if values.get("site_url") is None:
        values.pop("site_url", None)
    if "base_url" not in values and values.get("site_url"):
        values["base_url"] = urlsplit(str(values["site_url"])).path
    if "base_url" in values:
        problem = base_url_problem(str(values["base_url"]))
        if problem:
            where = "site.yaml" if base_url is None else "--base-url"
            line = safe_yaml.line_of(node, "base_url") if where == "site.yaml" else 1
            diagnostics.error(where, line, problem)
            values.pop("base_url")
        else:
            values["base_url"] = normalize_base_url(str(values["base_url"]))
    return SiteConfig(**values)  # type: ignore[arg-type]


def date_order_problem(value: str) -> str:
    """The message for a `date_order` that is neither 'mdy' nor 'dmy'."""
    return (
        f"date_order '{value}' must be 'mdy' (4/11/2005 is 11 April) or 'dmy' "
        "(4/11/2005 is 4 November)"
    )


def site_url_problem(value: str) -> str | None:
    """Why a site address is unusable (not a plain http(s) address), or None."""
    parts = urlsplit(value.strip())
    plain = (
        not parts.query and not parts.fragment and _SEGMENT.fullmatch(parts.netloc.replace(":", ""))
    )
    if parts.scheme not in ("http", "https") or not plain or base_url_problem(parts.path):
        return (
            f"site_url must be a plain absolute address such as https://user.github.io/repo/, "
            f"not '{value}'"
        )
    return None


def _check_site_url(value: str, diagnostics: Diagnostics, node: object) -> str | None:
    problem = site_url_problem(value)
    if problem:
        line = safe_yaml.line_of(node, "site_url") if node is not None else 1
        where = "site.yaml" if node is not None else "--site-url"
        diagnostics.error(where, line, problem)
        return None
    return value.strip().rstrip("/") + "/"
