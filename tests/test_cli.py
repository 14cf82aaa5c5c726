"""The command line: exit codes, one-line problems, and a published site that is never damaged."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate_archive import generate
from generator.cli import main
from generator.publish import lock
from generator.render.changed import default_templates
from tests.conftest import EXAMPLE, ROOT
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
    assert capsys.readouterr().out == "ok, 1 warning: 5 documents in 2 collections\n"


TYPO = (
    "- doc: 2023-12-28-hill-biden-administration-backtracks-democratic-decline\n"
    "  note: A new note.\n"
    "  quote: hours later deleted teh phrase\n"
)
TYPO_WARNING = (
    "notes/new.yaml:3: warning: the quote is not word for word in the text; anchored to the "
    '96% similar passage in p1: "hours later deleted the phrase"; if that is the passage '
    "meant, copy it into 'quote:'\n"
)
# Beside the typo, the example's one warning: its headerless copy.
WARNINGS = TYPO_WARNING + EXAMPLE_WARNINGS[0] + "\n"


def test_a_new_note_with_a_typo_is_a_warning_counted_in_the_summary(
    example_source: Path, tmp_path: Path, capsys
) -> None:
    (example_source / "notes" / "new.yaml").write_text(TYPO)
    assert main(["check", "--source", str(example_source)]) == 0
    captured = capsys.readouterr()
    assert captured.err == WARNINGS
    assert captured.out == "ok, 2 warnings: 5 documents in 2 collections\n"
    out = tmp_path / "build"
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err == WARNINGS
    assert captured.out.startswith(f"built 5 documents into {out}/: ")
    assert re.fullmatch(r".*: \d+ files, \d+ rewritten, 2 warnings \(\d+\.\d\d s\)\n", captured.out)
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err == WARNINGS  # told again, though nothing is done
    assert re.fullmatch(
        rf"nothing changed since the last build of {re.escape(str(out))}/: 2 warnings "
        r"\(\d+\.\d\d s\)\n",
        captured.out,
    )


def test_strict_makes_the_typo_an_error_and_publishes_nothing(
    example_source: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "build"
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    published = _tree(out)
    (example_source / "notes" / "new.yaml").write_text(TYPO)
    capsys.readouterr()
    error = WARNINGS.replace(": warning: ", ": error: ")
    assert main(["check", "--strict", "--source", str(example_source)]) == 1
    assert capsys.readouterr() == (
        "",
        error,
    )
    assert main(["build", "--strict", "--source", str(example_source), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        error + "error: the site was not built; the published output is unchanged\n"
    )
    assert _tree(out) == published
    # Built without --strict, then asked again with it: the warning kept from that build
    # is an error too, though nothing changed since.
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    published = _tree(out)
    capsys.readouterr()
    assert main(["build", "--strict", "--source", str(example_source), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        error + "error: the site was not built; the published output is unchanged\n"
    )
    assert _tree(out) == published


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


def _usage_error(argv: list[str], capsys) -> tuple[str, str]:
    """The usage line and the error line a usage error prints (exit code 2)."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    return lines[0], lines[-1]


def test_a_bad_port_is_a_usage_error_of_serve(capsys) -> None:
    for port in ("99999", "-1", "http"):
        usage, error = _usage_error(["serve", "--port", port], capsys)
        assert usage.startswith("usage: sourcebook serve [-h] ")
        assert error == (
            f"sourcebook serve: error: argument --port: '{port}' is not a port: "
            "give a number from 1 to 65535 (0: any free port)"
        )


def test_an_unknown_flag_is_named_with_the_usage_of_its_command(capsys) -> None:
    assert _usage_error(["--bogus"], capsys) == (
        "usage: sourcebook [-h] [--version] COMMAND ...",
        "sourcebook: error: unrecognized arguments: --bogus",
    )
    usage, error = _usage_error(["build", "--bogus"], capsys)
    assert usage.startswith("usage: sourcebook build [-h] ")
    assert error == "sourcebook build: error: unrecognized arguments: --bogus"
    assert (
        _usage_error([], capsys)[1] == "sourcebook: error: choose a command: check, build or serve"
    )


def test_bad_option_values_are_usage_errors(tmp_path: Path, capsys) -> None:
    usage, error = _usage_error(["build", "--base-url", "../x"], capsys)
    assert usage.startswith("usage: sourcebook build ")
    assert error == (
        "sourcebook build: error: argument --base-url: base path '../x' may hold only letters, "
        "digits and - . _ ~ between slashes, e.g. /repo/"
    )
    assert _usage_error(["serve", "--site-url", "example.org"], capsys)[1] == (
        "sourcebook serve: error: argument --site-url: site_url must be a plain absolute "
        "address such as https://user.github.io/repo/, not 'example.org'"
    )
    missing = tmp_path / "nowhere"
    assert _usage_error(["build", "--templates", str(missing)], capsys)[1] == (
        f"sourcebook build: error: argument --templates: {missing} is not a folder"
    )


def test_a_source_folder_without_sources_is_a_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "site.yaml").write_text("title: Mine\n")
    for command in (["check"], ["build", "--out", str(tmp_path / "out")], ["serve"]):
        assert main([*command, "--source", str(tmp_path)]) == 2
        assert capsys.readouterr().err == (
            f"error: {tmp_path} has no sources/ folder: is it the archive's folder? "
            "(see README.md, 'Use it for your own archive')\n"
        )
    assert not (tmp_path / "out").exists()


def test_the_help_shows_every_default_and_serve_takes_the_site_options(capsys) -> None:
    for command in ("check", "build", "serve"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "--source SOURCE source folder (default: site_src)" in text
        if command != "check":
            assert "--out OUT output folder (default: build/)" in text
            for option in ("--base-url", "--site-url", "--templates", "--clean"):
                assert option in text
    assert "--host HOST address to listen on (default: 127.0.0.1)" in text
    assert "--port PORT port to listen on (default: 8000)" in text


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


def _serving(source: Path, out: Path) -> subprocess.Popen:
    """`sourcebook serve` in a process of its own, once it serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--source", str(source), "--out", str(out),
         "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("serving http://"):
            return process
    raise AssertionError(f"serve did not start: {process.communicate()}")


def _stopped(process: subprocess.Popen, signal_number: int) -> tuple[int, list[str], str]:
    """Send `signal_number`; the exit code, what serve printed after serving, its errors."""
    process.send_signal(signal_number)
    out, err = process.communicate(timeout=60)
    return process.returncode, out.splitlines(), err


@pytest.mark.timeout(120)
def test_two_writers_on_one_folder_the_second_is_refused_then_sighup_stops_serve(
    example_source: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    out = tmp_path / "build"
    server = _serving(example_source, out)
    try:
        monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
        assert main(["build", "--source", str(example_source), "--out", str(out)]) == 2
        assert capsys.readouterr().err == (
            f"error: {out} is being written by process {server.pid} (sourcebook serve "
            f"--source {example_source} --out {out} --port 0); "
            "try again once it ends, or choose another --out\n"
        )
    finally:
        code, printed, errors = _stopped(server, signal.SIGHUP)
    assert (code, printed, errors) == (0, ["stopped"], EXAMPLE_WARNINGS[0] + "\n")
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(
        f"nothing changed since the last build of {out}/: 1 warning ("
    )


def _signalled_during_a_rebuild(
    tmp_path: Path, signal_number: int
) -> tuple[list[str], subprocess.CompletedProcess]:
    """Serve a generated archive, edit a template, and send `signal_number` while the
    pages are rewritten; the options to build the same site, and how serve ended."""
    source = tmp_path / "src"
    generate(source, 300, seed=5)
    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    out = tmp_path / "build"
    options = ["--source", str(source), "--out", str(out), "--templates", str(templates)]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", *options, "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().startswith("rebuilt: ")
    assert process.stdout.readline().startswith("serving http://")
    pages = sorted(out.glob("documents/*/index.html"))
    base = templates / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- edited --></body>", 1))
    deadline = time.monotonic() + 60
    while not any(b"<!-- edited -->" in page.read_bytes() for page in pages):  # under way
        assert time.monotonic() < deadline, "serve did not rebuild"
        time.sleep(0.01)
    process.send_signal(signal_number)
    rewritten = sum(b"<!-- edited -->" in page.read_bytes() for page in pages)
    printed, errors = process.communicate(timeout=120)
    assert rewritten < len(pages), "the rebuild was over before the signal: no test"
    return options, subprocess.CompletedProcess(process.args, process.returncode, printed, errors)


@pytest.mark.long(8)
@pytest.mark.timeout(300)
def test_sigterm_during_a_rebuild_finishes_it_saves_and_the_next_build_does_nothing(
    tmp_path: Path, capsys
) -> None:
    options, ended = _signalled_during_a_rebuild(tmp_path, signal.SIGTERM)
    assert (ended.returncode, ended.stderr) == (0, "")
    printed = ended.stdout.splitlines()
    assert len(printed) == 2 and printed[0].startswith("rebuilt: ") and printed[1] == "stopped"
    out = tmp_path / "build"
    assert all(b"<!-- edited -->" in p.read_bytes() for p in out.glob("documents/*/index.html"))
    assert main(["build", *options]) == 0
    assert capsys.readouterr().out.startswith(f"nothing changed since the last build of {out}/ (")
    assert main(["build", *options[:2], "--out", str(tmp_path / "clean"), *options[4:]]) == 0
    assert _tree(out) == _tree(tmp_path / "clean")


@pytest.mark.long(8)
@pytest.mark.timeout(300)
def test_sigkill_during_a_rebuild_leaves_whole_pages_and_the_next_build_correct(
    tmp_path: Path, capsys
) -> None:
    options, ended = _signalled_during_a_rebuild(tmp_path, signal.SIGKILL)
    assert ended.returncode == -signal.SIGKILL
    out = tmp_path / "build"
    assert main(["build", *options]) == 0
    assert capsys.readouterr().out.startswith(f"built 300 documents into {out}/: ")
    assert main(["build", *options[:2], "--out", str(tmp_path / "clean"), *options[4:]]) == 0
    assert _tree(out) == _tree(tmp_path / "clean")
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".build"))
    assert leftovers == [".build.cache.sqlite", ".build.spare", ".build.state.json"]
