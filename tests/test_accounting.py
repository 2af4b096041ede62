"""The books balance: cash, ownership, dilution, burn and runway, on real games."""

from __future__ import annotations

import numpy as np
import pytest

from game.analysis.policies import POLICIES, random_policy
from game.content.models import Pack
from game.engine.params import OUTCOME_NAMES
from game.engine.step import COST_NAMES
from game.session.actions import RaiseRound
from game.session.game import Game

CENT = 0.01 / 1e9  # one cent, in $B


def played(pack: Pack, scenario: str, seed: int, policy=random_policy) -> Game:  # type: ignore[no-untyped-def]
    game = Game.new(pack, scenario, "normal", seed)
    while not game.over:
        policy(game)
        game.end_turn()
    return game


@pytest.fixture(scope="module")
def games(pack: Pack) -> list[Game]:
    """Forty random games and the bots' games, across every scenario."""
    out = []
    for i, scenario in enumerate(("fortress-2026", "tutorial", "chip-shock")):
        out += [played(pack, scenario, 100 * i + seed) for seed in range(12)]
        out += [played(pack, scenario, 7, policy) for policy in POLICIES.values()]
    return out


def test_cash_moves_only_by_revenue_costs_and_money_raised(games: list[Game]) -> None:
    checked = 0
    for game in games:
        before = game.start_state
        for turn in game.turns:
            info, after = turn.info, turn.state_after
            expected = before.cash + info.revenue - info.costs + info.raised - info.repaid
            assert np.all(np.abs(after.cash - expected) < CENT), (game.seed, game.quarter_label(int(before.turn[0])))
            assert np.allclose(info.costs, info.cost_parts.sum(-1), rtol=0, atol=CENT)
            checked += 1
            before = after
    assert checked > 250


def test_revenue_is_the_demand_served(games: list[Game]) -> None:
    for game in games:
        before = game.start_state
        for turn in game.turns:
            info = turn.info
            capacity = info.compute_infer * before.revenue_per_gw[:, None]
            assert np.allclose(info.revenue, np.minimum(info.demand, capacity), rtol=1e-12, atol=1e-12)
            before = turn.state_after


def test_ownership_sums_to_one_after_every_round_and_deal(games: list[Game]) -> None:
    rounds = deals = 0
    for game in games:
        for turn in game.turns:
            cap = turn.state_after.cap
            assert np.allclose(cap.sum(-1), 1.0, rtol=0, atol=1e-12)
            assert np.all(cap >= -1e-15)
            rounds += int(turn.info.round_closed[0, 0])
            deals += int(turn.info.deal_signed[0, 0].sum())
    assert rounds > 5 and deals > 5


def test_burn_and_runway_follow_their_definitions(games: list[Game]) -> None:
    for game in games:
        p = game.params
        for turn in game.turns:
            s, info = turn.state_after, turn.info
            parts = dict(zip(COST_NAMES, np.moveaxis(info.cost_parts, -1, 0), strict=True))
            burn = np.maximum(info.cost_parts.sum(-1) - parts["events"] - parts["capex"] - info.revenue, 0.0)
            assert np.allclose(s.burn, burn, atol=1e-12)
            # runway: quarters until cash net of debt runs out, paying the burn, the capital
            # payments scheduled, the notes that fall due, and the bills credits paid once the credits
            # left are used up (borrowed money is owed: it adds no runway)
            for lab in range(game.params.n_labs):
                cash, due = max(float(s.cash[0, lab] - s.debt[0, lab]), 0.0), list(s.capex_due[0, lab])
                for j in range(p.n_providers):
                    ahead = int(s.note_due[0, lab, j] - s.turn[0])
                    if s.note_due[0, lab, j] >= 0 and ahead < len(due):
                        due[ahead] += float(s.notes[0, lab, j])
                credits, use = float(s.credits[0, lab].sum()), float(info.credits_used[0, lab])
                quarters = 0.0
                for payment in due:
                    covered = min(use, credits)
                    credits -= covered
                    need = float(burn[0, lab]) + use - covered + payment
                    if cash < need:
                        quarters += cash / need
                        break
                    cash -= need
                    quarters += 1
                else:
                    tail = float(burn[0, lab]) + use - min(use, credits)
                    quarters = quarters + cash / tail if tail > 1e-9 else p.outcomes.runway_cap
                assert float(s.runway[0, lab]) == pytest.approx(min(quarters, p.outcomes.runway_cap), abs=1e-9)


def test_every_game_ends_with_an_outcome(games: list[Game]) -> None:
    for game in games:
        assert game.over and game.outcome in OUTCOME_NAMES
        summary = game.summary()
        assert 0 <= summary.score <= 125


def test_ten_billion_at_nine_hundred_pre_gives_exactly_ten_over_nine_ten(pack: Pack) -> None:
    for seed in range(40):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        p = game.params
        holder = p.investor_holder(p.investor_names.index("crossover"))
        before = game.state.cap[0, 0].copy()
        game.apply(RaiseRound(investor="crossover", amount=10.0, pre_money=900.0))
        game.end_turn()
        if bool(game.turns[-1].info.round_closed[0, 0]):
            after = game.state.cap[0, 0]
            assert after[holder] - before[holder] * 900 / 910 == pytest.approx(10 / 910, abs=1e-15)
            assert after[0] == pytest.approx(before[0] * 900 / 910, abs=1e-15)
            assert game.state.last_post[0, 0] == 910.0
            return
    pytest.fail("no seed closed the round")
