"""Valuation, round closing chances and post-money dilution.

Fair value = ARR x multiple; the multiple follows the sentiment regime, growth, capability rank,
perception against the top rival and a regulatory discount. A round is a syndicate: a lead, who
sets the price, and followers of other investor types, each writing a cheque. Its chance to close
falls as the ask exceeds fair value (beyond what the lead tolerates) and as each type's cheque
outruns that type's pool (its appetite), so a round spread over several types closes more easily
than the same money from one. Dilution is textbook post-money arithmetic: new investors own
amount / (pre + amount) and every existing holder is scaled by pre / (pre + amount).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.params import Params
from game.engine.small import prod_last, sum_last

F = NDArray[np.float64]
I64 = NDArray[np.int64]


def others_max(x: F) -> F:
    """For each lab, the largest value among the other labs: (W, L) -> (W, L)."""
    n = x.shape[1]
    if n == 1:
        return x.copy()
    out = np.empty_like(x)
    for lab in range(n):
        others = [m for m in range(n) if m != lab]
        best = x[:, others[0]].copy()
        for m in others[1:]:
            np.maximum(best, x[:, m], out=best)
        out[:, lab] = best
    return out


def growth_yoy(arr_hist: F) -> F:
    """Year-on-year ARR growth: latest over four quarters ago, minus one."""
    oldest = np.maximum(arr_hist[..., 0], 1e-9)
    return arr_hist[..., -1] / oldest - 1.0


def multiple(p: Params, sentiment: I64, growth: F, rel_capability: F, vs_rival: F, scrutiny: F) -> F:
    """The ARR multiple the market pays: (W, L)."""
    base = p.sentiment.multiple[sentiment][:, None]
    g = np.clip(
        1.0 + p.valuation.growth_weight * (growth - p.valuation.growth_reference),
        p.valuation.growth_factor_min,
        p.valuation.growth_factor_max,
    )
    cap = np.maximum(rel_capability, 1e-6) ** p.valuation.capability_exponent
    per = np.maximum(vs_rival, 1e-6) ** p.valuation.perception_exponent
    reg = 1.0 - p.valuation.scrutiny_discount * scrutiny
    return np.maximum(base * g * cap * per * reg, p.valuation.min_multiple)


CLOSE_FACTORS = ("sentiment", "price", "size", "confidence", "regulator")
"""The factors a round's closing chance is the product of, in the order `close_factors` gives."""


def cheques(p: Params, investor: I64, amount: F, follow: F | None = None) -> F:
    """Each investor type's cheque in each round, (..., I): the followers' as `follow` gives them
    (none if None), the lead (`investor`, -1 for no round) writing the rest of `amount`."""
    n = p.n_investors
    out = np.zeros((*np.shape(amount), n)) if follow is None else np.array(follow, dtype=np.float64)
    lead = np.maximum(amount - sum_last(out), 0.0)
    is_lead = (np.arange(n) == investor[..., None]) & (investor >= 0)[..., None]
    return np.asarray(out + np.where(is_lead, lead[..., None], 0.0), dtype=np.float64)


def _blend(p: Params, per_type: F, investor: I64, amount: F, follow: F | None) -> F:
    """A per-type figure (I,) for each round, weighted by the cheques: the lead's own figure when
    no one follows (exactly, not up to rounding), else the cheque-weighted mean."""
    lead = per_type[np.where(investor >= 0, investor, 0)]
    if follow is None:
        return np.asarray(lead, dtype=np.float64)
    c = cheques(p, investor, amount, follow)
    total = np.maximum(sum_last(c), 1e-12)
    return np.asarray(lead + sum_last(c * (per_type - lead[..., None])) / total, dtype=np.float64)


def close_factors(
    p: Params,
    investor: I64,
    amount: F,
    pre: F,
    fair: F,
    sentiment: I64,
    confidence: F,
    info_open: NDArray[np.bool_],
    mult: F | float | None = None,
    follow: F | None = None,
) -> F:
    """The factors of a round's closing chance, (W, L, len(CLOSE_FACTORS)), for the syndicate of
    lead `investor` and followers' cheques `follow` (..., I) (none if None): the market's mood as
    each type feels it (weighted by cheque), the lead's view of the price, and each type's
    appetite for its own cheque. The difficulty's multiplier (`mult`, by default the player's)
    applies to the player's rounds; rivals raise in the scenario's own market whatever the
    difficulty."""
    i = np.where(investor >= 0, investor, 0)
    m = p.rounds.close_mult if mult is None else mult
    sensitivity = _blend(p, p.investors.sentiment_sensitivity, investor, amount, follow)
    base = p.sentiment.base_close[sentiment][:, None] ** sensitivity * m
    premium = pre / np.maximum(fair, 1e-9) - 1.0
    over = np.maximum(0.0, premium - p.investors.premium_tolerance[i])  # the lead sets the price
    ask = np.exp(-p.rounds.ask_slope * over)
    # each type's appetite: its cheque against its pool (one type alone: amount against its pool)
    each = cheques(p, investor, amount, follow) / p.investors.pool
    size = prod_last(1.0 / (1.0 + each**p.rounds.size_exponent))
    info = np.where(info_open, 1.0 - p.rounds.info_request_penalty, 1.0)
    return np.stack([base, ask, size, np.maximum(confidence, 0.0), info], axis=-1)


def close_chance(
    p: Params,
    investor: I64,
    amount: F,
    pre: F,
    fair: F,
    sentiment: I64,
    confidence: F,
    info_open: NDArray[np.bool_],
    mult: F | float | None = None,
    follow: F | None = None,
) -> F:
    """Chance a round (a lead `investor` and followers' cheques `follow`) closes: (W, L). Zero
    where there is no round."""
    factors = close_factors(p, investor, amount, pre, fair, sentiment, confidence, info_open, mult, follow)
    chance = prod_last(factors)
    has = (investor >= 0) & (amount > 0) & (pre > 0)
    return np.where(has, np.clip(chance, 0.0, p.rounds.max_close), 0.0)


def dilute(cap: F, holder: I64 | int, amount: F, pre: F, closes: NDArray[np.bool_]) -> None:
    """Issue new money `amount` at `pre` to `holder` where `closes`, in the cap table `cap` (W, L, K)
    (in place): new investors own amount / (pre + amount), every holder before them is scaled by
    pre / (pre + amount). Only the rows that close are touched.

    `holder` is one holder index for every world and lab, or an array of them. A close with neither
    money nor a company before it (pre + amount = 0) changes nobody's share.
    """
    w_i, l_i = np.nonzero(closes & (pre + amount > 0))
    if w_i.size == 0:
        return
    pre_i, amount_i = pre[w_i, l_i], amount[w_i, l_i]
    post = pre_i + amount_i
    rows = cap[w_i, l_i] * (pre_i / post)[:, None]
    who = np.full(w_i.size, holder) if isinstance(holder, (int, np.integer)) else holder[w_i, l_i]
    rows[np.arange(w_i.size), who] += amount_i / post
    cap[w_i, l_i] = rows


NOTE_SHARE_MAX = 0.999
"""A numerical guard: notes larger than the company at their conversion price take at most this
share of it (their holders own nearly everything; the arithmetic stays finite)."""


def breadth(p: Params, investor: I64, amount: F, follow: F | None = None) -> F:
    """How far a round's price speaks for the whole company, per unit of share sold: the credit the
    market gives its buyers' price (`mark_weight`, weighted by cheque) times one plus
    `breadth_step` for each investor type beyond the first. A round from one financial investor
    type is 1."""
    credit = _blend(p, p.investors.mark_weight, investor, amount, follow)
    if follow is None:
        return credit
    kinds = sum_last((cheques(p, investor, amount, follow) > 0).astype(np.float64))
    return np.asarray(credit * (1.0 + p.rounds.breadth_step * np.maximum(kinds - 1.0, 0.0)), dtype=np.float64)


def issue(cap: F, money: F, pre: F, closes: NDArray[np.bool_]) -> None:
    """Issue new money `money` (W, L, K), by holder, at `pre` where `closes`, in the cap table `cap`
    (W, L, K) (in place): each new holder owns its money / post-money, every holder before them
    is scaled by pre / post-money. Only the rows that close are touched."""
    w_i, l_i = np.nonzero(closes)
    if w_i.size == 0:
        return
    pre_i, money_i = pre[w_i, l_i], money[w_i, l_i]
    post = pre_i + sum_last(money_i)
    cap[w_i, l_i] = cap[w_i, l_i] * (pre_i / post)[:, None] + money_i / post[:, None]


def convert_notes(cap: F, notes: F, value: F, converts: NDArray[np.bool_], provider_holders: I64) -> F:
    """Convert provider notes into shares where `converts` (W, L, P), each at its own conversion
    valuation `value` (W, L, P), in the cap table `cap` (W, L, K); returns the new table.

    A note owed N that converts at valuation V takes N / V of the company as it stands before any
    new money (the price counts the shares the notes turn into), so its holder gets shares worth
    N / (1 - discount) at the round's price whatever the note's size: the discount does not shrink
    as the note grows. Every other holder is scaled down alike; ownership still sums to one.
    """
    owed = np.where(converts, notes, 0.0)
    frac = owed / np.maximum(value, 1e-12)
    total = sum_last(frac)
    frac *= np.where(total > NOTE_SHARE_MAX, NOTE_SHARE_MAX / np.maximum(total, 1e-12), 1.0)[..., None]
    out = cap * (1.0 - sum_last(frac))[..., None]
    out[..., provider_holders] += frac
    return out
