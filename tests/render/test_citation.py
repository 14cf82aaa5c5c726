"""Citations of a document: formatted and schema.org JSON-LD, exact (BibTeX and CSL-JSON are
made from the JSON-LD in the browser: tests/test_browser_document.py)."""

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
    data = json.loads(citation.json_ld)
    # Everything assets/document.js makes BibTeX and CSL-JSON from (tests/test_browser_document.py).
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Biden administration backtracks on ‘democratic decline’ as root cause of "
        "migration",
        "url": address,
        "inLanguage": "en",
        "isPartOf": {"@type": "WebSite", "name": "US–Mexico migration talks, December 2023"},
        "isBasedOn": data["isBasedOn"],
        "datePublished": "2023-12-28",
        "publisher": {"@type": "Organization", "name": "The Hill"},
        "author": {"@type": "Person", "name": "Rafael Bernal"},
    }
    assert data["isBasedOn"]["name"] == "sources/002_27c17665a4c0d5c7.txt"


def test_a_press_release_is_cited_by_its_publisher_and_says_where_it_came_from() -> None:
    citation = _cite(STATE)
    assert citation.text.startswith("“Mexico-U.S. Joint Communique: Mexico and the United States")
    assert "” United States Department of State, 28 December 2023. In " in citation.text
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
