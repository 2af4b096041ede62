"""Funding in a quarter: loans drawn and repaid, a priced round (a lead and its followers) that
closes or fails (notes convert when it closes), and a listing that files, counts down and lists or
is pulled (notes convert when it lists). Notes that mature unconverted are settled in `notes.mature`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import notes
from game.engine.actions import Actions
from game.engine.draws import Draws
from game.engine.outcome import dependency
from game.engine.params import BOOM, BUST, Params
from game.engine.small import max_last
from game.engine.state import State
from game.engine.valuation import breadth, cheques, close_chance, dilute, growth_yoy, issue

F = NDArray[np.float64]
B = NDArray[np.bool_]
I64 = NDArray[np.int64]


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
    issues each member of the syndicate its shares, marks the valuation toward its post-money
    (by its size and breadth) and lifts investors' confidence; a down round or a failed one lowers
    it."""
    inv = a.raise_investor
    amount = np.maximum(a.raise_amount, 0.0)
    pre = np.maximum(a.raise_pre, 0.0)
    follow = np.maximum(a.raise_follow, 0.0)
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
            follow[w_i, l_i, None],
        )[:, 0]
    closes = asking & (d.round < chance) if asking.any() else asking.copy()
    notes.convert(p, s, pre, closes)
    weight = np.ones_like(amount)
    if closes.any():
        issue(s.cap, new_money(p, inv, amount, follow, a.raise_provider), pre, closes)
        weight = breadth(p, inv, amount, follow)
    down = closes & (pre < s.last_post)
    failed = asking & ~closes
    s.valuation[...] = np.where(closes, mark(p, s.valuation, s.fair, amount, pre, weight), s.valuation)
    s.last_post[...] = np.where(closes, pre + amount, s.last_post)
    s.confidence[...] += np.where(down, p.rounds.confidence_down_round, 0.0)
    s.confidence[...] += np.where(closes & ~down, p.rounds.confidence_closed, 0.0)
    s.confidence[...] += np.where(failed, p.rounds.confidence_failed, 0.0)
    s.morale[...] -= np.where(down, p.rounds.down_round_morale, 0.0)
    return Round(chance, closes, down, amount, pre, np.where(closes, amount, 0.0))


def new_money(p: Params, investor: I64, amount: F, follow: F, provider: I64) -> F:
    """The new money of each round by cap-table holder, (W, L, K): each investor type's cheque to
    its holder, a cloud partner's to the provider named behind it (to the cloud type's own holder
    if none is named)."""
    c = cheques(p, investor, amount, follow)
    own = 1 + np.arange(p.n_investors)
    partner = (provider >= 0)[..., None] & p.investors.is_cloud
    holder = np.where(partner, 1 + p.n_investors + np.maximum(provider, 0)[..., None], own)
    out = np.zeros((*amount.shape, p.n_holders))
    for k in range(p.n_investors):
        out += np.where(np.arange(p.n_holders) == holder[..., k, None], c[..., k, None], 0.0)
    return out


def mark(p: Params, valuation: F, fair: F, amount: F, pre: F, reach: F | float = 1.0) -> F:
    """The valuation a closed round leaves: its post-money, with the premium over fair value it
    credits capped, weighted by the share of the company it sold times its `reach` (its breadth,
    `valuation.breadth`): a token round moves the mark little; one from a single financial
    investor type selling `full_mark_share` or more, or a broad syndicate selling less, moves it
    all the way."""
    post = pre + amount
    credible = np.minimum(pre, fair * (1.0 + p.rounds.mark_premium_cap)) + amount
    weight = np.clip(amount / np.maximum(post, 1e-12) / p.rounds.full_mark_share * reach, 0.0, 1.0)
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
    notes.convert(p, s, ipo_pre, listing)  # the notes convert at the listing's price, before the float
    dilute(s.cap, p.other_holder, ipo_amount, ipo_pre, listing)
    s.valuation[...] = np.where(listing, ipo_pre + ipo_amount, s.valuation)
    s.last_post[...] = np.where(listing, ipo_pre + ipo_amount, s.last_post)
    s.listed[...] |= listing
    s.ipo_left[...] = np.where(waits, 1, np.where(due, -1, s.ipo_left))
    raised = np.where(listing, ipo_amount, 0.0)
    return Listing(filed, listing, pulled, raised, p.ipo.fee_share * raised)
