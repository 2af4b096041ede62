"""Funding in a quarter: loans drawn and repaid, a priced round that closes or fails (notes
convert when it closes), and a listing that files, counts down and lists or is pulled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine.actions import Actions
from game.engine.draws import Draws
from game.engine.outcome import dependency
from game.engine.params import BOOM, BUST, Params
from game.engine.small import max_last, sum_last
from game.engine.state import State
from game.engine.valuation import close_chance, convert_notes, dilute, growth_yoy

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
    """Close or fail the rounds asked for (in place on `s`). The investors' private view is the
    round draw `d.round`, uniform on [0, 1): they take the round iff its closing chance (the one
    the preview shows) exceeds it, i.e. iff the ask lies within the reservation their view implies,
    so the chance shown is exactly the probability. The draw is keyed on the line's attempt too
    (`game.engine.draws`): a reload meets a view drawn anew. A closed round converts the notes,
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
            np.where(l_i == 0, p.rounds.close_mult, 1.0)[:, None],  # the difficulty's, for the player only
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
    s.valuation[...] = np.where(closes, mark(p, s.valuation, s.fair, amount, pre), s.valuation)
    s.last_post[...] = np.where(closes, pre + amount, s.last_post)
    s.confidence[...] += np.where(down, p.rounds.confidence_down_round, 0.0)
    s.confidence[...] += np.where(closes & ~down, p.rounds.confidence_closed, 0.0)
    s.confidence[...] += np.where(failed, p.rounds.confidence_failed, 0.0)
    s.morale[...] -= np.where(down, p.rounds.down_round_morale, 0.0)
    return Round(chance, closes, down, amount, pre, np.where(closes, amount, 0.0))


def mark(p: Params, valuation: F, fair: F, amount: F, pre: F) -> F:
    """The valuation a closed round leaves: its post-money, with the premium over fair value it
    credits capped, weighted by the share of the company it sold (a token round moves the mark
    little, one selling `full_mark_share` or more moves it all the way)."""
    post = pre + amount
    credible = np.minimum(pre, fair * (1.0 + p.rounds.mark_premium_cap)) + amount
    weight = np.clip(amount / np.maximum(post, 1e-12) / p.rounds.full_mark_share, 0.0, 1.0)
    return valuation + weight * (np.minimum(post, credible) - valuation)


@dataclass(frozen=True)
class Listing:
    """The quarter's listings, (W, L): which labs filed, listed and were pulled, and what the
    listings raised."""

    filed: B
    listed: B
    pulled: B
    raised: F
    fees: F


def readiness(p: Params, s: State) -> F:
    """How ready each lab is for the public market, in [0, 1], (W, L): its growth against the
    growth the market takes as ready, times its independence from its largest partner."""
    growth = np.clip(growth_yoy(s.arr_hist) / p.ipo.ready_growth, 0.0, 1.0)
    independence = np.clip(1.0 - max_last(dependency(p, s)) / p.outcomes.dependent_threshold, 0.0, 1.0)
    return np.asarray(growth * independence, dtype=np.float64)


def list_shares(p: Params, s: State, a: Actions, d: Draws) -> Listing:
    """File for listings, count down, and list, postpone or pull the ones due (in place on `s`).
    A listing due in a bust is pulled; in a neutral market its window may not hold, and it waits
    a quarter; one that lists sells its float at a discount to fair value that is deeper the less
    ready the lab is, and pays the banks' fees. The game plays on after a listing."""
    filed = a.ipo_file  # the rules (`legality`) let only an eligible lab file
    if not (filed.any() or (s.ipo_left > 0).any()):  # no lab files and none is counting down
        none = np.zeros_like(filed)
        return Listing(none, none, none, np.zeros_like(s.cash), np.zeros_like(s.cash))
    s.ipo_left[...] = np.where(filed, p.ipo.quarters_to_list, s.ipo_left)
    counting = s.ipo_left > 0
    s.ipo_left[...] = np.where(counting, s.ipo_left - 1, s.ipo_left)
    due = counting & (s.ipo_left == 0)
    pulled = due & (s.sentiment[:, None] == BUST)
    waits = due & ~pulled & (s.sentiment[:, None] != BOOM) & (d.ipo_window < p.ipo.postpone_chance)
    listing = due & ~pulled & ~waits
    discount = d.ipo * p.ipo.discount_max + p.ipo.unready_discount * (1.0 - readiness(p, s))
    # the public market prices below the last private mark, never above it: listing is no way to
    # re-mark the company
    ipo_pre = np.minimum(s.fair, s.valuation) * np.maximum(1.0 - discount, 0.0)
    ipo_amount = ipo_pre * p.ipo.float_fraction / (1.0 - p.ipo.float_fraction)
    dilute(s.cap, p.other_holder, ipo_amount, ipo_pre, listing)
    s.valuation[...] = np.where(listing, ipo_pre + ipo_amount, s.valuation)
    s.last_post[...] = np.where(listing, ipo_pre + ipo_amount, s.last_post)
    s.listed[...] |= listing
    s.ipo_left[...] = np.where(waits, 1, np.where(due, -1, s.ipo_left))
    raised = np.where(listing, ipo_amount, 0.0)
    return Listing(filed, listing, pulled, raised, p.ipo.fee_share * raised)
