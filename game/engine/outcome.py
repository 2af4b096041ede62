"""Dependency, runway, the game's outcome and its score.

Dependency on a partner mixes its share of the lab's compute, its stake (against a reference
stake), exclusivity and a board seat. The outcome is classified at the end (or at a forced sale):
IPO, forced sale (cash ran out, a default, or valued so far below the rival that the lab is bought
for its team), dependent (in a partner's orbit), fortress (independent, long runway, valued near
the rival), or survivor. The score weighs five parts in [0, 1] by the scenario's weights and multiplies by the
outcome's multiplier.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.params import DEPENDENT, FORCED_SALE, FORTRESS, IPO, SURVIVOR, Params
from game.engine.small import max_last, sum_last
from game.engine.state import State
from game.engine.valuation import others_max

F = NDArray[np.float64]
I64 = NDArray[np.int64]

VALUE_FLOOR = 0.05
"""A business is never marked below this share of its valuation (a lab holding more cash than it is
valued at is still a business)."""

SCORE_PARTS = ("valuation", "runway", "independence", "scrutiny", "ownership")


def total_gw(state: State) -> F:
    """Compute online for each lab (owned plus reserved), (W, L)."""
    return sum_last(state.own) + sum_last(state.reserved_gw)


def partner_stakes(p: Params, state: State) -> F:
    """Each provider's stake in each lab, (W, L, P)."""
    first = p.provider_holder(0)
    return state.cap[..., first : first + p.n_providers]


def dependency(p: Params, state: State) -> F:
    """Dependency of each lab on each provider, in [0, 1]: (W, L, P)."""
    return _dependency(p, state.own, state.reserved_gw, partner_stakes(p, state), state.exclusive, state.board)


def player_dependency(p: Params, state: State) -> F:
    """Dependency of the player's lab on each provider: (W, P), `dependency(...)[:, 0]` alone."""
    stakes = partner_stakes(p, state)[:, 0]
    return _dependency(p, state.own[:, 0], state.reserved_gw[:, 0], stakes, state.exclusive[:, 0], state.board[:, 0])


def _dependency(p: Params, own: F, reserved_gw: F, stakes: F, exclusive: I64, board: NDArray[np.bool_]) -> F:
    """Dependency on each provider for any leading shape (..., P)."""
    total = np.maximum(sum_last(own) + sum_last(reserved_gw), 1e-9)[..., None]
    compute_share = reserved_gw / total
    stake = np.minimum(1.0, stakes / p.outcomes.dependency_stake_reference)
    excl = exclusive[..., None] == np.arange(p.n_providers)
    dep = (
        p.outcomes.dependency_compute_weight * compute_share
        + p.outcomes.dependency_stake_weight * stake
        + p.outcomes.dependency_exclusive * excl
        + p.outcomes.dependency_board * board
    )
    return np.asarray(np.clip(dep, 0.0, 1.0), dtype=np.float64)


def runway(
    p: Params,
    cash: F,
    burn: F,
    capex_due: F | None = None,
    debt: F | None = None,
    credits: F | None = None,
    credit_use: F | None = None,
) -> F:
    """Quarters until the cash net of debt runs out, paying every payment already committed: the
    operating burn every quarter (cloud contracts and take-or-pay minimums, staff, interest), the
    capital payments already scheduled (`capex_due`, (..., H): the instalments of every capacity
    order placed so far) when they fall due, and, once the compute credits left (`credits`) are
    used up at this quarter's pace (`credit_use`), the cloud bills they paid until then. Capped,
    zero when the net cash is gone. Borrowed money is owed, so it adds no runway (debt service:
    the principal comes off the cash, the interest is in the burn). Without capital payments,
    credits or debt it is simply cash / burn."""
    left = np.maximum(cash if debt is None else cash - debt, 0.0)
    out = np.full(left.shape, -1.0)
    masked = np.zeros_like(left) if credit_use is None else np.broadcast_to(credit_use, left.shape)
    credit_left = np.zeros_like(left) if credits is None else np.broadcast_to(credits, left.shape).copy()
    if capex_due is not None or credit_use is not None:
        horizon = capex_due.shape[-1] if capex_due is not None else p.market.max_lead
        alive = np.ones(left.shape, dtype=bool)  # cash still left after the quarters so far
        for h in range(horizon):
            # the bills credits paid this quarter come back to cash as the credits run out
            covered = np.minimum(masked, credit_left)
            credit_left = credit_left - covered
            need = burn + masked - covered
            if capex_due is not None:
                need = need + capex_due[..., h]
            short = alive & (left < need)  # the cash runs out in quarter h (so need > left >= 0)
            if short.any():
                out[short] = h + left[short] / need[short]
                alive &= ~short
                if not alive.any():
                    break
            np.subtract(left, need, out=left, where=alive)
        done_h = float(horizon)
        # after the schedule, the burn goes on, with whatever the credits no longer cover
        burn = burn + masked - np.minimum(masked, credit_left)
    else:
        done_h = 0.0
    tail = np.where(burn > 1e-9, done_h + left / np.where(burn > 1e-9, burn, 1.0), p.outcomes.runway_cap)
    return np.asarray(np.clip(np.where(out >= 0, out, tail), 0.0, p.outcomes.runway_cap), dtype=np.float64)


def owed(state: State) -> F:
    """What each lab owes, (W, L): its loans and its convertible notes outstanding."""
    return state.debt + sum_last(state.notes)


def business_value(state: State) -> F:
    """Each lab's valuation less its net cash (cash minus debt and notes outstanding): what the
    business itself is marked at, (W, L). Money raised, borrowed or kept in the bank adds to the
    cash, not to the business, so raising or borrowing alone moves no lab against its rival; a
    note not yet converted is owed like a loan."""
    return np.maximum(state.valuation - state.cash + owed(state), VALUE_FLOOR * state.valuation)


def equity_value(business: F, cash: F, debt: F) -> F:
    """What a lab whose business is worth `business` is worth to its shareholders: the business plus
    its net cash (cash minus debt), never below `VALUE_FLOOR` of the business (the inverse of
    `business_value`). Fair value is marked this way, so cash in the bank is priced as cash: a lab
    that starts (or stays) with more of it is worth more by that much, not less against its rival."""
    return np.asarray(np.maximum(business + cash - debt, VALUE_FLOOR * business), dtype=np.float64)


def valuation_vs_rival(state: State) -> F:
    """Each lab's business value (`business_value`) over the highest other lab's: (W, L)."""
    value = business_value(state)
    return value / np.maximum(others_max(value), 1e-9)


def classify(p: Params, state: State) -> I64:
    """Outcome of the player's lab at the end of a game that did not end in a forced sale: (W,)."""
    dep = max_last(player_dependency(p, state))
    vs = valuation_vs_rival(state)[:, 0]
    run = state.runway[:, 0]
    fortress = (
        (dep < p.outcomes.fortress_max_dependency)
        & (owed(state)[:, 0] <= state.cash[:, 0])  # no fortress owes more than it holds
        & (run >= p.outcomes.fortress_min_runway)
        & (vs >= p.outcomes.fortress_min_valuation)
    )
    out = np.where(dep >= p.outcomes.dependent_threshold, DEPENDENT, np.where(fortress, FORTRESS, SURVIVOR))
    # a lab that cannot pay next quarter's committed bills has not survived: it must sell
    out = np.where((out == SURVIVOR) & (run < p.outcomes.survivor_min_runway), FORCED_SALE, out)
    out = np.where(vs < p.outcomes.absorbed_valuation * p.outcomes.start_vs_rival, FORCED_SALE, out)
    # a listed lab ends as an IPO only from a fortress: a listing overrides no weak position
    return np.where(state.listed[:, 0] & (out == FORTRESS), IPO, out).astype(np.int64)


def score_parts(p: Params, state: State) -> F:
    """The five score parts for the player's lab, each in [0, 1]: (W, 5)."""
    vs = valuation_vs_rival(state)[:, 0]
    dep = max_last(player_dependency(p, state))
    founders = state.cap[:, 0, 0] / np.maximum(state.founders_start[:, 0], 1e-9)
    return np.stack(
        [
            np.clip(vs / p.score.valuation_target, 0.0, 1.0),
            np.clip(state.runway[:, 0] / p.score.runway_target, 0.0, 1.0),
            np.clip(1.0 - dep, 0.0, 1.0),
            np.clip(1.0 - state.scrutiny[:, 0], 0.0, 1.0),
            np.clip(founders, 0.0, 1.0),
        ],
        axis=-1,
    )


def score(p: Params, state: State, outcome: I64) -> F:
    """Score for the player's lab: the weighted parts on a scale of 100, times the outcome multiplier
    (so up to 100 x the largest multiplier): (W,)."""
    return score_of_parts(p, score_parts(p, state), outcome)


def score_of_parts(p: Params, parts: F, outcome: I64) -> F:
    """The score from the five parts `score_parts` gives (for a caller that keeps the parts)."""
    # an ordered sum, not a BLAS product: the same numbers whatever the number of worlds
    weighted = sum_last(parts * p.score.weights[None, :]) / p.score.weights.sum()
    idx = np.clip(outcome, 0, len(p.outcomes.multiplier) - 1)
    mult = np.where(outcome >= 0, p.outcomes.multiplier[idx], 1.0)
    return np.asarray(100.0 * weighted * mult, dtype=np.float64)
