"""The random numbers one quarter needs, drawn by name from the world keys.

`draw(params, state)` gives the real draws for the state's turn. `neutral(params, state)` gives the
draws a preview uses: no events, no regulatory action, average noise, and every round, counter
offer and listing succeeding (so a preview shows "if it closes"). Shapes never depend on how many
worlds there are beyond the leading axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine import rng
from game.engine.params import Params
from game.engine.state import State

F = NDArray[np.float64]

N_OFFER_TERMS = 8
N_RIVAL_DRAWS = 2


@dataclass(frozen=True)
class Draws:
    supply: F  # (W,) normal
    market: F  # (W,) normal
    sentiment: F  # (W,) uniform
    round: F  # (W, L) uniform
    counter: F  # (W, L, P) uniform
    hazard: F  # (W, L) uniform
    reg_kind: F  # (W, L) uniform
    events: F  # (W, E) uniform
    offers: F | None  # (N_OFFER_TERMS, W, L, P) uniform for the next turn's offers, a term at a time; None: none
    rival: F  # (W, L, N_RIVAL_DRAWS) uniform
    ipo: F  # (W, L) uniform


def draw(params: Params, state: State, offers: bool = True) -> Draws:
    """This quarter's draws. `offers=False` skips the next quarter's cloud offers (for rollouts
    whose player never answers an offer: the offers would change nothing)."""
    k, t = state.key, state.turn
    n_l, n_p, n_e = params.n_labs, params.n_providers, len(params.event_ids)
    return Draws(
        supply=rng.normal(k, t, "supply"),
        market=rng.normal(k, t, "market"),
        sentiment=rng.uniform(k, t, "sentiment"),
        round=rng.uniform(k, t, "round", (n_l,)),
        counter=rng.uniform(k, t, "counter", (n_l, n_p)),
        hazard=rng.uniform(k, t, "hazard", (n_l,)),
        reg_kind=rng.uniform(k, t, "reg_kind", (n_l,)),
        events=rng.uniform(k, t, "events", (n_e,)),
        offers=rng.uniform_by_last(k, t, "offers", (n_l, n_p, N_OFFER_TERMS)) if offers else None,
        rival=rng.uniform(k, t, "rival", (n_l, N_RIVAL_DRAWS)),
        ipo=rng.uniform(k, t, "ipo", (n_l,)),
    )


def neutral(params: Params, state: State) -> Draws:
    w, n_l, n_p, n_e = state.worlds, params.n_labs, params.n_providers, len(params.event_ids)
    return Draws(
        supply=np.zeros(w),
        market=np.zeros(w),
        sentiment=np.full(w, 0.5),
        round=np.zeros((w, n_l)),
        counter=np.zeros((w, n_l, n_p)),
        hazard=np.ones((w, n_l)),
        reg_kind=np.zeros((w, n_l)),
        events=np.ones((w, n_e)),
        offers=np.ones((N_OFFER_TERMS, w, n_l, n_p)),
        rival=np.ones((w, n_l, N_RIVAL_DRAWS)),
        ipo=np.full((w, n_l), 0.5),
    )
