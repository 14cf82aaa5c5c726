"""A build with nothing to do: replayed from the last build's state, without the stages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.build.pipeline import build
from generator.build.up_to_date import inputs_digest, up_to_date
from generator.cache import build_state
from generator.render.template_folder import default_templates


def test_the_last_build_is_replayed_with_its_warnings(make_source, tmp_path: Path) -> None:
    source = make_source({"sources/a.txt": "A text. More.\n", "site.yaml": "titel: typo\n"})
    out = tmp_path / "build"
    inputs = inputs_digest(source, default_templates(), None, None)
    assert up_to_date(build_state.previous(out), inputs) is None  # never built
    first = build(source, out, default_templates())
    previous = build_state.previous(out)
    replayed = up_to_date(previous, inputs)
    assert replayed is not None and replayed.up_to_date and replayed.documents == 1
    assert replayed.diagnostics.lines() == first.diagnostics.lines() != []
    strict = up_to_date(previous, inputs, strict=True)
    assert strict is not None and strict.diagnostics.has_errors and not strict.up_to_date
    assert up_to_date(previous, inputs_digest(source, default_templates(), "/repo/", None)) is None


def test_the_command_line_imports_no_stage_until_it_needs_one() -> None:
    # The imports a no-op `build` skips: 0.3 s of its 0.35 s of CPU at 1,000 documents.
    probe = (
        "import sys, generator.cli; "
        "print(sorted(m for m in ('numpy', 'jinja2', 'generator.build.pipeline', "
        "'generator.serve.server', 'generator.compare.comparisons') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert found == "[]\n"
