"""Determinism: the same seed and actions give the same game; worlds in a batch are independent."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from game.analysis.policies import random_policy
from game.content.models import Pack
from game.engine import draws, rng
from game.engine.actions import hold
from game.engine.init import initial_state
from game.engine.state import State
from game.engine.step import step
from game.session.build import build
from game.session.game import Game


def same(a: State, b: State) -> bool:
    return all(np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in fields(State))


def test_same_seed_and_actions_give_identical_states(pack: Pack) -> None:
    one = Game.new(pack, "fortress-2026", "normal", 42)
    two = Game.new(pack, "fortress-2026", "normal", 42)
    while not one.over:
        actions = random_policy(one)
        for action in actions:
            two.apply(action)
        one.end_turn()
        two.end_turn()
        assert same(one.state, two.state)
    assert two.over


def test_a_different_seed_gives_a_different_game(pack: Pack) -> None:
    one = Game.new(pack, "fortress-2026", "normal", 1)
    two = Game.new(pack, "fortress-2026", "normal", 2)
    for _ in range(3):
        one.end_turn()
        two.end_turn()
    assert not same(one.state, two.state)
    assert not np.array_equal(one.state.market_arr, two.state.market_arr)


def test_world_i_of_a_batch_is_world_i_played_alone(pack: Pack) -> None:
    params, start = build(pack, pack.scenario("fortress-2026"), pack.difficulty("hard"))
    keys = rng.seed_keys(list(range(16)))
    batch = initial_state(params, start, keys)
    alone = [initial_state(params, start, keys[i : i + 1]) for i in range(16)]
    gen = np.random.default_rng(5)
    for _ in range(params.n_turns):
        a = hold(params, batch)
        a.order_own[:, 0, :] = gen.uniform(0, 1, a.order_own[:, 0, :].shape)
        a.reserve_gw[:, 0, :] = gen.uniform(0, 0.5, a.reserve_gw[:, 0, :].shape)
        a.train_share[:, 0] = gen.uniform(0.2, 0.8, 16)
        a.raise_investor[:, 0] = gen.integers(-1, params.n_investors, 16)
        a.raise_amount[:, 0] = gen.uniform(1, 40, 16)
        a.raise_pre[:, 0] = batch.fair[:, 0] * gen.uniform(0.8, 1.3, 16)
        a.deal[:, 0, :] = gen.integers(0, 3, a.deal[:, 0, :].shape)
        batch, _ = step(params, batch, a, draws.draw(params, batch))
        for i in range(16):
            ai = type(a)(**{f.name: getattr(a, f.name)[i : i + 1] for f in fields(a)})
            alone[i], _ = step(params, alone[i], ai, draws.draw(params, alone[i]))
    for i in range(16):
        assert same(batch.world(i), alone[i]), i


def test_keyed_draws_do_not_depend_on_the_batch() -> None:
    keys = rng.seed_keys([3, 4, 5])
    turn = np.array([2, 2, 2])
    assert np.array_equal(rng.uniform(keys, turn, "x", (4,))[1], rng.uniform(keys[1:2], turn[:1], "x", (4,))[0])
    assert not np.array_equal(rng.uniform(keys, turn, "x", (4,)), rng.uniform(keys, turn + 1, "x", (4,)))


def test_stepping_in_place_gives_the_same_worlds_and_keeps_finished_ones_frozen(pack: Pack) -> None:
    """The rollouts step their own batch in place; it must be the same model as stepping a copy."""
    params, start = build(pack, pack.scenario("chip-shock"), pack.difficulty("hard"))
    copied = initial_state(params, start, rng.derive_keys(rng.seed_key(5), 400, "in-place"))
    owned = initial_state(params, start, rng.derive_keys(rng.seed_key(5), 400, "in-place"))
    gen = np.random.default_rng(3)
    saw_finished = False
    while not copied.done.all():
        a = hold(params, copied)
        a.raise_amount[:, 0] = gen.choice([0.0, 1e3], copied.worlds)  # some rounds, some ruin
        a.raise_investor[:, 0] = 0
        a.raise_pre[:, 0] = 1e-3
        a.reserve_gw[:, 0, 0] = gen.choice([0.0, 4.0], copied.worlds)
        before = copied
        finished = before.done.copy()
        saw_finished |= bool(finished.any() and not finished.all())
        copied, _ = step(params, before, a, draws.draw(params, before))
        owned, _ = step(params, owned, a, draws.draw(params, owned), in_place=True)
        assert same(copied, owned)
        for f in fields(State):  # a finished world comes out exactly as it went in
            assert np.array_equal(getattr(copied, f.name)[finished], getattr(before, f.name)[finished])
    assert saw_finished
