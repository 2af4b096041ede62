"""Cloud deals: the offers providers make each quarter, the chance a counter-offer is taken,
signing (cash and credits in, a stake or a note, reserved capacity and a take-or-pay commitment
on the books, exclusivity and board seats) and restructuring an exclusive deal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import contracts, market, notes
from game.engine.actions import Actions
from game.engine.draws import N_OFFER_TERMS, Draws
from game.engine.outcome import partner_stakes
from game.engine.params import (
    ACCEPT,
    COUNTER,
    TERM_BOARD_SEAT,
    TERM_COMMITMENT,
    TERM_EXCLUSIVITY,
    TERM_INVESTMENT,
    Params,
)
from game.engine.small import any_last, argmax_last, sum_last
from game.engine.state import State
from game.engine.valuation import dilute

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def counter_chance(p: Params, scarcity: F) -> F:
    """The chance each provider takes a counter-offer at a scarcity (W,): (W, 1, P). Providers
    bargain harder when compute is short."""
    return np.clip(
        p.deals.counter_base
        + p.providers.counter_flex[None, None, :]
        - p.deals.counter_scarcity_slope * (scarcity[:, None, None] - 1.0),
        0.0,
        1.0,
    )


@dataclass(frozen=True)
class Signed:
    """The quarter's deals: which were signed and which counters taken, (W, L, P); the reserved
    GW they added; the cash they raised and the restructuring fees paid, (W, L)."""

    signed: B
    counter_made: B
    counter_accepted: B
    restructured: B
    gw: F
    raised: F
    fees: F


def resolve(p: Params, s: State, a: Actions, d: Draws, scarcity: F) -> Signed:
    """Answer the offers on the table and restructure exclusive deals (in place on `s`)."""
    n_w, n_l, n_p = s.offer_on.shape
    accept, counter = a.deal == ACCEPT, a.deal == COUNTER
    raised = np.zeros((n_w, n_l))
    if (accept | counter).any():
        signed, counter_ok, gw = _sign(p, s, a, d.counter < counter_chance(p, scarcity), accept, counter, raised)
    else:  # nobody answers an offer (rollouts, most quarters): the same as signing nothing
        signed = counter_ok = np.zeros((n_w, n_l, n_p), dtype=bool)
        gw = np.zeros((n_w, n_l, n_p))
    fees = np.zeros((n_w, n_l))
    if a.restructure.any():
        fees += sum_last(a.restructure * p.deals.restructure_fee * s.commit_q)
        mine = s.exclusive[..., None] == np.arange(n_p)
        s.exclusive[...] = np.where(any_last(a.restructure & mine), -1, s.exclusive)
        s.board[...] &= ~a.restructure
    return Signed(signed, counter, counter_ok, a.restructure, gw, raised, fees)


def _sign(p: Params, s: State, a: Actions, taken: B, accept: B, counter: B, raised: F) -> tuple[B, B, F]:
    """Sign the offers accepted and the counter-offers the providers take (in place on `s` and
    `raised`); returns which deals were signed, which counters were taken, and the GW added."""
    counter_ok = counter & taken
    term = a.counter_term
    invest = s.offer_invest * np.where(counter_ok & (term == TERM_INVESTMENT), 1.0 + p.deals.counter_invest_raise, 1.0)
    commit = s.offer_commit * np.where(counter_ok & (term == TERM_COMMITMENT), 1.0 - p.deals.counter_commit_cut, 1.0)
    excl_term = s.offer_exclusive & ~(counter_ok & (term == TERM_EXCLUSIVITY))
    board_term = s.offer_board & ~(counter_ok & (term == TERM_BOARD_SEAT))
    signed = accept | counter_ok
    credits_in = np.where(signed, invest * p.providers.credits_share[None, None, :], 0.0)
    cash_in = np.where(signed, invest, 0.0) - credits_in
    raised += sum_last(cash_in)
    s.credits[...] += credits_in
    notes.sign(p, s, invest, signed & s.offer_convertible)
    for j in range(p.n_providers):
        equity = signed[..., j] & ~s.offer_convertible[..., j]
        dilute(s.cap, p.provider_holder(j), invest[..., j], s.offer_pre[..., j], equity)
    new_gw = np.where(signed, s.offer_gw, 0.0)
    contracts.add_reserved(s, new_gw, s.offer_price)
    contracts.book(s.reserved_ends, new_gw, s.offer_term, s.turn)
    contracts.book(s.commit_ends, np.where(signed, commit, 0.0), s.offer_term, s.turn)
    s.commit_q[...] += np.where(signed, commit, 0.0)
    new_excl = any_last(signed & excl_term)
    s.exclusive[...] = np.where(new_excl, argmax_last(signed & excl_term), s.exclusive)
    s.board[...] |= signed & board_term
    return signed, counter_ok, new_gw


def draw_offers(p: Params, s: State, u: F) -> None:
    """Next quarter's offers from each provider to each lab (in place); u is (N_OFFER_TERMS, W, L, P)."""
    assert u.shape[0] == N_OFFER_TERMS
    scale = np.maximum(s.arr_hist[..., -1] / p.deals.reference_arr, p.deals.min_offer_scale)[..., None]
    lo, hi = p.providers.invest_min[None, None, :], p.providers.invest_max[None, None, :]
    invest = scale * (lo + (hi - lo) * u[1])
    span = (p.providers.term_max - p.providers.term_min + 1)[None, None, :]
    term = p.providers.term_min[None, None, :] + np.minimum(np.floor(u[2] * span), span - 1).astype(np.int64)
    price = market.cloud_price(p, s.scarcity)[:, None, :] * (1.0 - p.deals.price_discount)
    commit = invest * p.providers.commit_per_invest[None, None, :] / term
    gw = commit / p.deals.commit_over_reserved / np.maximum(price, 1e-9)
    pre = np.maximum(s.fair, 1e-9)[..., None] * (
        p.deals.offer_pre_low + (p.deals.offer_pre_high - p.deals.offer_pre_low) * u[3]
    )
    # a provider never takes a stake above its cap: the investment shrinks to fit
    room = np.maximum(p.providers.stake_cap[None, None, :] - partner_stakes(p, s), 0.0)
    max_invest = room * pre / np.maximum(1.0 - room, 1e-9)
    convertible = u[6] < p.providers.convertible_chance[None, None, :]
    invest = np.where(convertible, invest, np.minimum(invest, max_invest))
    excl_ok = (s.exclusive[..., None] < 0) | (s.exclusive[..., None] == np.arange(p.n_providers))
    on = (
        (u[0] < p.providers.offer_chance[None, None, :])
        & (s.invest_left[..., None] == 0)
        & excl_ok
        & ~s.listed[..., None]
    )
    on &= invest > 1e-6
    s.offer_on[...] = on
    s.offer_invest[...] = invest
    s.offer_pre[...] = pre
    s.offer_gw[...] = gw
    s.offer_price[...] = price
    s.offer_term[...] = term
    s.offer_commit[...] = commit
    s.offer_exclusive[...] = u[4] < p.providers.exclusive_chance[None, None, :]
    s.offer_board[...] = u[5] < p.providers.board_chance[None, None, :]
    s.offer_convertible[...] = convertible
