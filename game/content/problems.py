"""Content problems: one row per mistake, and the error that carries them all.

A problem names the file, the key path (`event[3].when[0].metric`), the line when it is known and
a message a teacher can act on. `ContentError` is raised with every problem found, so that
`fortress content check` can list them all at once and the game can refuse to start half-loaded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in a content pack."""

    file: str
    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        key = f", key `{self.key}`" if self.key else ""
        return f"{where}{key}: {self.message}"


class ContentError(Exception):
    """A content pack could not be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"The content pack could not be loaded: {first}{more}.")

    def report(self) -> str:
        """All problems, one per line, for the terminal."""
        n = len(self.problems)
        lines = [f"{n} {'problem' if n == 1 else 'problems'} in the content pack:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
