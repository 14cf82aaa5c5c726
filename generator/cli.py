"""The `sourcebook` command: wires the stages, prints problems, sets the exit code.

    sources → parse → model → render → write

Exit codes: 0 success (warnings allowed, unless --strict), 1 the sources have
errors or the site could not be written, 2 usage errors (a mistyped option,
a folder that is not an archive, an output folder another process is writing).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

from generator import __version__
from generator.build.up_to_date import inputs_digest, up_to_date
from generator.cache import build_state
from generator.diagnostics import Diagnostics
from generator.publish import lock
from generator.publish.write import OutputError, refuse_reason
from generator.render.template_folder import default_templates
from generator.sources.site_config import base_url_problem, site_url_problem

# The stages (`generator.build.pipeline`, `generator.serve.server`) are imported
# by the commands that run them, not here: a build with nothing to do then
# spends about 0.3 s less importing Jinja, numpy and the rest.

COMMANDS = "check, build or serve"


class _CommandParser(argparse.ArgumentParser):
    """A sub-command's parser: a mistake in its options is told with its own usage."""

    def parse_known_args(  # type: ignore[override]
        self, args: list[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extra = super().parse_known_args(args, namespace)
        if extra:  # else argparse leaves them to the top level, and its usage
            self.error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed, extra


def _checked(problem: Callable[[str], str | None]) -> Callable[[str], str]:
    """An argparse type from a function saying why a value is unusable (None: it is fine)."""

    def check(value: str) -> str:
        reason = problem(value)
        if reason:
            raise argparse.ArgumentTypeError(reason)
        return value

    return check


def _port(value: str) -> int:
    number = int(value) if value.strip().isdigit() else -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a port: give a number from 1 to 65535 (0: any free port)"
        )
    return number


def _folder(value: str) -> Path:
    if not Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is not a folder")
    return Path(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sourcebook", description="Publish an annotated archive of primary sources."
    )
    parser.add_argument("--version", action="version", version=f"sourcebook {__version__}")
    # Not `required`: argparse would then report a missing command before an unknown option.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        default = "source folder (default: site_src)"
        sub.add_argument("--source", type=Path, default=Path("site_src"), help=default)
        return sub

    def add_site_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--out", type=Path, default=Path("build"), help="output folder (default: build/)"
        )
        sub.add_argument(
            "--base-url",
            type=_checked(base_url_problem),
            help="path prefix of the site, e.g. /repo/ (default: base_url in site.yaml, "
            "else the path of the site's address, else /)",
        )
        sub.add_argument(
            "--site-url",
            type=_checked(site_url_problem),
            help="absolute address of the site (default: site_url in site.yaml, else none)",
        )
        sub.add_argument(
            "--templates",
            type=_folder,
            default=None,
            help="templates folder (default: the templates shipped with sourcebook)",
        )
        sub.add_argument(
            "--clean", action="store_true", help="ignore the previous build's state and cache"
        )

    strict = "make every warning an error: exit 1, publish nothing"
    check = add("check", "Check the sources and report every problem; write nothing.")
    check.add_argument("--strict", action="store_true", help=strict)
    check.set_defaults(run=_check)
    build_cmd = add("build", "Check the sources and build the site.")
    add_site_options(build_cmd)
    build_cmd.add_argument("--strict", action="store_true", help=strict)
    build_cmd.set_defaults(run=_build)
    serve_cmd = add("serve", "Build, serve on this machine, and rebuild and reload on every edit.")
    add_site_options(serve_cmd)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000)"
    )
    serve_cmd.set_defaults(run=_serve)
    return parser


def _print(diagnostics: Diagnostics) -> None:
    for line in diagnostics.lines():
        print(line, file=sys.stderr)


def _warnings(diagnostics: Diagnostics) -> str:
    count = diagnostics.warnings
    return f"{count} warning{'s' if count != 1 else ''}" if count else ""


def _check(args: argparse.Namespace) -> int:
    from generator.build.pipeline import load

    archive, diagnostics = load(args.source)
    if args.strict:
        diagnostics = diagnostics.strict()
    _print(diagnostics)
    if diagnostics.has_errors:
        return 1
    ok = ", ".join(filter(None, ("ok", _warnings(diagnostics))))
    print(f"{ok}: {len(archive.documents)} documents in {len(archive.collections)} collections")
    return 0


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()  # the wait for another writer's lock counts too
    templates = args.templates or default_templates()
    with lock.hold(args.out, args.command_line):
        inputs = inputs_digest(args.source, templates, args.base_url, args.site_url)
        previous = None if args.clean else build_state.previous(args.out)
        result = up_to_date(previous, inputs, args.strict)
        if result is None:
            from generator.build.pipeline import build

            result = build(
                args.source,
                args.out,
                templates,
                base_url=args.base_url,
                site_url=args.site_url,
                clean=args.clean,
                strict=args.strict,
                last=(inputs, previous),
            )
    _print(result.diagnostics)
    if result.diagnostics.has_errors:
        print("error: the site was not built; the published output is unchanged", file=sys.stderr)
        return 1
    if result.output_error:
        print(f"error: {result.output_error}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    warned = _warnings(result.diagnostics)
    if result.up_to_date:
        warned = f": {warned}" if warned else ""
        print(f"nothing changed since the last build of {args.out}/{warned} ({elapsed:.2f} s)")
        return 0
    warned = f", {warned}" if warned else ""
    print(
        f"built {result.documents} documents into {args.out}/: "
        f"{result.files} files, {result.changed} rewritten{warned} ({elapsed:.2f} s)"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.serve.server import serve

    with lock.hold(args.out, args.command_line):
        return serve(
            args.source,
            args.out,
            args.templates or default_templates(),
            args.host,
            args.port,
            base_url=args.base_url,
            site_url=args.site_url,
            clean=args.clean,
        )


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Why the folders given cannot be used at all, or None."""
    if not args.source.exists():
        return f"source folder {args.source} does not exist"
    if not args.source.is_dir():
        return f"source folder {args.source} is not a folder"
    if not (args.source / "sources").is_dir():
        return (
            f"{args.source} has no sources/ folder: is it the archive's folder? "
            "(see README.md, 'Use it for your own archive')"
        )
    if "out" in args:
        return refuse_reason(args.out, args.source)
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser()
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    if args.command is None:
        parser.error(f"choose a command: {COMMANDS}")
    args.command_line = shlex.join(["sourcebook", *argv])
    problem = _usage_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except lock.OutputLocked as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except OutputError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command == "serve":  # its first build may have replaced some pages already
            print("interrupted; the next build redoes what was left undone", file=sys.stderr)
        else:
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
