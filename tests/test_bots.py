"""Every bot is written once: world i of a batch is the game a session plays with that bot alone,
and across a few games each bot shows every habit it has (both sides of each of its `if`s)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

import numpy as np
import pytest

from game.analysis import parallel
from game.analysis import simulate as simulate_module
from game.analysis.policies import NAMES, POLICIES, bot, play, random_policy
from game.analysis.simulate import simulate
from game.content.models import Pack
from game.engine import draws, rng
from game.engine.init import initial_state
from game.engine.legality import Plan
from game.engine.params import ACCEPT, COUNTER, COUNTER_TERMS, DECLINE, NO_TERM
from game.engine.state import State
from game.engine.step import step
from game.session.build import build
from game.session.game import Game

CASES = [("tutorial", "normal"), ("fortress-2026", "normal"), ("chip-shock", "hard")]
"""Scenarios and difficulties the bots play here (frugal raises only when times are hard)."""
GAMES = 12
FIRST_SEED = 100
EVERY = [*NAMES, "random"]


def _batch(pack: Pack, name: str, scenario: str, difficulty: str, seeds: list[int]) -> State:
    """The bot's games as one batch (next quarter's offers drawn for every bot, as a session draws
    them; `simulate` skips them for bots that never sign one, which changes nothing else)."""
    params, start = build(pack, pack.scenario(scenario), pack.difficulty(difficulty))
    decide = bot(name, pack.rules)
    s = initial_state(params, start, rng.seed_keys(seeds))
    while not s.done.all():
        s, _ = step(params, s, decide(params, s), draws.draw(params, s), in_place=True)
    return s


@pytest.mark.parametrize(("scenario", "difficulty"), CASES)
@pytest.mark.parametrize("name", EVERY)
def test_world_i_of_a_batch_is_the_game_the_session_plays_alone(
    pack: Pack, name: str, scenario: str, difficulty: str
) -> None:
    seeds = list(range(FIRST_SEED, FIRST_SEED + GAMES))
    batch = _batch(pack, name, scenario, difficulty, seeds)
    policy = random_policy if name == "random" else POLICIES[name]
    for i, seed in enumerate(seeds):
        game = play(Game.new(pack, scenario, difficulty, seed), policy)
        for f in fields(State):
            assert np.array_equal(getattr(game.state, f.name)[0], getattr(batch, f.name)[i]), (seed, f.name)


def test_a_batch_plays_the_same_games_however_it_is_shared(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = simulate("tutorial", ["multicloud", "reckless"], 24, FIRST_SEED, pack=pack)
    monkeypatch.setattr(simulate_module, "BATCH_SHARE_MIN", 8)  # three shares of 8: two in helpers
    monkeypatch.setattr(parallel, "CHUNK", 3)  # each share stepped three worlds at a time
    monkeypatch.setenv(parallel.ENV, "3")
    try:
        shared = simulate("tutorial", ["multicloud", "reckless"], 24, FIRST_SEED, pack=pack)
    finally:
        parallel.shutdown()
    assert [s.results for s in shared] == [s.results for s in whole]


# ---- every habit of each bot is seen ---------------------------------------------------------------


@contextmanager
def recording_proposals() -> Iterator[Counter[str]]:
    """Count every proposal the bots make through the rules' plan, by kind and whether the rules
    took it ("kind:ok" / "kind:refused"), world by world."""
    seen: Counter[str] = Counter()

    def spy(method: str, label: Callable[..., str]) -> Callable[..., Any]:
        original = getattr(Plan, method)

        def wrapped(self: Plan, want: np.ndarray, *args: Any) -> np.ndarray:
            taken = original(self, want, *args)
            what = label(self, *args)
            seen[f"{what}:ok"] += int(taken.sum())
            seen[f"{what}:refused"] += int((want & ~taken).sum())
            return taken  # type: ignore[no-any-return]

        return wrapped

    def deal_label(plan: Plan, provider: int, response: int, term: int = NO_TERM) -> str:
        answer = {ACCEPT: "accept", DECLINE: "decline", COUNTER: "counter"}[response]
        return answer + (f":{COUNTER_TERMS[term]}" if term != NO_TERM else "")

    def round_label(plan: Plan, investor: Any, *rest: Any) -> str:
        kinds = {plan.p.investor_names[int(i)] for i in np.atleast_1d(investor)}
        return "raise:" + "|".join(sorted(kinds))

    spies = {
        "add_deal": deal_label,
        "add_round": round_label,
        "add_reserve": lambda plan, *a: "order:reserved",
        "add_own": lambda plan, option, gw: f"order:{plan.p.option_names[option]}",
        "add_split": lambda plan, *a: "split",
        "add_compliance": lambda plan, *a: "compliance",
    }
    with pytest.MonkeyPatch.context() as mp:
        for method, label in spies.items():
            mp.setattr(Plan, method, spy(method, label))
        yield seen


def _engine_branches(pack: Pack, name: str, scenario: str, difficulty: str, seen: Counter[str]) -> None:
    """What the quarters of a batch did: deals signed, counters taken or refused, rounds, builds."""
    params, start = build(pack, pack.scenario(scenario), pack.difficulty(difficulty))
    decide = bot(name, pack.rules)
    s = initial_state(params, start, rng.seed_keys(list(range(FIRST_SEED, FIRST_SEED + GAMES))))
    while not s.done.all():
        playing = ~s.done
        a = decide(params, s)
        seen["quarters"] += int(playing.sum())
        seen["fund"] += int((playing & (a.raise_investor[:, 0] >= 0)).sum())
        s, info = step(params, s, a, draws.draw(params, s), in_place=True)
        seen["engine:deal_signed"] += int((playing & info.deal_signed[:, 0].any(-1)).sum())
        seen["engine:counter_taken"] += int((playing & info.counter_accepted[:, 0].any(-1)).sum())
        refused = info.counter_made & ~info.counter_accepted
        seen["engine:counter_refused"] += int((playing & refused[:, 0].any(-1)).sum())
        seen["engine:round_closed"] += int((playing & info.round_closed[:, 0]).sum())
        failed = (info.round_amount[:, 0] > 0) & ~info.round_closed[:, 0]
        seen["engine:round_failed"] += int((playing & failed).sum())
        seen["engine:owned_ordered"] += int((playing & (info.ordered[:, 0].sum(-1) > 0)).sum())


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
    | {"engine:deal_signed", "engine:counter_taken", "engine:counter_refused", "engine:round_closed"}
    | {"engine:round_failed", "engine:owned_ordered"},
    "frugal": _ok("split", "decline", "order:reserved", "raise:crossover") | {"engine:round_closed"},
    "reference": _ok("order:reserved", "order:campus", "raise:crossover") | {"engine:round_closed"},
}
"""What each bot does at least once in the games above."""

SOMETIMES = {
    "passive": [],
    "reckless": ["order:campus"],
    "loyalist": ["fund"],
    "multicloud": ["fund", "order:campus"],
    "frugal": ["fund"],
    "reference": [],
}
"""What each bot does in some quarters and not in others (both sides of an `if`)."""


@pytest.mark.parametrize("name", NAMES)
def test_the_bots_show_every_habit(pack: Pack, name: str) -> None:
    seen: Counter[str] = Counter()
    for scenario, difficulty in CASES:
        with recording_proposals() as proposals:
            _batch(pack, name, scenario, difficulty, list(range(FIRST_SEED, FIRST_SEED + GAMES)))
        seen += proposals
        _engine_branches(pack, name, scenario, difficulty, seen)
    assert seen["quarters"] > 0
    missing = BRANCHES[name] - {key for key, count in seen.items() if count > 0}
    assert not missing, f"{name} never did {sorted(missing)} in {GAMES} games of each of {CASES}"
    for what in SOMETIMES[name]:
        times = sum(count for key, count in seen.items() if key == what or key.startswith(f"{what}:ok"))
        assert 0 < times < seen["quarters"], f"{name}: {what} in {times} of {seen['quarters']} quarters"
