"""Note bodies: Markdown without raw HTML, document references turned into checked links."""

from __future__ import annotations

from generator.notes.markdown import render_note


def _resolve(doc: str, paragraph: str | None) -> str:
    if doc not in ("a", "b"):
        raise KeyError(f"unknown '{doc}'")
    return f"/base/documents/{doc}/" + (f"#{paragraph}" if paragraph else "")


def test_emphasis_lists_and_links() -> None:
    html, problems = render_note(
        "*Read* [b](b#p2), [own](#p3) and [web](https://example.org/x).\n\n- one\n- two",
        "a",
        _resolve,
    )
    assert problems == []
    assert html == (
        '<p><em>Read</em> <a href="/base/documents/b/#p2">b</a>, '
        '<a href="/base/documents/a/#p3">own</a> and '
        '<a href="https://example.org/x" rel="noopener">web</a>.</p>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


def test_raw_html_and_script_urls_stay_text() -> None:
    html, problems = render_note(
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3)) '
        "[y](data:text/html;base64,PHNjcmlwdD4=)",
        "a",
        _resolve,
    )
    assert problems == []
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert html.startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img")
    assert "[x](javascript:alert(3))" in html


def test_bad_references_are_problems() -> None:
    html, problems = render_note("[x](zzz) [y](Not_An_Id)", "a", _resolve)
    assert problems == [
        "unknown 'zzz'",
        "link 'Not_An_Id' is neither a web address (https://...) nor a document id such as "
        "'doc-id' or 'doc-id#p3'",
    ]
    assert html.count('href="#"') == 2
