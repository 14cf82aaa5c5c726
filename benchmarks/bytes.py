"""What a built site weighs: bytes and files per kind of output, and per document.

    python benchmarks/bytes.py OUT [OUT ...]                     # folders already built
    python benchmarks/bytes.py --archive benchmark --documents 1000 [--keep DIR]
    python benchmarks/bytes.py --archive overlap --documents 1000
    python benchmarks/bytes.py OUT --parts                       # a document page's parts

GitHub Pages publishes at most 1 GB per site, so what counts is the bytes on
disk of every file a build publishes (the build's own marker file aside).
With several folders, they are shown side by side (before and after a
change). With `--archive`, the archive is generated (`generate_archive.py`
or `generate_overlap.py`, seed 1) and built with this checkout's code first.
With `--parts`, the document pages' bytes are split by what they show
(provenance, source lines, citation, text, notes, related texts…), to see
which to cut. Prints Markdown tables for docs/performance.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MARKER = ".sourcebook-build"  # the build's state: in the folder, never published

# The first rule whose prefix a file's path starts with names its kind.
KINDS: list[tuple[str, str]] = [
    ("documents/", "document pages"),
    ("compare/index.html", "listings"),
    ("compare/", "comparison pages"),
    ("translations/", "translation pages"),
    ("entities/index.html", "listings"),
    ("entities/", "entity pages"),
    ("sources/", "source-file copies"),
    ("data/archive.json", "export: archive.json"),
    ("data/collections/", "export: archive.json"),  # its parts (format 2), counted with it
    ("data/uncollected.json", "export: archive.json"),
    ("data/annotations.jsonld", "export: annotations.jsonld"),
    ("data/", "export: other"),
    ("pagefind/", "search index"),
    ("assets/", "assets"),
    ("collections/", "listings"),
    ("publishers/", "listings"),
    ("timeline/", "listings"),
    ("notes/", "listings"),
    ("index.html", "listings"),
    ("feed.xml", "feeds and sitemap"),
    ("sitemap.xml", "feeds and sitemap"),
    ("robots.txt", "feeds and sitemap"),
]
OTHER = "other pages (about, search, 404)"


def kind_of(path: str) -> str:
    """The kind of output a file (its path from the site's root) is."""
    for prefix, kind in KINDS:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return kind
    return OTHER


def measure(out: Path) -> tuple[dict[str, tuple[int, int]], int]:
    """Per kind, (bytes, files) of a built site; and how many documents it has."""
    sizes: Counter[str] = Counter()
    files: Counter[str] = Counter()
    documents = 0
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name == MARKER:
            continue
        relative = path.relative_to(out).as_posix()
        kind = kind_of(relative)
        sizes[kind] += path.stat().st_size
        files[kind] += 1
        if kind == "document pages" and relative.endswith("/index.html"):
            documents += 1
    return {kind: (sizes[kind], files[kind]) for kind in sizes}, documents


def table(results: list[tuple[str, dict[str, tuple[int, int]], int]]) -> str:
    """Bytes per document, total and files per kind, one column group per site."""
    kinds = sorted(
        {kind for _, kinds, _ in results for kind in kinds},
        key=lambda k: -max(r[1].get(k, (0, 0))[0] for r in results),
    )
    head = "| kind | " + " | ".join(f"{name}: KB/doc | MB | files" for name, _, _ in results)
    rule = "|---|" + "---:|---:|---:|" * len(results)
    lines = [head + " |", rule]
    for kind in [*kinds, "total"]:
        cells = []
        for _, measured, documents in results:
            if kind == "total":
                size = sum(s for s, _ in measured.values())
                count = sum(f for _, f in measured.values())
            else:
                size, count = measured.get(kind, (0, 0))
            cells.append(f"{size / max(documents, 1) / 1000:.2f} | {size / 1e6:.2f} | {count}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(", ".join(f"{name}: {documents} documents" for name, _, documents in results))
    return "\n".join(lines)


# The parts of a document page, by the element that opens them; the innermost counts.
PARTS: list[tuple[str, str, str]] = [
    ("head", "head", ""),
    ("site header and footer", "header", "site"),
    ("site header and footer", "footer", "site"),
    ("provenance", "details", "provenance"),
    ("source lines", "details", "source-lines"),
    ("citation", "details", "cite"),
    ("related texts", "section", "relations"),
    ("text: paragraphs", "section", "text"),
    ("text: notes", "div", "side"),
    ("pager", "nav", "pager"),
    ("more from the publisher", "section", "related"),
    ("more from the publisher", "p", "related"),  # since the page names the publisher's page only
]
VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "col", "embed"}


class _Parts(HTMLParser):
    """Counts each byte of a page towards the innermost part it lies in."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = page.splitlines(keepends=True)
        self.line_starts = [0]
        for line in self.lines:
            self.line_starts.append(self.line_starts[-1] + len(line.encode("utf-8")))
        self.stack: list[tuple[str, str | None]] = []  # (tag, the part it opens)
        self.counted: Counter[str] = Counter()
        self.last = 0

    def _offset(self) -> int:
        """The byte offset of the tag being parsed (getpos counts characters in a line)."""
        line, column = self.getpos()
        return self.line_starts[line - 1] + len(self.lines[line - 1][:column].encode("utf-8"))

    def _count_until(self, offset: int) -> None:
        part = next((p for _, p in reversed(self.stack) if p), "page frame")
        self.counted[part] += offset - self.last
        self.last = offset

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._count_until(self._offset())
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        part = next((name for name, t, c in PARTS if t == tag and (not c or c in classes)), None)
        self.stack.append((tag, part))

    def handle_endtag(self, tag: str) -> None:
        opened = [index for index, (t, _) in enumerate(self.stack) if t == tag]
        if tag in VOID or not opened:
            return
        # The closing tag belongs to the part it closes (the templates write it "</tag>").
        self._count_until(self._offset() + len(f"</{tag}>"))
        del self.stack[opened[-1] :]

    def close(self) -> None:
        super().close()
        self._count_until(self.line_starts[-1])


def page_parts(page: str) -> Counter[str]:
    """The bytes of one document page, per part."""
    parser = _Parts(page)
    parser.feed(page)
    parser.close()
    return parser.counted


def parts_table(results: list[tuple[str, Path]]) -> str:
    """Bytes per document page by part, one column per site."""
    counted: list[tuple[str, Counter[str], int]] = []
    for name, out in results:
        total: Counter[str] = Counter()
        pages = sorted((out / "documents").glob("*/index.html"))
        for page in pages:
            total.update(page_parts(page.read_text(encoding="utf-8")))
        counted.append((name, total, len(pages)))
    parts = sorted({p for _, c, _ in counted for p in c}, key=lambda p: -counted[0][1][p])
    lines = [
        "| part of a document page | "
        + " | ".join(f"{n}: bytes/page" for n, _, _ in counted)
        + " |",
        "|---|" + "---:|" * len(counted),
    ]
    for part in [*parts, "total"]:
        cells = [
            f"{(sum(c.values()) if part == 'total' else c[part]) / max(n, 1):,.0f}"
            for _, c, n in counted
        ]
        lines.append(f"| {part} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def build(kind: str, documents: int, folder: Path) -> Path:
    """Generate an archive of `documents` and build it with this checkout; the output."""
    source, out = folder / "source", folder / "out"
    script = "generate_archive.py" if kind == "benchmark" else "generate_overlap.py"
    here = Path(__file__).resolve().parent
    subprocess.run(
        [sys.executable, str(here / script), str(source), "--documents", str(documents)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--source",
            str(source),
            "--out",
            str(out),
            "--clean",
        ],
        check=True,
        cwd=here.parent,
        stdout=subprocess.DEVNULL,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="*", type=Path, help="built output folders")
    parser.add_argument("--archive", choices=["benchmark", "overlap"])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="with --archive: build here, and keep it")
    parser.add_argument("--parts", action="store_true", help="split document pages by part")
    args = parser.parse_args()
    folders = list(args.out)
    with tempfile.TemporaryDirectory(prefix="sourcebook-bytes-") as scratch:
        if args.archive:
            folder = args.keep or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            folders.append(build(args.archive, args.documents, folder))
        if not folders:
            parser.error("give an output folder, or --archive")
        named = [(out.name if len(folders) > 1 else "site", out) for out in folders]
        print(table([(name, *measure(out)) for name, out in named]))
        if args.parts:
            print()
            print(parts_table(named))


if __name__ == "__main__":
    main()
