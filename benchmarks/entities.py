"""Time finding entity mentions on a generated archive, against a regex alternation.

    python benchmarks/entities.py [--documents 10000] [--extra 5000] [--repeat 3]

Generates the archive (its `entities.yaml` names 20 entities, four of them
mentioned tens of thousands of times), then times the whole entities stage
(`index_entities`: read the file, find every mention, credits, descriptions)
with those entities and with `--extra` more names that the texts never use,
and, for comparison, one pass per paragraph of a single compiled regular
expression alternation (longest forms first) over the same forms.
Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_archive import generate
from generator.diagnostics import Diagnostics
from generator.entities.entity_file import load_entities
from generator.entities.mentions import index_entities
from generator.model import Archive
from generator.sources.archive import load_archive

_SYLLABLES = "ba ce di fo gu la me ni po ru sa te vi xo za".split()


def _extra_names(count: int) -> list[str]:
    """Distinct made-up names, two capitalized words each."""
    names = []
    for index in range(count):
        first = "".join(_SYLLABLES[(index // 15**k) % 15] for k in range(3)).capitalize()
        last = "".join(_SYLLABLES[(index * 7 // 15**k) % 15] for k in range(4)).capitalize()
        names.append(f"{first} {last}{index}")
    return names


def _regex_pass(archive: Archive, source: Path) -> int:
    """Mentions found by one compiled alternation per paragraph (leftmost, longest first)."""
    written = {f for d in load_entities(source, Diagnostics()) for f in d.forms}
    # The same forms as the stage's, lowercase ones capitalized at sentence starts too.
    forms = sorted(written | {f[0].upper() + f[1:] for f in written}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")
    return sum(len(pattern.findall(p.text)) for doc in archive.documents for p in doc.paragraphs)


def _median(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    """Command line: print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--extra", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "src"
        generate(source, args.documents)
        archive, _ = load_archive(source)
        paragraphs = sum(len(d.paragraphs) for d in archive.documents)
        generated = (source / "entities.yaml").read_text(encoding="utf-8")
        print(f"{len(archive.documents)} documents, {paragraphs} paragraphs\n")
        print("| entities | forms | mentions | entities stage (s) | regex alternation (s) |")
        print("|---:|---:|---:|---:|---:|")
        for extra in (0, args.extra):
            names = "".join(f"- name: {n}\n  kind: person\n" for n in _extra_names(extra))
            (source / "entities.yaml").write_text(generated + names, encoding="utf-8")
            drafts = load_entities(source, Diagnostics())
            forms = sum(len(d.forms) for d in drafts)
            seconds, enriched = _median(
                lambda: index_entities(archive, source, Diagnostics()), args.repeat
            )
            regex_seconds, regex_found = _median(lambda: _regex_pass(archive, source), args.repeat)
            mentions = len(enriched.mentions)  # type: ignore[attr-defined]
            assert regex_found == mentions, (regex_found, mentions)
            print(f"| {len(drafts)} | {forms} | {mentions} | {seconds:.2f} | {regex_seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
