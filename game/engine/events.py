"""Content events as data: named metrics, conditions on them, and effects on named targets.

An event fires at the end of a quarter when all its conditions hold and its keyed draw falls under
its chance. Conditions are (metric, operator, value) rows; effects are (target, op, value) rows,
compiled by the session layer into the tables in `Params`. Nothing is evaluated as code.
Everything is vectorised over worlds and events: (W, E) at once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.params import OPS, Params
from game.engine.state import State
from game.engine.outcome import dependency, partner_stakes, total_gw, valuation_vs_rival
from game.engine.valuation import growth_yoy, others_max

F = NDArray[np.float64]
B = NDArray[np.bool_]

METRICS: tuple[str, ...] = (
    "turn",
    "turns_left",
    "cash",
    "burn",
    "runway",
    "arr",
    "growth",
    "revenue",
    "valuation",
    "fair_value",
    "rival_valuation",
    "valuation_vs_rival",
    "capability",
    "capability_rel",
    "share",
    "reliability",
    "scarcity",
    "sentiment",
    "scrutiny",
    "max_dependency",
    "max_partner_stake",
    "exclusive",
    "board_seats",
    "own_gw",
    "total_gw",
    "train_share",
    "debt",
    "morale",
    "founders_stake",
    "market_arr",
    "confidence",
    "investigation",
)
"""Names an event condition may test, all measured for the player's lab (sentiment: 0 bust,
1 neutral, 2 boom; exclusive: 1 if a partner has exclusivity)."""

TARGETS: dict[str, frozenset[str]] = {
    "cash": frozenset({"add"}),
    "capability": frozenset({"add", "mul"}),
    "rival_capability": frozenset({"add", "mul"}),
    "scrutiny": frozenset({"add"}),
    "sentiment": frozenset({"set", "add"}),
    "supply": frozenset({"mul"}),
    "chip_lead": frozenset({"add"}),
    "dc_lead": frozenset({"add"}),
    "market_arr": frozenset({"mul"}),
    "share": frozenset({"mul"}),
    "morale": frozenset({"add"}),
    "own_gw": frozenset({"mul"}),
    "compute_cost": frozenset({"mul"}),
    "revenue_per_gw": frozenset({"mul"}),
    "confidence": frozenset({"add"}),
    "other_demand": frozenset({"mul"}),
    "investigation": frozenset({"set"}),
    "info_request": frozenset({"set"}),
}
"""Names an event effect may change, with the operations each allows. `supply`, `chip_lead` and
`dc_lead` are shocks that fade; `compute_cost` applies to the next quarter's bills only."""

TARGET_NAMES: tuple[str, ...] = tuple(TARGETS)


def metrics(p: Params, s: State) -> F:
    """Every metric for the player's lab: (W, len(METRICS))."""
    stakes = partner_stakes(p, s)[:, 0]
    arr = s.arr_hist[:, 0, -1]
    cols = {
        "turn": s.turn.astype(np.float64),
        "turns_left": (p.n_turns - s.turn).astype(np.float64),
        "cash": s.cash[:, 0],
        "burn": s.burn[:, 0],
        "runway": s.runway[:, 0],
        "arr": arr,
        "growth": growth_yoy(s.arr_hist)[:, 0],
        "revenue": s.revenue[:, 0],
        "valuation": s.valuation[:, 0],
        "fair_value": s.fair[:, 0],
        "rival_valuation": others_max(s.valuation)[:, 0],
        "valuation_vs_rival": valuation_vs_rival(s)[:, 0],
        "capability": s.capability[:, 0],
        "capability_rel": s.capability[:, 0] / np.maximum(s.capability.max(axis=1), 1e-9),
        "share": s.share[:, 0],
        "reliability": s.reliability[:, 0],
        "scarcity": s.scarcity,
        "sentiment": s.sentiment.astype(np.float64),
        "scrutiny": s.scrutiny[:, 0],
        "max_dependency": dependency(p, s)[:, 0].max(axis=-1),
        "max_partner_stake": stakes.max(axis=-1),
        "exclusive": (s.exclusive[:, 0] >= 0).astype(np.float64),
        "board_seats": s.board[:, 0].sum(axis=-1).astype(np.float64),
        "own_gw": s.own[:, 0].sum(axis=-1),
        "total_gw": total_gw(s)[:, 0],
        "train_share": s.train_share[:, 0],
        "debt": s.debt[:, 0],
        "morale": s.morale[:, 0],
        "founders_stake": s.cap[:, 0, 0],
        "market_arr": s.market_arr,
        "confidence": s.confidence[:, 0],
        "investigation": s.invest_left[:, 0].astype(np.float64),
    }
    return np.stack([cols[name] for name in METRICS], axis=-1)


def conditions_hold(p: Params, m: F) -> B:
    """Whether every condition of each event holds: (W, E)."""
    idx = np.maximum(p.ev_cond_metric, 0)  # (E, C)
    vals = m[:, idx]  # (W, E, C)
    ref = p.ev_cond_value[None]
    op = p.ev_cond_op[None]
    results = [vals < ref, vals <= ref, vals > ref, vals >= ref, np.isclose(vals, ref), ~np.isclose(vals, ref)]
    ok = np.select([op == i for i in range(len(OPS))], results, default=True)
    ok = np.where(p.ev_cond_metric[None] < 0, True, ok)
    return np.asarray(ok.all(axis=-1))


def fire(p: Params, s: State, m: F, u: F) -> B:
    """Which events happen this quarter: (W, E)."""
    eligible = conditions_hold(p, m) & ~(p.ev_once[None] & (s.fired > 0))
    return eligible & (u < p.ev_chance[None])


def effect_totals(p: Params, fired: B) -> tuple[F, F, F, B]:
    """Per target: total to add, factor to multiply, value to set and whether to set: (W, T) each."""
    f = fired.astype(np.float64)
    add = f @ p.ev_add
    mul = np.exp(f @ np.log(p.ev_mul))
    n_set = f @ p.ev_has_set.astype(np.float64)
    has_set = n_set > 0
    set_val = (f @ (p.ev_set * p.ev_has_set)) / np.maximum(n_set, 1.0)
    return add, mul, set_val, has_set
