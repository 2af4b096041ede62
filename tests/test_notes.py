"""Convertible notes: signed through a partner's deal, they convert at a priced round or a listing
at the lower of their cap and the price less the discount (a discount that does not shrink with the
note's size), are repaid at maturity when the cash covers them or default into shares at the
punitive price, count in runway when they fall due and as debt in the business value; the
dashboard's cap table shows them."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from game.content.models import Pack
from game.engine import draws, funding, notes, outcome, rng
from game.engine.actions import hold
from game.engine.init import initial_state
from game.engine.params import ACCEPT, BOOM, Params
from game.engine.state import State, rows
from game.engine.step import Info, step
from game.session.actions import RespondDeal
from game.session.build import build
from game.session.dashboard import dashboard
from game.session.game import Game
from game.ui import text as t
from game.ui.render.dashboard import cap_table_panel, money_panel
from game.ui.theme import Palette

WORLDS = 64


def _with_notes(pack: Pack, scenario: str = "fortress-2026") -> tuple[Params, State, int]:
    """The worlds whose first quarter offers the player a convertible note, after accepting it:
    (params, state, provider holding the note in world 0)."""
    p, s, j, _ = _with_notes_and_info(pack, scenario)
    return p, s, j


def _with_notes_and_info(pack: Pack, scenario: str = "fortress-2026") -> tuple[Params, State, int, Info]:
    """`_with_notes`, with the quarter's figures."""
    p, start = build(pack, pack.scenario(scenario), pack.difficulty("normal"))
    s = initial_state(p, start, rng.seed_keys(list(range(WORLDS))))
    offered = s.offer_on[:, 0] & s.offer_convertible[:, 0]  # (W, P)
    w = np.flatnonzero(offered.any(-1))
    assert w.size >= 4, "too few seeds offer a note"
    s = rows(s, w)
    a = hold(p, s)
    a.deal[:, 0] = np.where(s.offer_on[:, 0] & s.offer_convertible[:, 0], ACCEPT, a.deal[:, 0])
    valuation = s.valuation[:, 0].copy()
    lent = np.where(a.deal[:, 0] == ACCEPT, s.offer_invest[:, 0], 0.0)
    s, info = step(p, s, a, draws.draw(p, s))
    assert info.deal_signed[:, 0].any(-1).all()
    signed = lent > 0
    assert np.allclose(s.note_principal[:, 0], lent)
    # the cap is set from the mark when the note is signed; it matures `note_maturity` from then
    assert np.allclose(
        s.note_cap[:, 0][signed], np.broadcast_to(valuation[:, None] * p.debt.note_cap, lent.shape)[signed]
    )
    assert (s.note_due[:, 0][signed] == p.debt.note_maturity).all() and (s.note_due[:, 0][~signed] == -1).all()
    assert np.allclose(s.notes[:, 0], lent * (1 + p.debt.note_interest))
    return p, s, int(np.argmax(signed[0])), info


@pytest.mark.parametrize("binding", ["discount", "cap"])
def test_a_round_converts_the_notes_at_the_lower_of_cap_and_discounted_price(pack: Pack, binding: str) -> None:
    p, s, _ = _with_notes(pack)
    owed, cap = s.notes[:, 0].copy(), s.note_cap[:, 0].copy()
    before = s.cap[:, 0].copy()
    # a price under cap / (1 - discount) leaves the discount binding; above it the cap binds
    if binding == "cap":
        pre = 1.3 * cap.max(-1) / (1.0 - p.debt.note_discount)
    else:
        pre = 0.9 * np.min(np.where(cap > 0, cap, np.inf), axis=-1) / (1.0 - p.debt.note_discount)
    a = hold(p, s)
    investor = int(np.argmax(p.investors.pool))
    amount = np.full(s.worlds, float(p.investors.min_amount[investor]))
    a.raise_investor[:, 0], a.raise_amount[:, 0], a.raise_pre[:, 0] = investor, amount, pre
    after = s.copy()
    rnd = funding.close_round(p, after, a, draws.draw(p, s))
    closed = rnd.closed[:, 0]
    assert closed.any() and (~closed).any(), "the dice should close some of the rounds and fail others"
    price = pre[:, None] * (1.0 - p.debt.note_discount)
    value = np.minimum(cap, price)
    assert (value == (price if binding == "discount" else cap))[owed > 0].all()
    frac = np.where(owed > 0, owed / np.maximum(value, 1e-12), 0.0)  # of the company as priced, before new money
    scale = pre / (pre + amount)
    expected = before * (1.0 - frac.sum(-1))[:, None]
    expected[:, notes.holders(p)] += frac
    expected *= scale[:, None]
    expected[np.arange(s.worlds), p.investor_holder(investor)] += amount / (pre + amount)
    assert np.allclose(after.cap[closed, 0], expected[closed], atol=1e-12)
    assert (after.notes[closed, 0] == 0).all() and (after.note_due[closed, 0] == -1).all()
    assert np.array_equal(after.notes[~closed, 0], owed[~closed])  # a failed round converts nothing
    # with the discount binding, each holder's new shares are worth its note / (1 - discount) at
    # the round's price, however large the note
    if binding == "discount":
        worth = frac * pre[:, None]
        got = owed > 0
        assert np.allclose(worth[got], owed[got] / (1.0 - p.debt.note_discount))


def test_the_discount_does_not_shrink_with_the_note(pack: Pack) -> None:
    p, s, j = _with_notes(pack)
    pre = np.full((s.worlds, p.n_labs), 1000.0)
    worth = []
    for size in (1.0, 100.0):
        t = s.copy()
        t.notes[:, 0] = 0.0
        t.notes[:, 0, j] = size
        t.note_cap[:, 0, j] = 1e6  # far above the price: the discount binds
        t.note_due[:, 0, j] = 5
        before = t.cap[:, 0, p.provider_holder(j)].copy()
        notes.convert(p, t, pre, np.eye(1, p.n_labs, 0, dtype=bool).repeat(s.worlds, 0))
        gained = t.cap[:, 0, p.provider_holder(j)] - before * (1 - size / (1000.0 * (1 - p.debt.note_discount)))
        worth.append(gained * 1000.0 / size)
    assert np.allclose(worth[0], 1.0 / (1.0 - p.debt.note_discount))
    assert np.allclose(worth[1], worth[0])


def test_a_listing_converts_the_notes_at_its_price(pack: Pack) -> None:
    p, s, _ = _with_notes(pack)
    owed, cap, before = s.notes[:, 0].copy(), s.note_cap[:, 0].copy(), s.cap[:, 0].copy()
    s.ipo_left[:, 0] = 1  # due this quarter, in a boom: it lists
    s.sentiment[...] = BOOM
    a = hold(p, s)
    listing = funding.list_shares(p, s, a, draws.draw(p, s))
    assert listing.listed[:, 0].all()
    ipo_pre = s.valuation[:, 0] * (1.0 - p.ipo.float_fraction)
    value = np.minimum(cap, ipo_pre[:, None] * (1.0 - p.debt.note_discount))
    frac = np.where(owed > 0, owed / np.maximum(value, 1e-12), 0.0)
    expected = before * (1.0 - frac.sum(-1))[:, None]
    expected[:, notes.holders(p)] += frac
    expected *= 1.0 - p.ipo.float_fraction
    expected[:, p.other_holder] += p.ipo.float_fraction
    assert np.allclose(s.cap[:, 0], expected, atol=1e-12)
    assert (s.notes[:, 0] == 0).all() and (s.note_principal[:, 0] == 0).all()


def _to_maturity(p: Params, s: State) -> State:
    """Play quarters that price nothing until the quarter the notes fall due is next."""
    while int(s.turn[0]) < int(s.note_due[:, 0].max()):
        s, info = step(p, s, hold(p, s), draws.draw(p, s))
        assert not info.round_closed[:, 0].any()
    return s


def test_a_note_matures_and_is_repaid_from_the_cash(pack: Pack) -> None:
    p, s, _ = _with_notes(pack)
    s = _to_maturity(p, s)
    alive = ~s.done
    s = rows(s, np.flatnonzero(alive))
    s.cash[:, 0] = np.maximum(s.cash[:, 0], s.notes[:, 0].sum(-1) + 50.0)  # cash covers what is owed
    owed, stakes = s.notes[:, 0].sum(-1), s.cap[:, 0].copy()
    after, info = step(p, s, hold(p, s), draws.draw(p, s))
    assert np.allclose(info.notes_repaid[:, 0], owed) and (owed > 0).all()
    assert not info.notes_defaulted[:, 0].any()
    assert (after.notes[:, 0] == 0).all() and (after.note_due[:, 0] == -1).all()
    # the repayment is a cash flow of the quarter, and no shares change hands for it
    flows = s.cash + info.revenue - info.costs + info.raised - info.repaid
    assert np.allclose(after.cash, flows, atol=1e-9)
    assert np.allclose(after.cap[:, 0], stakes)


def test_a_note_the_cash_cannot_repay_defaults_into_shares_at_the_punitive_price(pack: Pack) -> None:
    p, s, _ = _with_notes(pack)
    s = _to_maturity(p, s)
    s = rows(s, np.flatnonzero(~s.done))
    owed, cap, before = s.notes[:, 0].copy(), s.note_cap[:, 0].copy(), s.cap[:, 0].copy()
    s.cash[:, 0] = 0.5 * owed.sum(-1)  # half of what is owed
    valuation, confidence = s.valuation[:, 0].copy(), s.confidence[:, 0].copy()
    after = s.copy()
    matured = notes.mature(p, after, after.cash)
    assert matured.defaulted[:, 0].all() and (matured.repaid[:, 0] == 0).all()
    value = np.minimum(cap, valuation[:, None]) * p.debt.note_default_price
    frac = np.where(owed > 0, owed / np.maximum(value, 1e-12), 0.0)
    expected = before * (1.0 - frac.sum(-1))[:, None]
    expected[:, notes.holders(p)] += frac
    assert np.allclose(after.cap[:, 0], expected, atol=1e-12)
    assert np.allclose(after.confidence[:, 0], confidence + p.debt.note_default_confidence)
    assert (after.notes[:, 0] == 0).all()
    # the holder gets shares worth more than the note: at the mark, owed / default price
    worth = frac * valuation[:, None]
    assert (worth[owed > 0] > owed[owed > 0]).all()


def test_notes_count_in_runway_when_due_and_as_debt_in_the_business_value(pack: Pack) -> None:
    p, s, _, info = _with_notes_and_info(pack)
    due = notes.due_schedule(s, s.capex_due.shape[-1])
    owed = s.notes.sum(-1)
    assert np.allclose(due.sum(-1)[:, 0], owed[:, 0])  # due within the horizon, all of it
    credits = (s.credits.sum(-1), info.credits_used)  # the bills the deal's credits pay for now
    with_notes = outcome.runway(p, s.cash, s.burn, s.capex_due + due, s.debt, *credits)
    without = outcome.runway(p, s.cash, s.burn, s.capex_due, s.debt, *credits)
    assert np.allclose(s.runway, with_notes)
    assert (with_notes[:, 0] <= without[:, 0]).all() and (with_notes[:, 0] < without[:, 0]).any()
    cleared = s.copy()
    cleared.notes[...] = 0.0
    floor = outcome.VALUE_FLOOR * s.valuation
    gap = outcome.business_value(s) - outcome.business_value(cleared)
    above = outcome.business_value(cleared) > floor
    assert np.allclose(gap[above], owed[above])


def _game_with_a_note(pack: Pack) -> Game:
    for seed in range(1, 80):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        s = game.state
        j = np.flatnonzero(s.offer_on[0, 0] & s.offer_convertible[0, 0])
        if j.size:
            game.apply(RespondDeal(provider=game.params.provider_names[int(j[0])], response="accept"))
            game.end_turn()
            return game
    raise AssertionError("no seed offers a note in the first quarter")


def test_the_cap_table_shows_each_note_and_the_money_panel_warns_as_it_falls_due(pack: Pack) -> None:
    game = _game_with_a_note(pack)
    d = dashboard(game)
    assert len(d.notes) == 1
    n = d.notes[0]
    j = game.provider_index(n.provider)
    assert n.principal == pytest.approx(float(game.state.note_principal[0, 0, j]))
    assert n.due == game.quarter_label(int(game.state.note_due[0, 0, j]))
    console = Console(width=120, record=True, color_system=None)
    pal = Palette.of(None)
    console.print(cap_table_panel(d, pal))
    shown = console.export_text()
    assert n.provider_name in shown and f"matures {n.due}" in shown
    assert f"cap {t.money(n.cap)}" in shown and f"{t.money(n.principal)} lent" in shown
    assert f"{game.params.debt.note_discount:.0%} discount" in shown
    console.print(money_panel(d, game, pal))
    assert "note due" not in console.export_text()  # eight quarters away: no warning yet
    while game.turn < int(game.state.note_due[0, 0, j]) - 1 and not game.over:
        game.end_turn()
    console.print(money_panel(dashboard(game), game, pal))
    assert f"note due {n.due}" in console.export_text()


@pytest.mark.parametrize("cash", ["enough", "none"])
def test_the_quarter_report_says_a_note_was_repaid_or_defaulted(pack: Pack, cash: str) -> None:
    game = _game_with_a_note(pack)
    j = int(np.flatnonzero(game.state.note_due[0, 0] >= 0)[0])
    while game.turn < int(game.state.note_due[0, 0, j]) and not game.over:
        game.end_turn()
    assert not game.over
    if cash == "none":
        game.state.cash[0, 0] = 0.0  # nothing to repay it with
    report = game.end_turn()
    titles = {item.title: item.text for item in report.items}
    if cash == "enough":
        assert "Notes repaid" in titles and "Notes in default" not in titles
    else:
        assert (
            "Notes in default" in titles
            and game.provider_name(game.scenario.providers[j]) in titles["Notes in default"]
        )
