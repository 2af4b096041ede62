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
    """The regulator's quarter: the action drawn against each lab and its fine, (W, L)."""

    action: I64
    fine: F
    hit: B


def regulate(p: Params, s: State, compliance: F, u_hazard: F, u_kind: F) -> Regulation:
    """Move scrutiny and draw the regulator's actions, in place on `s`: an information request or
    an investigation starts its clock, a consent order makes the largest partner divest part of
    its stake and ends exclusivity and board seats, a fine takes a share of run-rate revenue."""
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
    consent = action == REG_CONSENT
    if consent.any():
        biggest = argmax_last(stakes)
        divest = np.where(
            consent, np.take_along_axis(stakes, biggest[..., None], -1)[..., 0] * p.scrutiny.consent_divest, 0.0
        )
        big_holder = 1 + p.n_investors + biggest
        s.cap[...] -= (big_holder[..., None] == np.arange(s.cap.shape[-1])) * divest[..., None]
        s.cap[..., p.other_holder] += divest
    s.exclusive[...] = np.where(consent, -1, s.exclusive)
    s.board[...] &= ~consent[..., None]
    fine = np.where(action == REG_FINE, p.scrutiny.fine_share_of_arr * s.arr_hist[..., -1], 0.0)
    s.scrutiny[...] *= np.where(hit, 1.0 - p.scrutiny.action_scrutiny_relief, 1.0)
    return Regulation(action=action, fine=fine, hit=hit)


def tick(s: State, action: I64) -> None:
    """The regulator's clocks run down a quarter (in place); an investigation opened this quarter
    starts counting next quarter."""
    s.info_left[...] = np.maximum(s.info_left - 1, 0)
    s.invest_left[...] = np.maximum(s.invest_left - np.where(action == REG_INVESTIGATION, 0, 1), 0)
