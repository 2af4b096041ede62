"""The random numbers one quarter needs, drawn by name from the world keys.

`draw(params, state)` gives the real draws for the state's turn. `neutral(params, state)` gives the
draws a preview uses: no events, no regulatory action, average noise, and every round, counter
offer and listing succeeding (so a preview shows "if it closes"). Shapes never depend on how many
worlds there are beyond the leading axis.

Each stream is drawn the first time the quarter reads it: a quarter in which nobody counters an
offer or lists never pays for those draws. Every stream is keyed on its own name, so drawing it
later, or not at all, changes no other number.

The negotiated streams (a round's close, a counter-offer's answer, a listing's window and price)
are the counterparties' private view: they are keyed on the world and on an `attempt` key too. A
game loaded from a save plays on with a fresh attempt key (recorded in the save's history), so a
reload meets investors whose private view is drawn anew: what a failed ask showed on one line says
nothing on the next, and the preview's odds are the whole truth. Attempt 0 (no load) is the plain
world key, so a game never reloaded, and every batch of worlds, draws as before.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from game.engine import rng
from game.engine.params import Params
from game.engine.state import State

F = NDArray[np.float64]

N_OFFER_TERMS = 8
N_RIVAL_DRAWS = 2

NEUTRAL: dict[str, float] = {
    "supply": 0.0,
    "market": 0.0,
    "sentiment": 0.5,
    "round": 0.0,
    "counter": 0.0,
    "hazard": 1.0,
    "reg_kind": 0.0,
    "events": 1.0,
    "offers": 1.0,
    "rival": 1.0,
    "ipo": 0.5,
    "ipo_window": 1.0,
}
"""Each stream's value in a preview's calm quarter."""
NEGOTIATED = frozenset({"round", "counter", "ipo", "ipo_window"})
"""The streams a counterparty's private view decides: keyed on the attempt as well as the world."""


class Draws:
    """A quarter's draws for W worlds, each stream computed when first read.

    The keys and the turn are copied when the draws are made, so a step that moves the state on
    in place still reads the numbers of the quarter it began with.
    """

    def __init__(
        self,
        params: Params,
        state: State,
        offers: bool = True,
        calm: bool = False,
        attempt: NDArray[np.uint64] | None = None,
    ) -> None:
        self._keys = state.key.copy()
        # the negotiated streams' keys: the world's, salted by the attempt (xor 0 leaves them as they are)
        self._deal_keys = self._keys if attempt is None else self._keys ^ rng.attempt_salt(attempt)
        self._turn = state.turn.copy()
        self._n_l, self._n_p, self._n_e = params.n_labs, params.n_providers, len(params.event_ids)
        self._offers = offers
        self._calm = calm

    def _uniform(self, stream: str, shape: tuple[int, ...] = ()) -> F:
        if self._calm:
            return np.full((self._keys.shape[0], *shape), NEUTRAL[stream])
        keys = self._deal_keys if stream in NEGOTIATED else self._keys
        return rng.uniform(keys, self._turn, stream, shape)

    def _normal(self, stream: str) -> F:
        if self._calm:
            return np.full(self._keys.shape[0], NEUTRAL[stream])
        return rng.normal(self._keys, self._turn, stream)

    @cached_property
    def supply(self) -> F:  # (W,) normal
        return self._normal("supply")

    @cached_property
    def market(self) -> F:  # (W,) normal
        return self._normal("market")

    @cached_property
    def sentiment(self) -> F:  # (W,) uniform
        return self._uniform("sentiment")

    @cached_property
    def round(self) -> F:  # (W, L) uniform
        return self._uniform("round", (self._n_l,))

    @cached_property
    def counter(self) -> F:  # (W, L, P) uniform
        return self._uniform("counter", (self._n_l, self._n_p))

    @cached_property
    def hazard(self) -> F:  # (W, L) uniform
        return self._uniform("hazard", (self._n_l,))

    @cached_property
    def reg_kind(self) -> F:  # (W, L) uniform
        return self._uniform("reg_kind", (self._n_l,))

    @cached_property
    def events(self) -> F:  # (W, E) uniform
        return self._uniform("events", (self._n_e,))

    @cached_property
    def offers(self) -> F | None:
        """(N_OFFER_TERMS, W, L, P) uniform for the next turn's offers, a term at a time; None
        when this quarter draws no offers."""
        if not self._offers:
            return None
        if self._calm:
            return np.full((N_OFFER_TERMS, self._keys.shape[0], self._n_l, self._n_p), NEUTRAL["offers"])
        return rng.uniform_by_last(self._keys, self._turn, "offers", (self._n_l, self._n_p, N_OFFER_TERMS))

    @cached_property
    def rival(self) -> F:  # (W, L, N_RIVAL_DRAWS) uniform
        return self._uniform("rival", (self._n_l, N_RIVAL_DRAWS))

    @cached_property
    def ipo(self) -> F:  # (W, L) uniform
        return self._uniform("ipo", (self._n_l,))

    @cached_property
    def ipo_window(self) -> F:  # (W, L) uniform: whether a due listing's window holds
        return self._uniform("ipo_window", (self._n_l,))


def draw(params: Params, state: State, offers: bool = True, attempt: NDArray[np.uint64] | None = None) -> Draws:
    """This quarter's draws. `offers=False` skips the next quarter's cloud offers (for rollouts
    whose player never answers an offer: the offers would change nothing). `attempt` (W,) keys the
    negotiated streams of each world's line (0 or None: the world's own, a game never reloaded)."""
    return Draws(params, state, offers=offers, attempt=attempt)


def neutral(params: Params, state: State) -> Draws:
    """A calm quarter's draws, for previews."""
    return Draws(params, state, calm=True)
