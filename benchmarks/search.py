"""What search costs: the index's size, the time and memory to make it, a reader's first results.

    python benchmarks/search.py [--sizes 1000 10000] [--runs 5] [--part-sizes 1000000 1000]
        [--spanish 0.1]

For each size, generates an archive, builds it, then, for each part size (the
documents per part of the index; 1000000 is one part, as before parts), times
Pagefind alone over the built site (the part of `build` that search adds),
records its peak memory and CPU seconds, and measures the index on disk (one
bundle per language of each part). `--spanish` makes a share of the generated
documents Spanish. In headless Chromium
(Debian's, as the tests use it) it then opens `search/?q=...` in a fresh
browser context each run, so nothing is cached, and records the time until the
first results are on screen and the bytes the page fetched from the index. The
part sizes are measured in turn within each run, so noise hits them alike.
Prints medians.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.generate_archive import generate  # noqa: E402
from generator.publish import search  # noqa: E402
from generator.render import search_parts  # noqa: E402

QUERIES = ("migration border", "security cooperation", "humanitarian")


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


_INDEXER = """
import resource, sys, time
from pathlib import Path
from generator.publish import search
from generator.render import search_parts
search_parts.PART_SIZE = int(sys.argv[3])
started = time.perf_counter()
search.write_index(Path(sys.argv[1]), "en", into=Path(sys.argv[2]))
used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in used)
print(time.perf_counter() - started, used[1].ru_maxrss, cpu)
"""


def _index(site: Path, into: Path, part_size: int) -> tuple[float, int, float]:
    """Index `site` with parts of `part_size` in a fresh process: seconds, peak KB, CPU seconds."""
    done = subprocess.run(
        [sys.executable, "-c", _INDEXER, str(site), str(into), str(part_size)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    seconds, peak, cpu = done.stdout.split()
    return float(seconds), int(peak), float(cpu)


def _site_with_index(site: Path, index: Path, copy: Path) -> Path:
    """`site` with another index in place (linked), its search page told of its bundles."""
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-al", str(site), str(copy)], check=True)
    shutil.rmtree(copy / search.FOLDER)
    subprocess.run(["cp", "-al", str(index), str(copy / search.FOLDER)], check=True)
    page = copy / "search" / "index.html"
    found = [p.parent.relative_to(index) for p in index.glob("*/*/pagefind-entry.json")]
    bundles = " ".join(f"{part}/{language}" for part, language in sorted(
        (int(b.parts[0]), b.parts[1]) for b in found
    ))  # fmt: skip
    html = re.sub(r'data-bundles="[^"]*"', f'data-bundles="{bundles}"', page.read_text())
    os.unlink(page)  # a link to the built page: write a file of its own
    page.write_text(html)
    return copy


def _first_results(site: Path, run: int) -> tuple[float, int, int]:
    """Open a search in a fresh context: seconds to first results, bytes fetched, results shown."""
    from tests.browser import chromium, served

    with chromium() as browser, served(site) as address:
        context = browser.new_context()
        page = context.new_page()
        sizes: list[int] = []

        def fetched_bytes(response, sizes=sizes) -> None:
            if "/pagefind/" in response.url:
                sizes.append(len(response.body()))

        page.on("response", fetched_bytes)
        query = QUERIES[run % len(QUERIES)]
        started = time.perf_counter()
        page.goto(f"{address}/search/?q={query.replace(' ', '+')}")
        page.wait_for_selector("#results li", timeout=60_000)
        seconds = time.perf_counter() - started
        found = len(page.query_selector_all("#results li"))
        context.close()
    return seconds, sum(sizes), found


def main() -> None:
    """Print the figures for each size and part size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--part-sizes", type=int, nargs="+", default=[search_parts.PART_SIZE])
    parser.add_argument("--spanish", type=float, default=0.0)
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root / "src", size, seed=1, spanish=args.spanish)
            site = root / "build"
            subprocess.run(
                [sys.executable, "-m", "generator", "build", "--source", str(root / "src"),
                 "--out", str(site)],
                check=True, capture_output=True,
            )  # fmt: skip
            figures: dict[int, dict[str, list]] = {
                p: {"index": [], "peak": [], "cpu": [], "first": [], "fetched": [], "found": []}
                for p in args.part_sizes
            }
            for run in range(args.runs):
                for part_size in args.part_sizes:
                    index = root / f"index-{part_size}"
                    shutil.rmtree(index, ignore_errors=True)
                    seconds, peak, cpu = _index(site, index, part_size)
                    copy = _site_with_index(site, index, root / f"site-{part_size}")
                    first, fetched, found = _first_results(copy, run)
                    for name, value in zip(
                        ("index", "peak", "cpu", "first", "fetched", "found"),
                        (seconds, peak, cpu, first, fetched, found),
                        strict=True,
                    ):
                        figures[part_size][name].append(value)
            pages = len(list(site.glob(search.INDEXED)))
            for part_size, got in figures.items():
                files, size_bytes = _size(root / f"index-{part_size}")
                parts = sum(1 for p in (root / f"index-{part_size}").iterdir() if p.is_dir())
                print(
                    json.dumps(
                        {
                            "documents": size,
                            "pages_indexed": pages,
                            "part_size": part_size,
                            "parts": parts,
                            "index_mb": round(size_bytes / 1e6, 1),
                            "files": files,
                            "pagefind_s": round(statistics.median(got["index"]), 2),
                            "pagefind_cpu_s": round(statistics.median(got["cpu"]), 2),
                            "pagefind_peak_mb": round(max(got["peak"]) / 1024),
                            "first_results_ms": round(statistics.median(got["first"]) * 1000),
                            "fetched_kb": round(statistics.median(got["fetched"]) / 1e3),
                            "results_shown": got["found"],
                        }
                    ),
                    flush=True,
                )


if __name__ == "__main__":
    main()
