"""Load editors' YAML safely, and check its keys the same way in every editor file.

Loading: no object tags, bounded size, depth and aliases. Every failure becomes
one diagnostic naming the file and the line, so a hostile or broken file gives
an error, never a hang, a crash or code. Checking: an unknown key is one
warning, with the closest known key offered (`did_you_mean`), and a mistyped id
gets the closest ids of the archive (`closest`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from generator.diagnostics import Diagnostics

# libyaml's composer is ~10x faster; both build the same nodes with line marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000  # counted through aliases, so "billion laughs" stops early


class _Limits(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _check_node(node: yaml.Node) -> None:
    """Walk the composed node graph, counting nodes reached through aliases too."""
    budget = MAX_NODES
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise _Limits(
                node.start_mark.line + 1,
                f"the YAML expands to more than {MAX_NODES} values (aliases?); simplify it",
            )
        if depth > MAX_DEPTH:
            raise _Limits(
                current.start_mark.line + 1, f"YAML nested deeper than {MAX_DEPTH} levels"
            )
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def compose(text: str, rel: str, diagnostics: Diagnostics) -> yaml.Node | None:
    """Parse YAML text into a node tree (with line marks), or report why not."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
        if node is not None:
            _check_node(node)
        return node
    except _Limits as problem:
        diagnostics.error(rel, problem.line, problem.message)
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        line = mark.line + 1 if mark else 1
        diagnostics.error(rel, line, f"invalid YAML: {problem.problem or problem}")
    except yaml.YAMLError as problem:
        diagnostics.error(rel, 1, f"invalid YAML: {problem}")
    return None


def construct(node: yaml.Node, rel: str, diagnostics: Diagnostics) -> Any:
    """Turn a composed node into plain Python data (safe tags only), or report why not."""
    try:
        return yaml.SafeLoader("").construct_document(node)
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        line = mark.line + 1 if mark else 1
        message = str(problem.problem or problem)
        tag = re.search(r"for the tag '([^']*)'", message)
        if tag:
            shown = tag[1].replace("tag:yaml.org,2002:", "!!")
            message = f"unsupported YAML tag {shown}: only plain data is allowed"
        diagnostics.error(rel, line, message)
    except (ValueError, TypeError, RecursionError) as problem:
        diagnostics.error(rel, node.start_mark.line + 1, f"invalid YAML value: {problem}")
    return None


def read_text(path: Path, rel: str, diagnostics: Diagnostics) -> str | None:
    """A YAML or Markdown file's text, refusing oversized or non-UTF-8 files."""
    try:
        data = path.read_bytes()
    except OSError as problem:
        diagnostics.error(rel, 1, f"cannot read the file: {problem.strerror}")
        return None
    if len(data) > MAX_BYTES:
        diagnostics.error(rel, 1, f"file is larger than {MAX_BYTES // 1_000_000} MB")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        diagnostics.error(
            rel, line, f"not valid UTF-8 (byte offset {problem.start}); save the file as UTF-8"
        )
        return None


def load(path: Path, rel: str, diagnostics: Diagnostics) -> tuple[Any, yaml.Node | None]:
    """Data and node tree of a YAML file; (None, None) after reporting a problem."""
    text = read_text(path, rel, diagnostics)
    if text is None:
        return None, None
    node = compose(text, rel, diagnostics)
    if node is None:
        return None, None
    return construct(node, rel, diagnostics), node


def line_of(node: yaml.Node | None, *keys: str | int) -> int:
    """The 1-based line of the value at `keys` inside a node tree (best effort)."""
    if node is None:
        return 1
    current = node
    for key in keys:
        found = None
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if str(key_node.value) == str(key):
                    found = value_node if key != keys[-1] else key_node
                    break
        elif (
            isinstance(current, yaml.SequenceNode)
            and isinstance(key, int)
            and 0 <= key < len(current.value)
        ):
            found = current.value[key]
        if found is None:
            break
        current = found
    return current.start_mark.line + 1


def closest(word: str, options: Iterable[str], limit: int = 1, cutoff: float = 0.6) -> list[str]:
    """The options most like `word` (similarity at least `cutoff`), best first.

    rapidfuzz rather than difflib: over 10,000 document ids a look-up takes about
    3 ms against difflib's 1.6 s. Ties go to the option first in sorted order, so
    the hint never depends on the order the options came in.
    """
    found = process.extract(
        word, list(options), scorer=fuzz.ratio, limit=None, score_cutoff=cutoff * 100
    )
    ranked = sorted(found, key=lambda match: (-match[1], match[0]))
    return [option for option, _, _ in ranked[:limit]]


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for the closest option, or ''."""
    close = closest(word, options, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown_key(key: object, known: Sequence[str], noun: str = "key", ignored: bool = True) -> str:
    """The warning for a key an editor file does not know, with the closest known one."""
    hint = did_you_mean(str(key), known)
    return f"unknown {noun} '{key}'{hint}" + ("; it is ignored" if ignored else "")


def warn_unknown_keys(
    keys: Iterable[object],
    known: Sequence[str],
    rel: str,
    line: Callable[[str], int],
    diagnostics: Diagnostics,
    ignored: bool = True,
) -> None:
    """One warning per key not in `known`, at the line `line(key)` gives."""
    for key in keys:
        if key not in known:
            diagnostics.warning(rel, line(str(key)), unknown_key(key, known, ignored=ignored))
