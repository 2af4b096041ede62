"""Judge each quarter's decisions the way a chess engine judges a move, and split skill from luck.

For every quarter of a game, three evaluations: before the decisions (the reference player
choosing), after them (the player's decisions, then the reference player), and after the
quarter resolved (the next quarter's "before"). The alternatives tried are the reference
player's choice, doing nothing, and the player's decisions with each one left out; all are
evaluated on the same futures (common random numbers), so their differences are sharp. A
decision's cost is how far its expected score falls behind the best alternative; its label comes
from the thresholds in content. The reasons compare the futures of the player's choice and the
preferred alternative in the game's own terms.

Skill and luck: the final score = the starting expectation + the sum over quarters of
(after decisions - before) + the sum of (after the dice - after decisions). The last "after the
dice" of a finished game is its actual score, so the split adds up exactly; each term carries
the Monte Carlo error reported with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from game.analysis.evaluate import Evaluation, evaluate
from game.analysis.reference import reference_actions
from game.content.models import Judgement
from game.engine.actions import Actions
from game.engine.outcome import score
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
class Alternative:
    name: str
    description: str
    evaluation: Evaluation


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


def judge_turn(
    game: Game, actions: list[Action], rules: Judgement, rollouts: int, seed: int
) -> tuple[TurnJudgement, Evaluation]:
    """Judge `actions` in the game's current quarter (the game is not changed)."""
    p, s = game.params, game.state
    salt = "judge"

    def run(first: Actions | None) -> Evaluation:
        return evaluate(p, s, rules.reference, rollouts, seed, first, salt)

    ref_plan = reference_actions(p, s, rules.reference)
    tried = [Alternative("the reference plan", describe_plan(game, ref_plan), run(None))]
    if actions:
        tried.append(Alternative("doing nothing", "no new commitments this quarter", run(game.plan([]))))
        if len(actions) > 1:
            for i, left_out in enumerate(actions):
                if isinstance(left_out, RespondDeal) and left_out.response == "decline":
                    continue  # declining changes nothing the engine sees
                rest = actions[:i] + actions[i + 1 :]
                tried.append(
                    Alternative(
                        f"leaving out “{game.describe(left_out)}”",
                        f"everything you did except: {game.describe(left_out)}",
                        run(game.plan(rest)),
                    )
                )
        mine = run(game.plan(actions))
    else:
        mine = run(game.plan([]))
    best = max(tried, key=lambda alt: alt.evaluation.expected_score)
    before = tried[0].evaluation
    cost = max(0.0, best.evaluation.expected_score - mine.expected_score)
    diff = best.evaluation.scores - mine.scores  # common random numbers: a paired difference
    cost_se = float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0
    label = label_for(cost, rules)
    if label == "best":
        preferred = "the engine agrees with your decisions"
        why = reasons(mine, before, "the reference plan", mine_is_worse=False) if actions else []
    else:
        preferred = f"{best.name}: {best.description}"
        why = reasons(mine, best.evaluation, best.name)
    judgement = TurnJudgement(
        turn=game.turn,
        quarter=game.quarter_label(),
        actions=[game.describe(a) for a in actions],
        label=label,
        cost=cost,
        cost_se=cost_se,
        before=before.expected_score,
        after_decisions=mine.expected_score,
        after_dice=float("nan"),
        skill=mine.expected_score - before.expected_score,
        luck=float("nan"),
        good_odds=(mine.good_odds, best.evaluation.good_odds),
        preferred=preferred,
        reasons=why,
        alternatives=[(alt.name, alt.evaluation.expected_score) for alt in tried],
    )
    return judgement, mine


def judge_game(
    finished: Game,
    rules: Judgement,
    rollouts: int | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> GameJudgement:
    """Judge every quarter of a played game (replayed from its start, which is not changed).

    Every screen that judges a save (`fortress analyse`, the in-game analysis, the class debrief)
    calls this with the same defaults, the content's `analyse_rollouts` and seed 0, so that the
    same save gets the same figures everywhere."""
    if rollouts is None:
        rollouts = rules.analyse_rollouts
    game = Game.new(
        finished.pack, finished.scenario.id, finished.difficulty_id, finished.seed, finished.lab_name, finished.quarters
    )
    records = list(finished.turns)
    turns: list[TurnJudgement] = []
    errors: list[float] = []
    start_se = 0.0
    for i, record in enumerate(records):
        if progress:
            progress(i, len(records))
        judged, mine = judge_turn(game, list(record.actions), rules, rollouts, seed)
        if i == 0:
            start_se = mine.score_se
        errors.append(judged.cost_se)
        turns.append(judged)
        game.replay_turn(list(record.actions))
    if progress:
        progress(len(records), len(records))
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
