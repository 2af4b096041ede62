"""The economy against the article: a partner's revenue share, a chip shock that bites, runway that
counts every committed payment, burn and growth of a frontier lab, on the real engine."""

from __future__ import annotations

import numpy as np

from game.content.models import Pack
from game.engine import draws, rng
from game.engine.actions import hold
from game.engine.init import initial_state
from game.engine.params import ACCEPT, DECLINE
from game.engine.step import COST_NAMES, step
from game.session.build import build
from game.session.report import COST_LABELS

SEEDS = list(range(200))


def test_a_deal_with_azimuth_pays_it_a_share_of_revenue_while_it_lasts(pack: Pack) -> None:
    p, start = build(pack, pack.scenario("fortress-2026"), pack.difficulty("normal"))
    share = {pr.id: pr.revenue_share for pr in pack.providers}
    assert share["azimuth"] > 0.0  # the text promises it
    j = p.provider_names.index("azimuth")
    s0 = initial_state(p, start, rng.seed_keys(SEEDS))
    offered = s0.offer_on[:, 0, j]
    assert offered.sum() >= 5, "too few opening offers from Azimuth to test on"
    k = COST_NAMES.index("revenue_share")
    results = {}
    for answer in (ACCEPT, DECLINE):
        a = hold(p, s0)
        a.deal[offered, 0, j] = answer
        s1, info = step(p, s0, a, draws.draw(p, s0))
        results[answer] = (s1, info)
    signed = results[ACCEPT][1].deal_signed[:, 0, j]
    assert signed[offered].all()
    # the quarter the deal is signed, the provider takes its share of the revenue served
    s1, info = results[ACCEPT]
    np.testing.assert_allclose(info.cost_parts[signed, 0, k], share["azimuth"] * info.revenue[signed, 0], rtol=1e-12)
    # without the deal (declined, or never offered) nobody takes a share
    assert (results[DECLINE][1].cost_parts[:, 0, k] == 0.0).all()
    assert (info.cost_parts[~signed, 0, k] == 0.0).all()
    # it goes on while the committed spend runs, and it is a named line of the cash bridge
    _, info2 = step(p, s1, hold(p, s1), draws.draw(p, s1))
    still = signed & (s1.commit_q[:, 0, j] > 0)
    assert still.any()
    np.testing.assert_allclose(info2.cost_parts[still, 0, k], share["azimuth"] * info2.revenue[still, 0], rtol=1e-12)
    assert "revenue share" in COST_LABELS["revenue_share"]


def test_the_dashboard_shows_the_gross_margin_of_serving_compute(pack: Pack) -> None:
    from rich.console import Console

    from game.session.dashboard import dashboard, gross_margin, serving_cost
    from game.session.game import Game
    from game.ui.render.dashboard import money_panel
    from game.ui.theme import FORTRESS_THEME, Palette

    game = Game.new(pack, "fortress-2026", "normal", 3)
    for _ in range(2):
        game.end_turn()
    p, s = game.params, game.state
    d = dashboard(game)
    assert d.gross_margin == gross_margin(p, s)
    # the cloud bills of the compute that served customers, against the revenue served
    cloud = float((s.reserved_gw[0, 0] * s.reserved_price[0, 0]).sum())
    assert serving_cost(p, s) > 0.0 and serving_cost(p, s) >= (1.0 - float(s.train_share[0, 0])) * cloud
    assert 0.3 < d.gross_margin < 0.7  # frontier labs reported ~40-46% in 2025
    console = Console(width=100, record=True)
    console.print(money_panel(d, game, Palette.of(FORTRESS_THEME)))
    line = next(x for x in console.export_text().splitlines() if "Gross margin" in x)
    assert f"{d.gross_margin:.0%}" in line
