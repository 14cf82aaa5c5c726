"""Time grouping and quotation finding on the plain archive and on the overlap archive.

    python benchmarks/quotes.py [--sizes 1000 3000 10000] [--repeat 3]
        [--archives plain overlap] [--before GIT_REF]

The plain archive is `generate_archive.py`'s (versions of texts from a small
stock of phrases, no quotation marks); the overlap archive is
`generate_overlap.py`'s (news items quoting releases, shared boilerplate, the
same sentence quoted by dozens of reports). Each round runs, in a fresh
process per case, `detect_groups` and then `find_quotations` on its groups,
and reports both wall and CPU seconds (`resource.getrusage`, user + system):
on a shared machine CPU time is the steadier figure. The rounds are
interleaved so machine noise hits every case alike, and each figure is the
median of the rounds.

With `--before GIT_REF` the same rounds also run the engine of that commit
(its `generator/` exported into a temporary folder), alternating with the
working tree's, so that before and after are measured side by side. Prints a
Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import generate_archive, generate_overlap  # noqa: E402

GENERATORS = {"plain": generate_archive.generate, "overlap": generate_overlap.generate}


def _cpu() -> float:
    """CPU seconds (user + system) of this process so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _counting(module: object, name: str, counts: collections.Counter, size: bool) -> None:
    """Count the calls of `module.name` (or the size of what it returns), in place."""
    function = getattr(module, name, None)
    if function is None:  # an older engine without this step: nothing to count
        return

    def counted(*args: object, **kwargs: object) -> object:
        result = function(*args, **kwargs)
        counts[name] += len(result) if size else 1
        return result

    setattr(module, name, counted)


def _measure(source: Path) -> dict[str, object]:
    """Group, then find quotations in, the archive at `source`: seconds and relation counts."""
    from generator.compare import groups as grouping_module
    from generator.compare.config import CompareConfig, resolve_groups
    from generator.compare.quotes import find_quotations
    from generator.compare.shingles import ShingleIndex
    from generator.sources.archive import load_archive

    documents = list(load_archive(source)[0].documents)
    index = ShingleIndex.of(documents)
    # Candidate pairs and verdicts, counted through the engine's own functions
    # (a call costs well under a microsecond more: the timing stands).
    work: collections.Counter[str] = collections.Counter()
    _counting(grouping_module, "candidate_pairs", work, size=True)
    _counting(grouping_module, "_are_versions", work, size=False)
    wall, cpu = time.perf_counter(), _cpu()
    found = grouping_module.detect_groups(index)
    grouping = time.perf_counter() - wall, _cpu() - cpu
    truth = generate_overlap.true_families((d.id, d.title) for d in documents)
    scores = generate_overlap.pair_scores(found, truth) if truth else {}
    groups = resolve_groups(found, CompareConfig(), documents)
    index = ShingleIndex.of(documents)
    wall, cpu = time.perf_counter(), _cpu()
    relations = find_quotations(index, groups)
    quoting = time.perf_counter() - wall, _cpu() - cpu
    kinds = collections.Counter(r.type for r in relations)
    return {
        "groups": len(found),
        "grouped": sum(map(len, found)),
        "largest": max(map(len, found), default=0),
        "grouping": grouping,
        "quoting": quoting,
        "kinds": kinds,
        "work": work,
        "scores": scores,
    }


def _export(ref: str, folder: Path) -> Path:
    """The `generator/` package of a commit, written under `folder`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "generator"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _round(engine: Path, source: Path) -> dict[str, object]:
    """One measurement in a fresh process, running the engine found under `engine`."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(source), "--engine", str(engine)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Run the grouping and quotation benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--archives", nargs="+", default=list(GENERATORS), choices=GENERATORS)
    parser.add_argument("--before", metavar="GIT_REF", help="also time this commit's engine")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        sys.path.insert(0, str(args.engine))  # its `generator`, not this tree's
        print(json.dumps(_measure(args.worker)))
        return 0
    with tempfile.TemporaryDirectory(prefix="sourcebook-quotes-") as folder:
        engines = {"now": ROOT}
        if args.before:
            engines = {"before": _export(args.before, Path(folder) / "before"), **engines}
        cases = []
        for name in args.archives:
            for size in args.sizes:
                source = Path(folder) / f"{name}-{size}"
                GENERATORS[name](source, size)
                cases.append((name, size, source))
        runs: dict[tuple[str, int, str], list[dict]] = collections.defaultdict(list)
        for _ in range(args.repeat):
            for name, size, source in cases:
                for engine, where in engines.items():
                    runs[name, size, engine].append(_round(where, source))
    print(
        "| archive | documents | engine | groups | grouping wall (s) | grouping CPU (s) "
        "| quotations wall (s) | quotations CPU (s) | relations found |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---|")
    for name, size, _ in cases:
        for engine in engines:
            measured = runs[name, size, engine]

            def median(step: str, part: int, measured: list[dict] = measured) -> str:
                return f"{statistics.median(m[step][part] for m in measured):.2f}"

            kinds = ", ".join(f"{n} {k}" for k, n in sorted(measured[-1]["kinds"].items()))
            print(
                f"| {name} | {size} | {engine} | {measured[-1]['groups']} "
                f"| {median('grouping', 0)} | {median('grouping', 1)} "
                f"| {median('quoting', 0)} | {median('quoting', 1)} | {kinds} |"
            )
    print()
    print(
        "| archive | documents | engine | groups | documents grouped | largest group "
        "| candidate pairs | verdicts | pairs claimed | true pairs | precision | recall |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, size, _ in cases:
        for engine in engines:
            last = runs[name, size, engine][-1]
            work, scores = last["work"], last["scores"]
            truth = (
                f"{scores['pairs claimed']} | {scores['true pairs']} "
                f"| {scores['precision']:.3f} | {scores['recall']:.3f}"
                if scores
                else " | | | "
            )
            print(
                f"| {name} | {size} | {engine} | {last['groups']} | {last['grouped']} "
                f"| {last['largest']} | {work.get('candidate_pairs', '—')} "
                f"| {work.get('_are_versions', '—')} "
                f"| {truth} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
