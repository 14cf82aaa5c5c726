"""What a document page says of the texts related to it: quotations, shared passages, fellows."""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator.build.pipeline import load
from generator.render.changed import default_templates, render_site
from generator.render.compare_view import document_relations

PATHWAYS = (
    "agreed to expand legal pathways for workers and families, and to open three new "
    "processing centres in the south of Mexico before the end of June"
)
FRANK = "frank and productive, and the first of many this year"
BUNDLE = f"""Migration talks, April 2024
Ministry of Foreign Affairs
Mexico City
11 April 2024
Joint statement on migration
{{MET}}
Both governments {PATHWAYS}.
{{CONDEMNED}}
Reuters
London
12 April 2024
Mexico and US promise legal routes
Mexico and the United States on Thursday promised more legal routes for migrants.
In a joint statement, the two governments “{PATHWAYS}.”
A spokesperson told reporters the talks had been “{FRANK}”.
Associated Press
New York
13 April 2024
Talks were frank, officials say
Officials described the talks as “{FRANK}”, and a new round is planned for May.
""".format(
    MET="The foreign ministers of Mexico and the United States met in Mexico City on Thursday "
    "to review the migration agreement signed last year.",
    CONDEMNED="The ministers also condemned the smuggling networks that put the lives of "
    "migrants at risk and pledged to share intelligence on their finances.",
)
UNDATED = f"""---
publisher: The Hill
title: New centres for migrants
---
New migrant processing centres will open in southern Mexico, officials said on a call.

The ministers “{PATHWAYS}”, a spokesperson added.
"""


def _related(files: dict[str, bytes], doc_id: str) -> str:
    page = files[f"documents/{doc_id}/index.html"].decode()
    found = re.search(r'<section class="relations".*?</section>', page, re.S)
    assert found
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found[0])).split())


def test_pages_say_who_shares_a_passage_and_who_quotes_the_same_words(make_source) -> None:
    source: Path = make_source({"sources/talks.txt": BUNDLE, "sources/typed/hill.md": UNDATED})
    archive, diagnostics = load(source)
    assert diagnostics.lines() == []
    ids = {d.publisher: d.id for d in archive.documents}
    assert archive.groups == ()
    files = render_site(archive, default_templates())
    # The page's own words are named by their ends (the ¶ link shows them whole);
    # another text's quoted words stay whole.
    mine = "agreed to expand legal pathways for … the end of June"
    assert _related(files, ids["Reuters"]) == (
        f"Related texts inferred ¶2 quotes “{PATHWAYS}” from Ministry of Foreign Affairs, ¶2 "
        f"word for word. ¶2: others quote the same words, “{mine}”, in their own "
        f"quotation marks: The Hill, ¶2. ¶3: others quote the same words, “{FRANK}”, in their "
        "own quotation marks: Associated Press, ¶1."
    )
    assert _related(files, ids["The Hill"]) == (
        f"Related texts inferred ¶2 shares this passage with Ministry of Foreign Affairs, ¶2 "
        f"word for word: “{mine}”. Their dates do not say who quoted whom. ¶2: others "
        f"quote the same words, “{mine}”, in their own quotation marks: Reuters, ¶2."
    )
    assert _related(files, ids["Ministry of Foreign Affairs"]) == (
        f"Related texts inferred ¶2 is quoted by Reuters, ¶2 word for word: “{mine}”. ¶2 "
        f"shares this passage with The Hill, ¶2 word for word: “{mine}”. Their dates do "
        "not say who quoted whom."
    )


def test_relations_of_some_documents_are_those_of_the_whole_archive(make_source) -> None:
    source: Path = make_source({"sources/talks.txt": BUNDLE, "sources/typed/hill.md": UNDATED})
    archive, _ = load(source)
    every = document_relations(archive)
    hill = next(d.id for d in archive.documents if d.publisher == "The Hill")
    assert document_relations(archive, only={hill}) == {hill: every[hill]}
    assert every[hill].shared and every[hill].fellows  # a case with something to get wrong
