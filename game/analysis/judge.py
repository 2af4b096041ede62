"""Judge each quarter's decisions the way a chess engine judges a move, and split skill from luck.

For every quarter of a game, three evaluations: before the decisions (the reference player
choosing), after them (the player's decisions, then the reference player), and after the
quarter resolved (the next quarter's "before"). The alternatives tried are the reference
player's choice, doing nothing, and the player's decisions with each one left out; all are
evaluated on the same futures (common random numbers), so their differences are sharp. A
decision's cost is how far its expected score falls behind the best alternative; its label comes
from the thresholds in content. The reasons compare the futures of the player's choice and the
preferred alternative in the game's own terms.

Fewer futures for the same verdict: the plans of a quarter are played as one batch, a look at a
time (`first_look` futures each, then twice as many at each look), and judging stops once the
label is the same at both ends of the cost's confidence interval (`confidence`, shared among the
looks and the alternatives); at the last look every future counts, so a label still open is the
full judgement's. Plans that are the same decisions are played once, a quarter with no different
alternative is `best` at the first look, and a class's teams that stand in the same position with
the same decisions (a shared opening) are judged once (`Memo`). The expectation before the
decisions is the reference plan at the first look, the same for every team in that position; the
expectation after them adds the decisions' paired difference from the reference plan.

Skill and luck: the final score = the starting expectation + the sum over quarters of
(after decisions - before) + the sum of (after the dice - after decisions). The last "after the
dice" of a finished game is its actual score, so the split adds up exactly; each term carries
the Monte Carlo error reported with it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from game.analysis.evaluate import Evaluation, Futures, Position, evaluate, play_positions, summarise
from game.analysis.reference import reference_actions
from game.content.models import Judgement
from game.engine.actions import Actions
from game.engine.outcome import score
from game.engine.params import Params
from game.engine.state import State
from game.engine.state import rows as rows_of
from game.session.actions import Action, RespondDeal
from game.session.game import Game
from game.session.wording import money

LABELS = ("best", "good", "inaccuracy", "mistake", "blunder")

BASELINE = (
    "Decisions are measured against the reference player, the engine's careful baseline: each "
    "quarter, the expected score of your choices minus that of the reference player's choices in "
    "your place. 0 means as good as the reference player; below 0 is usual, since it is a strong "
    "player, not an average team. The dice are what each quarter's luck changed."
)
"""What the decisions' part of the score is measured against, in plain words: every screen and
report that shows the split says it with this sentence."""


@dataclass(frozen=True)
class TurnJudgement:
    turn: int
    quarter: str
    actions: list[str]
    label: str
    cost: float
    """Expected score given up against the best alternative tried (0 if the decisions were best)."""
    cost_se: float
    before: float
    """Expected score before the decisions (the reference player choosing this quarter)."""
    after_decisions: float
    after_dice: float
    """Expected score once the quarter resolved (the actual score after the last quarter)."""
    skill: float
    luck: float
    good_odds: tuple[float, float]
    """Chance of a good outcome (survivor, fortress, IPO): with the decisions, with the preferred alternative."""
    preferred: str
    """What the engine would have done instead (or that it agrees)."""
    reasons: list[str]
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    futures: int = 0
    """Futures per plan the judgement played (fewer than the rollouts asked for once settled)."""


@dataclass(frozen=True)
class GameJudgement:
    lab: str
    scenario: str
    rollouts: int
    start: float
    start_se: float
    final_score: float
    """The actual score of a finished game; for a game in progress, the expected score now."""
    decisions_total: float
    luck_total: float
    error: float
    """Monte Carlo standard error of the split (the terms' errors combined)."""
    turns: list[TurnJudgement]
    over: bool = True
    """Whether the game had finished (else `final_score` is an expectation)."""

    def worst_first(self) -> list[TurnJudgement]:
        return sorted(self.turns, key=lambda t: (-t.cost, t.turn))


def label_for(cost: float, rules: Judgement) -> str:
    if cost <= rules.best_margin:
        return "best"
    if cost <= rules.good:
        return "good"
    if cost <= rules.inaccuracy:
        return "inaccuracy"
    if cost <= rules.mistake:
        return "mistake"
    return "blunder"


def describe_plan(game: Game, a: Actions) -> str:
    """The player's-lab row of engine decisions, in words (for the reference player's choices)."""
    p = game.params
    parts = []
    for j, pid in enumerate(p.provider_names):
        gw = float(a.reserve_gw[0, 0, j])
        if gw > 1e-3:
            parts.append(
                f"reserve {gw:.2f} GW from {game.provider_name(pid)} for {int(a.reserve_term[0, 0, j])} quarters"
            )
    for o, oid in enumerate(p.option_names):
        gw = float(a.order_own[0, 0, o])
        if gw > 1e-3:
            parts.append(f"order {gw:.2f} GW of {game.option_name(oid).lower()}")
    if int(a.raise_investor[0, 0]) >= 0:
        inv = p.investor_names[int(a.raise_investor[0, 0])]
        parts.append(
            f"raise {money(float(a.raise_amount[0, 0]))} at {money(float(a.raise_pre[0, 0]))} pre-money from {game.investor_name(inv).lower()}s"
        )
    return "; ".join(parts) if parts else "no new commitments this quarter"


REASONS: tuple[tuple[str, float, float, float, str], ...] = (
    # (statistic, +1 if more is better for the player else -1, smallest difference worth a
    # sentence, weight when ranking, the sentence)
    ("runway_alarm", -1, 0.05, 1.0, "runway fell below {alarm:g} quarters in {mine} of futures ({other} {name})"),
    ("bankrupt", -1, 0.02, 1.5, "the cash ran out in {mine} of futures ({other} {name})"),
    ("good_odds", +1, 0.03, 1.0, "the chance of ending independent and solvent is {mine} ({other} {name})"),
    ("hazard_next", -1, 0.01, 2.0, "the regulatory hazard next quarter is {mine} ({other} {name})"),
    ("dependency_end", -1, 0.04, 1.0, "dependency on the main partner ends near {mine} ({other} {name})"),
    ("founders_end", +1, 0.01, 2.0, "founders and staff end with {mine} of the company ({other} {name})"),
)
"""How the futures of two choices are compared in words; shares are shown as percentages."""
VALUATION_REASON = (0.05, 0.5)
"""Smallest log-ratio of median valuations worth a sentence, and its weight when ranking."""
PART_REASON = (0.3, 0.05)
"""Smallest difference in a score part's mean points worth a sentence, and its weight per point
when ranking (a point of score ranks with a 5-point difference in a share above)."""
PART_WORDS = {
    "valuation": "valuation against the rival",
    "runway": "runway",
    "independence": "independence",
    "scrutiny": "low scrutiny",
    "ownership": "ownership",
}
"""How each score part is named in a sentence (the results screen lists the same parts)."""


def _with(name: str) -> str:
    """An alternative's name after a figure: `with the reference plan`, `without “Borrow $1.0B”`."""
    lead = "leaving out "
    return "without " + name[len(lead) :] if name.startswith(lead) else "with " + name


def reasons(mine: Evaluation, other: Evaluation, other_name: str, *, mine_is_worse: bool = True) -> list[str]:
    """Sentences comparing two evaluations, largest differences first (at most three). With
    `mine_is_worse`, only where `mine` falls behind `other` (why a choice cost points); without
    it, only where `mine` is ahead (why a choice is the best)."""
    side = -1.0 if mine_is_worse else 1.0  # the sign of a difference (mine - other) that counts
    alt = _with(other_name)
    found: list[tuple[float, str]] = []
    for stat, better, smallest, weight, sentence in REASONS:
        a, b = float(getattr(mine, stat)), float(getattr(other, stat))
        if better * (a - b) * side >= smallest:
            text = sentence.format(mine=f"{100 * a:.0f}%", other=f"{100 * b:.0f}%", name=alt, alarm=mine.alarm_runway)
            found.append((weight * abs(a - b), text))
    smallest, weight = VALUATION_REASON
    change = math.log(max(mine.vs_rival_median, 1e-9) / max(other.vs_rival_median, 1e-9))
    if change * side >= smallest:
        found.append(
            (
                weight * abs(change),
                f"the median final valuation is {mine.vs_rival_median:.2f}x the rival's ({other.vs_rival_median:.2f}x {alt})",
            )
        )
    smallest, weight = PART_REASON
    for part, words in PART_WORDS.items():
        a, b = mine.part_points[part], other.part_points[part]
        if (a - b) * side >= smallest:
            found.append(
                (
                    weight * abs(a - b),
                    f"{words} earns {a:.1f} of the score's points on average ({b:.1f} {alt})",
                )
            )
    found.sort(key=lambda x: -x[0])
    return [text for _, text in found[:3]]


def plan_digest(a: Actions) -> bytes:
    """The same digest for the same decisions (world 0), whatever arrays hold them."""
    h = hashlib.blake2b(digest_size=16)
    for f in fields(Actions):
        column = np.ascontiguousarray(getattr(a, f.name)[:1])
        h.update(f.name.encode())
        h.update(column.tobytes())
    return h.digest()


def state_digest(s: State) -> bytes:
    """The same digest for the same position (world 0): the teams of one world that played the
    same opening stand in the same state, and their quarters are judged once."""
    h = hashlib.blake2b(digest_size=16)
    for f in fields(State):
        h.update(f.name.encode())
        h.update(np.ascontiguousarray(getattr(s, f.name)[:1]).tobytes())
    return h.digest()


def looks(rollouts: int, first: int, sequential: bool) -> list[int]:
    """The futures per plan at each look: `first`, then twice as many each time, up to `rollouts`
    (a single look at `rollouts` when not sequential)."""
    if not sequential or first >= rollouts:
        return [rollouts]
    out = [first]
    while out[-1] < rollouts:
        out.append(min(2 * out[-1], rollouts))
    return out


def intervals(mine: NDArray[np.float64], others: list[NDArray[np.float64]], z: float) -> list[tuple[float, float]]:
    """Each alternative's paired difference from the decisions (its futures minus the decisions'
    on the same keys): its mean minus and plus `z` standard errors."""
    n = mine.shape[0]
    out = []
    for scores in others:
        mean = float(scores.mean() - mine.mean())
        half = z * float((scores - mine).std(ddof=1)) / math.sqrt(n) if n > 1 else math.inf
        out.append((mean - half, mean + half))
    return out


def label_settled(mine: NDArray[np.float64], others: list[NDArray[np.float64]], rules: Judgement, z: float) -> bool:
    """Whether the label is the same at both ends of the cost's confidence interval. The cost is
    the largest paired difference of an alternative from the decisions (at least 0)."""
    bounds = intervals(mine, others, z)
    low = max([0.0, *(lo for lo, _ in bounds)])
    high = max([0.0, *(hi for _, hi in bounds)])
    return label_for(low, rules) == label_for(high, rules)


@dataclass(frozen=True)
class _Candidate:
    name: str
    description: str
    plan: int
    """Its index among the distinct plans tried."""


Memo = dict[tuple[bytes, tuple[Action, ...], int, int, bool, str], tuple["TurnJudgement", float]]
"""Quarters already judged, by position, decisions and settings: a class judges each once."""


@dataclass
class _Quarter:
    """One quarter being judged: its position, the plans tried and the futures played so far."""

    turn: int
    quarter: str
    actions: list[Action]
    described: list[str]
    state: State
    plans: list[Actions]
    tried: list[_Candidate]
    mine: int
    rivals: list[int]
    """The distinct plans other than the decisions (none: nothing to compare)."""
    futures: list[list[Futures]]
    played: int = 0
    settled: bool = False
    behind: set[int] = field(default_factory=set)
    """Alternatives that cannot be the costliest comparison (their whole interval lies below
    another's, or below the decisions): no longer played. The reference plan is always played."""

    def in_play(self) -> list[int]:
        """The alternatives still compared."""
        return [k for k in self.rivals if k not in self.behind]

    def playing(self) -> list[int]:
        # with no different alternative, only the reference plan is played (for the expectation before)
        return sorted({self.mine, self.tried[0].plan, *self.in_play()}) if self.rivals else [self.tried[0].plan]


def _quarter(game: Game, actions: list[Action], rules: Judgement) -> _Quarter:
    """The plans to try in the game's current quarter: the reference plan, doing nothing, the
    decisions with each one left out and the decisions, each distinct plan once."""
    p, s = game.params, game.state
    plans: list[Actions] = []
    index: dict[bytes, int] = {}

    def add(plan: Actions) -> int:
        digest = plan_digest(plan)
        if digest not in index:
            index[digest] = len(plans)
            plans.append(plan)
        return index[digest]

    ref_plan = reference_actions(p, s, rules.reference)
    tried = [_Candidate("the reference plan", describe_plan(game, ref_plan), add(ref_plan))]
    if actions:
        tried.append(_Candidate("doing nothing", "no new commitments this quarter", add(game.plan([]))))
        if len(actions) > 1:
            for i, left_out in enumerate(actions):
                if isinstance(left_out, RespondDeal) and left_out.response == "decline":
                    continue  # declining changes nothing the engine sees
                rest = actions[:i] + actions[i + 1 :]
                tried.append(
                    _Candidate(
                        f"leaving out “{game.describe(left_out)}”",
                        f"everything you did except: {game.describe(left_out)}",
                        add(game.plan(rest)),
                    )
                )
    mine = add(game.plan(actions))
    return _Quarter(
        turn=game.turn,
        quarter=game.quarter_label(),
        actions=actions,
        described=[game.describe(a) for a in actions],
        state=rows_of(s, np.arange(1)),
        plans=plans,
        tried=tried,
        mine=mine,
        rivals=sorted({c.plan for c in tried} - {mine}),
        futures=[[] for _ in plans],
    )


def _play(
    p: Params,
    rules: Judgement,
    quarters: list[_Quarter],
    rollouts: int,
    seed: int,
    sequential: bool,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Play the quarters' futures a look at a time, every open quarter of every look in one
    batch, until each label is settled or every future is played. Returns the looks."""
    steps = looks(rollouts, rules.first_look, sequential)
    for n in steps:
        open_ = [q for q in quarters if not q.settled]
        if not open_:
            break
        batch = [Position(q.state, [q.plans[k] for k in q.playing()], q.played, n) for q in open_]
        for q, played in zip(open_, play_positions(p, rules.reference, batch, seed, "judge"), strict=True):
            for k, f in zip(q.playing(), played, strict=True):
                q.futures[k].append(f)
            q.played = n
            z = NormalDist().inv_cdf(1.0 - (1.0 - rules.confidence) / (2.0 * len(steps) * max(len(q.rivals), 1)))
            if not q.rivals:
                q.settled = True
                continue
            mine = _scores(q.futures[q.mine])
            compared = [k for k in q.playing() if k != q.mine]
            others = [_scores(q.futures[k]) for k in compared]
            # at the last look every future is played: the label is the full judgement's
            q.settled = n == steps[-1] or label_settled(mine, others, rules, z)
            if q.settled:
                continue
            bounds = intervals(mine, others, z)
            floor = max([0.0, *(lo for lo, _ in bounds)])
            q.behind |= {k for k, (_, hi) in zip(compared, bounds, strict=True) if hi < floor}
        if progress:
            progress(sum(q.settled for q in quarters), len(quarters))
    return steps


def _verdict(p: Params, rules: Judgement, q: _Quarter, first: int) -> tuple[TurnJudgement, float]:
    """The judgement of a played quarter, and the standard error of the expectation before it."""
    ref = rules.reference
    evaluations = {k: summarise(p, ref, Futures.join(f)) for k, f in enumerate(q.futures) if f}
    mine = evaluations[q.mine]  # with no different alternative, the reference plan's
    reference = evaluations[q.tried[0].plan]
    # the expectation before the decisions: the reference plan at the first look (the same for
    # every team in this position, whatever they decided)
    before = summarise(p, ref, q.futures[q.tried[0].plan][0]) if q.played > first else reference
    # the decisions against the reference on the same futures, added to the expectation before
    after = (
        mine.expected_score
        if q.played == first
        else before.expected_score + mine.expected_score - reference.expected_score
    )
    scored = [(c, evaluations[c.plan]) for c in q.tried]
    # the best alternative among those compared to the end (one left behind cannot be it)
    best, best_eval = max(
        ((c, e) for c, e in scored if c.plan not in q.behind or c.plan == q.tried[0].plan),
        key=lambda ce: ce[1].expected_score,
    )
    cost = max(0.0, best_eval.expected_score - mine.expected_score)
    diff = best_eval.scores - mine.scores  # common random numbers: a paired difference
    cost_se = float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0
    label = label_for(cost, rules)
    if label == "best":
        preferred = "the engine agrees with your decisions"
        why = reasons(mine, before, "the reference plan", mine_is_worse=False) if q.actions else []
    else:
        preferred = f"{best.name}: {best.description}"
        why = reasons(mine, best_eval, best.name)
    judgement = TurnJudgement(
        turn=q.turn,
        quarter=q.quarter,
        actions=q.described,
        label=label,
        cost=cost,
        cost_se=cost_se,
        before=before.expected_score,
        after_decisions=after,
        after_dice=float("nan"),
        skill=after - before.expected_score,
        luck=float("nan"),
        good_odds=(mine.good_odds, best_eval.good_odds),
        preferred=preferred,
        reasons=why,
        alternatives=[(c.name, e.expected_score) for c, e in scored],
        futures=q.played,
    )
    return judgement, before.score_se


def judge_turn(
    game: Game,
    actions: list[Action],
    rules: Judgement,
    rollouts: int,
    seed: int,
    *,
    sequential: bool = True,
) -> tuple[TurnJudgement, float]:
    """Judge `actions` in the game's current quarter (the game is not changed); also returns the
    standard error of the expected score before the decisions.

    Every plan tried (the reference plan, doing nothing, the decisions with each one left out,
    the decisions) is played on the same futures, as one batch. With `sequential`, they are
    played a look at a time (`looks`) and judging stops once the label is settled at the
    content's confidence; the last look uses every future, so an unsettled label is the full
    judgement's. Plans that are the same decisions are played once, and a quarter whose
    decisions have no different alternative is `best` without a comparison."""
    q = _quarter(game, actions, rules)
    steps = _play(game.params, rules, [q], rollouts, seed, sequential)
    return _verdict(game.params, rules, q, steps[0])


def _scores(parts: list[Futures]) -> NDArray[np.float64]:
    return np.concatenate([f.scores for f in parts])


def judge_game(
    finished: Game,
    rules: Judgement,
    rollouts: int | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    *,
    sequential: bool = True,
    memo: Memo | None = None,
) -> GameJudgement:
    """Judge every quarter of a played game (replayed from its start, which is not changed).

    Every screen that judges a save (`fortress analyse`, the in-game analysis, the class debrief)
    calls this with the same defaults, the content's `analyse_rollouts` and seed 0, so that the
    same save gets the same figures everywhere. `memo` holds quarters judged before (share one
    among the games of a class: a position and decisions met again are not judged again; the
    judgement is the same either way)."""
    if rollouts is None:
        rollouts = rules.analyse_rollouts
    game = Game.new(
        finished.pack, finished.scenario.id, finished.difficulty_id, finished.seed, finished.lab_name, finished.quarters
    )
    records = list(finished.turns)
    settings = rules.model_dump_json()
    keys, found, todo = [], {}, []
    for i, record in enumerate(records):
        actions = list(record.actions)
        keys.append((state_digest(game.state), tuple(actions), rollouts, seed, sequential, settings))
        if memo is not None and keys[-1] in memo:
            found[i] = memo[keys[-1]]
        else:
            todo.append((i, _quarter(game, actions, rules)))
        game.replay_turn(actions)
    if progress:
        progress(len(found), len(records))
    first = _play(
        game.params,
        rules,
        [q for _, q in todo],
        rollouts,
        seed,
        sequential,
        None if progress is None else lambda done, _: progress(len(found) + done, len(records)),
    )[0]
    for i, q in todo:
        found[i] = _verdict(game.params, rules, q, first)
        if memo is not None:
            memo[keys[i]] = found[i]
    turns = [found[i][0] for i in range(len(records))]
    errors = [t.cost_se for t in turns]
    start_se = found[0][1] if records else 0.0
    if game.over:
        final, final_se = float(score(game.params, game.state, game.state.outcome)[0]), 0.0
    else:  # a game in progress: the last quarter's dice are measured against the expectation now
        now = evaluate(game.params, game.state, rules.reference, rollouts, seed, None, "judge")
        final, final_se = now.expected_score, now.score_se
    # after the dice = the next quarter's "before"; after the last quarter, the final figure
    completed = []
    for k, t in enumerate(turns):
        after = turns[k + 1].before if k + 1 < len(turns) else final
        completed.append(TurnJudgement(**{**t.__dict__, "after_dice": after, "luck": after - t.after_decisions}))
    start = completed[0].before if completed else final
    return GameJudgement(
        lab=finished.lab_name,
        scenario=finished.scenario.id,
        rollouts=rollouts,
        start=start,
        start_se=start_se,
        final_score=final,
        decisions_total=sum(t.skill for t in completed),
        luck_total=sum(t.luck for t in completed),
        error=float(math.sqrt(start_se**2 + final_se**2 + sum(e**2 for e in errors))),
        over=game.over,
        turns=completed,
    )
