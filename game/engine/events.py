"""Content events as data: named metrics, conditions on them, and effects on named targets.

An event fires at the end of a quarter when all its conditions hold and its keyed draw falls under
its chance. Conditions are (metric, operator, value) rows; effects are (target, op, value) rows,
compiled by the session layer into the tables in `Params`. Nothing is evaluated as code.
Everything is vectorised over worlds and events: (W, E) at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from game.engine.outcome import partner_stakes, player_dependency, total_gw, valuation_vs_rival
from game.engine.params import OPS, Params
from game.engine.small import all_last, max_last, sum_last
from game.engine.state import State
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


def metrics(p: Params, s: State, names: tuple[str, ...] = METRICS) -> F:
    """The metrics `names` (default: all) for the player's lab: (W, len(names))."""
    stakes = partner_stakes(p, s)[:, 0]
    arr = s.arr_hist[:, 0, -1]
    cols: dict[str, Callable[[], NDArray[np.floating] | np.floating]] = {
        "turn": lambda: s.turn.astype(np.float64),
        "turns_left": lambda: (p.n_turns - s.turn).astype(np.float64),
        "cash": lambda: s.cash[:, 0],
        "burn": lambda: s.burn[:, 0],
        "runway": lambda: s.runway[:, 0],
        "arr": lambda: arr,
        "growth": lambda: growth_yoy(s.arr_hist)[:, 0],
        "revenue": lambda: s.revenue[:, 0],
        "valuation": lambda: s.valuation[:, 0],
        "fair_value": lambda: s.fair[:, 0],
        "rival_valuation": lambda: others_max(s.valuation)[:, 0],
        "valuation_vs_rival": lambda: valuation_vs_rival(s)[:, 0],
        "capability": lambda: s.capability[:, 0],
        "capability_rel": lambda: s.capability[:, 0] / np.maximum(max_last(s.capability), 1e-9),
        "share": lambda: s.share[:, 0],
        "reliability": lambda: s.reliability[:, 0],
        "scarcity": lambda: s.scarcity,
        "sentiment": lambda: s.sentiment.astype(np.float64),
        "scrutiny": lambda: s.scrutiny[:, 0],
        "max_dependency": lambda: max_last(player_dependency(p, s)),
        "max_partner_stake": lambda: max_last(stakes),
        "exclusive": lambda: (s.exclusive[:, 0] >= 0).astype(np.float64),
        "board_seats": lambda: sum_last(s.board[:, 0].astype(np.float64)),
        "own_gw": lambda: sum_last(s.own[:, 0]),
        "total_gw": lambda: total_gw(s)[:, 0],
        "train_share": lambda: s.train_share[:, 0],
        "debt": lambda: s.debt[:, 0],
        "morale": lambda: s.morale[:, 0],
        "founders_stake": lambda: s.cap[:, 0, 0],
        "market_arr": lambda: s.market_arr,
        "confidence": lambda: s.confidence[:, 0],
        "investigation": lambda: s.invest_left[:, 0].astype(np.float64),
    }
    if not names:
        return np.zeros((s.worlds, 0))
    return np.stack([np.asarray(cols[name](), dtype=np.float64) for name in names], axis=-1)


def used_metrics(p: Params) -> tuple[str, ...]:
    """The metrics some event condition tests."""
    return tuple(METRICS[i] for i in sorted({int(i) for i in p.events.cond_metric.ravel() if i >= 0}))


_COMPARE = (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal)
assert len(_COMPARE) == len(OPS)


def conditions_hold(p: Params, m: F) -> B:
    """Whether every condition of each event holds: (W, E). `m` holds `used_metrics(p)`."""
    used = used_metrics(p)
    n_e, n_c = p.events.cond_metric.shape
    flat_metric = p.events.cond_metric.ravel()
    flat_op = p.events.cond_op.ravel()
    flat_value = p.events.cond_value.ravel()
    ok = np.ones((m.shape[0], n_e * n_c), dtype=bool)
    for k, compare in enumerate(_COMPARE):
        pos = np.flatnonzero((flat_op == k) & (flat_metric >= 0))
        if pos.size:
            cols = [used.index(METRICS[int(i)]) for i in flat_metric[pos]]
            ok[:, pos] = compare(m[:, cols], flat_value[pos][None, :])
    return all_last(ok.reshape(m.shape[0], n_e, n_c))


def fire(p: Params, s: State, m: F, u: F) -> B:
    """Which events happen this quarter: (W, E)."""
    eligible = conditions_hold(p, m) & ~(p.events.once[None] & (s.fired > 0))
    return eligible & (u < p.events.chance[None])


def effect_totals(p: Params, fired: B) -> tuple[F, F, F, B]:
    """Per target: total to add, factor to multiply, value to set and whether to set: (W, T) each.

    Effect tables are sparse (an event touches a few targets), so this loops over the events
    that happened anywhere and their non-neutral entries rather than multiplying full tables.
    """
    n_w, n_t = fired.shape[0], p.events.add.shape[1]
    add = np.zeros((n_w, n_t))
    mul = np.ones((n_w, n_t))
    set_sum = np.zeros((n_w, n_t))
    n_set = np.zeros((n_w, n_t))
    for e in np.flatnonzero(fired.any(axis=0)):
        f = fired[:, e]
        for t in np.flatnonzero(p.events.add[e] != 0.0):
            add[:, t] += np.where(f, p.events.add[e, t], 0.0)
        for t in np.flatnonzero(p.events.mul[e] != 1.0):
            mul[:, t] *= np.where(f, p.events.mul[e, t], 1.0)
        for t in np.flatnonzero(p.events.has_set[e]):
            set_sum[:, t] += np.where(f, p.events.set[e, t], 0.0)
            n_set[:, t] += f
    has_set = n_set > 0
    return add, mul, set_sum / np.maximum(n_set, 1.0), has_set
