"""Pages as a reader's browser runs them: headless Chromium against the built sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import artifacts, chromium, served
from conftest import EXAMPLE
from test_hostile import HOSTILE

from generator.cli import main

pytestmark = pytest.mark.timeout(240)


def _build(source: Path, out: Path) -> Path:
    assert main(["build", "--source", str(source), "--out", str(out)]) == 0
    return out


def test_hostile_archive_runs_no_script_in_chromium(tmp_path: Path) -> None:
    site = _build(HOSTILE, tmp_path / "build")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    events: list[str] = []
    with chromium() as browser, served(site) as address:
        page = browser.new_page()
        page.on(
            "dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss())
        )
        page.on("pageerror", lambda error: events.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                events.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        for rel in pages:
            path = "/" + rel.removesuffix("index.html")
            page.goto(address + path)
            page.mouse.move(10, 10)
            page.mouse.move(300, 300)  # would fire injected mouseover handlers
            assert page.evaluate("typeof window.__pwned") == "undefined", path
    assert events == []


def test_chromium_check_catches_an_injected_script(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><body><script>window.__pwned = 1; alert('x')</script></body></html>"
    )
    events: list[str] = []
    with chromium() as browser, served(tmp_path) as address:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (events.append("dialog"), dialog.dismiss()))
        page.goto(address + "/")
        assert page.evaluate("typeof window.__pwned") == "number"
    assert events == ["dialog"]


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots_of_the_example_site(
    tmp_path: Path, name: str, width: int, height: int
) -> None:
    site = _build(EXAMPLE, tmp_path / "build")
    folder = artifacts()
    with chromium() as browser, served(site) as address:
        page = browser.new_page(viewport={"width": width, "height": height})
        for label, path in [
            ("index", "/"),
            (
                "document",
                "/documents/2023-12-28-united-states-department-mexico-us-joint-communique-mexico/",
            ),
            ("notes", "/notes/"),
        ]:
            page.goto(address + path)
            target = folder / f"{label}-{name}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            # Nothing wider than the viewport: the layout is responsive.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
