"""One quarter's decisions for every lab of W worlds, as arrays.

The session layer fills row 0 (the player's lab) from the player's actions; `rivals.policy`
fills the other rows. A field left at its neutral value means "no such decision this quarter".
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from game.engine.params import NO_ANSWER, NO_TERM, Params
from game.engine.state import State

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


@dataclass(frozen=True)
class Actions:
    """Decisions shaped (W, L, ...)."""

    raise_investor: I64  # (W, L) investor index or -1 for no round
    raise_amount: F  # (W, L) new money asked, $B
    raise_pre: F  # (W, L) pre-money valuation asked, $B
    raise_provider: I64  # (W, L) provider behind a cloud partner's cheque (lead or follower), or -1
    raise_follow: F  # (W, L, I) followers' cheques by investor type, $B; the lead writes the rest of raise_amount
    deal: I64  # (W, L, P) NO_ANSWER, DECLINE, ACCEPT or COUNTER
    counter_term: I64  # (W, L, P) index into COUNTER_TERMS, or NO_TERM
    restructure: B  # (W, L, P) pay to drop exclusivity and board seat with this provider
    order_own: F  # (W, L, O) GW of owned capacity ordered
    reserve_gw: F  # (W, L, P) GW of reserved capacity contracted
    reserve_term: I64  # (W, L, P) contract term, quarters
    spot_gw: F  # (W, L) GW of spot capacity requested for this quarter
    train_share: F  # (W, L) share of compute used for training
    compliance: F  # (W, L) compliance spend this quarter, $B
    loan_draw: F  # (W, L)
    loan_repay: F  # (W, L)
    ipo_file: B  # (W, L)

    def copy(self) -> Actions:
        return Actions(**{f.name: getattr(self, f.name).copy() for f in fields(self)})


def hold(params: Params, state: State) -> Actions:
    """Decisions that change nothing: no orders, no round, the current split and compliance."""
    w, n_l, n_p = state.worlds, params.n_labs, params.n_providers
    n_o = len(params.option_names)
    return Actions(
        raise_investor=np.full((w, n_l), -1, dtype=np.int64),
        raise_amount=np.zeros((w, n_l)),
        raise_pre=np.zeros((w, n_l)),
        raise_provider=np.full((w, n_l), -1, dtype=np.int64),
        raise_follow=np.zeros((w, n_l, params.n_investors)),
        deal=np.full((w, n_l, n_p), NO_ANSWER, dtype=np.int64),
        counter_term=np.full((w, n_l, n_p), NO_TERM, dtype=np.int64),
        restructure=np.zeros((w, n_l, n_p), dtype=bool),
        order_own=np.zeros((w, n_l, n_o)),
        reserve_gw=np.zeros((w, n_l, n_p)),
        reserve_term=np.full((w, n_l, n_p), 4, dtype=np.int64),
        spot_gw=np.zeros((w, n_l)),
        train_share=state.train_share.copy(),
        compliance=state.compliance.copy(),
        loan_draw=np.zeros((w, n_l)),
        loan_repay=np.zeros((w, n_l)),
        ipo_file=np.zeros((w, n_l), dtype=bool),
    )
