"""The compare stage's CPU time, and the comparison pages' files and bytes, for code trees
side by side.

    python benchmarks/comparison_cost.py SOURCE --code OLD_TREE NEW_TREE [--repeat 3]
        [--sites OLD_SITE NEW_SITE]

SOURCE is an archive (`benchmarks/generate_archive.py`). For each code tree (a checkout
of Sourcebook: its `generator/` is imported), the archive is parsed once and the compare
stage (`compare_archive`, no cache) run in a fresh process; the rounds alternate between
the trees so machine noise hits each alike. CPU is user + system of the process and its
children (the forked second core), from `resource.getrusage`. With `--sites`, the
built sites' `compare/` folders are counted too. Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

_STAGE = """
import json, resource, sys, time
from pathlib import Path
from generator.cache.store import BuildCache
from generator.compare.comparisons import compare_archive
from generator.diagnostics import Diagnostics
from generator.sources.archive import load_archive

source = Path(sys.argv[1])
archive, _ = load_archive(source)

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

start_cpu, start = cpu(), time.perf_counter()
compared = compare_archive(archive, source, Diagnostics(), BuildCache())
print(json.dumps({
    "cpu": cpu() - start_cpu,
    "wall": time.perf_counter() - start,
    "comparisons": len(compared.comparisons),
    "groups": len(compared.groups),
}))
"""


def _stage(code: Path, source: Path) -> dict:
    """One run of the compare stage of the code tree `code` on `source`."""
    environment = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", _STAGE, str(source)],
        env=environment,
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pages(site: Path) -> tuple[int, int]:
    """Files and bytes under a built site's compare/ folder."""
    files = [p for p in (site / "compare").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    """Run the stage for every tree, alternating, and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--code", type=Path, nargs="+", required=True)
    parser.add_argument("--sites", type=Path, nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs: dict[Path, list[dict]] = {code: [] for code in args.code}
    for _ in range(args.repeat):
        for code in args.code:
            runs[code].append(_stage(code.resolve(), args.source.resolve()))
    print("| code | comparisons | compare stage CPU (s), median | wall (s), median | runs (CPU) |")
    print("|---|---:|---:|---:|---|")
    for code, found in runs.items():
        cpu = statistics.median(r["cpu"] for r in found)
        wall = statistics.median(r["wall"] for r in found)
        each = ", ".join(f"{r['cpu']:.2f}" for r in found)
        print(f"| {code} | {found[0]['comparisons']} | {cpu:.2f} | {wall:.2f} | {each} |")
    if args.sites:
        print()
        print("| site | comparison files | comparison bytes |")
        print("|---|---:|---:|")
        for site in args.sites:
            count, size = _pages(site)
            print(f"| {site} | {count:,} | {size:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
