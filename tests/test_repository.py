"""The repository agrees with itself: what the docs and comments name exists, and what is
tracked is not also ignored."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A path into the repository: a top-level folder, then anything but spaces and quotes.
_PATH = re.compile(
    r"(?<![\w./~-])((?:generator|tests|docs|benchmarks|templates|scripts|site_src|\.github|\.ci)"
    r"/[\w.*<>/-]*)"
)
# Named on purpose though absent from the repository, each for its reason.
_ELSEWHERE = {
    "generator/templates": "where the templates are in the installed package",
    "site_src/compare.yaml": "an optional file of an archive; the example has none",
}


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.splitlines()


def _comments_and_docstrings(text: str) -> list[str]:
    """What a Python file says to its reader: comments and docstrings, not its code."""
    said = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node)
            if docstring:
                said.append(docstring)
    return said


def named_paths(rel: str, text: str) -> set[str]:
    """The repository paths a file names: anywhere in prose, in comments and docstrings in code."""
    said = _comments_and_docstrings(text) if rel.endswith(".py") else [text]
    found = set()
    for part in said:
        for match in _PATH.finditer(part):
            path = match.group(1).rstrip(".,:;)")
            if not any(mark in path for mark in "*<>"):  # a pattern, not a path
                found.add(path)
    return found


def test_the_path_finder_reads_comments_and_docstrings_only() -> None:
    code = (
        '"""See docs/notes.md."""\n'
        'PATH = "generator/nowhere.py"  # as in tests/conftest.py\n'
        "def f():\n"
        '    """Reads site_src/sources/*.txt."""\n'
    )
    assert named_paths("x.py", code) == {"docs/notes.md", "tests/conftest.py"}
    assert named_paths("x.md", "Run `scripts/test`, then see docs/data.md.") == {
        "scripts/test",
        "docs/data.md",
    }


def test_every_path_named_in_the_docs_and_comments_exists() -> None:
    missing = []
    for rel in _tracked():
        if rel.startswith("tests/schemas/") or not (ROOT / rel).is_file():
            continue
        prose = rel.endswith((".md", ".py", ".toml", ".yml", ".yaml", ".html", ".js", ".css"))
        if not (prose or rel.startswith(("scripts/", ".ci/"))):
            continue
        text = (ROOT / rel).read_text(encoding="utf-8", errors="replace")
        for path in sorted(named_paths(rel, text)):
            if path not in _ELSEWHERE and not (ROOT / path).exists():
                missing.append(f"{rel}: {path}")
    assert missing == []


def test_no_tracked_file_is_ignored() -> None:
    _tracked()
    ignored = subprocess.run(
        ["git", "ls-files", "--cached", "--ignored", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ignored.stdout.splitlines() == []
