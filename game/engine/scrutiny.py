"""Regulatory scrutiny: how the regulator's attention moves, the hazard of an action it draws, and
what each kind of action does to a lab.

Scrutiny rises with partners' stakes, investors' stakes (by each investor type's weight), an
exclusive deal, board seats and a market share above the threshold; compliance spending lowers
it, and it decays each quarter. The hazard of an action is the one formula `hazard`, read by the
quarter, the dashboard and the evaluation alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import market
from game.engine.outcome import partner_stakes
from game.engine.params import REG_CONSENT, REG_FINE, REG_INFO, REG_INVESTIGATION, REG_NONE, Params
from game.engine.small import argmax_last, max_last, sum_last
from game.engine.state import State

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def hazard(p: Params, scrutiny: F, mult: F | float | None = None) -> F:
    """The chance the regulator acts this quarter at a scrutiny level, any shape. The difficulty's
    multiplier (`mult`, by default the player's) watches the player's lab; rivals meet the
    scenario's own regulator whatever the difficulty."""
    m = p.scrutiny.hazard_mult if mult is None else mult
    return np.minimum(1.0, (p.scrutiny.hazard_base + p.scrutiny.hazard_slope * scrutiny**2) * m)


@dataclass(frozen=True)
class Regulation:
    """The regulator's quarter, (W, L): the action drawn against each lab, its fine, and what a
    consent order cost (its remedies, legal costs and monitor, and the partner's credits it ended)."""

    action: I64
    fine: F
    hit: B
    remedy: F
    forfeited: F


def regulate(p: Params, s: State, compliance: F, u_hazard: F, u_kind: F) -> Regulation:
    """Move scrutiny and draw the regulator's actions, in place on `s`: an information request or
    an investigation starts its clock, a consent order settles the case (`_consent`), a fine takes
    a share of run-rate revenue."""
    n_w, n_l = s.scrutiny.shape
    stakes = partner_stakes(p, s)
    inflow = (
        p.scrutiny.stake_weight * max_last(stakes)
        + sum_last(s.cap[..., 1 : 1 + p.n_investors] * p.investors.scrutiny_weight[None, None, :])
        + p.scrutiny.exclusive_weight * (s.exclusive >= 0)
        + p.scrutiny.board_weight * sum_last(s.board.astype(np.float64))
        + p.scrutiny.share_weight * np.maximum(0.0, s.share - p.scrutiny.share_threshold)
        - p.scrutiny.compliance_effect * np.sqrt(compliance)
    )
    s.scrutiny[...] = np.clip(s.scrutiny * (1.0 - p.scrutiny.decay) + inflow, 0.0, 1.0)
    player_only = np.where(np.arange(n_l) == 0, p.scrutiny.hazard_mult, 1.0)
    hit = u_hazard < hazard(p, s.scrutiny, player_only)
    action = np.full((n_w, n_l), REG_NONE, dtype=np.int64)
    if hit.any():  # which action, for the labs hit only
        w_i, l_i = np.nonzero(hit)
        high = s.scrutiny[w_i, l_i] >= p.scrutiny.band_split
        weights = np.where(high[:, None], p.scrutiny.weight_high, p.scrutiny.weight_low)  # (n, 4)
        cdf = np.cumsum(weights, axis=-1) / np.maximum(sum_last(weights, keepdims=True), 1e-12)
        kind = 1 + sum_last((u_kind[w_i, l_i, None] >= cdf).astype(np.int64))
        action[w_i, l_i] = np.minimum(kind, REG_FINE)
    s.info_left[...] = np.where(action == REG_INFO, p.scrutiny.info_request_quarters, s.info_left)
    s.invest_left[...] = np.where(action == REG_INVESTIGATION, p.scrutiny.investigation_quarters, s.invest_left)
    remedy, forfeited = _consent(p, s, stakes, action == REG_CONSENT)
    fine = np.where(action == REG_FINE, p.scrutiny.fine_share_of_arr * s.arr_hist[..., -1], 0.0)
    s.scrutiny[...] *= np.where(hit, 1.0 - p.scrutiny.action_scrutiny_relief, 1.0)
    return Regulation(action=action, fine=fine, hit=hit, remedy=remedy, forfeited=forfeited)


def _consent(p: Params, s: State, stakes: F, consent: B) -> tuple[F, F]:
    """A consent order, in place on `s` for the labs under one (`consent`, (W, L)): the remedy's cost
    and the partner's credits it ended, (W, L). The order unwinds the partnership for both sides:
    the partner (the exclusive one, else the largest holder) sells part of its stake to the other
    holders and gives up exclusivity and board seats, and its own commitments to the lab end with
    them: its credits left are cancelled and the capacity it reserves below list price is repriced
    at list. The lab pays for the remedies and the lawyers once (a share of run-rate revenue) and
    commits to a monitor and a compliance programme for the decree's term. A regulator's remedy is
    a cost to the lab, never a windfall from a partnership the lab chose."""
    zeros = np.zeros(consent.shape)
    if not consent.any():
        return zeros, zeros
    partner = np.where(s.exclusive >= 0, s.exclusive, argmax_last(stakes))  # (W, L)
    mine = consent[..., None] & (partner[..., None] == np.arange(p.n_providers))  # (W, L, P)
    divest = sum_last(np.where(mine, stakes, 0.0)) * p.scrutiny.consent_divest
    holder = 1 + p.n_investors + partner
    s.cap[...] -= (holder[..., None] == np.arange(s.cap.shape[-1])) * divest[..., None]  # divest is 0 elsewhere
    s.cap[..., p.other_holder] += divest
    s.exclusive[...] = np.where(consent, -1, s.exclusive)
    s.board[...] &= ~consent[..., None]
    forfeited = sum_last(np.where(mine, s.credits, 0.0))
    s.credits[...] = np.where(mine, 0.0, s.credits)
    listed = market.cloud_price(p, s.scarcity)[:, None, :]  # (W, 1, P)
    s.reserved_price[...] = np.where(mine, np.maximum(s.reserved_price, listed), s.reserved_price)
    # the decree's monitor keeps the regulator watching, and investors read the order as a finding
    s.scrutiny[...] = np.minimum(1.0, s.scrutiny + np.where(consent, p.scrutiny.consent_scrutiny, 0.0))
    s.confidence[...] += np.where(consent, p.scrutiny.consent_confidence, 0.0)
    remedy = np.where(
        consent,
        p.scrutiny.consent_remedy_share_of_arr * s.arr_hist[..., -1]
        + p.scrutiny.consent_monitor_quarters * p.scrutiny.consent_monitor_cost,
        0.0,
    )
    return remedy, forfeited


def tick(s: State, action: I64) -> None:
    """The regulator's clocks run down a quarter (in place); an investigation opened this quarter
    starts counting next quarter."""
    s.info_left[...] = np.maximum(s.info_left - 1, 0)
    s.invest_left[...] = np.maximum(s.invest_left - np.where(action == REG_INVESTIGATION, 0, 1), 0)
