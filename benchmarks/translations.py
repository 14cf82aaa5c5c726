"""What finding translations costs: its share of a clean build, and what an edit re-encodes.

    python benchmarks/translations.py --documents 10000 --spanish 0.1 [--repeat 1]

Generates the archive (a share of its documents Spanish translations), runs
clean builds in this process with the translation stage timed inside them,
each followed by the same build with the stage's result handed over instead
of computed (what the stage adds to the build, in wall and CPU time: the
stage's own time no longer says it, since its sentences are encoded on the
second core while earlier stages run), then edits one sentence of one
Spanish document and builds again from the cache, counting the sentences
the encoder saw. Times are wall-clock and CPU
(this process and its children: the forked worker, Pagefind): the machine is
shared, and CPU seconds are what a noisy neighbour moves least.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_archive import generate
from generator import cli
from generator.compare import comparisons, meaning, translations


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Probe:
    """Times the translation stage and counts the texts the encoder encodes."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self.encoded = 0
        self.ahead = 0  # texts encoded ahead of the stage (`meaning.encode_ahead`), used or not
        self.groups = 0
        self.found: object = None  # the stage's last result
        self.replay = False  # give `found` back without running the stage (nor encoding ahead)
        stage, prepare = comparisons.translation_groups, meaning.SentenceVectors.prepare

        def timed(*args, **kwargs):
            if self.replay:
                return self.found
            wall, cpu = time.perf_counter(), _cpu()
            found = self.found = stage(*args, **kwargs)
            self.wall += time.perf_counter() - wall
            self.cpu += _cpu() - cpu
            self.groups = len(found)
            return found

        # Counted where the batches are handed out, not in `_encode`: the forked
        # worker of `map_on_cores` encodes half of them, and its count stayed there.
        def counted(vectors: meaning.SentenceVectors, texts) -> None:
            before = vectors.encoded
            prepare(vectors, texts)
            self.encoded += vectors.encoded - before

        comparisons.translation_groups = timed
        meaning.SentenceVectors.prepare = counted
        # The child of `encode_ahead` is started by the pipeline, which imports it
        # from `translations` when it makes the model: replaced there, the handed-over
        # build starts none.
        start = translations.encode_ahead
        translations.encode_ahead = lambda *a: None if self.replay else start(*a)
        if hasattr(meaning, "EncodingAhead"):  # 8584d46 and before: the child sends vectors
            ahead = meaning.EncodingAhead.vectors

            def received(encoding: meaning.EncodingAhead) -> dict:
                vectors = ahead(encoding)
                self.ahead += len(vectors)
                return vectors

            meaning.EncodingAhead.vectors = received
        else:  # the child sends every entry it stored, the vectors among them
            found = meaning.found_ahead

            def sent(cache):
                result = found(cache)
                if result is not None:
                    self.ahead += sum(stage == meaning.STAGE for stage, _, _ in result[1])
                return result

            meaning.found_ahead = sent

    def reset(self) -> None:
        self.wall = self.cpu = 0.0
        self.encoded = self.ahead = 0


def _build(source: Path, out: Path, probe: _Probe, clean: bool) -> tuple[float, float]:
    probe.reset()
    wall, cpu = time.perf_counter(), _cpu()
    code = cli.main(["build", "--source", str(source), "--out", str(out), *(["--clean"] * clean)])
    assert code == 0, code
    return time.perf_counter() - wall, _cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    """Command line: generate, build clean, edit, build again."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--spanish", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--source", type=Path, help="an archive generated before (skip generating)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sourcebook-translations-") as scratch:
        source = args.source or Path(scratch) / "src"
        if args.source is None:
            generate(source, args.documents, spanish=args.spanish)
        out = Path(scratch) / "out"
        probe = _Probe()
        rows, without = [], []
        for _ in range(args.repeat):
            wall, cpu = _build(source, out, probe, clean=True)
            rows.append((wall, cpu, probe.wall, probe.cpu, probe.encoded, probe.ahead))
            # The same build, every page the same, with the stage's result handed
            # over instead of computed: the difference is what the stage adds.
            probe.replay = True
            without.append(_build(source, out, probe, clean=True))
            probe.replay = False
        # The edit below starts from the cache of a build that computed the stage.
        _build(source, out, probe, clean=True)
        wall, cpu, stage_wall, stage_cpu, encoded, ahead = (
            statistics.median(c) for c in zip(*rows, strict=True)
        )
        bare_wall, bare_cpu = (statistics.median(c) for c in zip(*without, strict=True))
        print(
            f"clean build: {wall:.1f} s wall, {cpu:.1f} s CPU; translation stage {stage_wall:.1f} s"
            f" wall ({stage_wall / wall:.0%}), {stage_cpu:.1f} s CPU ({stage_cpu / cpu:.0%});"
            f" {encoded:.0f} texts encoded here, {ahead:.0f} ahead (used or not);"
            f" {probe.groups} translation groups"
        )
        print(
            f"the same build, the stage's result handed over: {bare_wall:.1f} s wall,"
            f" {bare_cpu:.1f} s CPU; the stage is {(wall - bare_wall) / wall:.0%} of the clean"
            f" build's wall, {(cpu - bare_cpu) / cpu:.0%} of its CPU"
        )
        bundle = next(
            p for p in sorted((source / "sources").glob("*.txt")) if "Declaración" in p.read_text()
        )
        text = bundle.read_text(encoding="utf-8")
        edited = text.replace(" proyectos.", " proyectos nuevos.", 1)
        bundle.write_text(edited, encoding="utf-8")
        wall, cpu = _build(source, out, probe, clean=False)
        print(
            f"one Spanish sentence edited: build {wall:.1f} s wall; translation stage"
            f" {probe.wall:.2f} s; {probe.encoded} texts encoded here, {probe.ahead} ahead"
        )
        if args.source is not None:
            bundle.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
