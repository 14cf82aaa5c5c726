"""Render a note's Markdown to safe HTML, turning document references into links.

Raw HTML is off, so a note can never inject markup. A link target that is a
document id (`doc-id`, `doc-id#p3`, or `#p3` for the note's own document)
becomes an internal link; an unknown id or paragraph is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})
_REFERENCE = re.compile(r"(?P<doc>[a-z0-9]+(?:-[a-z0-9]+)*)?(?:#p(?P<paragraph>\d+))?")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")

# Given (document id, paragraph id or None), return the internal URL or raise
# KeyError with a message.
Resolver = Callable[[str, str | None], str]


def render_note(markdown: str, own_doc: str, resolve: Resolver) -> tuple[str, list[str]]:
    """HTML of a note body, and the problems found in its links."""
    problems: list[str] = []
    tokens = _MARKDOWN.parse(markdown)
    for token in _walk(tokens):
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        if href.startswith(_SAFE_SCHEMES):
            token.attrSet("rel", "noopener")
            continue
        match = _REFERENCE.fullmatch(href)
        if not href or match is None or (match["doc"] is None and match["paragraph"] is None):
            problems.append(
                f"link '{href}' is neither a web address (https://...) nor a document "
                "id such as 'doc-id' or 'doc-id#p3'"
            )
            token.attrSet("href", "#")
            continue
        doc = match["doc"] or own_doc
        paragraph = f"p{match['paragraph']}" if match["paragraph"] else None
        try:
            token.attrSet("href", resolve(doc, paragraph))
        except KeyError as problem:
            problems.append(str(problem.args[0]))
            token.attrSet("href", "#")
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return html.strip(), problems


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
