"""State digests that are stable across machines.

A digest hashes every field of a state after rounding: floats to `PRECISION` in their own unit
($B, GW, shares, quarters), integers and booleans as they are, all as little-endian int64. Raw
float bytes are never hashed, because numpy promises identical results only on the same build
and CPUs may differ in the last bit.
"""

from __future__ import annotations

import hashlib

import numpy as np

from game.session.game import Game

PRECISION = 1e-6
"""Floats are rounded to this absolute precision before hashing."""


def state_digest(game: Game, state_index: int | None = None) -> str:
    """The digest of the game's current state (or of the state after turn `state_index`)."""
    arrays = game.state_arrays(state_index)
    h = hashlib.sha256()
    for name in sorted(arrays):
        value = np.asarray(arrays[name])
        if value.dtype.kind == "f":
            ints = np.rint(value / PRECISION).astype("<i8")
        elif value.dtype.kind in "biu":
            ints = value.astype("<i8")
        else:
            continue
        h.update(name.encode())
        h.update(str(ints.shape).encode())
        h.update(ints.tobytes())
    return h.hexdigest()[:32]
