"""Write tests/data/engine_digests.json: digests of what the engine and the evaluation give for a
few fixed games, so that a change meant only for speed can be checked to change no number.

A change to the economics changes these numbers on purpose: rerun this script after it (and say
so in the commit), `.venv/bin/python tests/data/make_engine_digests.py`. A change for speed must
leave the file as it is (tests/test_engine_digests.py).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from simd import pin  # noqa: E402

pin()  # the vector code the tests compute with (tests/simd.py), before numpy loads

import numpy as np  # noqa: E402

from game.analysis.evaluate import Evaluation, evaluate  # noqa: E402
from game.analysis.judge import judge_game  # noqa: E402
from game.analysis.policies import POLICIES, random_policy  # noqa: E402
from game.content.models import Pack  # noqa: E402
from game.engine import draws, rng  # noqa: E402
from game.engine.actions import hold  # noqa: E402
from game.engine.init import initial_state  # noqa: E402
from game.engine.state import State  # noqa: E402
from game.engine.step import step  # noqa: E402
from game.session.build import build, load_content  # noqa: E402
from game.session.game import Game  # noqa: E402

OUT = Path(__file__).with_name("engine_digests.json")

GAMES = (
    ("fortress-2026", "normal", 2026, "reference"),
    ("fortress-2026", "normal", 7, "reckless"),
    ("fortress-2026", "hard", 11, "multicloud"),
    ("fortress-2026", "normal", 3, "random"),
)
"""(scenario, difficulty, seed, bot) of each game played to its end."""


def state_digest(state: State) -> str:
    h = hashlib.sha256()
    for f in fields(State):
        a = np.ascontiguousarray(getattr(state, f.name))
        h.update(f.name.encode())
        h.update(str(a.dtype).encode())
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def evaluation_digest(e: Evaluation) -> str:
    h = hashlib.sha256()
    for f in fields(Evaluation):
        value = getattr(e, f.name)
        if isinstance(value, np.ndarray):
            h.update(value.tobytes())
        else:
            h.update(repr(value).encode())
    return h.hexdigest()


def play_game(pack: Pack, scenario: str, difficulty: str, seed: int, bot: str) -> Game:
    game = Game.new(pack, scenario, difficulty, seed)
    while not game.over:
        if bot == "random":
            random_policy(game)
        else:
            POLICIES[bot](game)
        game.end_turn()
    return game


def batch_digest(pack: Pack) -> str:
    """64 worlds stepped together to the end with random decisions (offers drawn and answered)."""
    params, start = build(pack, pack.scenario("fortress-2026"), pack.difficulty("normal"))
    s = initial_state(params, start, rng.seed_keys(list(range(64))))
    gen = np.random.default_rng(5)
    while not bool(s.done.all()):
        a = hold(params, s)
        a.order_own[:, 0, :] = gen.uniform(0, 1, a.order_own[:, 0, :].shape)
        a.reserve_gw[:, 0, :] = gen.uniform(0, 0.5, a.reserve_gw[:, 0, :].shape)
        a.train_share[:, 0] = gen.uniform(0.2, 0.8, s.worlds)
        a.raise_investor[:, 0] = gen.integers(-1, params.n_investors, s.worlds)
        a.raise_amount[:, 0] = gen.uniform(1, 40, s.worlds)
        a.raise_pre[:, 0] = s.fair[:, 0] * gen.uniform(0.8, 1.3, s.worlds)
        s, _ = step(params, s, a, draws.draw(params, s))
    return state_digest(s)


def digests() -> dict[str, str]:
    pack = load_content()
    out: dict[str, str] = {}
    for scenario, difficulty, seed, bot in GAMES:
        game = play_game(pack, scenario, difficulty, seed, bot)
        out[f"game {scenario} {difficulty} {seed} {bot}"] = state_digest(game.state)
        if bot == "reckless":  # a whole game judged on few futures: every figure of its report
            judged = judge_game(game, pack.rules.judgement, 400)
            out[f"judgement {scenario} {difficulty} {seed} {bot} 400 futures"] = hashlib.sha256(
                repr(judged).encode()
            ).hexdigest()
    out["batch fortress-2026 normal 64 worlds random"] = batch_digest(pack)
    game = Game.new(pack, "fortress-2026", "normal", 5)
    rules = pack.rules.judgement
    for turn in range(3):
        e = evaluate(game.params, game.state, rules.reference, 600, 0, game.plan([]))
        out[f"evaluation fortress-2026 normal 5 turn {turn} 600 futures"] = evaluation_digest(e)
        POLICIES["multicloud"](game)
        game.end_turn()
    return out


def main() -> None:
    OUT.write_text(json.dumps(digests(), indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
