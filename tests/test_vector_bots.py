"""The vector bots decide, world by world, exactly what the session bots decide.

Natural games (`test_balance`) rarely reach some of the rules' refusals: a deal under an
investigation, a round that would sell too much so that the bot asks the next investor type, an
exclusive deal that rules a provider out, a filing under way, a game already over. Here batches of
mid-game states are pushed into those corners, a different mix in every world, and the plan each
vector bot returns for the batch must equal, row by row and bit by bit, `game.plan()` after the
session bot has played that world alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields

import numpy as np
import pytest
from bot_branches import label

from game.analysis.policies import POLICIES
from game.analysis.vector_bots import ANSWERS_OFFERS, VECTOR_BOTS
from game.content.models import Pack
from game.engine import draws, rng
from game.engine.actions import Actions
from game.engine.init import initial_state
from game.engine.params import Params
from game.engine.state import State
from game.engine.step import step
from game.session.actions import Action
from game.session.build import build
from game.session.game import Game

WORLDS = 16
QUARTERS = 4
CORNERS = (
    "exclusive",
    "investigation",
    "filing",
    "tiny_fair",
    "no_cash",
    "short_runway",
    "huge_demand",
    "leftovers",
    "all_offers",
    "over",
)


RULES = {
    "The game is over": "over",
    "two exclusive deals": "two_exclusive",
    "Partner deals are frozen": "frozen",
    "Your exclusive deal with": "exclusive",
    "This round would sell": "sells_too_much",
    "Your IPO filing": "filing",
    "You can order at most": "too_big",
    "The deposit on this order": "deposit",
    "You cannot spend more than your cash": "no_cash",
}
"""The rules' refusals by a phrase of their reason."""


def rule(reason: str | None) -> str:
    """The short name of the rule that refused an action ("ok" when none did)."""
    if reason is None:
        return "ok"
    return next((name for phrase, name in RULES.items() if phrase in reason), reason)


@contextmanager
def recording_checks() -> Iterator[Counter[tuple[str, str]]]:
    """Count every `game.check` the session makes, by action and the rule that refused it ("ok")."""
    seen: Counter[tuple[str, str]] = Counter()
    original = Game.check

    def check(self: Game, action: Action) -> str | None:
        reason = original(self, action)
        seen[(label(action), rule(reason))] += 1
        return reason

    Game.check = check  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Game.check = original  # type: ignore[method-assign]


def corner(params: Params, state: State, worlds: np.ndarray, quarter: int) -> State:
    """A copy of `state` pushed into some of the rules' corners, a keyed mix in each world."""
    s = state.copy()
    n_p = s.offer_on.shape[-1]
    for w in range(s.worlds):
        gen = np.random.default_rng([int(worlds[w]), quarter, 7])
        picked = {c for c in CORNERS if gen.random() < 0.3}
        if "exclusive" in picked:
            s.exclusive[w, 0] = int(gen.integers(n_p))
        if "investigation" in picked:
            s.invest_left[w, 0] = 2
        if "filing" in picked:
            s.ipo_left[w, 0] = 1
        if "tiny_fair" in picked:  # the smallest rounds would sell too much: the next investor is asked
            s.fair[w, 0] *= 1e-3
        if "no_cash" in picked:
            s.cash[w, 0] = float(gen.uniform(-1.0, 0.09))
        if "short_runway" in picked:
            s.runway[w, 0] = float(gen.uniform(0.0, 3.0))
        if "huge_demand" in picked:  # orders beyond the most one provider takes in a quarter
            s.demand[w, 0] *= 50.0
        if "leftovers" in picked:  # what is left of old partnerships: some terms ended, some not
            for j in range(n_p):
                if gen.random() < 0.5:
                    s.reserved_gw[w, 0, j] = s.commit_q[w, 0, j] = 0.0
                s.credits[w, 0, j] = 0.0 if gen.random() < 0.5 else 0.5
                s.notes[w, 0, j] = 0.0 if gen.random() < 0.7 else 1.0
                s.board[w, 0, j] = gen.random() < 0.4
                if gen.random() < 0.5:
                    s.cap[w, 0, params.provider_holder(j)] = 0.0  # the provider's stake
        if "all_offers" in picked:  # every provider offers, most of them asking for exclusivity
            s.offer_on[w, 0] = s.offer_invest[w, 0] > 0
            s.offer_exclusive[w, 0] = gen.random(n_p) < 0.7
            s.offer_board[w, 0] = gen.random(n_p) < 0.5
        if "over" in picked:
            s.done[w] = True
    return s


def session_plan(pack: Pack, scenario: str, policy: str, state: State, w: int) -> Actions:
    """The session bot's plan for world `w` of `state`, played alone."""
    game = Game.new(pack, scenario, "normal", seed=0)
    game.state = state.world(w)
    POLICIES[policy](game)
    return game.plan()


def _rules(action: str, *rules: str) -> set[tuple[str, str]]:
    return {(action, r) for r in rules}


REACHED = {
    "reckless": (
        _rules("split", "ok", "over")
        # the first investor types refused, the last one asked
        | _rules("raise:sovereign", "ok", "sells_too_much", "filing", "over")
        | _rules("raise:crossover", "sells_too_much", "filing")
        | _rules("raise:chipmaker", "sells_too_much", "filing")
        | _rules("raise:vc", "ok", "filing")
        | _rules("accept", "ok", "two_exclusive", "frozen", "exclusive", "over")
        | _rules("order:reserved", "ok", "exclusive", "too_big", "over")
        | _rules("order:campus", "ok", "over")
    ),
    "loyalist": (
        _rules("accept", "ok", "frozen", "exclusive", "over")
        | _rules("decline", "ok", "frozen", "over")
        | _rules("order:reserved", "ok", "exclusive", "too_big", "over")
        | _rules("raise:cloud", "ok", "exclusive", "sells_too_much", "filing", "over")
        | _rules("raise:crossover", "ok", "sells_too_much", "filing")
    ),
    "multicloud": (
        _rules("compliance", "ok", "no_cash", "over")
        | _rules("counter:exclusivity", "ok", "frozen", "exclusive", "over")
        | _rules("counter:board_seat", "ok", "frozen", "exclusive", "over")
        | _rules("accept", "ok", "frozen", "exclusive", "over")
        | _rules("decline", "ok", "frozen", "over")
        | _rules("order:reserved", "ok", "exclusive", "too_big", "over")
        | _rules("order:campus", "ok", "over")
        | _rules("raise:crossover", "ok", "sells_too_much", "filing", "over")
        | _rules("raise:sovereign", "sells_too_much", "filing")
        | _rules("raise:vc", "ok", "filing")
    ),
    "frugal": (
        _rules("split", "ok", "over")
        | _rules("decline", "ok", "frozen", "over")
        | _rules("order:reserved", "ok", "exclusive", "too_big", "over")
        | _rules("raise:crossover", "ok", "sells_too_much", "filing", "over")
        | _rules("raise:vc", "ok", "filing")
    ),
}
"""What each bot's actions meet in the corners, by the rule that refused them ("ok": none did)."""


@pytest.mark.parametrize("policy", sorted(VECTOR_BOTS))
def test_the_vector_bots_plan_what_the_session_bots_plan(pack: Pack, policy: str) -> None:
    decide = VECTOR_BOTS[policy]
    seeds = np.arange(200, 200 + WORLDS)
    with recording_checks() as seen:
        for scenario in ("fortress-2026", "chip-shock"):
            params, start = build(pack, pack.scenario(scenario), pack.difficulty("normal"))
            s = initial_state(params, start, rng.seed_keys(list(seeds)))
            for quarter in range(QUARTERS):
                cornered = corner(params, s, seeds, quarter)
                batch = decide(params, cornered, pack)
                for w in range(WORLDS):
                    alone = session_plan(pack, scenario, policy, cornered, w)
                    for f in fields(Actions):
                        assert np.array_equal(getattr(batch, f.name)[w], getattr(alone, f.name)[0]), (
                            f"{policy} on {scenario}, world {w} (seed {seeds[w]}), quarter {quarter}: {f.name}"
                        )
                # the batch plays on with its own plan, from its natural state
                offers = policy in ANSWERS_OFFERS
                s, _ = step(params, s, decide(params, s, pack), draws.draw(params, s, offers=offers))
    missing = REACHED[policy] - set(seen)
    assert not missing, f"{policy}: the corners never reached {sorted(missing)}"
