"""Time the comparison work: grouping an archive, finding quotations, aligning long versions.

    python benchmarks/compare.py [--sizes 1000 10000] [--repeat 5]

Each figure is the median of the repeats, measured in-process (the stage
functions the build calls), with the rounds interleaved so machine noise hits
every case alike. Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_archive import _edit, _original, generate
from generator.compare.align import align
from generator.compare.config import CompareConfig, resolve_groups
from generator.compare.groups import detect_groups
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.compare.variants import find_variants
from generator.compare.witness import sentences_of
from generator.model import Document, Paragraph, Provenance
from generator.sources.archive import load_archive

T = TypeVar("T")


def _long_versions(words: int) -> tuple[Document, Document]:
    """Two versions of one text of about `words` words, lightly edited and repaginated."""
    rng = random.Random(5)
    paragraphs: list[list[str]] = []
    while sum(len(s.split()) for p in paragraphs for s in p) < words:
        paragraphs += _original(rng)
    edited = _edit(rng, paragraphs, 0.3)
    provenance = Provenance("sources/x.txt", 1, 1, "0" * 64, None, 1, {})

    def doc(doc_id: str, body: list[list[str]]) -> Document:
        texts = [" ".join(p) for p in body]
        paras = tuple(Paragraph(n, t, n) for n, t in enumerate(texts, 1))
        return Document(doc_id, provenance, paras, "T", False, "en")

    return doc("a", paragraphs), doc("b", edited)


def _timed(action: Callable[[], T]) -> tuple[float, T]:
    """Wall seconds of one call, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    """Run the comparison benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print("| documents | groups found | grouping (s) | quotations (s) | relations found |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="sourcebook-compare-") as folder:
        for size in args.sizes:
            source = Path(folder) / f"archive-{size}"
            generate(source, size)
            documents = list(load_archive(source)[0].documents)
            grouping, quoting = [], []
            for _ in range(args.repeat):
                seconds, found = _timed(lambda: detect_groups(ShingleIndex.of(documents)))  # noqa: B023
                grouping.append(seconds)
                groups = resolve_groups(found, CompareConfig(), documents)
                index = ShingleIndex.of(documents)
                seconds, quotations = _timed(lambda: find_quotations(index, groups))  # noqa: B023
                quoting.append(seconds)
            print(
                f"| {size} | {len(found)} | {statistics.median(grouping):.2f} "
                f"| {statistics.median(quoting):.2f} | {len(quotations)} |"
            )
    a, b = _long_versions(5000)
    witnesses = [sentences_of(a), sentences_of(b)]
    aligning = [
        _timed(lambda: find_variants(align(witnesses), ["a", "b"]))[0] for _ in range(args.repeat)
    ]
    words = len(a.plain_text.split()), len(b.plain_text.split())
    print(
        f"\nAligning two versions of {words[0]} and {words[1]} words, with every variant: "
        f"{statistics.median(aligning) * 1000:.0f} ms (median of {args.repeat})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
