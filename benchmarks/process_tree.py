"""A process and its descendants, from /proc: what the benchmarks sum their memory over.

Imports nothing of Sourcebook's and touches no `sys.path`, so that `memory.py`,
which measures another checkout's code through PYTHONPATH, can use it too.
"""

from __future__ import annotations

import os
from pathlib import Path


def descendants(root: int) -> list[int]:
    """`root` and every process under it, now (those that ended meanwhile are left out)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found
