"""The state of W worlds: one frozen dataclass of numpy arrays, worlds axis first.

A player's game is W = 1. Lab quantities are shaped (W, L) with the player's lab at index 0;
provider contracts (W, L, P); owned capacity (W, L, O); the order pipeline (W, L, O, H) where H is
the longest lead time; the cap table (W, L, K). `State.copy()` gives an independent copy; the
engine never changes a state it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]
U = NDArray[np.uint64]


@dataclass(frozen=True)
class State:
    """Everything that changes during a game, for W worlds at once."""

    key: U  # (W,) world keys: all randomness derives from them
    turn: I64  # (W,) quarters played
    done: B  # (W,)
    outcome: I64  # (W,) PLAYING or an outcome code
    sentiment: I64  # (W,) BUST, NEUTRAL, BOOM

    market_arr: F  # (W,) yearly spending on frontier AI, $B
    market_growth: F  # (W,) this quarter's underlying growth rate
    others_attr: F  # (W,) attractiveness of everyone outside the modelled labs
    supply_gw: F  # (W,) global cloud AI capacity
    other_demand_gw: F  # (W,)
    supply_shock: F  # (W,) multiplier on supply, recovering to 1
    chip_lead_extra: F  # (W,) extra quarters on chip orders, fading
    dc_lead_extra: F  # (W,) extra quarters on data-centre builds, fading
    scarcity: F  # (W,)
    revenue_per_gw: F  # (W,) $B a quarter per inference GW
    cost_shock: F  # (W,) multiplier on next quarter's compute bills
    fired: I64  # (W, E) times each event has happened

    cash: F  # (W, L)
    revenue: F  # (W, L) last quarter
    costs: F  # (W, L) last quarter, everything paid
    burn: F  # (W, L) last quarter's operating burn (costs other than CapEx, minus revenue; at least 0)
    runway: F  # (W, L) quarters until cash runs out at that burn plus the CapEx already scheduled (capped)
    demand: F  # (W, L) last quarter's demand, $B
    arr_hist: F  # (W, L, 5) ARR now and in each of the last four quarters, oldest first
    capability: F  # (W, L)
    morale: F  # (W, L) 1 = normal
    confidence: F  # (W, L) investor confidence, 1 = normal
    share: F  # (W, L) market share
    brand: F  # (W, L) fitted constant so that starting shares hold
    reliability: F  # (W, L) share of demand served last quarter
    own: F  # (W, L, O) owned capacity online, GW
    pipe: F  # (W, L, O, H) owned capacity arriving in h+1 quarters
    capex_due: F  # (W, L, H) capital payments due in h+1 quarters
    assets: F  # (W, L) depreciated value of owned capacity
    reserved_gw: F  # (W, L, P)
    reserved_price: F  # (W, L, P) $B per GW-quarter
    reserved_ends: F  # (W, L, P, T) GW of reserved contracts by the quarter they end in (engine.contracts)
    commit_q: F  # (W, L, P) committed spend per quarter (take-or-pay)
    commit_ends: F  # (W, L, P, T) committed spend per quarter, by the quarter it ends in
    credits: F  # (W, L, P) compute credits left, $B
    board: B  # (W, L, P)
    exclusive: I64  # (W, L) provider index or -1
    cap: F  # (W, L, K) ownership fractions
    valuation: F  # (W, L) the market's current valuation
    last_post: F  # (W, L) post-money of the last priced round
    fair: F  # (W, L) fair value: ARR x multiple
    debt: F  # (W, L)
    notes: F  # (W, L, P) convertible notes outstanding (principal plus interest)
    note_principal: F  # (W, L, P) the money the notes lent
    note_cap: F  # (W, L, P) each note's valuation cap, $B
    note_due: I64  # (W, L, P) the quarter (turn) each note matures, -1 without a note
    scrutiny: F  # (W, L) 0..1
    info_left: I64  # (W, L) quarters an information request still slows rounds
    invest_left: I64  # (W, L) quarters an investigation still freezes deals
    ipo_left: I64  # (W, L) quarters to listing, -1 if not filed
    listed: B  # (W, L)
    train_share: F  # (W, L)
    compliance: F  # (W, L) compliance spend per quarter
    opex_fixed: F  # (W, L)
    founders_start: F  # (W, L)

    offer_on: B  # (W, L, P) an offer is on the table this turn
    offer_invest: F  # (W, L, P)
    offer_pre: F  # (W, L, P) pre-money valuation the investment is priced at
    offer_gw: F  # (W, L, P) reserved capacity
    offer_price: F  # (W, L, P) $B per GW-quarter
    offer_term: I64  # (W, L, P)
    offer_commit: F  # (W, L, P) committed spend per quarter
    offer_exclusive: B  # (W, L, P)
    offer_board: B  # (W, L, P)
    offer_convertible: B  # (W, L, P)

    @property
    def worlds(self) -> int:
        return int(self.cash.shape[0])

    def copy(self) -> State:
        return State(**{f.name: getattr(self, f.name).copy() for f in fields(self)})

    def world(self, i: int) -> State:
        """World i alone, as a state with W = 1."""
        return State(**{f.name: getattr(self, f.name)[i : i + 1].copy() for f in fields(self)})

    def arrays(self) -> dict[str, NDArray[np.generic]]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def rows(state: State, idx: NDArray[np.intp]) -> State:
    """Worlds `idx` of a state, copied."""
    return State(**{f.name: getattr(state, f.name)[idx] for f in fields(state)})


def put_rows(state: State, idx: NDArray[np.intp], values: State) -> None:
    """Write `values` (a state of len(idx) worlds) into worlds `idx` of `state`, in place."""
    for f in fields(state):
        getattr(state, f.name)[idx] = getattr(values, f.name)


def concat(states: list[State]) -> State:
    """Stack worlds from several states into one."""
    return State(**{f.name: np.concatenate([getattr(s, f.name) for s in states]) for f in fields(State)})
