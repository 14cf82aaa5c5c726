"""sitemap.xml, feed.xml and robots.txt: well-formed, absolute, from the archive's own dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.build.pipeline import load
from generator.render.changed import default_templates, render_site
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HILL, MINISTRY, STATE, TRAVEL

SITE = "https://example.org/archive/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _files(site_url: str | None = SITE) -> dict[str, bytes]:
    archive, _ = load(EXAMPLE, site_url=site_url)
    return render_site(archive, default_templates())


def test_sitemap_lists_every_page_but_the_404_at_its_absolute_address() -> None:
    files = _files()
    locs = [e.text for e in ET.fromstring(files["sitemap.xml"]).iter(f"{SITEMAP}loc")]
    pages = sorted(p for p in files if p.endswith(".html") and p != "404.html")
    assert locs == [SITE + p.removesuffix("index.html") for p in pages]
    assert f"{SITE}documents/{HILL}/" in locs and SITE in locs


def test_feed_holds_documents_and_notes_newest_first_dated_by_the_sources() -> None:
    feed = ET.fromstring(_files()["feed.xml"])
    assert feed.find(f"{ATOM}id").text == SITE
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    dated = [
        (e.find(f"{ATOM}updated").text[:10], e.find(f"{ATOM}id").text.removeprefix(SITE))
        for e in entries
    ]
    assert dated[0] == ("2026-11-24", f"documents/{STATE}/#n-4ebff077")  # the editors' date
    assert dated[-1] == ("2023-12-22", f"documents/{TRAVEL}/")
    assert [when for when, _ in dated] == ["2026-11-24"] + ["2023-12-28"] * 10 + ["2023-12-22"]
    # The undated copy, and the note on it, have no date to be filed under: not in the feed.
    assert not any("president-mexico" in entry for _, entry in dated)
    assert feed.find(f"{ATOM}updated").text == "2026-11-24T00:00:00Z"
    assert {d for _, d in dated if "#" not in d} == {
        f"documents/{doc}/" for doc in (STATE, MINISTRY, HILL, TRAVEL)
    }


def test_robots_names_the_sitemap_only_when_there_is_one() -> None:
    assert _files()["robots.txt"] == (
        b"User-agent: *\nAllow: /\nSitemap: https://example.org/archive/sitemap.xml\n"
    )
    files = _files(site_url=None)
    assert files["robots.txt"] == b"User-agent: *\nAllow: /\n"
    assert "sitemap.xml" not in files and "feed.xml" not in files
