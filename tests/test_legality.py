"""The rules coded once (`game.engine.legality`): the session, the engine's batches and the words.

A batch that tries what a player may not do is masked world by world by the engine's step, with
the same reason code the session gives the same action in the same game played alone; the plan so
far counts (an exclusive deal planned this quarter rules out another provider's business).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from game.content.models import Pack
from game.engine import draws, rng
from game.engine.actions import hold
from game.engine.init import initial_state
from game.engine.legality import Plan, Reason
from game.engine.params import ACCEPT
from game.engine.state import concat
from game.engine.step import step
from game.session import rules
from game.session.actions import Action, OrderCapacity, RaiseRound, RespondDeal
from game.session.build import build
from game.session.game import Game, IllegalAction
from game.session.reasons import MESSAGES


def test_every_reason_has_the_players_words() -> None:
    assert set(MESSAGES) == set(Reason) - {Reason.LEGAL}


def _code(game: Game, action: Action) -> int:
    return int(rules.submit(game._plan(), game.pack, action, fold=False).code[0])


# Each case: a session action, and what it asks the engine for in the batch's arrays. Worlds 0..3
# try the illegal one, worlds 4..7 a legal one; every world is the same scenario with its own seed.
CASES = {
    "round share": (
        RaiseRound(investor="crossover", amount=40.0, pre_money=60.0),
        RaiseRound(investor="crossover", amount=4.0, pre_money=60.0),
        Reason.SELLS_TOO_MUCH,
    ),
    "investor minimum": (
        RaiseRound(investor="chipmaker", amount=0.2, pre_money=60.0),
        RaiseRound(investor="chipmaker", amount=3.0, pre_money=60.0),
        Reason.BELOW_INVESTOR_MIN,
    ),
    "reserved minimum": (
        OrderCapacity(option="reserved", gw=0.01, provider="northwind", term=4),
        OrderCapacity(option="reserved", gw=0.2, provider="northwind", term=4),
        Reason.BELOW_MIN_ORDER,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_batch_is_masked_world_by_world_with_the_sessions_reason(pack: Pack, case: str) -> None:
    illegal, legal, reason = CASES[case]
    scenario, difficulty = pack.scenario("tutorial"), pack.difficulty("normal")
    params, start = build(pack, scenario, difficulty)
    seeds = list(range(8))
    games = [Game.new(pack, "tutorial", "normal", seed) for seed in seeds]
    tried = [illegal if k < 4 else legal for k in range(8)]
    # the session's verdict on each world's game played alone
    codes = [_code(g, a) for g, a in zip(games, tried, strict=True)]
    assert codes == [int(reason)] * 4 + [0] * 4
    for g, action in zip(games[:4], tried[:4], strict=True):
        verdict = rules.submit(g._plan(), g.pack, action, fold=False)
        assert g.check(action) == MESSAGES[reason](rules.why_of(g.pack, g.params, "", action, verdict))
    # the same decisions as raw arrays, in one batch: the engine masks the illegal worlds itself
    batch = concat([g.state for g in games])
    assert np.array_equal(batch.key, initial_state(params, start, rng_keys(seeds)).key)
    a = hold(params, batch)
    for k, (g, action) in enumerate(zip(games, tried, strict=True)):
        one = _raw(g, action)
        for name in ("raise_investor", "raise_amount", "raise_pre", "raise_provider", "reserve_gw", "reserve_term"):
            getattr(a, name)[k] = getattr(one, name)[0]
    after, info = step(params, batch, a, draws.draw(params, batch))
    [kind] = [k for k in info.refused]
    assert info.refused[kind].tolist() == codes
    # and world i of the batch is world i's game with the session's (legal) plan
    for k, (g, action) in enumerate(zip(games, tried, strict=True)):
        if k >= 4:
            g.apply(action)
        g.end_turn()
        assert np.array_equal(g.state.cash, after.cash[k : k + 1])
        assert np.array_equal(g.state.cap, after.cap[k : k + 1])
        assert np.array_equal(g.state.reserved_gw, after.reserved_gw[k : k + 1])


def rng_keys(seeds: list[int]) -> np.ndarray:
    return np.array([rng.seed_key(s) for s in seeds], dtype=np.uint64)


def _raw(game: Game, action: Action) -> object:
    """The action's arrays as a batch would write them, unchecked."""
    p, a = game.params, hold(game.params, game.state)
    if isinstance(action, RaiseRound):
        a.raise_investor[0, 0] = p.investor_names.index(action.investor)
        a.raise_amount[0, 0] = action.amount
        a.raise_pre[0, 0] = action.pre_money
    elif isinstance(action, OrderCapacity):
        assert action.provider is not None and action.term is not None
        j = p.provider_names.index(action.provider)
        a.reserve_gw[0, 0, j] = action.gw
        a.reserve_term[0, 0, j] = action.term
    return a


# ---- exclusivity sees the whole plan ----------------------------------------------------------------


@pytest.fixture
def two_offers(pack: Pack) -> Game:
    """A quarter with two offers on the table, one of them exclusive (found by a search of seeds)."""
    game = Game.new(pack, "fortress-2026", "normal", 0)
    game.end_turn()
    s = game.state
    assert s.offer_on[0, 0, 1] and s.offer_on[0, 0, 2] and s.offer_exclusive[0, 0, 2]
    assert not s.offer_exclusive[0, 0, 1] and s.exclusive[0, 0] == -1
    return game


def test_an_exclusive_deal_rules_out_another_providers_deal_the_same_quarter(two_offers: Game) -> None:
    game = two_offers
    excl, other = game.params.provider_names[2], game.params.provider_names[1]
    game.apply(RespondDeal(provider=excl, response="accept"))
    reason = game.check(RespondDeal(provider=other, response="accept"))
    assert reason is not None and "exclusive deal with" in reason and "planned this quarter" in reason
    with pytest.raises(IllegalAction):
        game.apply(OrderCapacity(option="reserved", gw=0.2, provider=other, term=4))
    # declining the other offer is still allowed, and so is reserving from the exclusive partner
    game.apply(RespondDeal(provider=other, response="decline"))
    game.apply(OrderCapacity(option="reserved", gw=0.2, provider=excl, term=4))


def test_business_planned_elsewhere_rules_out_an_exclusive_deal(two_offers: Game) -> None:
    game = two_offers
    excl, other = game.params.provider_names[2], game.params.provider_names[1]
    game.apply(OrderCapacity(option="reserved", gw=0.2, provider=other, term=4))
    reason = game.check(RespondDeal(provider=excl, response="accept"))
    assert reason is not None and "already does business with" in reason
    # countering the exclusivity itself is the way out
    assert game.check(RespondDeal(provider=excl, response="counter", term="exclusivity")) is None


def test_the_engine_keeps_only_the_first_of_two_conflicting_deals(two_offers: Game) -> None:
    game = two_offers
    p, s = game.params, game.state
    a = hold(p, s)
    a.deal[0, 0, 1] = ACCEPT
    a.deal[0, 0, 2] = ACCEPT  # exclusive: conflicts with the deal before it
    after, info = step(p, s, a, draws.neutral(p, s))
    assert info.deal_signed[0, 0].tolist() == [False, True, False, False]
    assert int(info.refused["deal[2]"][0]) == Reason.EXCLUSIVE_CONFLICTS_PLAN
    assert int(after.exclusive[0, 0]) == -1


def test_a_plan_built_through_the_rules_passes_the_engine_unchanged(two_offers: Game) -> None:
    game = two_offers
    plan = Plan(game.params, game.state)
    every = np.ones(1, dtype=bool)
    assert plan.add_deal(every, 2, ACCEPT).all()
    assert not plan.add_deal(every, 1, ACCEPT).any()
    _, info = step(game.params, game.state, plan.actions, draws.neutral(game.params, game.state))
    assert info.refused == {}


@pytest.mark.parametrize("scenario", ["tutorial", "fortress-2026", "chip-shock"])
def test_every_plan_built_through_the_rules_passes_the_guard_unchanged(pack: Pack, scenario: str) -> None:
    """What lets a rollout step the reference player's quarters without the guard (`vetted`): the
    plan of every bot and of the reference player, built through `Plan` on a state, comes out of
    `legality.enforce` as it went in, in every world and quarter of games played to the end."""
    from game.analysis.policies import ANSWERS_OFFERS, NAMES, bot
    from game.engine.legality import enforce

    checked = 0
    for difficulty in ("easy", "hard"):
        p, start = build(pack, pack.scenario(scenario), pack.difficulty(difficulty))
        for name in (*NAMES, "random"):
            decide = bot(name, pack.rules)
            s = initial_state(p, start, rng.seed_keys(list(range(16))))
            while not s.done.all():
                a = decide(p, s)
                out, refused = enforce(p, s, a)
                assert refused == {}, (name, difficulty, int(s.turn.max()), refused)
                for f in fields(a):
                    assert np.array_equal(getattr(out, f.name), getattr(a, f.name)), (name, f.name)
                checked += int((~s.done).sum())
                s, _ = step(p, s, a, draws.draw(p, s, offers=name in ANSWERS_OFFERS | {"random"}), vetted=True)
    assert checked > 0
