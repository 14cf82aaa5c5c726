"""For machines: `robots.txt`; `sitemap.xml` and `feed.xml` once the site's address is known."""

from __future__ import annotations

from collections.abc import Iterator

from generator.render import feeds
from generator.render.output import ALL, Output, Plan
from generator.render.templating import by_date


def feed_files(plan: Plan, pages: list[str]) -> Iterator[Output]:
    """The files that list the others: they come last, once every page is planned."""
    model, links = plan.model, plan.links
    yield Output("robots.txt", (), lambda archive: feeds.robots(archive), exact=True)
    if model.config.site_url:  # sitemaps and feeds need absolute addresses
        yield Output("sitemap.xml", (tuple(pages),), lambda archive: feeds.sitemap(archive, pages))
        yield Output(
            "feed.xml",
            (by_date(model.documents),),
            lambda archive: feeds.atom(archive, links),
            noted=(ALL,),
        )
