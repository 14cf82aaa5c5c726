"""Problems found in the sources, reported one per line as `path:line: level: message`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, tied to a file and a line of the editor's sources."""

    path: str
    line: int
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


@dataclass
class Diagnostics:
    """Collects the problems of one build; stages append, the CLI prints."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        """Record an error: the build will not publish."""
        self.items.append(Diagnostic(path, line, "error", message))

    def warning(self, path: str, line: int, message: str) -> None:
        """Record a warning: the build publishes anyway."""
        self.items.append(Diagnostic(path, line, "warning", message))

    def replay(self, lines: list[str]) -> None:
        """Record problems printed by an earlier run (`path:line: level: message`)."""
        for line in lines:
            path, number, level, message = line.split(":", 3)
            self.items.append(Diagnostic(path, int(number), level.strip(), message.strip()))

    @property
    def has_errors(self) -> bool:
        return any(d.level == "error" for d in self.items)

    @property
    def warnings(self) -> int:
        """How many warnings there are."""
        return sum(d.level == "warning" for d in self.items)

    def strict(self) -> Diagnostics:
        """The same problems with every warning made an error (`--strict`)."""
        return Diagnostics([replace(d, level="error") for d in self.items])

    def lines(self) -> list[str]:
        """Every problem as one line, in file and line order."""
        return [str(d) for d in sorted(self.items)]
