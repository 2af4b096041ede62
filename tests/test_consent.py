"""A consent order is a remedy the lab pays for, never a windfall from a partnership it chose.

The same worlds are played twice by the loyalist (which signs the partners' exclusive deals), the
regulator's draw forced at one quarter (the first with the lab's scrutiny in the high band): in one batch it enters a consent order against the
player's lab, in the other it does nothing; every other draw is the same (common random numbers).
On the worlds the order was entered in, the lab ends worse off on average.
"""

from __future__ import annotations

import re

import numpy as np

from game.analysis.policies import bot
from game.content.models import Pack
from game.engine import draws, rng
from game.engine.init import initial_state
from game.engine.outcome import score
from game.engine.params import REG_CONSENT, Params
from game.engine.step import step
from game.session.build import build
from game.session.report import COST_LABELS

GAMES = 300


def _consent_draw(p: Params) -> float:
    """A regulator's kind draw that means a consent order in the high scrutiny band."""
    cdf = np.cumsum(p.scrutiny.weight_high) / p.scrutiny.weight_high.sum()
    lo = cdf[REG_CONSENT - 2]
    return float((lo + cdf[REG_CONSENT - 1]) / 2.0)


def _play(pack: Pack, difficulty: str, consent: bool) -> tuple[np.ndarray, np.ndarray]:
    """Final scores, and which worlds met a consent order at the forced quarter."""
    params, start = build(pack, pack.scenario("fortress-2026"), pack.difficulty(difficulty))
    s = initial_state(params, start, rng.seed_keys(list(range(GAMES))))
    decide = bot("loyalist", pack.rules)
    ordered = np.zeros(GAMES, dtype=bool)
    tried = np.zeros(GAMES, dtype=bool)
    while not s.done.all():
        d = draws.draw(params, s)
        # the first quarter the lab's scrutiny is in the high band (the same in both batches until then)
        forced = ~tried & ~s.done & (s.scrutiny[:, 0] >= params.scrutiny.band_split)
        tried |= forced
        if forced.any():
            hazard, kind = d.hazard.copy(), d.reg_kind.copy()
            hazard[forced, 0] = 0.0 if consent else 1.0  # the regulator surely acts, or surely not
            kind[forced, 0] = _consent_draw(params)
            d.__dict__["hazard"], d.__dict__["reg_kind"] = hazard, kind
        playing = ~s.done
        s, info = step(params, s, decide(params, s), d, in_place=True)
        ordered |= forced & playing & (info.reg_action[:, 0] == REG_CONSENT)
    return score(params, s, s.outcome), ordered


def test_a_consent_order_lowers_the_labs_score_on_the_same_worlds(pack: Pack) -> None:
    for difficulty in ("easy", "normal", "hard"):
        with_order, ordered = _play(pack, difficulty, consent=True)
        without, never = _play(pack, difficulty, consent=False)
        assert not never.any()  # the quiet batch met no order at the forced quarter
        assert ordered.sum() >= GAMES // 5, (difficulty, int(ordered.sum()))  # enough labs in the high band
        diff = with_order[ordered] - without[ordered]
        assert diff.mean() < 0.0, (difficulty, float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(diff.size)))


def test_the_quarter_report_says_what_a_consent_order_cost(pack: Pack) -> None:
    """In a played game, the regulator's item names the order's cost, and the cash bridge's legal
    costs carry it."""
    from game.analysis.policies import POLICIES
    from game.session.game import Game

    for seed in range(60):
        game = Game.new(pack, "fortress-2026", "hard", seed)
        while not game.over:
            POLICIES["loyalist"](game)
            report = game.end_turn()
            item = next((i for i in report.items if "consent order" in i.text), None)
            if item is None:
                continue
            cost = re.search(r"cost \$([\d.]+)B now", item.text)
            assert cost, item.text
            legal = next(x for x in report.bridge if x.label == COST_LABELS["legal"])
            assert legal.amount >= float(cost.group(1)) - 0.01
            assert "monitor" in item.text and "confidence falls" in item.text
            return
    raise AssertionError("no consent order in 60 games")
