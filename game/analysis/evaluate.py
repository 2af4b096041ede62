"""The engine's evaluation of a position: thousands of futures, played as one vectorised batch.

From a game's current state, `evaluate` copies the world K times with fresh keyed randomness,
plays this quarter with given decisions (or the reference player's) and the rest of the game with
the reference player, and summarises the futures: the chance of each outcome, the expected score
and its standard error, the spread of the final valuation against the rival, and the statistics
the judgement's reasons quote (how often runway fell under four quarters, the regulatory hazard
next quarter, dependency, dilution). The same state and seed always give the same evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from game.analysis.reference import reference_actions
from game.content.models import ReferencePolicy
from game.engine import draws, rng
from game.engine.actions import Actions
from game.engine.outcome import dependency, score, valuation_vs_rival
from game.engine.params import FORCED_SALE, OUTCOME_NAMES, Params
from game.engine.state import State, concat
from game.engine.step import step

GOOD_OUTCOMES = ("survivor", "fortress", "ipo")
CHUNK = 5000
COMPACT_SHARE = 0.5
"""Share of finished worlds at which a rollout batch drops them (a speed setting, not a model one:
any value gives the same results, since finished worlds stay frozen in the batch)."""
"""Rollouts per batch: big enough to amortise numpy's per-call cost, small enough for the cache."""


@dataclass(frozen=True)
class Evaluation:
    """What thousands of futures from one position say."""

    rollouts: int
    outcome_odds: dict[str, float]
    expected_score: float
    score_se: float
    vs_rival_p10: float
    vs_rival_median: float
    vs_rival_p90: float
    good_odds: float
    """Chance of surviving independent: survivor, fortress or IPO."""
    bankrupt: float
    """Chance the cash runs out (or a default)."""
    runway_alarm: float
    """Share of futures in which runway falls below `alarm_runway` quarters at some point."""
    alarm_runway: float
    """The runway threshold of `runway_alarm` (quarters), from the content's reference player."""
    hazard_next: float
    """Chance of a regulatory action in the next quarter."""
    dependency_end: float
    founders_end: float
    scores: NDArray[np.float64]

    def line(self) -> str:
        odds = ", ".join(f"{k} {v:.0%}" for k, v in self.outcome_odds.items() if v >= 0.005)
        return f"expected score {self.expected_score:.1f} ± {self.score_se:.1f} ({odds})"


def _tile(state: State, keys: NDArray[np.uint64]) -> State:
    n = keys.shape[0]
    arrays = {f.name: np.repeat(getattr(state, f.name)[:1], n, axis=0) for f in fields(State)}
    arrays["key"] = keys.copy()
    return State(**arrays)


def _tile_actions(a: Actions, n: int) -> Actions:
    return Actions(**{f.name: np.repeat(getattr(a, f.name)[:1], n, axis=0) for f in fields(Actions)})


def _take(s: State, rows: NDArray[np.intp]) -> State:
    return State(**{f.name: getattr(s, f.name)[rows] for f in fields(State)})


def _rollout(
    p: Params, start: State, first: Actions | None, ref: ReferencePolicy
) -> tuple[State, dict[str, NDArray[np.float64]]]:
    """Play every world of `start` to its end; worlds that finish leave the batch at once, so
    later quarters compute only the games still running. The result keeps the input's order."""
    s = start
    a = _tile_actions(first, s.worlds) if first is not None else reference_actions(p, s, ref)
    min_runway = s.runway[:, 0].copy()
    # the reference player never answers an offer, so no later quarter needs one drawn
    s, _ = step(p, s, a, draws.draw(p, s, offers=False), in_place=True)  # the batch is ours
    hazard = np.minimum(1.0, (p.hazard_base + p.hazard_slope * s.scrutiny[:, 0] ** 2) * p.hazard_mult)
    rows = np.arange(s.worlds)
    finished: list[tuple[NDArray[np.intp], State]] = []
    while True:
        np.minimum.at(min_runway, rows, s.runway[:, 0])
        done = s.done
        # finished worlds stay frozen in the batch until enough of them are worth a compaction
        if done.all() or done.mean() >= COMPACT_SHARE:
            finished.append((rows[done], _take(s, np.flatnonzero(done))))
            keep = np.flatnonzero(~done)
            rows, s = rows[keep], _take(s, keep)
        if rows.size == 0:
            break
        s, _ = step(p, s, reference_actions(p, s, ref), draws.draw(p, s, offers=False), in_place=True)
    order = np.argsort(np.concatenate([r for r, _ in finished]), kind="stable")
    final = concat([st for _, st in finished])
    return _take(final, order), {"min_runway": min_runway, "hazard": hazard}


def evaluate(
    p: Params,
    state: State,
    ref: ReferencePolicy,
    rollouts: int,
    seed: int = 0,
    first: Actions | None = None,
    salt: str = "evaluation",
) -> Evaluation:
    """Evaluate world 0 of `state`; `first` are this quarter's decisions (None: the reference's)."""
    keys = rng.derive_keys(state.key[0], rollouts, f"{salt}/{seed}/{int(state.turn[0])}")
    if bool(state.done[0]):
        keys = keys[:1]
    ends, stats = [], []
    for lo in range(0, keys.shape[0], CHUNK):
        end, st = _rollout(p, _tile(state, keys[lo : lo + CHUNK]), first, ref)
        ends.append(end)
        stats.append(st)
    final = concat(ends)
    min_runway = np.concatenate([st["min_runway"] for st in stats])
    hazard = np.concatenate([st["hazard"] for st in stats])
    scores = score(p, final, final.outcome)
    n = scores.shape[0]
    codes = final.outcome
    odds = {name: float(np.mean(codes == k)) for k, name in enumerate(OUTCOME_NAMES)}
    vs = valuation_vs_rival(final)[:, 0]
    return Evaluation(
        rollouts=n,
        outcome_odds=odds,
        expected_score=float(scores.mean()),
        score_se=float(scores.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0,
        vs_rival_p10=float(np.percentile(vs, 10)),
        vs_rival_median=float(np.median(vs)),
        vs_rival_p90=float(np.percentile(vs, 90)),
        good_odds=float(sum(odds[o] for o in GOOD_OUTCOMES)),
        bankrupt=float(np.mean((codes == FORCED_SALE) & (final.cash[:, 0] <= 0.0))),
        runway_alarm=float(np.mean(min_runway < ref.alarm_runway)),
        alarm_runway=ref.alarm_runway,
        hazard_next=float(hazard.mean()),
        dependency_end=float(dependency(p, final)[:, 0].max(axis=-1).mean()),
        founders_end=float(final.cap[:, 0, 0].mean()),
        scores=scores,
    )
