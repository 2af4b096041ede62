"""The engine stays finite and consistent under a thousand games of nonsense decisions."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from game.content.models import Pack
from game.engine import draws, rng
from game.engine.actions import hold
from game.engine.init import initial_state
from game.engine.state import State
from game.engine.step import step
from game.session.build import build


def test_a_thousand_random_action_games_stay_finite(pack: Pack) -> None:
    for scenario in ("fortress-2026", "chip-shock", "tutorial"):
        params, start = build(pack, pack.scenario(scenario), pack.difficulty("normal"))
        w = 1000 if scenario == "fortress-2026" else 300
        state = initial_state(params, start, rng.derive_keys(rng.seed_key(9), w, scenario))
        gen = np.random.default_rng(1)
        for _ in range(params.n_turns):
            a = hold(params, state)
            n_p, n_o = params.n_providers, len(params.option_names)
            a.order_own[:, 0, :] = gen.choice([0.0, 0.01, 1.0, 50.0, 1e6], (w, n_o))
            a.reserve_gw[:, 0, :] = gen.choice([0.0, 0.3, 5.0, 1e9], (w, n_p))
            a.reserve_term[:, 0, :] = gen.integers(1, 30, (w, n_p))
            a.spot_gw[:, 0] = gen.choice([0.0, 1.0, 1e9], w)
            a.train_share[:, 0] = gen.choice([0.0, 0.5, 1.0, -3.0, 7.0], w)
            a.compliance[:, 0] = gen.choice([0.0, 0.5, 1e4], w)
            a.raise_investor[:, 0] = gen.integers(-1, params.n_investors, w)
            a.raise_amount[:, 0] = gen.choice([0.0, 1.0, 30.0, 1e12], w)
            a.raise_pre[:, 0] = gen.choice([0.0, 1e-6, 500.0, 1e15], w)
            a.raise_provider[:, 0] = gen.integers(-1, n_p, w)
            a.deal[:, 0, :] = gen.integers(0, 3, (w, n_p))
            a.counter_term[:, 0, :] = gen.integers(0, 4, (w, n_p))
            a.restructure[:, 0, :] = gen.random((w, n_p)) < 0.1
            a.loan_draw[:, 0] = gen.choice([0.0, 5.0, 1e9], w)
            a.loan_repay[:, 0] = gen.choice([0.0, 5.0, 1e9], w)
            a.ipo_file[:, 0] = gen.random(w) < 0.2
            state, info = step(params, state, a, draws.draw(params, state))
            for f in fields(State):
                value = getattr(state, f.name)
                if value.dtype.kind == "f":
                    assert np.all(np.isfinite(value)), f.name
            for f in fields(info):
                value = getattr(info, f.name)
                if isinstance(value, dict):  # the reason codes of what the rules dropped
                    assert all(v.dtype.kind == "i" for v in value.values())
                elif value.dtype.kind == "f":
                    assert np.all(np.isfinite(value)), f.name
            assert np.allclose(state.cap.sum(-1), 1.0, atol=1e-9)
        assert state.done.all()
