"""Citations of a document: formatted, BibTeX, CSL-JSON and schema.org, exact."""

from __future__ import annotations

import json
from dataclasses import replace

from generator.build.pipeline import load
from generator.render.citation import cite
from generator.render.templating import Links
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HILL, STATE

SITE = "https://example.org/archive/"


def _cite(doc_id: str, site_url: str | None = SITE):
    archive, _ = load(EXAMPLE, site_url=site_url)
    return cite(archive.document(doc_id), archive.config, Links(archive.config.base_url))


def test_an_article_with_a_byline_is_cited_by_its_author() -> None:
    citation = _cite(HILL)
    address = f"{SITE}documents/{HILL}/"
    assert citation.text == (
        "Rafael Bernal. “Biden administration backtracks on ‘democratic decline’ as root cause "
        "of migration.” The Hill, 28 December 2023. In US–Mexico migration talks, December "
        f"2023. {address} (accessed [date])."
    )
    assert citation.bibtex == (
        f"@misc{{{HILL},\n"
        "  title = {{Biden administration backtracks on ‘democratic decline’ as root cause of "
        "migration}},\n"
        "  author = {Rafael Bernal},\n"
        "  organization = {The Hill},\n"
        "  date = {2023-12-28},\n"
        f"  howpublished = {{\\url{{{address}}}}},\n"
        "  note = {In: US–Mexico migration talks, December 2023}\n"
        "}"
    )
    assert json.loads(citation.csl_json) == {
        "id": HILL,
        "type": "article-newspaper",
        "title": "Biden administration backtracks on ‘democratic decline’ as root cause of "
        "migration",
        "container-title": "US–Mexico migration talks, December 2023",
        "URL": address,
        "language": "en",
        "author": [{"literal": "Rafael Bernal"}],
        "publisher": "The Hill",
        "issued": {"date-parts": [[2023, 12, 28]]},
    }


def test_a_press_release_is_cited_by_its_publisher_and_says_where_it_came_from() -> None:
    citation = _cite(STATE)
    assert citation.text.startswith("“Mexico-U.S. Joint Communique: Mexico and the United States")
    assert "” United States Department of State, 28 December 2023. In " in citation.text
    assert "  author = {{United States Department of State}},\n" in citation.bibtex
    data = json.loads(citation.json_ld)
    assert data["@type"] == "Article" and "author" not in data
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "United States Department of State",
    }
    assert data["isBasedOn"]["identifier"].startswith("sha256:")
    assert data["datePublished"] == "2023-12-28"


def test_without_the_sites_address_the_citation_points_from_the_site_root() -> None:
    assert _cite(HILL, site_url=None).address == f"/documents/{HILL}/"


def test_json_ld_cannot_close_its_script_element() -> None:
    archive, _ = load(EXAMPLE, site_url=SITE)
    doc = replace(archive.document(HILL), title="</script><script>alert(1)</script> & more")
    json_ld = cite(doc, archive.config, Links("/")).json_ld
    assert "<" not in json_ld and ">" not in json_ld and "&" not in json_ld
    assert json.loads(json_ld)["headline"] == "</script><script>alert(1)</script> & more"


def test_bibtex_escapes_its_special_characters() -> None:
    archive, _ = load(EXAMPLE, site_url=SITE)
    doc = replace(archive.document(STATE), title="100% {sure} & $5_000 #1")
    assert (
        "title = {{100\\% \\{sure\\} \\& \\$5\\_000 \\#1}}"
        in cite(doc, archive.config, Links("/")).bibtex
    )


def test_bibtex_escapes_every_tex_special_once() -> None:
    # A backslash used to become "\\", which TeX reads as a line break.
    archive, _ = load(EXAMPLE, site_url=SITE)
    title = r"Path C:\docs {draft} 50% R&D $2 #3 file_name ~5 x^2"
    doc = replace(archive.document(STATE), title=title, editor={"publisher": "A_B & C~D"})
    bibtex = cite(doc, archive.config, Links("/")).bibtex
    assert (
        "  title = {{Path C:\\textbackslash{}docs \\{draft\\} 50\\% R\\&D \\$2 \\#3 "
        "file\\_name \\textasciitilde{}5 x\\textasciicircum{}2}},\n"
    ) in bibtex
    assert "  author = {{A\\_B \\& C\\textasciitilde{}D}},\n" in bibtex


def test_json_ld_carries_the_time_a_header_gives() -> None:
    archive, _ = load(EXAMPLE, site_url=SITE)
    state = archive.document(STATE)
    timed = replace(state, provenance=replace(state.provenance, date_time="2023-12-28T18:21-05:00"))
    assert json.loads(cite(timed, archive.config, Links("/")).json_ld)["datePublished"] == (
        "2023-12-28T18:21-05:00"
    )
    assert json.loads(cite(state, archive.config, Links("/")).json_ld)["datePublished"] == (
        "2023-12-28"
    )
