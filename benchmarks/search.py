"""What search costs: the index's size, the time to make it, and a reader's first results.

    python benchmarks/search.py [--sizes 1000 10000] [--runs 5]

For each size, generates an archive, builds it, then times Pagefind alone over
the built site (the part of `build` that search adds) and measures the index
on disk. In headless Chromium (Debian's, as the tests use it) it then opens
`search/?q=...` in a fresh browser context each run, so nothing is cached, and
records the time until the first results are on screen and the bytes the page
fetched from the index. Prints medians.
"""

from __future__ import annotations

import argparse
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
from generator import search  # noqa: E402

QUERIES = ("migration border", "security cooperation", "humanitarian")


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _first_results(site: Path, runs: int) -> tuple[list[float], list[int], list[int]]:
    from browser import chromium, served

    seconds, fetched, found = [], [], []
    with chromium() as browser, served(site) as address:
        for run in range(runs):
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
            seconds.append(time.perf_counter() - started)
            fetched.append(sum(sizes))
            found.append(len(page.query_selector_all("#results li")))
            context.close()
    return seconds, fetched, found


def main() -> None:
    """Print the figures for each size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root / "src", size, seed=1)
            site = root / "build"
            subprocess.run(
                [sys.executable, "-m", "generator", "build", "--source", str(root / "src"),
                 "--out", str(site)],
                check=True, capture_output=True,
            )  # fmt: skip
            indexing = []
            for run in range(args.runs):
                started = time.perf_counter()
                search.write_index(site, "en", into=root / f"index{run}")
                indexing.append(time.perf_counter() - started)
            files, size_bytes = _size(site / search.FOLDER)
            pages = len(list(site.glob(search.INDEXED)))
            seconds, fetched, found = _first_results(site, args.runs)
            print(
                f"{size} documents ({pages} pages indexed): index {size_bytes / 1e6:.1f} MB "
                f"in {files} files; Pagefind {statistics.median(indexing):.2f} s; "
                f"first results {statistics.median(seconds) * 1000:.0f} ms after opening "
                f"search/?q=, {statistics.median(fetched) / 1e3:.0f} KB fetched "
                f"(medians of {args.runs}; results on the first screen {found})",
                flush=True,
            )


if __name__ == "__main__":
    main()
