"""Time Sourcebook builds on generated archives, and optionally Hugo on the same texts.

    python benchmarks/run.py [--sizes 1000 10000] [--repeat 3] [--hugo] [--code DIR ...]
                             [--archive benchmark|overlap]

For each size: a clean build (`--clean`: no cache), a build with nothing
changed, a build after editing one note (with the cache the previous
build left beside the output, and after one untimed edit before it, as an
editor's edits come one after another), and a build after editing one
sentence of one bundle; wall time (median of the repeats, runs interleaved so that
machine noise hits every case alike) and peak memory of a clean build, two ways: the
largest single process (the build, its worker or Pagefind: the kernel's peak resident
size), and the whole tree at once (the sum of the processes' proportional set sizes,
sampled every 50 ms, so pages a forked worker shares are counted once).
With --hugo, the same documents as plain Markdown pages built by Hugo, for a
side-by-side ratio. With --code, each named checkout of Sourcebook (e.g. a
`git worktree` of an older commit) is timed in every round, one after the
other, on the same archive: a before/after comparison in one run. Besides wall
time, each row gives the CPU seconds of the build and its children (the
kernel's count, which a busy machine inflates far less) and the output's bytes
per document. `--archive overlap` times the archive of releases and news
items that quote them and share boilerplate (`generate_overlap.py`; it has
no notes, so no note edit). Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import generate_archive, generate_overlap
from benchmarks.process_tree import descendants


def timed(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int, int, float]:
    """Wall seconds, peak memory of its largest process and whole tree (MB), CPU seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    tree_peak = [0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.05):
            tree_peak[0] = max(tree_peak[0], _tree_pss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampling.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # wait4: the process and the children it waited for
    return seconds, usage.ru_maxrss // 1024, tree_peak[0] // 1024, cpu


def output_bytes(out: Path) -> int:
    """The bytes a site publishes: every file under `out`."""
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def _tree_pss(root: int) -> int:
    """The proportional set size (KB) of a process and all its descendants, now."""
    total = 0
    for pid in descendants(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue  # it ended meanwhile
    return total


def _built_after(
    edit: Callable[[], None], build: list[str], code: Path, env: dict[str, str]
) -> tuple[float, float]:
    """Make one edit, then build: the build's wall and CPU seconds."""
    edit()
    seconds, _, _, cpu = timed(build, code, env)
    return seconds, cpu


def _edit_note(source: Path, edits: Iterator[int]) -> None:
    """Edit the first note again: each edit, numbered, replaces the mark the last one left."""
    round_number = next(edits)
    notes = sorted((source / "notes").glob("*.yaml"))[0]
    text = notes.read_text(encoding="utf-8")
    notes.write_text(
        text.replace("Generated note 1 on", f"Generated note 1 (edit {round_number}) on", 1)
        if round_number == 0
        else text.replace(f"(edit {round_number - 1})", f"(edit {round_number})", 1),
        encoding="utf-8",
    )


def _edit_bundle(source: Path) -> None:
    """Reword one sentence of one bundle: one more "very" in its longest paragraph each round."""
    bundle = sorted((source / "sources").glob("*.txt"))[1]
    text = bundle.read_text(encoding="utf-8")
    body = max(text.splitlines(), key=len)  # a paragraph, not a header line
    edited = body.replace(" the ", " the very ", 1)
    if edited == body:  # timing a build with nothing changed would pass for an edit's
        raise SystemExit(f"{bundle}: no ' the ' to reword in its longest line")
    bundle.write_text(text.replace(body, edited, 1), encoding="utf-8")


def _hugo_site(source: Path, target: Path) -> None:
    """The archive's documents as a plain Hugo site: one Markdown page each."""
    from generator.sources.archive import load_archive

    archive, _ = load_archive(source)
    content = target / "content" / "documents"
    content.mkdir(parents=True)
    (target / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Benchmark"\n'
        "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n"
    )
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
        "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n"
    )
    (layouts / "list.html").write_text(
        '<!DOCTYPE html><html><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
        "{{ .Title }}</a></li>{{ end }}</ul></body></html>\n"
    )
    for doc in archive.documents:
        title = doc.title.replace('"', "'")
        body = "\n\n".join(p.text for p in doc.paragraphs)
        (content / f"{doc.id}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {doc.date or "2000-01-01"}\n---\n\n{body}\n',
            encoding="utf-8",
        )


def bench(
    size: int, repeat: int, hugo: bool, work: Path, codes: list[Path], kind: str = "benchmark"
) -> list[dict]:
    """Median timings, peak memory and bytes for one archive size: a row per checkout."""
    source = work / f"archive-{size}"
    (generate_archive if kind == "benchmark" else generate_overlap).generate(source, size)
    noted = (source / "notes").is_dir()
    names = ("clean", "clean_cpu", "noop", "note", "note_cpu", "bundle", "bundle_cpu", "hugo")
    results = [{name: [] for name in names} for _ in codes]
    memory, tree, sizes = [0] * len(codes), [0] * len(codes), [0] * len(codes)
    hugo_site = work / f"hugo-{size}"
    if hugo:
        _hugo_site(source, hugo_site)
    edits = itertools.count()  # each note edit is numbered, one after the other
    for _ in range(repeat):  # interleaved: noise hits every case alike
        for k, code in enumerate(codes):
            out = work / f"out-{size}-{k}"
            # `python -m` looks in the working folder first: run each checkout from its own.
            env = {**os.environ, "PYTHONPATH": str(code)}
            sourcebook = [sys.executable, "-m", "generator", "build", "--source", str(source)]
            shutil.rmtree(out, ignore_errors=True)
            seconds, peak, whole, cpu = timed(
                [*sourcebook, "--out", str(out), "--clean"], cwd=code, env=env
            )
            results[k]["clean"].append(seconds)
            results[k]["clean_cpu"].append(cpu)
            memory[k], tree[k] = max(memory[k], peak), max(tree[k], whole)
            sizes[k] = output_bytes(out)
            results[k]["noop"].append(timed([*sourcebook, "--out", str(out)], code, env)[0])
            # An editor's first edit after a clean build is not what editing costs: a
            # build then finds no spare tree (publish/spare.py) and stages the whole
            # site. One edit is made untimed first; the second is timed.
            build = [*sourcebook, "--out", str(out)]
            note = functools.partial(_edit_note, source, edits)
            bundle = functools.partial(_edit_bundle, source)
            _built_after(note if noted else bundle, build, code, env)  # untimed
            for kind, edit in ([("note", note)] if noted else []) + [("bundle", bundle)]:
                seconds, cpu = _built_after(edit, build, code, env)
                results[k][kind].append(seconds)
                results[k][f"{kind}_cpu"].append(cpu)
        if hugo:
            shutil.rmtree(hugo_site / "public", ignore_errors=True)
            results[0]["hugo"].append(timed(["hugo", "--quiet"], cwd=hugo_site)[0])
    rows = []
    for k, code in enumerate(codes):
        row = {key: f"{statistics.median(v):.2f}" for key, v in results[k].items() if v}
        row.update(code=code.name, memory=str(memory[k]), tree=str(tree[k]))
        row["kb_per_document"] = f"{sizes[k] / size / 1000:.1f}"
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hugo", action="store_true", help="also build the texts with Hugo")
    parser.add_argument("--archive", choices=["benchmark", "overlap"], default="benchmark")
    parser.add_argument(
        "--code",
        type=Path,
        nargs="+",
        default=[Path(__file__).resolve().parent.parent],
        help="checkouts of Sourcebook to time side by side (default: this one)",
    )
    args = parser.parse_args(argv)
    if args.hugo and shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed (Debian package 'hugo')")
    codes = [code.resolve() for code in args.code]
    with tempfile.TemporaryDirectory(prefix="sourcebook-bench-") as folder:
        rows = [
            (size, bench(size, args.repeat, args.hugo, Path(folder), codes, args.archive))
            for size in args.sizes
        ]
    header = (
        "| documents | code | clean build (s) | CPU (s) | no-op build (s) | one note edited (s) "
        "| CPU (s) | one bundle edited (s) | CPU (s) | KB per document "
        "| peak memory, largest process (MB) | peak memory, all processes (MB) |"
    )
    line = "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    if args.hugo:
        header += " Hugo (s) | Sourcebook / Hugo |"
        line += "---:|---:|"
    print(header)
    print(line)
    for size, size_rows in rows:
        hugo_seconds = size_rows[0].get("hugo")
        for row in size_rows:
            cells = (
                f"| {size} | {row['code']} | {row['clean']} | {row['clean_cpu']} | {row['noop']} "
                f"| {row.get('note', '–')} | {row.get('note_cpu', '–')} "
                f"| {row['bundle']} | {row['bundle_cpu']} | {row['kb_per_document']} "
                f"| {row['memory']} | {row['tree']} |"
            )
            if args.hugo and hugo_seconds:
                ratio = float(row["clean"]) / float(hugo_seconds)
                cells += f" {hugo_seconds} | {ratio:.1f}x |"
            print(cells)
    return 0


if __name__ == "__main__":
    sys.exit(main())
