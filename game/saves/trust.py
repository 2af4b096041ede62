"""Whether a save can be trusted in a class: the checks behind "flagged".

A save is self-contained, so whoever holds the file can change its rules, its summary or any
field. A save that replays (every digest checked) may still lie in three ways, each named here:

- its seal does not match its fields: it was edited after Fortress wrote it;
- its content is not the pack the class plays (the workshop's fingerprint, or this copy's pack),
  for example tripled outcome multipliers: the sections that differ are named;
- its summary (what a listing shows without replaying) is not what its replay gives.

The debrief, `workshop status` and `replay --check` all call `audit`, and none of them trusts a
save's summary: they show what the replay gives.
"""

from __future__ import annotations

import math

from game.content.fingerprint import differences, fingerprint
from game.content.models import Pack
from game.content.names import plain
from game.saves.format import SaveFile, Summary, seal_of
from game.saves.store import summary_of
from game.session.game import Game


class Reference:
    """The content a class plays: a pack (this copy's, or the one the facilitator loaded), and the
    fingerprint a workshop file recorded when it was written, if any."""

    def __init__(self, pack: Pack, recorded: str | None = None, name: str = "the workshop's pack") -> None:
        self.pack = pack
        self.recorded = recorded
        self.name = name

    def expected(self, scenario: str) -> str:
        """The fingerprint an honest save of `scenario` has."""
        return self.recorded or fingerprint(self.pack, scenario)


def _differs(a: float | int | str | None, b: float | int | str | None) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a != b


def _show(value: float | int | str | None) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, float):
        return f"{value:.6g}"
    return plain(value, 40)


def summary_problem(saved: Summary, replayed: Summary) -> str | None:
    """The first field where a save's summary and its replay disagree, in words."""
    for field in Summary.model_fields:
        a, b = getattr(saved, field), getattr(replayed, field)
        if _differs(a, b):
            return f"its summary says {field} {_show(a)} but its replay gives {_show(b)}"
    return None


def audit(save: SaveFile, game: Game | None, reference: Reference | None) -> list[str]:
    """Every reason to flag `save` (empty: nothing found). `game` is the save replayed, if it was."""
    flags = []
    seal_ok, fingerprint_ok = save._as_written
    own = fingerprint(save.content)
    if seal_ok is None and save.seal is not None:  # not read from a file: check the fields as they are
        seal_ok = seal_of(save) == save.seal
    if fingerprint_ok is None and save.fingerprint is not None:
        fingerprint_ok = save.fingerprint == own
    if seal_ok is False:
        flags.append("it was edited after Fortress wrote it (its seal does not match its fields)")
    if fingerprint_ok is False:
        flags.append("its content was edited after the game was played (its fingerprint does not match)")
    if reference is not None:
        scenario = save.settings.scenario
        if own != reference.expected(scenario):
            where: list[str] = []
            if fingerprint(reference.pack, scenario) == reference.expected(scenario):
                where = differences(save.content, reference.pack, scenario)
            detail = f": {', '.join(where)} differ" if where else ""
            flags.append(f"it plays with other rules or content than {reference.name}{detail}")
    if game is not None:
        problem = summary_problem(save.summary, summary_of(game))
        if problem:
            flags.append(problem)
    return flags
