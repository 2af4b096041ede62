"""The engine's evaluation of a position: thousands of futures, played as one vectorised batch.

From a game's current state, `evaluate` copies the world K times with fresh keyed randomness,
plays this quarter with given decisions (or the reference player's) and the rest of the game with
the reference player, and summarises the futures: the chance of each outcome, the expected score
and its standard error, the spread of the final valuation against the rival, and the statistics
the judgement's reasons quote (how often runway fell under four quarters, the regulatory hazard
next quarter, dependency, dilution). The same state and seed always give the same evaluation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
from numpy.typing import NDArray

from game.analysis.parallel import chunks, processes, run_shares, shares
from game.analysis.reference import reference_actions
from game.content.models import ReferencePolicy
from game.engine import draws, rng, scrutiny
from game.engine.actions import Actions
from game.engine.outcome import SCORE_PARTS, player_dependency, score_of_parts, score_parts, valuation_vs_rival
from game.engine.params import FORCED_SALE, OUTCOME_NAMES, Params
from game.engine.state import State
from game.engine.state import rows as rows_of
from game.engine.step import step

GOOD_OUTCOMES = ("survivor", "fortress", "ipo")
SHARE_MIN = 250
"""The fewest rollouts worth sending to a helper process: below it the round trip costs more than
the helper saves (1,000 rollouts take 77 ms in two processes against 112 ms in one)."""
COMPACT_SHARE = 0.5
"""Share of finished worlds at which a rollout batch drops them (a speed setting, not a model one:
any value gives the same results, since finished worlds stay frozen in the batch)."""


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
    part_points: dict[str, float]
    """Each score part's mean points (the parts give up to 100) before the outcome's multiplier (its value in
    [0, 1] times its share of the scenario's weights), by the names of `SCORE_PARTS`."""
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


@dataclass(frozen=True)
class Futures:
    """What each future of a batch came to, one entry per rollout, in the order of their keys."""

    scores: NDArray[np.float64]
    outcome: NDArray[np.int64]
    vs_rival: NDArray[np.float64]
    bankrupt: NDArray[np.bool_]
    dependency: NDArray[np.float64]
    founders: NDArray[np.float64]
    parts: NDArray[np.float64]  # (n, 5) score parts in [0, 1]
    min_runway: NDArray[np.float64]
    hazard: NDArray[np.float64]

    @staticmethod
    def of(p: Params, final: State) -> Futures:
        """The ends of finished games (their runway and hazard are filled in by the rollout)."""
        codes = final.outcome
        nan = np.full(final.worlds, np.nan)
        parts = score_parts(p, final)
        return Futures(
            scores=score_of_parts(p, parts, codes),
            outcome=codes.copy(),
            vs_rival=valuation_vs_rival(final)[:, 0],
            bankrupt=(codes == FORCED_SALE) & (final.cash[:, 0] <= 0.0),
            dependency=player_dependency(p, final).max(axis=-1),
            founders=final.cap[:, 0, 0].copy(),
            parts=parts,
            min_runway=nan,
            hazard=nan,
        )

    @staticmethod
    def join(parts: list[Futures], order: NDArray[np.intp] | None = None) -> Futures:
        """Parts one after another, then put in `order` if given."""
        joined = {f.name: np.concatenate([getattr(x, f.name) for x in parts]) for f in fields(Futures)}
        return Futures(**{k: v if order is None else v[order] for k, v in joined.items()})

    def part(self, lo: int, hi: int) -> Futures:
        """The futures `lo` to `hi` (in the order of their keys)."""
        return Futures(**{f.name: getattr(self, f.name)[lo:hi] for f in fields(Futures)})

    @property
    def size(self) -> int:
        return int(self.scores.shape[0])


def rollout(p: Params, start: State, first: Actions | None, ref: ReferencePolicy) -> Futures:
    """Play every world of `start` to its end, this quarter with `first` (one row per world;
    None: the reference player's decisions). Finished worlds leave the batch once they are a
    large enough share of it, so later quarters compute mostly the games still running; each
    leaves its figures behind. The result keeps the input's order."""
    s = start
    a = first if first is not None else reference_actions(p, s, ref)
    min_runway = s.runway[:, 0].copy()
    # the reference player never answers an offer, so no later quarter needs one drawn
    s, _ = step(p, s, a, draws.draw(p, s, offers=False), in_place=True)  # the batch is ours
    hazard = scrutiny.hazard(p, s.scrutiny[:, 0])
    rows = np.arange(s.worlds)
    finished: list[tuple[NDArray[np.intp], Futures]] = []
    while True:
        np.minimum.at(min_runway, rows, s.runway[:, 0])
        done = s.done
        # finished worlds stay frozen in the batch until enough of them are worth a compaction
        if done.all() or done.mean() >= COMPACT_SHARE:
            finished.append((rows[done], Futures.of(p, rows_of(s, np.flatnonzero(done)))))
            keep = np.flatnonzero(~done)
            rows, s = rows[keep], rows_of(s, keep)
        if rows.size == 0:
            break
        # the reference player's plan is built through the rules on this state: already vetted
        s, _ = step(p, s, reference_actions(p, s, ref), draws.draw(p, s, offers=False), in_place=True, vetted=True)
    order = np.argsort(np.concatenate([r for r, _ in finished]), kind="stable")
    futures = Futures.join([f for _, f in finished], order)
    return replace(futures, min_runway=min_runway, hazard=hazard)


def _play_share(job: tuple[Params, State, Actions | None, ReferencePolicy, NDArray[np.uint64]]) -> Futures:
    """The futures keyed by `keys` from world 0 of `state`, a chunk at a time (in any process)."""
    p, state, first, ref, keys = job
    return Futures.join(
        [
            rollout(p, _tile(state, keys[lo:hi]), None if first is None else _tile_actions(first, hi - lo), ref)
            for lo, hi in chunks(keys.shape[0])
        ]
    )


@dataclass(frozen=True)
class Position:
    """One position to play futures from: world 0 of `state`, this quarter with each of `plans`
    (one world each), futures `lo` to `hi` of each."""

    state: State
    plans: Sequence[Actions]
    lo: int
    hi: int


def _play_positions_share(
    job: tuple[Params, ReferencePolicy, State, Actions, NDArray[np.intp], NDArray[np.intp], NDArray[np.uint64]],
) -> Futures:
    """Future i played from world `where[i]` of `states`, this quarter with row `which[i]` of
    `plans` (and the reference player after it) and keyed `keys[i]`, a chunk at a time (in any
    process)."""
    p, ref, states, plans, where, which, keys = job
    out = []
    for lo, hi in chunks(keys.shape[0]):
        s = rows_of(states, where[lo:hi])
        s.key[...] = keys[lo:hi]
        out.append(
            rollout(p, s, Actions(**{f.name: getattr(plans, f.name)[which[lo:hi]] for f in fields(Actions)}), ref)
        )
    return Futures.join(out)


def future_keys(state: State, count: int, seed: int, salt: str) -> NDArray[np.uint64]:
    """The keys of the first `count` futures of world 0 of `state` (a longer list starts with
    the same keys, so futures can be added a batch at a time)."""
    return rng.derive_keys(state.key[0], count, f"{salt}/{seed}/{int(state.turn[0])}")


def play_positions(
    p: Params, ref: ReferencePolicy, positions: Sequence[Position], seed: int = 0, salt: str = "evaluation"
) -> list[list[Futures]]:
    """The futures of every plan of every position (all positions of one game's world), on the
    same keys for the plans of one position (common random numbers), played as one batch shared
    among the processes. A future is the same whatever else is in the batch, so
    `evaluate(..., rollouts=hi, first=plan)` sees the same futures from the same position."""
    where, which, keys, sizes = [], [], [], []
    row = 0
    for k, pos in enumerate(positions):
        own = future_keys(pos.state, pos.hi, seed, salt)[pos.lo :]
        for _ in pos.plans:
            where.append(np.full(own.shape[0], k, dtype=np.intp))
            which.append(np.full(own.shape[0], row, dtype=np.intp))
            keys.append(own)
            sizes.append(own.shape[0])
            row += 1
    if not sizes:
        return [[] for _ in positions]
    states = State(**{f.name: np.concatenate([getattr(x.state, f.name)[:1] for x in positions]) for f in fields(State)})
    plans = Actions(
        **{
            f.name: np.concatenate([getattr(a, f.name)[:1] for x in positions for a in x.plans])
            for f in fields(Actions)
        }
    )
    w, h, every = np.concatenate(where), np.concatenate(which), np.concatenate(keys)
    jobs = [
        (p, ref, states, plans, w[a:b], h[a:b], every[a:b]) for a, b in shares(every.shape[0], processes(), SHARE_MIN)
    ]
    f = Futures.join(run_shares(_play_positions_share, jobs))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    parts = [f.part(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
    out, at = [], 0
    for pos in positions:
        out.append(parts[at : at + len(pos.plans)])
        at += len(pos.plans)
    return out


def play_plans(
    p: Params,
    state: State,
    ref: ReferencePolicy,
    plans: Sequence[Actions],
    lo: int,
    hi: int,
    seed: int = 0,
    salt: str = "evaluation",
) -> list[Futures]:
    """Futures `lo` to `hi` of world 0 of `state` for each of `plans` (`play_positions` of one)."""
    return play_positions(p, ref, [Position(state, plans, lo, hi)], seed, salt)[0]


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
    keys = future_keys(state, rollouts, seed, salt)
    if bool(state.done[0]):
        keys = keys[:1]
    parts = [(p, state, first, ref, keys[lo:hi]) for lo, hi in shares(keys.shape[0], processes(), SHARE_MIN)]
    return summarise(p, ref, Futures.join(run_shares(_play_share, parts)))


def summarise(p: Params, ref: ReferencePolicy, f: Futures) -> Evaluation:
    """What the futures `f` of one position say."""
    scores, codes, n = f.scores, f.outcome, f.scores.shape[0]
    odds = {name: float(np.mean(codes == k)) for k, name in enumerate(OUTCOME_NAMES)}
    return Evaluation(
        rollouts=n,
        outcome_odds=odds,
        expected_score=float(scores.mean()),
        score_se=float(scores.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0,
        vs_rival_p10=float(np.percentile(f.vs_rival, 10)),
        vs_rival_median=float(np.median(f.vs_rival)),
        vs_rival_p90=float(np.percentile(f.vs_rival, 90)),
        good_odds=float(sum(odds[o] for o in GOOD_OUTCOMES)),
        bankrupt=float(np.mean(f.bankrupt)),
        runway_alarm=float(np.mean(f.min_runway < ref.alarm_runway)),
        alarm_runway=ref.alarm_runway,
        hazard_next=float(f.hazard.mean()),
        dependency_end=float(f.dependency.mean()),
        founders_end=float(f.founders.mean()),
        part_points={
            name: float(100.0 * weight * f.parts[:, k].mean())
            for k, (name, weight) in enumerate(zip(SCORE_PARTS, p.score.weights / p.score.weights.sum(), strict=True))
        },
        scores=scores,
    )
