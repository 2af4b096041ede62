"""Keyed randomness: every draw is a pure function of (world key, turn, stream, index).

Nothing here holds a stream that advances. A draw is a counter-based hash (the SplitMix64
finaliser, in wrapping uint64 numpy arithmetic) of the world's 64-bit key, the turn, a named
stream and the position in the draw. So world i of a batch sees exactly the numbers it would see
played alone, a replay can start at any turn, and two teams playing the same seed meet the same
market shocks whatever their own choices. World keys come from `numpy.random.SeedSequence`.
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.typing import NDArray

U64 = np.uint64
_GOLDEN = U64(0x9E3779B97F4A7C15)
_M1 = U64(0xBF58476D1CE4E5B9)
_M2 = U64(0x94D049BB133111EB)
_TURN = U64(0xD1B54A32D192ED03)
_S30, _S27, _S31, _S11 = U64(30), U64(27), U64(31), U64(11)
_TO_UNIT = 1.0 / float(1 << 53)


def _mix(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def seed_key(seed: int) -> np.uint64:
    """The 64-bit key of the world played with `seed` (any non-negative integer)."""
    state = np.random.SeedSequence(int(seed)).generate_state(1, dtype=np.uint64)
    return U64(state[0])


def seed_keys(seeds: NDArray[np.int64] | list[int]) -> NDArray[np.uint64]:
    """Keys for many seeds, world by world (the same as `seed_key` for each)."""
    return np.array([seed_key(int(s)) for s in seeds], dtype=np.uint64)


def derive_keys(key: np.uint64, count: int, salt: str) -> NDArray[np.uint64]:
    """`count` keys derived from one key (for rollouts branching from a single world)."""
    base = np.full(count, key, dtype=np.uint64) ^ U64(zlib.crc32(salt.encode()))
    idx = np.arange(1, count + 1, dtype=np.uint64)
    return _mix(_mix(base) + idx * _GOLDEN)


def attempt_salt(attempt: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """What an attempt key (a load's nonce, 0 for none) xors into the world keys: 0 for 0, else a
    mixed, never-zero value, so a world's line without loads keeps its keys."""
    a = np.asarray(attempt, dtype=np.uint64)
    return np.where(a == 0, U64(0), _mix(a * _GOLDEN) | U64(1))


def stream_id(name: str) -> np.uint64:
    """A stable number for a named stream."""
    return U64(zlib.crc32(name.encode("utf-8")))


def uniform(
    keys: NDArray[np.uint64], turn: NDArray[np.int64], stream: str, shape: tuple[int, ...] = ()
) -> NDArray[np.float64]:
    """Uniform draws in [0, 1) shaped (W, *shape), a function of key, turn and stream only."""
    n = int(np.prod(shape)) if shape else 1
    base = _mix(keys ^ _mix(turn.astype(np.uint64) * _TURN + stream_id(stream)))
    idx = np.arange(1, n + 1, dtype=np.uint64) * _GOLDEN
    z = _mix(base[:, None] + idx[None, :])
    out = (z >> _S11).astype(np.float64) * _TO_UNIT
    return out.reshape((keys.shape[0], *shape))


def uniform_by_last(
    keys: NDArray[np.uint64], turn: NDArray[np.int64], stream: str, shape: tuple[int, ...]
) -> NDArray[np.float64]:
    """The draws of `uniform(keys, turn, stream, shape)` with the last axis of `shape` first:
    (shape[-1], W, *shape[:-1]), contiguous, the same numbers. A caller that reads one term at a
    time over every world gets contiguous slabs without transposing them afterwards."""
    n = int(np.prod(shape))
    base = _mix(keys ^ _mix(turn.astype(np.uint64) * _TURN + stream_id(stream)))
    idx = np.ascontiguousarray((np.arange(1, n + 1, dtype=np.uint64) * _GOLDEN).reshape(-1, shape[-1]).T)
    z = _mix(base[None, :, None] + idx[:, None, :])
    out = (z >> _S11).astype(np.float64) * _TO_UNIT
    return out.reshape((shape[-1], keys.shape[0], *shape[:-1]))


def normal(
    keys: NDArray[np.uint64], turn: NDArray[np.int64], stream: str, shape: tuple[int, ...] = ()
) -> NDArray[np.float64]:
    """Standard normal draws (Box-Muller over two keyed uniforms)."""
    u1 = uniform(keys, turn, stream + "/1", shape)
    u2 = uniform(keys, turn, stream + "/2", shape)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
