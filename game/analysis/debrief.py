"""The class debrief: every team's game of one shared world, compared.

`class_debrief(games, skipped)` builds plain data for the debrief screen and the exported reports:
a leaderboard with the score's parts, outcome shares, each team's valuation-against-rival path,
and the quarters where the teams' paths pulled apart most, with what the leaders and the laggards
did in those quarters. A team that reloaded is counted by the line it played first (replayed from
its save's history), with every load and branch listed beside it. Once the engine has judged the teams' decisions, `with_decisions` adds
the ranking by decision quality that sits beside the ranking by outcome.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from game.analysis.judge import GameJudgement
from game.session.game import Game
from game.session.views import ObjectiveMark
from game.session.wording import score_scale

OUTCOME_ORDER = ("ipo", "fortress", "survivor", "dependent", "forced_sale")
OUTCOME_TITLES = {
    "ipo": "IPO",
    "fortress": "Fortress",
    "survivor": "Survivor",
    "dependent": "Dependent",
    "forced_sale": "Forced sale",
    None: "In progress",
}


@dataclass(frozen=True)
class TeamResult:
    team: str
    file: str
    outcome: str | None
    outcome_title: str
    score: float
    parts: dict[str, float]
    """Points earned by each part of the score (before the outcome multiplier)."""
    multiplier: float
    vs_rival: list[float]
    """Valuation against the top rival at the start and after each quarter played."""
    valuation: float
    cash: float
    quarters_played: int
    actions: list[list[str]]
    """What the team did in each quarter, in words."""
    events: list[list[str]]
    objectives: tuple[ObjectiveMark, ...] = ()
    """The scenario's learning objectives, marked for this team."""
    loads: tuple[str, ...] = ()
    """Every load and branch of the team's game, in words, oldest first."""
    reloads: int = 0
    """How many of them went back to an earlier quarter (a re-roll of the dice)."""
    played_score: float | None = None
    """The score of the line the save holds, where the team reloaded (`score` is the first line's)."""

    @property
    def objectives_met(self) -> str:
        """How many objectives the team met, e.g. `3/5`."""
        return f"{sum(1 for m in self.objectives if m.met)}/{len(self.objectives)}"


@dataclass(frozen=True)
class Divergence:
    """A quarter in which the teams' paths pulled apart."""

    quarter: str
    index: int
    spread_before: float
    spread_after: float
    leaders: list[tuple[str, float, list[str]]]
    laggards: list[tuple[str, float, list[str]]]


@dataclass(frozen=True)
class DecisionQuality:
    """One team's decisions as the engine judged them, for the ranking by decision quality."""

    team: str
    file: str
    rank: int
    """Place by what the decisions added to the expected score."""
    score_rank: int
    """Place on the leaderboard (by score)."""
    score: float
    over: bool
    """False: a game in progress, whose score is the engine's expectation now."""
    start: float
    """Expected score at the start: the same for every team of one world."""
    decisions: float
    dice: float
    error: float
    """Monte Carlo error of the split (one standard error)."""
    worst: tuple[str, str, float] | None
    """The costliest quarter: quarter, label, cost in expected score."""
    biggest_dice: tuple[str, float] | None
    """The quarter whose dice moved the expected score most, and by how much."""
    rollouts: int


def biggest_dice(result: GameJudgement) -> tuple[str, float] | None:
    """The quarter whose dice moved the expected score most, and by how much."""
    if not result.turns:
        return None
    t = max(result.turns, key=lambda t: abs(t.luck))
    return t.quarter, t.luck


def worst_decision(result: GameJudgement) -> tuple[str, str, float] | None:
    """The quarter whose decisions cost most against the engine's preference: quarter, label, cost."""
    if not result.turns:
        return None
    t = result.worst_first()[0]
    return t.quarter, t.label, t.cost


@dataclass(frozen=True)
class ClassDebrief:
    title: str
    scenario: str
    world: str
    objectives: list[str]
    quarters: list[str]
    """Labels of the points of each path: the start, then the end of each quarter."""
    teams: list[TeamResult]
    outcome_shares: dict[str, float]
    divergences: list[Divergence]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Files that could not be used: (file name, reason)."""
    flagged: list[tuple[str, str]] = field(default_factory=list)
    """Saves left out because they do not hold up (edited rules, summary or fields): (file name, reason)."""
    score_parts: tuple[str, ...] = ("valuation", "runway", "independence", "scrutiny", "ownership")
    decisions: list[DecisionQuality] = field(default_factory=list)
    """Teams ranked by decision quality; empty until the decisions have been judged."""
    not_judged: list[str] = field(default_factory=list)
    """Teams left out of the judging (no quarter played yet)."""
    scale: str = ""
    """How the score is counted (`wording.score_scale`)."""

    def decision_for(self, file: str) -> DecisionQuality | None:
        return next((q for q in self.decisions if q.file == file), None)


def first_line(game: Game) -> Game | None:
    """The line `game`'s team played first, replayed from the history of its loads (None: the
    game was never reloaded, or the first line was not recorded)."""
    quarters = next((load.first_line for load in game.loads if load.first_line is not None), None)
    if quarters is None:
        return None
    first = Game.new(game.pack, game.scenario.id, game.difficulty_id, game.seed, game.lab_name, game.quarters)
    first.game_id = game.game_id
    try:
        for actions in quarters:
            first.replay_turn(list(actions))
    except Exception:
        return None  # a first line the rules refuse counts for nothing: the line saved stands
    return first


def _score(game: Game) -> float:
    return game.summary().score if game.over else game.history()[-1].score


def load_words(game: Game) -> tuple[str, ...]:
    """Each load and branch of `game`, in a line: when, from which quarter, what was left."""
    out = []
    for load in game.loads:
        what = "branched" if load.kind == "branch" else "loaded"
        left = (
            f", leaving {game.quarter_label(load.left_turn) if load.left_turn is not None else ''} played"
            f"{f' (score {load.left_score:.1f})' if load.left_score is not None else ''}"
            if load.went_back and load.left_turn is not None
            else ""
        )
        elsewhere = "" if load.line else " (on another line)"
        out.append(f"{load.at}: {what} {load.source!r} at {game.quarter_label(load.turn)}{left}{elsewhere}")
    return tuple(out)


def team_result(game: Game, file: str) -> TeamResult:
    played = game
    game = first_line(played) or played
    summary = game.summary()
    history = game.history()
    reloaded = game is not played
    return TeamResult(
        team=game.lab_name,
        file=file,
        outcome=game.outcome,
        outcome_title=OUTCOME_TITLES.get(game.outcome, "In progress"),
        score=summary.score if game.over else history[-1].score,
        parts={p.name: p.points for p in summary.parts},
        multiplier=summary.multiplier,
        vs_rival=[d.vs_rival for d in history],
        valuation=history[-1].valuation,
        cash=history[-1].cash,
        quarters_played=len(game.turns),
        actions=[[game.describe(a) for a in t.actions] for t in game.turns],
        events=[[item.title for item in t.report.items if item.topic == "event"] for t in game.turns],
        objectives=summary.objectives,
        loads=load_words(played),
        reloads=sum(1 for load in played.loads if load.went_back),
        played_score=_score(played) if reloaded else None,
    )


def _spread(values: list[float]) -> float:
    """Spread of log valuation ratios: how far apart the teams stand."""
    logs = [math.log(max(v, 1e-9)) for v in values]
    if len(logs) < 2:
        return 0.0
    mean = sum(logs) / len(logs)
    return math.sqrt(sum((x - mean) ** 2 for x in logs) / (len(logs) - 1))


def divergences(teams: list[TeamResult], labels: list[str], top: int = 3, shown: int = 2) -> list[Divergence]:
    """The quarters in which the spread between teams grew most, leaders and laggards named.

    Each quarter compares the teams that played it (a team that went under, or has not got
    that far yet, drops out of the comparison from then on). The leaders are the upper half of
    them (at most `shown`), the laggards the lower half, so no team is both; a quarter in which
    none of them decided anything is left out (the dice alone moved them apart).
    """
    length = max((len(t.vs_rival) for t in teams), default=0)
    found = []
    for q in range(1, length):
        there = [t for t in teams if len(t.vs_rival) > q]
        if len(there) < 2:
            continue
        before = _spread([t.vs_rival[q - 1] for t in there])
        after = _spread([t.vs_rival[q] for t in there])
        if after > before + 1e-9:
            ranked = sorted(there, key=lambda t: t.vs_rival[q], reverse=True)
            k = min(shown, len(ranked) // 2)
            named = ranked[:k] + ranked[-k:]
            if not any(t.actions[q - 1] for t in named):
                continue
            found.append(
                Divergence(
                    quarter=labels[q - 1],
                    index=q,
                    spread_before=before,
                    spread_after=after,
                    leaders=[(t.team, t.vs_rival[q], t.actions[q - 1]) for t in ranked[:k]],
                    laggards=[(t.team, t.vs_rival[q], t.actions[q - 1]) for t in ranked[-k:][::-1]],
                )
            )
    found.sort(key=lambda d: d.spread_after - d.spread_before, reverse=True)
    return sorted(found[:top], key=lambda d: d.index)


def class_debrief(
    games: list[tuple[Game, str]],
    skipped: list[tuple[str, str]],
    title: str = "Class debrief",
    flagged: list[tuple[str, str]] | None = None,
) -> ClassDebrief:
    """The debrief of a class: `games` are (game, file name) pairs of one world."""
    teams = sorted((team_result(g, f) for g, f in games), key=lambda t: t.score, reverse=True)
    first = games[0][0] if games else None
    counts = Counter(t.outcome for t in teams if t.outcome)
    n = max(len(teams), 1)
    played = [first.quarter_label(q) for q in range(first.params.n_turns)] if first else []
    return ClassDebrief(
        title=title,
        scenario=first.scenario.name if first else "",
        world=(
            f"{first.scenario.name} ({first.scenario.id}), {first.difficulty_id}, seed {first.seed}, {first.params.n_turns} quarters"
            if first
            else "no games"
        ),
        objectives=[o.text for o in first.scenario.objectives] if first else [],
        quarters=["start", *played],
        teams=teams,
        outcome_shares={o: counts.get(o, 0) / n for o in OUTCOME_ORDER},
        divergences=divergences(teams, played),
        skipped=skipped,
        flagged=list(flagged or []),
        scale=score_scale(float(first.params.outcomes.multiplier.max())) if first else "",
    )


def decision_quality(d: ClassDebrief, judged: Mapping[str, GameJudgement]) -> list[DecisionQuality]:
    """The judged teams ranked by what their decisions added (`judged`: judgements by file name)."""
    score_rank = {t.file: i for i, t in enumerate(d.teams, start=1)}
    names = {t.file: t.team for t in d.teams}
    ranked = sorted(judged.items(), key=lambda kv: -kv[1].decisions_total)
    return [
        DecisionQuality(
            team=names.get(file, r.lab),
            file=file,
            rank=i,
            score_rank=score_rank.get(file, 0),
            score=r.final_score,
            over=r.over,
            start=r.start,
            decisions=r.decisions_total,
            dice=r.luck_total,
            error=r.error,
            worst=worst_decision(r),
            biggest_dice=biggest_dice(r),
            rollouts=r.rollouts,
        )
        for i, (file, r) in enumerate(ranked, start=1)
    ]


def with_decisions(d: ClassDebrief, judged: Mapping[str, GameJudgement], not_judged: list[str]) -> ClassDebrief:
    """The debrief with its ranking by decision quality filled in."""
    return replace(d, decisions=decision_quality(d, judged), not_judged=list(not_judged))


@dataclass(frozen=True)
class ClassRoom:
    """What the debrief screen shows: a folder of saves, read, checked and compared."""

    folder: Path
    """The saves folder; exports are written into it."""
    debrief: ClassDebrief
    games: dict[str, Game] = field(default_factory=dict)
    """Each team's replayed game by its save's file name (`TeamResult.file`), for judging."""
    rollouts: int | None = None
    """Futures per evaluation when judging; None: the content's `judgement.analyse_rollouts`
    (what `fortress analyse` and the in-game analysis use, so a save gets the same figures)."""
    judge_now: bool = False
    """Start judging every team's decisions as the screen opens."""
