"""Helper processes for big batches of futures: this process plays one share, helpers the others.

Rollouts are independent and their randomness is keyed, so a batch split into shares gives the
same futures whichever process plays each share, and the evaluation is the same number for number
with or without helpers. The helpers live in one pool per process, started on first use from a
fork server (a clean single-threaded process: the interface's threads are never forked) and kept
for later evaluations.

`FORTRESS_PROCESSES` sets how many processes a batch may use, this one included (1: no helpers);
the default is one per core this process may run on. If helpers cannot start (a locked-down
machine) or one dies, the batch is played here and later batches do not try again.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the pool's modules load on first use: `fortress` starts without them
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
A = TypeVar("A")

ENV = "FORTRESS_PROCESSES"

CHUNK = 8192
"""The most worlds a process steps at once. A bigger batch spends less per world on numpy's
per-call cost but spills out of the cache: on a 2-core machine, a quarter costs 8.7 us a world in
batches of 8,192 and 13.6 us in one batch of 100,000. A speed setting, not a model one: worlds are
independent, so any size gives the same numbers."""

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_broken = False


class ProcessesError(ValueError):
    """A `FORTRESS_PROCESSES` value that is not a whole number of at least 1."""


def processes() -> int:
    """How many processes a batch may use, this one included."""
    raw = os.environ.get(ENV, "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ProcessesError(
                f"The environment variable {ENV} is {raw!r}: it must be a whole number of processes, "
                "at least 1 (1 plays every batch of futures in this process, without helpers)."
            )
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not every platform can say which cores it may use
        return max(1, os.cpu_count() or 1)


def _get_pool(helpers: int) -> ProcessPoolExecutor | None:
    global _pool, _pool_size, _broken
    with _lock:
        if _broken or helpers < 1:
            return None
        if _pool is None or _pool_size != helpers:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            try:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["game.analysis.evaluate"])
                with _stderr_with_a_descriptor():
                    _pool = ProcessPoolExecutor(max_workers=helpers, mp_context=context)
                    _pool_size = helpers
                    # start the fork server and the helpers now, while stderr is one they can inherit
                    for job in [_pool.submit(os.getpid) for _ in range(helpers)]:
                        job.result()
            except Exception:  # no processes here (a sandbox, no semaphores): play batches alone
                _broken = True
                if _pool is not None:
                    _pool.shutdown(wait=False, cancel_futures=True)
                _pool = None
                return None
        return _pool


@contextlib.contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    """Starting processes passes stderr's file descriptor on; a full-screen interface replaces
    `sys.stderr` with an object that has none, so the process's own stderr stands in meanwhile."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    replaced, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = replaced


def shutdown() -> None:
    """Stop the helpers; the next batch starts them again, even after a failure."""
    global _pool, _broken
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
        _pool, _broken = None, False


def _give_up() -> None:
    global _pool, _broken
    with _lock:
        _broken = True
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


def shares(total: int, parts: int, unit: int) -> list[tuple[int, int]]:
    """Split `range(total)` into at most `parts` contiguous (start, stop) shares, each a whole
    number of `unit`s where it can be (so that every process plays full chunks)."""
    units = -(-total // unit) if total else 0
    parts = max(1, min(parts, units))
    bounds = [min(total, (units * k // parts) * unit) for k in range(parts + 1)]
    return [(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi > lo]


def chunks(total: int, size: int | None = None) -> list[tuple[int, int]]:
    """Split `range(total)` into as few contiguous (start, stop) chunks of at most `size` (default
    `CHUNK`) as possible, of near-equal sizes (10,000 worlds: two of 5,000, not 8,192 and 1,808)."""
    size = size or CHUNK
    return shares(total, -(-total // size), 1) if total else []


def run_shares(fn: Callable[[A], T], args: Sequence[A]) -> list[T]:
    """`[fn(a) for a in args]`, the first here and the others in helper processes when there
    are any; the results in the order of `args`. `fn` must be a module-level function."""
    if len(args) <= 1:
        return [fn(a) for a in args]
    pool = _get_pool(min(processes(), len(args)) - 1)
    pending: list[Future[T]] = []
    if pool is not None:
        try:
            pending = [pool.submit(fn, a) for a in args[1:]]
        except Exception:  # a pool that broke before this batch: play it here
            _give_up()
            pending = []
    first = fn(args[0])
    if not pending:
        return [first, *(fn(a) for a in args[1:])]
    out = [first]
    for a, job in zip(args[1:], pending, strict=True):
        try:
            out.append(job.result())
        except Exception:  # a helper died (killed, out of memory): this batch is played here
            _give_up()
            out.append(fn(a))
    return out


def warm() -> None:
    """Start the helpers now rather than at the first batch that needs them."""
    _get_pool(processes() - 1)
