"""The `sourcebook` command: wires the stages, prints problems, sets the exit code.

    sources → parse → model → render → write

Exit codes: 0 success (warnings allowed), 1 the sources have errors or the
site could not be written, 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator import __version__
from generator.build.pipeline import build, load
from generator.diagnostics import Diagnostics
from generator.publish.write import refuse_reason
from generator.render.changed import default_templates
from generator.serve.server import serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sourcebook", description="Publish an annotated archive of primary sources."
    )
    parser.add_argument("--version", action="version", version=f"sourcebook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--source", type=Path, default=Path("site_src"), help="source folder")
        return sub

    check = add("check", "Check the sources and report every problem; write nothing.")
    check.set_defaults(run=_check)
    build = add("build", "Check the sources and build the site.")
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    build.add_argument("--base-url", help="path prefix of the site, e.g. /repo/")
    build.add_argument("--site-url", help="absolute address of the site")
    build.add_argument(
        "--templates", type=Path, default=None, help="templates folder (default: the shipped one)"
    )
    build.add_argument("--clean", action="store_true", help="ignore the previous build's state")
    build.set_defaults(run=_build)
    serve_cmd = add("serve", "Build, serve on this machine, and rebuild and reload on every edit.")
    serve_cmd.add_argument("--out", type=Path, default=Path("build"), help="output folder")
    serve_cmd.add_argument("--base-url", help="path prefix of the site, e.g. /repo/")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve_cmd.add_argument("--templates", type=Path, default=None, help=argparse.SUPPRESS)
    serve_cmd.set_defaults(run=_serve)
    return parser


def _print(diagnostics: Diagnostics) -> None:
    for line in diagnostics.lines():
        print(line, file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    archive, diagnostics = load(args.source)
    _print(diagnostics)
    if diagnostics.has_errors:
        return 1
    print(f"ok: {len(archive.documents)} documents in {len(archive.collections)} collections")
    return 0


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    reason = refuse_reason(args.out, args.source)
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    result = build(
        args.source,
        args.out,
        args.templates or default_templates(),
        base_url=args.base_url,
        site_url=args.site_url,
        clean=args.clean,
    )
    _print(result.diagnostics)
    if result.diagnostics.has_errors:
        print("error: the site was not built; the published output is unchanged", file=sys.stderr)
        return 1
    if result.output_error:
        print(f"error: {result.output_error}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    if result.up_to_date:
        print(f"nothing changed since the last build of {args.out}/ ({elapsed:.2f} s)")
        return 0
    print(
        f"built {result.documents} documents into {args.out}/: "
        f"{result.files} files, {result.changed} rewritten ({elapsed:.2f} s)"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    reason = refuse_reason(args.out, args.source)
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    return serve(args.source, args.out, args.templates or default_templates(), args.host,
                 args.port, base_url=args.base_url)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    if not args.source.is_dir():
        print(f"error: source folder {args.source} does not exist", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted; the published output is unchanged", file=sys.stderr)
        return 130
    except Exception as problem:  # a bug in sourcebook: say so in one line, not a traceback
        if os.environ.get("SOURCEBOOK_DEBUG"):
            raise
        print(
            f"error: internal error ({type(problem).__name__}: {problem}); "
            "rerun with SOURCEBOOK_DEBUG=1 for details and report it",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
