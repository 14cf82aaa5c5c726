"""Time quotation finding on the plain archive and on the overlap archive.

    python benchmarks/quotes.py [--sizes 1000 10000] [--repeat 3] [--archives plain overlap]

The plain archive is `generate_archive.py`'s (versions of texts from a small
stock of phrases, no quotation marks); the overlap archive is
`generate_overlap.py`'s (news items quoting releases, shared boilerplate, the
same sentence quoted by dozens of reports). Each figure is the median of the
repeats of `find_quotations` alone, in process, with the version groups found
once beforehand; the rounds are interleaved so machine noise hits every case
alike. Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import generate_archive, generate_overlap
from generator.compare.config import CompareConfig, resolve_groups
from generator.compare.groups import detect_groups
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.sources.archive import load_archive

GENERATORS = {"plain": generate_archive.generate, "overlap": generate_overlap.generate}


def main(argv: list[str] | None = None) -> int:
    """Run the quotation benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--archives", nargs="+", default=list(GENERATORS), choices=GENERATORS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sourcebook-quotes-") as folder:
        cases = []
        for name in args.archives:
            for size in args.sizes:
                source = Path(folder) / f"{name}-{size}"
                GENERATORS[name](source, size)
                documents = list(load_archive(source)[0].documents)
                groups = resolve_groups(
                    detect_groups(ShingleIndex.of(documents)), CompareConfig(), documents
                )
                cases.append((name, size, ShingleIndex.of(documents), groups))
        seconds: dict[tuple[str, int], list[float]] = collections.defaultdict(list)
        found: dict[tuple[str, int], collections.Counter[str]] = {}
        for _ in range(args.repeat):
            for name, size, index, groups in cases:
                start = time.perf_counter()
                relations = find_quotations(index, groups)
                seconds[name, size].append(time.perf_counter() - start)
                found[name, size] = collections.Counter(r.type for r in relations)
    print("| archive | documents | quotations (s) | relations found |")
    print("|---|---:|---:|---|")
    for name, size, _, _ in cases:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(found[name, size].items()))
        print(f"| {name} | {size} | {statistics.median(seconds[name, size]):.2f} | {kinds} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
