"""The command line: exit codes, one-line problems, and a published site that is never damaged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main
from tests.conftest import EXAMPLE
from tests.crawl import broken_links
from tests.sources.test_archive import EXAMPLE_WARNINGS


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_build_example_then_rebuild_is_byte_identical(tmp_path: Path, capsys) -> None:
    out = tmp_path / "build"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out)]) == 0
    first = _tree(out)
    assert main(["build", "--source", str(EXAMPLE), "--out", str(tmp_path / "again")]) == 0
    assert _tree(tmp_path / "again") == first
    assert capsys.readouterr().err == "".join(f"{line}\n" for line in EXAMPLE_WARNINGS) * 2


def test_build_under_a_project_path(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out), "--base-url", "repo"]) == 0
    assert broken_links(out, "/repo/") == []
    assert '<link rel="stylesheet" href="/repo/assets/style.css">' in (out / "404.html").read_text()


def test_errors_exit_1_and_leave_the_published_site_untouched(
    example_source: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "build"
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    published = _tree(out)
    (example_source / "sources" / "broken.txt").write_bytes(b"Caf\xe9\n")
    (example_source / "site.yaml").write_text("title: [unclosed\n")
    capsys.readouterr()
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("site.yaml:2: error: invalid YAML: ")
    assert err[1:] == [
        *EXAMPLE_WARNINGS,
        "sources/broken.txt:1: error: not valid UTF-8: byte 0xe9 at byte offset 3 (column 4); "
        "save the file as UTF-8",
        "error: the site was not built; the published output is unchanged",
    ]
    assert _tree(out) == published


def test_check_reports_and_writes_nothing(example_source: Path, capsys) -> None:
    sources = example_source / "sources"
    (sources / "002_27c17665a4c0d5c7.yaml").write_text("documents:\n  9:\n    publisher: X\n")
    (sources / "orphan.yaml").write_text("documents: {}\n")
    before = {p.as_posix(): p.stat().st_mtime_ns for p in example_source.rglob("*")}
    assert main(["check", "--source", str(example_source)]) == 1
    assert capsys.readouterr().err == (
        f"{EXAMPLE_WARNINGS[0]}\n"
        "sources/002_27c17665a4c0d5c7.yaml:2: error: the bundle has 4 document(s); "
        "there is no document 9\n"
        "sources/orphan.yaml:1: warning: no bundle 'orphan.txt' beside this file; it is ignored\n"
    )
    assert {p.as_posix(): p.stat().st_mtime_ns for p in example_source.rglob("*")} == before


def test_check_ok(capsys) -> None:
    assert main(["check", "--source", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == "ok: 5 documents in 2 collections\n"


def test_refuses_a_foreign_output_folder(tmp_path: Path, capsys) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("do not delete")
    assert main(["build", "--source", str(EXAMPLE), "--out", str(mine)]) == 2
    assert capsys.readouterr().err.startswith(f"error: refusing to replace {mine}: ")
    assert (mine / "thesis.txt").read_text() == "do not delete"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(EXAMPLE)]) == 2


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "missing"
    assert main(["build", "--source", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: source folder {missing} does not exist\n"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_warnings_do_not_fail_the_build(make_source, tmp_path: Path, capsys) -> None:
    source = make_source(
        {"sources/a.txt": "A short text. Nothing more.\n", "site.yaml": "titel: Typo\n"}
    )
    assert main(["build", "--source", str(source), "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err == (
        "site.yaml:1: warning: unknown setting 'titel'; known: title, description, language, "
        "site_url, base_url, license, editors, date_order\n"
        "sources/a.txt:1: warning: no header found (publisher, place and date lines): the text "
        "is kept as one document of unknown provenance, line 1 read as 1 paragraph "
        "(one per line)\n"
    )


def test_check_and_build_report_the_same_problems(make_source, tmp_path: Path, capsys) -> None:
    source = make_source(
        {
            "sources/a.txt": "The Daily\nLondon\n2 January 2024\nTitle\nSome text here.\n",
            "notes/n.yaml": "- doc: nope\n  quote: text\n  note: x\n",
        }
    )
    assert main(["check", "--source", str(source)]) == 1
    checked = capsys.readouterr().err
    assert main(["build", "--source", str(source), "--out", str(tmp_path / "out")]) == 1
    built = capsys.readouterr().err
    assert checked == "notes/n.yaml:1: error: no document has the id 'nope'\n"
    assert built == checked + "error: the site was not built; the published output is unchanged\n"
    assert not (tmp_path / "out").exists()
