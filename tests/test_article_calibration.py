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


def test_runway_counts_the_cloud_bills_that_credits_pay_only_for_a_while(pack: Pack) -> None:
    from game.engine.outcome import runway

    p, _ = build(pack, pack.scenario("fortress-2026"), pack.difficulty("normal"))
    one = np.ones(1)
    # $10B, $1B of burn in cash and $1B of bills paid by $2B of credits: two quarters at $1B,
    # then $2B a quarter for the $8B left
    assert runway(p, 10 * one, one, np.zeros((1, 12)), 0 * one, 2 * one, one)[0] == 6.0
    assert runway(p, 10 * one, one, np.zeros((1, 12)), 0 * one)[0] == 10.0
    # with no cash burn at all, credits that run out still end the runway
    assert runway(p, 10 * one, 0 * one, None, None, 2 * one, one)[0] == 2.0 + 10.0 / 1.0


def test_runway_after_a_deal_counts_the_bills_its_credits_stop_paying(pack: Pack) -> None:
    """Credits from a deal pay the cloud bills for a while; the runway shown counts the cash those
    bills will take once the credits are gone, so it is shorter than cash over this quarter's burn."""
    from game.engine import notes
    from game.engine.outcome import runway
    from game.engine.small import sum_last

    p, start = build(pack, pack.scenario("fortress-2026"), pack.difficulty("normal"))
    s0 = initial_state(p, start, rng.seed_keys(SEEDS))
    a = hold(p, s0)
    offered = s0.offer_on[:, 0, :]
    a.deal[:, 0, :] = np.where(offered, ACCEPT, a.deal[:, 0, :])
    s1, info = step(p, s0, a, draws.draw(p, s0))
    used = (info.credits_used[:, 0] > 0.1) & ~s1.done & (sum_last(s1.credits[:, 0]) > 0)
    assert used.sum() >= 5
    shown = s1.runway[used, 0]
    # the payments scheduled: capacity instalments and any convertible note signed falling due
    scheduled = s1.capex_due + notes.due_schedule(s1, s1.capex_due.shape[-1])
    blind = runway(p, s1.cash[used, 0], s1.burn[used, 0], scheduled[used, 0], s1.debt[used, 0])
    counted = runway(
        p,
        s1.cash[used, 0],
        s1.burn[used, 0],
        scheduled[used, 0],
        s1.debt[used, 0],
        sum_last(s1.credits[used, 0]),
        info.credits_used[used, 0],
    )
    np.testing.assert_array_equal(shown, counted)
    assert (shown <= blind).all() and (shown < blind - 0.1).any()


def test_no_survivor_ends_with_under_a_quarter_of_runway(pack: Pack) -> None:
    from game.analysis.policies import bot
    from game.engine.params import SURVIVOR

    p, start = build(pack, pack.scenario("fortress-2026"), pack.difficulty("normal"))
    assert p.outcomes.survivor_min_runway == 1.0
    for name in ("multicloud", "reckless", "passive"):
        s = initial_state(p, start, rng.seed_keys(list(range(40))))
        decide = bot(name, pack.rules)
        while not s.done.all():
            s, _ = step(p, s, decide(p, s), draws.draw(p, s))
        survivors = s.outcome == SURVIVOR
        assert (s.runway[survivors, 0] >= p.outcomes.survivor_min_runway).all(), name


def _with_chance(pack: Pack, event_id: str, chance: float) -> Pack:
    events = [e.model_copy(update={"chance": chance}) if e.id == event_id else e for e in pack.events]
    return pack.model_copy(update={"events": events})


def test_a_chip_shock_raises_scarcity_the_spot_premium_and_lead_times(pack: Pack) -> None:
    """The same seeds with and without export controls in the third quarter: in the shock the
    market is clearly scarcer, spot costs clearly more than reserved capacity, and chips and sites
    ordered then arrive later."""
    from game.engine import market
    from game.engine.params import KIND_CHIPS, KIND_DC

    shocked: dict[bool, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for shock in (True, False):
        variant = _with_chance(pack, "export-controls", 1.0 if shock else 0.0)
        p, start = build(variant, variant.scenario("chip-shock"), variant.difficulty("normal"))
        e = p.event_ids.index("export-controls")
        s = initial_state(p, start, rng.seed_keys(list(range(10))))
        fired = []
        for _ in range(3):
            s, info = step(p, s, hold(p, s), draws.draw(p, s))
            fired.append(info.fired[:, e].copy())
        # the shock fires in the third quarter (its first allowed) in every world, or never
        assert fired[-1].all() == shock and not any(f.any() for f in fired[:-1]) and fired[-1].any() == shock
        spot_vs_reserved = market.spot_price(p, s.scarcity) / market.cloud_price(p, s.scarcity).mean(axis=-1)
        lead = market.own_lead(p, s)  # what an order placed in the next quarter waits
        chips = int(np.argmax(p.options.kind == KIND_CHIPS))
        campus = int(np.argmax(p.options.kind == KIND_DC))
        shocked[shock] = (s.scarcity.copy(), spot_vs_reserved, lead[:, [chips, campus]])
    (scar, premium, lead), (calm_scar, calm_premium, calm_lead) = shocked[True], shocked[False]
    assert (scar >= 1.15 * calm_scar).all()
    assert (premium >= 1.3).all() and (premium >= 1.3 * calm_premium).all()
    assert (lead[:, 0] >= calm_lead[:, 0] + 2).all() and (lead[:, 1] > calm_lead[:, 1]).all()
