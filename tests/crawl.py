"""Test support: crawl a built site on disk and list every broken internal link or anchor."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            value = values.get(name)
            if value and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(value)


def _target(root: Path, base: str, path: str) -> Path | None:
    """The file a site path is served from, or None when outside the base path."""
    if not path.startswith(base):
        return None
    rel = unquote(path[len(base) :])
    candidate = root / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    return candidate


def broken_links(root: Path, base: str = "/") -> list[str]:
    """Every internal link (and #anchor) of every HTML page under `root` that resolves nowhere."""
    pages: dict[Path, _Page] = {}
    for html in sorted(root.rglob("*.html")):
        page = _Page()
        page.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = page
    problems: list[str] = []
    for html, page in pages.items():
        here = "/" + html.relative_to(root.resolve()).as_posix()
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external
            path, fragment = urldefrag(link)
            if not path:
                target = html
            elif not path.startswith("/"):
                problems.append(f"{here}: relative link {link!r} (links must carry the base path)")
                continue
            else:
                target = _target(root, base, path)
                if target is None:
                    problems.append(f"{here}: {link!r} is outside the base path {base}")
                    continue
            if not target.is_file():
                problems.append(f"{here}: {link!r} leads to no file")
                continue
            if fragment:
                ids = pages.get(target.resolve())
                if ids is None or fragment not in ids.ids:
                    problems.append(f"{here}: {link!r} has no anchor #{fragment}")
    return problems
