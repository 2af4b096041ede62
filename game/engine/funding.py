"""Funding in a quarter: loans drawn and repaid, a priced round that closes or fails (notes
convert when it closes), and a listing that files, counts down and lists or is pulled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine.actions import Actions
from game.engine.draws import Draws
from game.engine.params import BUST, Params
from game.engine.small import sum_last
from game.engine.state import State
from game.engine.valuation import close_chance, convert_notes, dilute

F = NDArray[np.float64]
B = NDArray[np.bool_]


def loans(s: State, a: Actions) -> tuple[F, F]:
    """Draw and repay loans (in place on the debt); returns what was drawn and repaid, (W, L)."""
    if (a.loan_draw > 0).any() or (a.loan_repay > 0).any():
        s.debt[...] += a.loan_draw - a.loan_repay
        return a.loan_draw.copy(), a.loan_repay.copy()
    zeros = np.zeros_like(s.debt)
    return zeros, zeros.copy()


@dataclass(frozen=True)
class Round:
    """The quarter's priced rounds, (W, L): their chance, whether they closed (and below the last
    post-money), and what they asked and raised."""

    chance: F
    closed: B
    down: B
    amount: F
    pre: F
    raised: F


def close_round(p: Params, s: State, a: Actions, d: Draws) -> Round:
    """Close or fail the rounds asked for (in place on `s`): a closed round converts the notes,
    dilutes the holders, marks the valuation at its post-money and lifts investors' confidence; a
    down round or a failed one lowers it."""
    inv = a.raise_investor
    amount = np.maximum(a.raise_amount, 0.0)
    pre = np.maximum(a.raise_pre, 0.0)
    asking = inv >= 0
    chance = np.zeros_like(amount)
    if asking.any():  # the chance of the rounds asked for, row by row: (n, 1) against (n,) worlds
        w_i, l_i = np.nonzero(asking)
        chance[w_i, l_i] = close_chance(
            p,
            inv[w_i, l_i, None],
            amount[w_i, l_i, None],
            pre[w_i, l_i, None],
            s.fair[w_i, l_i, None],
            s.sentiment[w_i],
            s.confidence[w_i, l_i, None],
            s.info_left[w_i, l_i, None] > 0,
        )[:, 0]
    closes = asking & (d.round < chance) if asking.any() else asking.copy()
    prov_holders = np.array([p.provider_holder(j) for j in range(p.n_providers)], dtype=np.int64)
    if (closes & (sum_last(s.notes) > 0)).any():
        s.cap[...] = convert_notes(s.cap, s.notes, pre, p.debt.note_discount, closes, prov_holders)
    s.notes[...] = np.where(closes[..., None], 0.0, s.notes)
    inv_safe = np.maximum(inv, 0)
    is_cloud = p.investors.is_cloud[inv_safe] & (a.raise_provider >= 0)
    holder = np.where(is_cloud, 1 + p.n_investors + np.maximum(a.raise_provider, 0), 1 + inv_safe)
    dilute(s.cap, holder, amount, pre, closes)
    down = closes & (pre < s.last_post)
    failed = asking & ~closes
    s.valuation[...] = np.where(closes, pre + amount, s.valuation)
    s.last_post[...] = np.where(closes, pre + amount, s.last_post)
    s.confidence[...] += np.where(down, p.rounds.confidence_down_round, 0.0)
    s.confidence[...] += np.where(closes & ~down, p.rounds.confidence_closed, 0.0)
    s.confidence[...] += np.where(failed, p.rounds.confidence_failed, 0.0)
    s.morale[...] -= np.where(down, p.rounds.down_round_morale, 0.0)
    return Round(chance, closes, down, amount, pre, np.where(closes, amount, 0.0))


@dataclass(frozen=True)
class Listing:
    """The quarter's listings, (W, L): which labs filed, listed and were pulled, and what the
    listings raised."""

    filed: B
    listed: B
    pulled: B
    raised: F


def list_shares(p: Params, s: State, a: Actions, d: Draws) -> Listing:
    """File for listings, count down, and list or pull the ones due (in place on `s`). A listing
    due in a bust is pulled; one that lists sells its float at a discount to fair value."""
    filed = a.ipo_file  # the rules (`legality`) let only an eligible lab file
    if not (filed.any() or (s.ipo_left > 0).any()):  # no lab files and none is counting down
        none = np.zeros_like(filed)
        return Listing(none, none, none, np.zeros_like(s.cash))
    s.ipo_left[...] = np.where(filed, p.ipo.quarters_to_list, s.ipo_left)
    counting = s.ipo_left > 0
    s.ipo_left[...] = np.where(counting, s.ipo_left - 1, s.ipo_left)
    due = counting & (s.ipo_left == 0)
    pulled = due & (s.sentiment[:, None] == BUST)
    listing = due & ~pulled
    ipo_pre = s.fair * (1.0 - d.ipo * p.ipo.discount_max)
    ipo_amount = ipo_pre * p.ipo.float_fraction / (1.0 - p.ipo.float_fraction)
    dilute(s.cap, p.other_holder, ipo_amount, ipo_pre, listing)
    s.valuation[...] = np.where(listing, ipo_pre + ipo_amount, s.valuation)
    s.last_post[...] = np.where(listing, ipo_pre + ipo_amount, s.last_post)
    s.listed[...] |= listing
    s.ipo_left[...] = np.where(due, -1, s.ipo_left)
    return Listing(filed, listing, pulled, np.where(listing, ipo_amount, 0.0))
