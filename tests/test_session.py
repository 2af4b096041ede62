"""The session: legal actions with reasons, previews, undo, reports and the end of a game."""

from __future__ import annotations

import numpy as np
import pytest

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.session.actions import (
    ACTION_LIST,
    Borrow,
    FileIpo,
    OrderCapacity,
    RaiseRound,
    Repay,
    RespondDeal,
    Restructure,
    SetCompliance,
    SetSplit,
)
from game.session.game import Game, IllegalAction


@pytest.fixture
def game(pack: Pack) -> Game:
    return Game.new(pack, "fortress-2026", "normal", 7)


def test_illegal_actions_say_why(game: Game) -> None:
    reasons = {
        "too big": RaiseRound(investor="crossover", amount=500.0, pre_money=900.0),
        "unknown investor": RaiseRound(investor="angels", amount=5.0, pre_money=900.0),
        "no offer": RespondDeal(provider="northwind", response="accept"),
        "counter without term": RespondDeal(provider="azimuth", response="counter"),
        "tiny order": OrderCapacity(option="campus", gw=0.01),
        "huge order": OrderCapacity(option="chips", gw=9.0),
        "reserved without provider": OrderCapacity(option="reserved", gw=0.5),
        "bad term": OrderCapacity(option="reserved", gw=0.5, provider="keel", term=5),
        "repay without debt": Repay(amount=1.0),
        "restructure nothing": Restructure(provider="keel"),
        "ipo too small": FileIpo(),
    }
    for name, action in reasons.items():
        reason = game.check(action)
        assert reason, name
        with pytest.raises(IllegalAction) as info:
            game.apply(action)
        assert str(info.value) == reason
    assert "at most 30%" in (game.check(reasons["too big"]) or "")
    assert "no offer on the table" in (game.check(reasons["no offer"]) or "")
    assert "$60.0B" in (game.check(reasons["ipo too small"]) or "")
    assert game.pending == []


def test_one_round_a_quarter_and_undo(game: Game) -> None:
    first = RaiseRound(investor="crossover", amount=20.0, pre_money=900.0)
    game.apply(first)
    assert "already have a round" in (game.check(RaiseRound(investor="vc", amount=2.0, pre_money=900.0)) or "")
    assert game.undo() == first
    assert game.pending == []
    assert game.check(RaiseRound(investor="vc", amount=2.0, pre_money=900.0)) is None
    assert game.undo() is None


def test_preview_shows_the_effect_without_changing_anything(game: Game) -> None:
    state = game.state
    view = game.preview(RaiseRound(investor="crossover", amount=30.0, pre_money=900.0))
    assert view.legal and view.chance is not None and 0 < view.chance < 1
    assert view.new_stake == pytest.approx(30 / 930)
    assert view.founders[1] == pytest.approx(view.founders[0] * 900 / 930)
    assert view.cash[1] == pytest.approx(view.cash[0] + 30.0)
    assert sum(share for _, share in view.cap_table) == pytest.approx(1.0)
    assert game.state is state and game.pending == []
    bad = game.preview(OrderCapacity(option="chips", gw=9.0))
    assert not bad.legal and bad.reason


def test_preview_of_a_deal_shows_dependency_and_commitments(game: Game) -> None:
    offer = game.offers()[0]
    view = game.preview(RespondDeal(provider=offer.provider, response="accept"))
    assert view.legal
    assert view.commitments[1] > view.commitments[0]
    assert view.compute[1] > view.compute[0]


def test_a_turn_changes_only_at_its_end(game: Game) -> None:
    before = game.state
    game.apply(OrderCapacity(option="reserved", gw=0.5, provider="keel", term=8))
    game.apply(SetSplit(train_share=0.5))
    game.apply(SetCompliance(spend=0.2))
    assert game.state is before
    report = game.end_turn()
    assert game.turn == 1 and game.pending == []
    assert report.quarter == "Q3 2026"
    assert any(item.title == "Reserved capacity" for item in report.items)
    assert report.cash_after == pytest.approx(float(game.state.cash[0, 0]))
    assert float(game.state.train_share[0, 0]) == 0.5


def test_borrowing_needs_owned_capacity(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 1)
    assert "own none" in (game.check(Borrow(amount=1.0)) or "")
    big = Game.new(pack, "fortress-2026", "normal", 1)
    assert big.check(Borrow(amount=1.0)) is None
    assert "at most" in (big.check(Borrow(amount=1000.0)) or "")


def test_the_game_ends_with_a_scored_outcome(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 3)
    for _ in range(game.params.n_turns):  # doing nothing, it may end early (out of cash)
        if not game.over:
            game.end_turn()
    assert game.over
    summary = game.summary()
    assert summary.outcome == game.outcome
    assert len(summary.parts) == 5
    assert sum(part.weight for part in summary.parts) == pytest.approx(1.0)
    assert summary.score == pytest.approx(sum(p.points for p in summary.parts) * summary.multiplier)
    assert summary.objectives
    with pytest.raises(IllegalAction, match="over"):
        game.end_turn()
    assert game.check(SetSplit(train_share=0.5)) == "The game is over."


def test_history_has_one_dashboard_per_quarter(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 3)
    game.end_turn()
    game.end_turn()
    history = game.history()
    assert [d.quarter for d in history] == ["Q1 2026", "Q2 2026", "Q3 2026"]


def test_actions_round_trip_as_json(game: Game) -> None:
    actions = [
        RaiseRound(investor="cloud", amount=5.0, pre_money=800.0, provider="stratus"),
        RespondDeal(provider="azimuth", response="counter", term="exclusivity"),
        OrderCapacity(option="reserved", gw=0.5, provider="keel", term=8),
        SetSplit(train_share=0.4),
        FileIpo(),
    ]
    data = ACTION_LIST.dump_json(actions)
    assert ACTION_LIST.validate_json(data) == actions


def test_report_explains_a_failed_round(pack: Pack) -> None:
    for seed in range(30):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        game.apply(RaiseRound(investor="vc", amount=12.0, pre_money=1500.0))
        report = game.end_turn()
        failed = [i for i in report.items if i.title == "Your round failed"]
        if failed:
            assert "price" in failed[0].text and "size" in failed[0].text
            return
    pytest.fail("no failed round in 30 seeds")


def test_dashboard_numbers_are_finite(game: Game) -> None:
    d = game.dashboard()
    numbers = [v for v in vars(d).values() if isinstance(v, float)]
    assert numbers and all(np.isfinite(numbers))
    assert d.quarter == "Q3 2026" and d.turns == 16
    assert sum(share for _, share in d.cap_table) == pytest.approx(1.0)


def test_the_outcome_now_names_what_a_fortress_lacks_with_the_scenarios_own_bar(pack: Pack) -> None:
    tutorial = Game.new(pack, "tutorial", "normal", 2)
    now = tutorial.outcome_now()
    assert (now.outcome, now.final, now.missing) == (
        "survivor",
        False,
        ["valuation", "runway"],
    )  # it starts with under a year of cash
    assert now.fortress[0].need == "at least 0.50x" and now.fortress[0].now == "0.27x"  # the tutorial's own bar
    main = Game.new(pack, "fortress-2026", "normal", 2).outcome_now()
    assert main.fortress[0].need == f"at least {pack.rules.outcomes.fortress_min_valuation:.2f}x"


def test_the_outcome_tests_agree_with_how_games_end(pack: Pack) -> None:
    seen = set()
    for seed, (name, policy) in enumerate(POLICIES.items()):
        for scenario in ("tutorial", "fortress-2026"):
            game = Game.new(pack, scenario, "normal", seed, quarters=6)
            while not game.over:
                policy(game)
                game.end_turn()
            now = game.outcome_now()
            assert now.final and now.outcome == game.outcome, name
            seen.add(game.outcome)
            cash, runway, absorbed, orbit = (t.met for t in now.safety)
            if game.outcome == "fortress":
                assert not now.missing
            elif game.outcome == "survivor":
                assert now.missing and cash and runway and absorbed and orbit
            elif game.outcome == "dependent":
                assert not orbit
    assert len(seen) >= 2


def test_a_game_is_judged_on_the_contracts_it_ran_in_its_last_quarter(pack: Pack) -> None:
    """Contracts that end with the game stay on the final books: a longer contract signed along
    the way does not become all of the lab's compute, and make it dependent, at the last moment."""
    finals = {}
    for term in (8, 12):
        game = Game.new(pack, "tutorial", "normal", 3)
        start_gw = float(game.state.reserved_gw[0, 0].sum())
        game.apply(OrderCapacity(option="reserved", gw=0.1, provider="northwind", term=term))
        while not game.over:
            game.end_turn()
        assert float(game.state.reserved_gw[0, 0].sum()) == pytest.approx(start_gw + 0.1)
        assert all(c.quarters_left == 0 for c in game.dashboard().contracts)
        finals[term] = game
    assert finals[8].outcome == finals[12].outcome != "dependent"
    assert finals[8].dashboard().max_dependency == pytest.approx(finals[12].dashboard().max_dependency)


@pytest.mark.parametrize("scenario", ["tutorial", "fortress-2026", "chip-shock"])
def test_the_dashboards_cloud_commitments_are_the_cloud_bills_the_next_quarter_pays(pack: Pack, scenario: str) -> None:
    """The contracts a lab starts with are commitments: "Cloud commitments" once read $0B/qtr
    while the report billed $0.73B of reserved cloud capacity every quarter."""
    game = Game.new(pack, scenario, "normal", 3)
    promised = game.dashboard().commitments
    assert promised > 0.0
    report = game.end_turn()
    parts = dict(report.cost_parts)
    billed = parts["reserved"] + parts["shortfall"] + report.credits
    assert billed == pytest.approx(promised)


def test_the_ratio_against_the_rival_is_the_quotient_of_the_figures_shown_beside_it(pack: Pack) -> None:
    """The results screen showed "$67.8B vs $308B = 0.20x" (valuations beside a ratio net of cash):
    the figures shown with the ratio are the business values it divides."""
    game = Game.new(pack, "tutorial", "normal", 5)
    while not game.over:
        d = game.dashboard()
        assert d.business / d.rival_business == pytest.approx(d.vs_rival)
        assert d.business < d.valuation  # the lab holds cash
        game.end_turn()


def test_the_dashboards_forecast_is_this_quarters_calm_projection_of_the_plan(pack: Pack) -> None:
    """What the compute panel compares serving with: this quarter in a calm market, the plan so
    far included (a reserved order that arrives now serves more); past quarters have none."""
    game = Game.new(pack, "fortress-2026", "normal", 3)
    assert game.dashboard().forecast is None  # only asked for where it is shown
    before = game.dashboard(forecast=True).forecast
    assert before is not None
    _, info = game.project()
    assert before.demand == float(info.demand[0, 0]) and before.served == float(info.served[0, 0])
    assert before.needed_gw == pytest.approx(before.demand / float(game.state.revenue_per_gw[0]))
    game.apply(OrderCapacity(option="reserved", gw=1.0, provider="northwind", term=4))
    after = game.dashboard(forecast=True).forecast
    assert after is not None and after.serving_gw > before.serving_gw
    assert after.demand == pytest.approx(before.demand, rel=0.05)
    game.end_turn()
    assert all(d.forecast is None for d in game.history())
