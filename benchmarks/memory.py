"""Where a clean build's memory peaks: the process tree sampled, stage by stage.

    python benchmarks/memory.py SOURCE [--code DIR ...] [--interval 0.2] [--out FOLDER]

Runs `sourcebook build --clean` of SOURCE with each checkout named (default:
this one; several are run one after the other, alternating if --repeat > 1),
with markers wrapped around the pipeline's stages (logged by the build, with
their time, to a file), and samples every process of the build's tree every
`--interval` seconds: its proportional set size (PSS, from smaps_rollup, so
pages a forked child shares with the build count once) and its resident size.
Prints, per checkout, the peak of the whole tree while each stage ran, what
each kind of process held at that moment, the largest process (the kernel's
peak resident size of the build and its waited-for descendants, as run.py
reports it), and CPU seconds of the whole tree (wait4).
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# A sibling, found by the folder of this script (sys.path[0]): `benchmarks.run` would
# put this checkout first on sys.path, and load its generator instead of the one measured.
from process_tree import descendants

_Process = tuple[int, str, int, int, int]  # pid, kind, PSS, RSS, private (KB)

# Stage markers: module, attribute (a function, or Class.method), and the stage's name.
_STAGES = (
    ("generator.build.pipeline", "load_archive", "parse"),
    ("generator.compare.comparisons", "_versions_and_quotations", "groups+quotations (child)"),
    ("generator.compare.comparisons", "map_on_cores", "align groups"),
    ("generator.compare.comparisons", "translation_groups", "translations"),
    ("generator.build.pipeline", "annotate", "notes"),
    ("generator.build.pipeline", "index_entities", "entities"),
    ("generator.publish.write", "_write_tree", "render+write"),
    ("generator.publish.write", "_publish_spare", "render+write"),
    ("generator.build.pipeline", "_index", "pagefind"),
    ("generator.publish.write", "_swap_staging", "swap"),
    ("generator.cache.build_state", "record", "state"),
    ("generator.cache.store", "BuildCache.release", "cache saved, model let go"),
    ("generator.cache.store", "BuildCache.save", "cache save"),
)


def _install_markers(log: Path) -> None:
    """Wrap each stage's function so that its start and end are logged (in the build)."""
    import importlib

    handle = log.open("a", buffering=1)
    main_pid = os.getpid()

    def marked(function, name):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            if os.getpid() != main_pid:  # a forked child runs it: not a stage of the build's
                return function(*args, **kwargs)
            handle.write(f"{time.time():.3f} start {name}\n")
            try:
                return function(*args, **kwargs)
            finally:
                handle.write(f"{time.time():.3f} end {name}\n")

        return wrapper

    for module_name, attribute, name in _STAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        owner, _, method = attribute.rpartition(".")
        holder = getattr(module, owner) if owner else module
        function = getattr(holder, method, None)
        if function is not None:
            setattr(holder, method, marked(function, name))


def _run_build(log: Path, argv: list[str]) -> int:
    """In the measured process: markers in place, then the command line's build."""
    _install_markers(log)
    from generator.cli import main

    return main(argv)


def _kind(pid: int, root: int) -> str:
    if pid == root:
        return "build"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
    except OSError:
        return "?"
    return "pagefind" if "pagefind" in command else "child"


def _sample(root: int) -> list[_Process]:
    """(pid, kind, PSS KB, RSS KB, private KB) of every process of the tree, now.

    A child between vfork and exec (subprocess starting Pagefind) shares its
    parent's memory, and reports it as its own: counted once.
    """
    found, seen = [], set()
    for pid in descendants(root):
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue  # ended meanwhile
        values = {}
        for line in text.splitlines()[1:]:
            name, _, rest = line.partition(":")
            if name in ("Pss", "Rss", "Private_Dirty", "Private_Clean"):
                values[name] = int(rest.split()[0])
        private = values.get("Private_Dirty", 0) + values.get("Private_Clean", 0)
        memory = (text.split("\n", 1)[0], values.get("Rss"), private)
        if not values or memory in seen:
            continue
        seen.add(memory)
        found.append((pid, _kind(pid, root), values["Pss"], values["Rss"], private))
    return found


def measure(code: Path, source: Path, out: Path, interval: float) -> dict:
    """One clean build of `source` into `out` with checkout `code`, sampled."""
    log = Path(tempfile.mkstemp(prefix="memory-stages-", suffix=".log")[1])
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--run",
        str(log),
        "build",
        "--source",
        str(source),
        "--out",
        str(out),
        "--clean",
    ]
    started = time.time()
    process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL)
    samples: list[tuple[float, list[_Process]]] = []
    done = threading.Event()

    def sampling() -> None:
        while not done.wait(interval):
            samples.append((time.time(), _sample(process.pid)))

    sampler = threading.Thread(target=sampling, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed with checkout {code}")
    events = []
    for line in log.read_text().splitlines():
        at, what, name = line.split(" ", 2)
        events.append((float(at), what, name))
    log.unlink()
    return {
        "code": code,
        "wall": time.time() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "largest": usage.ru_maxrss // 1024,
        "samples": samples,
        "events": events,
    }


def _stage_at(events: list[tuple[float, str, str]], at: float) -> str:
    stack: list[str] = []
    for when, what, name in events:
        if when > at:
            break
        if what == "start":
            stack.append(name)
        elif name in stack:
            stack.remove(name)
    return stack[-1] if stack else "(between stages)"


def report(result: dict) -> str:
    """A Markdown table: per stage, the tree's peak PSS and who held it; then the totals."""
    peaks: dict[str, tuple[int, list[_Process], float]] = {}
    order: list[str] = []
    largest_rss = 0
    start = result["samples"][0][0] if result["samples"] else 0.0
    for at, processes in result["samples"]:
        stage = _stage_at(result["events"], at)
        total = sum(p[2] for p in processes)
        largest_rss = max([largest_rss, *(p[3] for p in processes)])
        if stage not in peaks:
            order.append(stage)
        if stage not in peaks or total > peaks[stage][0]:
            peaks[stage] = (total, processes, at - start)
    lines = [
        f"checkout {result['code']}: {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU",
        "",
        "Each process: PSS, and in brackets its private pages (MB).",
        "",
        "| stage | peak, all processes (MB PSS) | at (s) | build | child | pagefind |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for stage in order:
        total, processes, at = peaks[stage]
        by_kind: dict[str, list[int]] = {"build": [], "child": [], "pagefind": []}
        for _, kind, pss, _, private in processes:
            by_kind.setdefault(kind, []).append(f"{pss // 1024} ({private // 1024})")
        cells = [" + ".join(map(str, by_kind[k])) or "–" for k in ("build", "child", "pagefind")]
        lines.append(f"| {stage} | {total // 1024} | {at:.1f} | {' | '.join(cells)} |")
    overall = max((p[0] for p in peaks.values()), default=0)
    lines += [
        "",
        f"peak, all processes: {overall // 1024} MB PSS; largest process: "
        f"{result['largest']} MB (peak RSS, wait4), {largest_rss // 1024} MB (RSS sampled)",
    ]
    return "\n".join(lines)


def trace(result: dict, path: Path) -> None:
    """Every sample, one line each: seconds in, stage, the tree's PSS, each process's."""
    start = result["samples"][0][0] if result["samples"] else 0.0
    with path.open("w") as handle:
        for at, processes in result["samples"]:
            stage = _stage_at(result["events"], at)
            total = sum(p[2] for p in processes) // 1024
            each = " ".join(
                f"{k}:{pss // 1024}/{rss // 1024}/{pr // 1024}" for _, k, pss, rss, pr in processes
            )
            handle.write(f"{at - start:7.1f} {total:5d} {stage:28s} {each}\n")


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--run":
        return _run_build(Path(argv[1]), argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--code", type=Path, nargs="+", default=[Path(__file__).parent.parent])
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--trace", type=Path, default=None, help="write every sample here")
    parser.add_argument("--out", type=Path, default=None, help="where to build (default: a temp)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sourcebook-memory-") as folder:
        for round_number in range(args.repeat):
            for k, code in enumerate(args.code):
                out = (args.out or Path(folder)) / f"out-{k}"
                result = measure(code.resolve(), args.source.resolve(), out, args.interval)
                print(f"round {round_number + 1}, {report(result)}\n", flush=True)
                if args.trace is not None:
                    trace(result, args.trace.with_suffix(f".{round_number}.{k}.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
