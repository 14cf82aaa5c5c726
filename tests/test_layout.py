"""The package's layout: imports point one way, from later stages to earlier ones.

Read from the source with `ast`, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Every stage may import the shared modules at the top of the package, and the
# stages before it in this list; `cli` and `__main__` wire them all.
STAGES = ("cache", "sources", "notes", "compare", "entities", "render", "publish", "build", "serve")
SHARED = ("__init__", "model", "diagnostics", "safe_yaml", "cores")
WIRING = ("cli", "__main__")


def module_imports(root: Path) -> dict[str, set[str]]:
    """Each module of the package at `root` → the modules of that package it imports."""
    name = root.name
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join((name, *parts))
        if parts[-1] == "__init__":
            module = ".".join((name, *parts[:-1]))
        package = module if parts[-1] == "__init__" else module.rpartition(".")[0]
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # a relative import, resolved against this module's package
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from generator.render import listings` imports generator.render.listings
                imported.update(f"{base}.{a.name}" for a in node.names)
                imported.add(base)
        found[module] = {m for m in imported if m == name or m.startswith(name + ".")}
    return found


def _place(module: str) -> tuple[str, int]:
    """Where a module stands: its stage (or "shared", "wiring") and the stage's rank."""
    parts = module.split(".")[1:]
    if not parts:
        return "shared", -1
    if parts[0] in STAGES:
        return parts[0], STAGES.index(parts[0])
    if parts[0] in SHARED:
        return "shared", -1
    if parts[0] in WIRING:
        return "wiring", len(STAGES)
    return parts[0], len(STAGES) + 1  # a module no list names: the test below says so


def back_edges(root: Path) -> list[str]:
    """Every import against the layout, one line each: `importer -> imported: why`."""
    imports = module_imports(root)
    problems = []
    for module, imported in sorted(imports.items()):
        stage, rank = _place(module)
        for target in sorted(imported):
            if target not in imports:
                continue  # `from generator.render import listings` also names generator.render
            other, other_rank = _place(target)
            if target.count(".") == 1 and other in STAGES and target == f"{root.name}.{other}":
                continue  # a stage's package itself (its docstring) is no dependency
            if stage == "shared" and other != "shared":
                problems.append(f"{module} -> {target}: shared modules import only shared ones")
            elif stage != other and other_rank >= rank and other != "shared":
                problems.append(f"{module} -> {target}: {stage} comes before {other}")
    return problems


def cycles(root: Path) -> list[list[str]]:
    """Import cycles among the package's modules, each as the modules around it."""
    imports = module_imports(root)
    graph = {m: {t for t in targets if t in imports and t != m} for m, targets in imports.items()}
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found


def test_every_module_has_a_place() -> None:
    unplaced = sorted(
        m for m in module_imports(PACKAGE) if _place(m)[1] > len(STAGES) and m != "generator"
    )
    assert unplaced == []


def test_imports_point_from_later_stages_to_earlier_ones() -> None:
    assert back_edges(PACKAGE) == []


def test_no_import_cycles() -> None:
    assert cycles(PACKAGE) == []


def _package(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "generator" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "generator"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "from generator.render.feeds import atom\n",
            "generator.compare.groups -> generator.render.feeds: compare comes before render",
        ),
        (
            "def late():\n    from generator.render import feeds\n",
            "generator.compare.groups -> generator.render.feeds: compare comes before render",
        ),
        (
            "from ..render import feeds\n",
            "generator.compare.groups -> generator.render.feeds: compare comes before render",
        ),
    ],
)
def test_a_back_edge_is_reported(tmp_path: Path, line: str, expected: str) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "model.py": "",
            "compare/__init__.py": "",
            "compare/groups.py": "from generator.model import Document\n" + line,
            "render/__init__.py": "",
            "render/feeds.py": "from generator.compare import groups\n",
        },
    )
    assert back_edges(root) == [expected]
    assert cycles(root) == [
        ["generator.compare.groups", "generator.render.feeds", "generator.compare.groups"]
    ]


def test_a_shared_module_importing_a_stage_is_reported(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "model.py": "from generator.sources.dates import parse_date\n",
            "sources/__init__.py": "",
            "sources/dates.py": "",
        },
    )
    assert back_edges(root) == [
        "generator.model -> generator.sources.dates: shared modules import only shared ones"
    ]
