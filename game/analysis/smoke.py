"""Playing a content pack for a few quarters, so that a pack that passes `fortress content check`
also runs: a pack can be valid value by value and still break the game when its values meet (a
price that overflows once multiplied, a rule that divides by a zero another file supplies).

`play_check(pack)` plays every scenario at every difficulty level with two contrasting bots for
a few quarters, and reports each game that fails, or whose figures stop being finite, as a
problem naming the scenario, the level, the bot and the quarter.
"""

from __future__ import annotations

import math
from dataclasses import fields

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.content.problems import Problem
from game.session.game import Game

QUARTERS = 4
"""Quarters each check game plays (the first quarters meet every kind of rule once)."""
PLAYERS = ("multicloud", "reckless")
"""A careful bot and one that signs and buys everything: between them most rules are exercised."""


def _not_finite(game: Game) -> str | None:
    """The first dashboard figure that is not a finite number, by name."""
    d = game.dashboard()
    for f in fields(d):
        value = getattr(d, f.name)
        if isinstance(value, float) and not math.isfinite(value):
            return f.name
    return None


def play_check(pack: Pack, quarters: int = QUARTERS, file_of: dict[str, str] | None = None) -> list[Problem]:
    """Every failure met playing each scenario of `pack` for `quarters` quarters (empty: it runs)."""
    problems: list[Problem] = []
    files = file_of or {}
    for scenario in pack.scenarios:
        file = files.get(scenario.id, f"scenario {scenario.id}")
        for level in pack.difficulties:
            for name in PLAYERS:
                where = f"playing {scenario.id!r} at difficulty {level.id!r} with the {name} bot"
                quarter = 0
                try:
                    game = Game.new(pack, scenario.id, level.id, 0)
                    while quarter < quarters and not game.over:
                        quarter += 1
                        POLICIES[name](game)
                        game.end_turn()
                        bad = _not_finite(game)
                        if bad is not None:
                            problems.append(
                                Problem(file, "", f"{where}, quarter {quarter}: the lab's {bad} is not a finite number")
                            )
                            break
                except MemoryError:
                    problems.append(Problem(file, "", f"{where}, quarter {quarter}: the game ran out of memory"))
                except Exception as exc:
                    what = (
                        "a value went out of range (overflow, or a division by zero)"
                        if isinstance(exc, ArithmeticError | ValueError)
                        else "the game failed"
                    )
                    problems.append(Problem(file, "", f"{where}, quarter {quarter}: {what}"))
    return problems
