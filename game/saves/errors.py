"""The one error a save can raise: which file, what is wrong with it and what to do."""

from __future__ import annotations

from pathlib import Path


class SaveError(Exception):
    """A save could not be written, read or trusted. The message is one paragraph for the player."""

    def __init__(self, path: Path | str, problem: str, advice: str) -> None:
        self.path = Path(path)
        self.problem = problem
        self.advice = advice
        super().__init__(f"{self.path.name}: {problem} {advice}")
