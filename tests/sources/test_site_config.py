"""site.yaml and the command-line overrides: addresses are checked, never trusted."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.sources.site_config import load_config


def _config(tmp_path: Path, text: str | None, **overrides: str):
    if text is not None:
        (tmp_path / "site.yaml").write_text(text)
    diagnostics = Diagnostics()
    return load_config(tmp_path, diagnostics, **overrides), diagnostics.lines()


def test_defaults_without_site_yaml(tmp_path: Path) -> None:
    config, problems = _config(tmp_path, None)
    assert (config.title, config.base_url, config.site_url, config.language) == (
        "Sourcebook archive", "/", None, "en",
    )  # fmt: skip
    assert problems == []


def test_site_url_gives_the_base_path(tmp_path: Path) -> None:
    config, problems = _config(tmp_path, "site_url: https://user.github.io/repo\n")
    assert (config.site_url, config.base_url) == ("https://user.github.io/repo/", "/repo/")
    assert problems == []
    config, _ = _config(tmp_path, None, base_url="repo/sub", site_url="https://x.org/")
    assert (config.site_url, config.base_url) == ("https://x.org/", "/repo/sub/")


def test_odd_addresses_are_errors(tmp_path: Path) -> None:
    _, problems = _config(
        tmp_path,
        'title: T\nsite_url: https://example.org/"><script>x</script>/\nbase_url: /a b/\n',
    )
    assert problems == [
        "site.yaml:2: error: site_url must be a plain absolute address such as "
        "https://user.github.io/repo/, not 'https://example.org/\"><script>x</script>/'",
        "site.yaml:3: error: base path '/a b/' may hold only letters, digits and - . _ ~ "
        "between slashes, e.g. /repo/",
    ]
    (tmp_path / "site.yaml").unlink()
    _, problems = _config(tmp_path, None, site_url="javascript:alert(1)", base_url="../up")
    assert problems == [
        "--base-url:1: error: base path '../up' may hold only letters, digits and - . _ ~ "
        "between slashes, e.g. /repo/",
        "--site-url:1: error: site_url must be a plain absolute address such as "
        "https://user.github.io/repo/, not 'javascript:alert(1)'",
    ]


def test_wrong_shapes(tmp_path: Path) -> None:
    _, problems = _config(tmp_path, "- a list\n")
    assert problems == ["site.yaml:1: error: site.yaml must be a mapping of settings"]
    _, problems = _config(tmp_path, "editors: {a: 1}\ntitle: [x]\n")
    assert problems == [
        "site.yaml:1: error: 'editors' must be a list of names",
        "site.yaml:2: error: 'title' must be text",
    ]
