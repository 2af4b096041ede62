"""The game is a game: on fixed seeds, no strategy wins on every count.

Forty games per bot on `fortress-2026` at normal difficulty, seeds 0-39. And every bot's
vectorised batch plays the same games as the session, to the last bit, in games that take every
branch of each bot.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from bot_branches import label

import game.analysis.policies as policies
import game.analysis.simulate as simulate_module
from game.analysis import parallel
from game.analysis.policies import Funding
from game.analysis.simulate import GameResult, PolicySummary, simulate
from game.session.actions import Action, RespondDeal
from game.session.game import Game
from game.session.preview import preview
from game.session.views import Dashboard, Preview, QuarterReport

SEEDS = 40


@pytest.fixture(scope="module")
def summaries() -> dict[str, PolicySummary]:
    results = simulate(
        "fortress-2026", ["passive", "reckless", "loyalist", "multicloud", "frugal"], SEEDS, seed=0, jobs=2
    )
    return {s.policy: s for s in results}


def test_no_policy_has_both_the_best_score_and_the_fewest_bankruptcies(summaries: dict[str, PolicySummary]) -> None:
    best = max(summaries.values(), key=lambda s: s.score_mean)
    safest = min(s.bankruptcy_rate for s in summaries.values())
    assert best.bankruptcy_rate > safest


def test_passive_does_not_win(summaries: dict[str, PolicySummary]) -> None:
    best = max(summaries.values(), key=lambda s: s.score_mean)
    assert best.policy != "passive"
    assert summaries["passive"].score_mean < summaries["multicloud"].score_mean


def test_reckless_raising_ends_in_ruin_more_often_than_multi_cloud(summaries: dict[str, PolicySummary]) -> None:
    def ruin(s: PolicySummary) -> float:
        spirals = sum(1 for r in s.results if r.down_rounds >= 2)
        return s.bankruptcy_rate + spirals / s.games

    assert ruin(summaries["reckless"]) > ruin(summaries["multicloud"])


def test_an_exclusive_single_cloud_draws_more_scrutiny_than_multi_cloud(summaries: dict[str, PolicySummary]) -> None:
    assert summaries["loyalist"].scrutiny_events_per_game > summaries["multicloud"].scrutiny_events_per_game


def test_outcomes_are_varied(summaries: dict[str, PolicySummary]) -> None:
    seen = {o for s in summaries.values() for o, share in s.outcome_shares.items() if share > 0}
    assert {"forced_sale", "dependent", "survivor", "fortress"} <= seen


# ---- the vectorised batch against the session ---------------------------------------------------------

BOTS = ["passive", "reckless", "loyalist", "multicloud", "frugal", "reference"]
CASES = [("tutorial", "normal"), ("fortress-2026", "normal"), ("chip-shock", "normal"), ("chip-shock", "hard")]
"""Scenarios and difficulties the batches are checked on (frugal raises only when times are hard)."""
GAMES = 24
FIRST_SEED = 100


@contextmanager
def recording_branches() -> Iterator[Counter[str]]:
    """Count what the session bots do while they play in this process: each action they try and
    whether the rules took it, why multi-cloud declined a plain deal after previewing it, how
    often they asked for a round, and what the quarters then did (deals signed, counters taken
    or refused, rounds closed or failed)."""
    seen: Counter[str] = Counter()
    previews: list[Preview] = []
    original_try, original_fund = policies._try, policies._fund
    original_end_turn = Game.end_turn

    def spy_preview(game: Game, action: Action) -> Preview:
        view = preview(game, action)
        previews.append(view)
        return view

    def spy_try(game: Game, actions: list[Action]) -> list[Action]:
        if previews and len(actions) == 1 and isinstance(actions[0], RespondDeal):  # multi-cloud's answer
            view = previews.pop()
            if not view.legal:
                why = "illegal"
            elif view.dependency[1] >= policies.MULTI_CLOUD.max_dependency:
                why = "dependency"
            else:
                why = "unaffordable" if actions[0].response == "decline" else "taken"
            seen[f"preview:{why}"] += 1
        done = original_try(game, actions)
        for action in actions:
            seen[f"{label(action)}:{'ok' if any(a is action for a in done) else 'refused'}"] += 1
        return done

    def spy_fund(game: Game, d: Dashboard, funding: Funding) -> list[Action]:
        seen["fund"] += 1
        return original_fund(game, d, funding)

    def spy_end_turn(game: Game) -> QuarterReport:
        report = original_end_turn(game)
        info = game.turns[-1].info
        seen["quarters"] += 1
        seen["engine:deal_signed"] += int(info.deal_signed[0, 0].any())
        seen["engine:counter_taken"] += int(info.counter_accepted[0, 0].any())
        seen["engine:counter_refused"] += int((info.counter_made & ~info.counter_accepted)[0, 0].any())
        seen["engine:round_closed"] += int(info.round_closed[0, 0])
        seen["engine:round_failed"] += int(info.round_amount[0, 0] > 0 and not info.round_closed[0, 0])
        seen["engine:owned_ordered"] += int(info.ordered[0, 0].sum() > 0)
        return report

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(policies, "_try", spy_try)
        mp.setattr(policies, "preview", spy_preview)
        mp.setattr(policies, "_fund", spy_fund)
        mp.setattr(Game, "end_turn", spy_end_turn)
        yield seen


@dataclass(frozen=True)
class SessionGames:
    results: list[GameResult]
    seen: Counter[str]


def play_recorded(key: tuple[str, str, str]) -> SessionGames:
    """A bot's games through the session, with its branches recorded (in any process)."""
    policy, scenario, difficulty = key
    with recording_branches() as seen:
        summary = simulate(scenario, [policy], GAMES, FIRST_SEED, difficulty, vector=False)[0]
    return SessionGames(summary.results, Counter(seen))


@pytest.fixture(scope="module")
def session_games() -> Callable[[str, str, str], SessionGames]:
    """The games each bot plays through the session on each case, played once, a share per core."""
    keys = [(policy, scenario, difficulty) for policy in BOTS for scenario, difficulty in CASES]
    context = multiprocessing.get_context("spawn")  # a clean process: nothing of the tests' state
    with ProcessPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, len(keys))), mp_context=context) as pool:
        played = dict(zip(keys, pool.map(play_recorded, keys), strict=True))

    def games(policy: str, scenario: str, difficulty: str) -> SessionGames:
        return played[(policy, scenario, difficulty)]

    return games


@pytest.mark.parametrize(("scenario", "difficulty"), CASES)
@pytest.mark.parametrize("policy", BOTS)
def test_the_vectorised_batch_plays_the_same_games_as_the_session(
    policy: str,
    scenario: str,
    difficulty: str,
    session_games: Callable[[str, str, str], SessionGames],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alone = session_games(policy, scenario, difficulty).results
    assert policy in simulate_module.VECTOR_POLICIES  # else `vector=True` would play the session's games too
    # shared over processes in small chunks, as a big run is
    monkeypatch.setattr(simulate_module, "BATCH_SHARE_MIN", 8)  # three shares of 8: two in helpers
    monkeypatch.setattr(parallel, "CHUNK", 3)  # each share stepped three worlds at a time
    monkeypatch.setenv(parallel.ENV, "3")
    try:
        shared = simulate(scenario, [policy], GAMES, FIRST_SEED, difficulty, vector=True)[0].results
    finally:
        parallel.shutdown()
    # and as one batch in one process, where worlds whose rules refuse different actions share a plan
    monkeypatch.setattr(parallel, "CHUNK", GAMES)
    monkeypatch.setenv(parallel.ENV, "1")
    whole = simulate(scenario, [policy], GAMES, FIRST_SEED, difficulty, vector=True)[0].results
    assert shared == alone
    assert whole == alone


def _ok(*labels: str) -> set[str]:
    return {f"{name}:ok" for name in labels}


BRANCHES = {
    "passive": set(),
    "reckless": _ok("split", "raise:sovereign", "raise:crossover", "accept", "order:reserved", "order:campus")
    | {"accept:refused", "order:reserved:refused", "engine:deal_signed", "engine:round_closed", "engine:round_failed"},
    "loyalist": _ok("accept", "decline", "order:reserved", "raise:cloud")
    | {"engine:deal_signed", "engine:round_closed", "engine:round_failed"},
    "multicloud": _ok("compliance", "counter:exclusivity", "counter:board_seat", "accept", "decline", "order:reserved")
    | _ok("order:campus", "raise:crossover")
    | {"preview:taken", "preview:dependency", "preview:unaffordable"}
    | {"engine:deal_signed", "engine:counter_taken", "engine:counter_refused", "engine:round_closed"}
    | {"engine:round_failed", "engine:owned_ordered"},
    "frugal": _ok("split", "decline", "order:reserved", "raise:crossover") | {"engine:round_closed"},
    "reference": _ok("order:reserved", "order:campus", "raise:crossover") | {"engine:round_closed"},
}
"""What each bot does at least once in the games above (`recording_branches`)."""

SOMETIMES = {
    "passive": [],
    "reckless": ["order:campus"],
    "loyalist": ["fund"],
    "multicloud": ["fund", "order:campus"],
    "frugal": ["fund"],
    "reference": [],
}
"""What each bot does in some quarters and not in others (both sides of an `if`)."""


@pytest.mark.parametrize("policy", BOTS)
def test_those_games_take_every_branch_of_each_bot(
    policy: str, session_games: Callable[[str, str, str], SessionGames]
) -> None:
    seen: Counter[str] = Counter()
    for scenario, difficulty in CASES:
        seen += session_games(policy, scenario, difficulty).seen
    assert seen["quarters"] > 0
    missing = BRANCHES[policy] - {key for key, count in seen.items() if count > 0}
    assert not missing, f"{policy} never did {sorted(missing)} in {GAMES} games of each of {CASES}"
    for what in SOMETIMES[policy]:
        times = sum(count for key, count in seen.items() if key == what or key.startswith(f"{what}:"))
        assert 0 < times < seen["quarters"], f"{policy}: {what} in {times} of {seen['quarters']} quarters"
