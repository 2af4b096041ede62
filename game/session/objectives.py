"""Learning objectives marked: each scenario objective's check, met or not met, with evidence.

A check (in the scenario's content) names a metric of the player's lab, a comparison and a
threshold, tested after every quarter played (`all game`) or after the last one (`at end`).
`objective_marks` is the one place the marks are computed: the game-over screen, the replay and
every form of the class debrief show what it returns.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from game.content.models import Objective, ObjectiveCheck
from game.engine.events import metrics
from game.session.views import ObjectiveMark

if TYPE_CHECKING:
    from game.session.core import GameCore

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_MET_WORD = {"<": "below", "<=": "at most", ">": "above", ">=": "at least", "==": "equal to", "!=": "other than"}
_MISSED_WORD = {
    "<": "not below",
    "<=": "above",
    ">": "not above",
    ">=": "below",
    "==": "not equal to",
    "!=": "equal to",
}


def _decimals(check: ObjectiveCheck) -> int:
    """Decimals a percentage needs to show its threshold exactly (34.5%, not 34%)."""
    return 0 if abs(check.value * 100 - round(check.value * 100)) < 1e-9 else 1


def _show(check: ObjectiveCheck, value: float, cap: float | None = None) -> str:
    """A measure's figure in its unit: a value reached in play (runway at or past `cap` shows as
    `8+ quarters`), or, with no `cap`, a threshold as the content writes it (`$5B`, not `$5.0B`)."""
    unit, threshold = check.unit, cap is None
    if unit == "percent":
        return f"{value:.{_decimals(check)}%}"
    if unit == "quarters":
        if cap is not None and value >= cap:
            return f"{cap:g}+ quarters"
        return f"{value:g} quarters" if threshold else f"{value:.1f} quarters"
    if unit in ("gw", "money"):
        number = f"{value:g}" if threshold else f"{value:.{2 if unit == 'gw' else 1}f}"
        return f"{number} GW" if unit == "gw" else f"${number}B"
    return f"{value:.2f}x" if unit == "times" else f"{value:.2f}"


def _threshold(check: ObjectiveCheck) -> str:
    return _show(check, check.value)


def criterion(objective: Objective) -> str:
    """What marks an objective met, before the game: `dependency below 55% all game`."""
    first, also = objective.check, objective.also
    if first is None:
        return ""
    text = f"{first.measure} {_MET_WORD[first.op]} {_threshold(first)}"
    if also is not None and (also.metric, also.over) == (first.metric, first.over):
        return f"{text} and {_MET_WORD[also.op]} {_threshold(also)} {first.over}"
    text += f" {first.over}"
    if also is not None:
        text += f"; {also.measure} {_MET_WORD[also.op]} {_threshold(also)} {also.over}"
    return text


def _worst(check: ObjectiveCheck, values: list[float]) -> int:
    """The quarter closest to missing (or furthest past missing) the threshold."""
    if check.op in ("<", "<="):
        return int(np.argmax(values))
    if check.op in (">", ">="):
        return int(np.argmin(values))
    compare = _COMPARE[check.op]
    return next((i for i, v in enumerate(values) if not compare(v, check.value)), len(values) - 1)


def mark(check: ObjectiveCheck, values: list[float], quarters: list[str], over: bool, cap: float) -> tuple[bool, str]:
    """Whether `check` is met by the metric's `values` after each quarter played (labels
    `quarters`), and the evidence in words. `over`: the game has ended."""
    if not values:
        return False, "no quarter played yet"
    met, head, tail = _mark(check, values, quarters, over, cap)
    return met, f"{head}, {tail}"


def _mark(
    check: ObjectiveCheck, values: list[float], quarters: list[str], over: bool, cap: float
) -> tuple[bool, str, str]:
    """`mark` in two parts: the figure where it counts, and the comparison."""
    compare = _COMPARE[check.op]
    if check.over == "all game":
        met = all(compare(v, check.value) for v in values)
        i = _worst(check, values)
        where = "" if met else f" in {quarters[i]}"
        span = "all game" if over else "so far"
    else:
        i = len(values) - 1
        met = compare(values[i], check.value)
        where = " at end" if over else f" now ({quarters[i]})"
        span = ""
    word = _MET_WORD[check.op] if met else _MISSED_WORD[check.op]
    tail = f"{word} {_threshold(check)}" + (f" {span}" if span else "")
    return met, f"{check.measure} {_show(check, values[i], cap)}{where}", tail


def mark_both(
    check: ObjectiveCheck,
    also: ObjectiveCheck | None,
    columns: dict[str, list[float]],
    quarters: list[str],
    over: bool,
    cap: float,
) -> tuple[bool, str]:
    """An objective's check and its second check if any: met when both are, with both figures."""
    met, evidence = mark(check, columns[check.metric], quarters, over, cap)
    if also is None or not quarters:
        return met, evidence
    met_also, head, tail = _mark(also, columns[also.metric], quarters, over, cap)
    if (also.metric, also.over) == (check.metric, check.over) and check.over == "at end":
        return met and met_also, f"{evidence} and {tail}"  # one figure, two bounds
    return met and met_also, f"{evidence}; {head}, {tail}"


def objective_marks(game: GameCore) -> tuple[ObjectiveMark, ...]:
    """Every objective of the game's scenario, marked on the quarters played so far."""
    checks = [c for o in game.scenario.objectives for c in (o.check, o.also) if c is not None]
    names = tuple(dict.fromkeys(c.metric for c in checks))
    states = [t.state_after for t in game.turns]
    table = np.array([metrics(game.params, s, names)[0] for s in states]).reshape(len(states), len(names))
    quarters = [game.quarter_label(i) for i in range(len(states))]
    cap = game.params.outcomes.runway_cap
    marks = []
    for objective in game.scenario.objectives:
        check = objective.check
        if check is None:
            marks.append(ObjectiveMark(objective.text, "", None, "not checked", game.over))
            continue
        columns = {name: [float(v) for v in table[:, k]] for k, name in enumerate(names)}
        met, evidence = mark_both(check, objective.also, columns, quarters, game.over, cap)
        marks.append(ObjectiveMark(objective.text, check.label, met, evidence, game.over))
    return tuple(marks)
