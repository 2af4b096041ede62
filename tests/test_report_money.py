"""The quarter report's money: one cash bridge whose lines sum, events booked with their sign."""

from __future__ import annotations

import re

import pytest

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.session.game import Game
from game.session.report import event_cash
from game.session.views import QuarterReport


def _check_bridge(report: QuarterReport) -> None:
    kinds = [line.kind for line in report.bridge]
    assert kinds[0] == "start" and kinds[-1] == "end"
    assert set(kinds[1:-1]) <= {"in", "out"}
    assert report.bridge[0].amount == pytest.approx(report.cash_before)
    assert report.bridge[-1].amount == pytest.approx(report.cash_after)
    total = report.bridge[0].amount
    for line in report.bridge[1:-1]:
        assert line.amount > 0, line
        total += line.amount if line.kind == "in" else -line.amount
    assert total == pytest.approx(report.bridge[-1].amount, abs=1e-9)


@pytest.mark.parametrize("policy", ["reckless", "multicloud", "random"])
def test_every_quarter_of_a_bot_game_has_a_bridge_that_sums(pack: Pack, policy: str) -> None:
    from game.analysis.policies import random_policy

    play = random_policy if policy == "random" else POLICIES[policy]
    game = Game.new(pack, "fortress-2026", "normal", 3)
    while not game.over:
        play(game)
        _check_bridge(game.end_turn())


def _game_with_event(pack: Pack, sign: float) -> tuple[Game, QuarterReport, str]:
    for seed in range(200):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        while not game.over:
            POLICIES["multicloud"](game)
            report = game.end_turn()
            for eid in report.events:
                if event_cash(game, eid) * sign > 0:
                    return game, report, eid
    raise AssertionError("no event with cash of that sign in 200 games")


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_an_events_cash_is_a_line_of_the_bridge_with_its_sign_and_its_text_says_so(pack: Pack, sign: float) -> None:
    game, report, eid = _game_with_event(pack, sign)
    _check_bridge(report)
    event = next(e for e in game.pack.events if e.id == eid)
    line = next(x for x in report.bridge if event.title in x.label)
    assert line.kind == ("in" if sign > 0 else "out")
    assert line.amount == pytest.approx(abs(event_cash(game, eid)))
    item = next(i for i in report.items if i.title == event.title)
    assert re.search(r"\$\d", item.text), item.text
    cash = next(i for i in report.items if i.title == "Cash")
    assert event.title in cash.text or "smaller item" in cash.text


def test_the_capacity_preview_says_what_an_order_costs_this_quarter_as_the_projected_cash_does(pack: Pack) -> None:
    from game.session.actions import OrderCapacity
    from game.session.wording import money

    game = Game.new(pack, "fortress-2026", "normal", 1)
    for option in ("campus", "chips"):
        preview = game.preview(OrderCapacity(option=option, gw=0.5))
        assert preview.legal, preview.reason
        drop = preview.cash[0] - preview.cash[1]
        assert drop > 0
        line = next(x for x in preview.lines if "paid this quarter" in x)
        assert f"{money(drop)} paid this quarter" in line


def test_the_training_limit_the_operations_form_states_is_what_a_calm_quarter_does(pack: Pack) -> None:
    from game.session.actions import SetSplit
    from game.session.preview import serving_limit

    for seed in (1, 2):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        for _ in range(3):
            limit, _ = serving_limit(game)
            assert 0 < limit < 100
            _, info = game.project([*game.pending, SetSplit(train_share=limit / 100)])
            assert float(info.served[0, 0]) == pytest.approx(float(info.demand[0, 0]))
            _, over = game.project([*game.pending, SetSplit(train_share=(limit + 1) / 100)])
            assert float(over.served[0, 0]) < float(over.demand[0, 0])
            POLICIES["multicloud"](game)
            game.end_turn()


def test_the_report_shows_capabilitys_change(pack: Pack) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 1)
    before = game.dashboard().capability
    report = game.end_turn()
    item = next(i for i in report.items if i.title == "Capability")
    assert f"from {before:.1f} points to {game.dashboard().capability:.1f} points" in item.text
