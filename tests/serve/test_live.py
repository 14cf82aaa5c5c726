"""What pages open under `serve` are told: epochs, problems, and pages written early."""

from __future__ import annotations

import pytest

from generator.build.up_to_date import BuildResult
from generator.diagnostics import Diagnostics
from generator.serve.live import LiveState, output_path


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("/", "/", "index.html"),
        ("/", "/documents/a/", "documents/a/index.html"),
        ("/", "/documents/a", "documents/a/index.html"),
        ("/", "/assets/style.css", "assets/style.css"),
        ("/repo/", "/repo/notes/2/", "notes/2/index.html"),
        ("/repo/", "/other/", None),
    ],
)
def test_a_url_path_names_its_output_file(base: str, path: str, expected: str | None) -> None:
    assert output_path(base, path) == expected


def test_a_rebuild_announced_early_ends_in_the_epoch_it_began() -> None:
    state = LiveState()
    state.publish(BuildResult(Diagnostics()))
    state.opened("/documents/a/")
    state.opened("/documents/a/")  # two tabs
    state.opened("/")
    state.left("/")
    assert state.pages() == ("/documents/a/",)
    state.early(state.pages(), frozenset({"documents/a/index.html"}))
    assert state.snapshot() == {"epoch": 2, "errors": [], "fresh": ["/documents/a/"]}
    assert state.fresh_files == {"documents/a/index.html"}
    state.publish(BuildResult(Diagnostics()))
    assert state.snapshot() == {"epoch": 2, "errors": []}
    assert state.fresh_files == frozenset()
    state.publish(BuildResult(Diagnostics()))
    assert state.snapshot() == {"epoch": 3, "errors": []}


def test_a_rebuild_that_fails_keeps_the_epoch_and_shows_its_problems() -> None:
    state = LiveState()
    state.publish(BuildResult(Diagnostics()))
    broken = Diagnostics()
    broken.error("notes/a.yaml", 3, "invalid YAML: unclosed bracket")
    state.publish(BuildResult(broken))
    assert state.snapshot() == {
        "epoch": 1,
        "errors": ["notes/a.yaml:3: error: invalid YAML: unclosed bracket"],
    }
