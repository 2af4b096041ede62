"""Reductions over a short last axis (labs, providers, options), done as explicit loops.

numpy's reductions along a short, innermost axis are slow on large arrays (a sum over 4
providers of 20,000 worlds costs about ten times the adds it needs). These helpers add, compare
or combine the slices one by one instead; for axes under eight elements the results are the same
numbers numpy's own sum gives, in the same order.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

S = TypeVar("S", bound=np.generic)


def _fold(x: NDArray[S], op: np.ufunc) -> NDArray[S]:
    """`op` applied slice by slice along the last axis, left to right: the first two slices
    combined into a new array, the rest folded into it in place (no copy of the first slice)."""
    n = x.shape[-1]
    if n == 1:
        return x[..., 0].copy()
    out: NDArray[S] = op(x[..., 0], x[..., 1])
    for i in range(2, n):
        op(out, x[..., i], out=out)
    return out


def sum_last(x: NDArray[S], keepdims: bool = False) -> NDArray[S]:
    out = _fold(x, np.add)
    return out[..., None] if keepdims else out


def max_last(x: NDArray[S], keepdims: bool = False) -> NDArray[S]:
    out = _fold(x, np.maximum)
    return out[..., None] if keepdims else out


def any_last(x: NDArray[np.bool_]) -> NDArray[np.bool_]:
    return _fold(x, np.logical_or)


def all_last(x: NDArray[np.bool_]) -> NDArray[np.bool_]:
    return _fold(x, np.logical_and)


def prod_last(x: NDArray[S]) -> NDArray[S]:
    return _fold(x, np.multiply)


def argmax_last(x: NDArray[S]) -> NDArray[np.int64]:
    """Index of the first largest element along the last axis (as numpy's argmax)."""
    best = x[..., 0].copy()
    idx = np.zeros(best.shape, dtype=np.int64)
    for i in range(1, x.shape[-1]):
        better = np.greater(x[..., i], best)
        best = np.where(better, x[..., i], best)
        idx[better] = i
    return idx
