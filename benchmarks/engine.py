"""Benchmarks of the vectorised engine and the evaluation, each printing its figures.

Run: `.venv/bin/python benchmarks/engine.py [--quick]`.

1. One quarter for one world (what a player waits for after "end turn"): median.
2. Evaluation of 10,000 rollouts of a 16-quarter game from its first quarter, in one process and
   in as many as there are cores (the evaluation's default; `FORTRESS_PROCESSES` sets it).
3. Throughput at 100,000 worlds, against a bare numpy floor measured in the same run (200
   element-wise operations over 40 arrays of the same length per "quarter").
4. Batch gain: 10,000 games as one batch against the same games one world at a time.
5. Peak memory of the 100,000-world run as one batch, how it grows with the number of worlds, and
   the peak when the same worlds are stepped a chunk at a time.

Batches are stepped a chunk of `parallel.CHUNK` worlds at a time, as the product's batch paths do;
figure 3 also gives the rate of the same worlds as one batch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from game.analysis import parallel
from game.analysis.evaluate import evaluate
from game.engine import draws, rng
from game.engine.actions import hold
from game.engine.init import Start, initial_state
from game.engine.params import Params
from game.engine.step import step
from game.session.build import build, load_content

SCENARIO = "fortress-2026"


def setup() -> tuple[Params, Start]:
    pack = load_content()
    return build(pack, pack.scenario(SCENARIO), pack.difficulty("normal"))


def play(p: Params, start: Start, worlds: int, seed: int = 1, chunk: int = parallel.CHUNK) -> float:
    """Play `worlds` whole games (everyone holding) in this process; return the seconds spent
    stepping them. They are stepped as the product's batch paths step theirs: a chunk of worlds at
    a time (`parallel.chunks`), in place, with no cloud offers drawn (nobody here answers one)."""
    keys = rng.derive_keys(rng.seed_key(seed), worlds, "bench")
    return _step_keys((p, start, keys, chunk))


def _step_keys(job: tuple[Params, Start, np.ndarray, int]) -> float:
    """Seconds spent stepping the games keyed by `keys` to their end, `chunk` worlds at a time
    (setting up each chunk's worlds is left out), in any process."""
    p, start, keys, chunk = job
    seconds = 0.0
    for lo, hi in parallel.chunks(keys.shape[0], chunk):
        s = initial_state(p, start, keys[lo:hi])
        t = time.perf_counter()
        while not s.done.all():
            s, _ = step(p, s, hold(p, s), draws.draw(p, s, offers=False), in_place=True)
        seconds += time.perf_counter() - t
    return seconds


def play_shared(p: Params, start: Start, worlds: int, seed: int = 1) -> float:
    """The games of `play`, a share per process; seconds from handing them out to the last result
    (setting up each chunk's worlds included, which `play` leaves out)."""
    keys = rng.derive_keys(rng.seed_key(seed), worlds, "bench")
    jobs = [(p, start, keys[lo:hi], parallel.CHUNK) for lo, hi in parallel.shares(worlds, parallel.processes(), 1)]
    t = time.perf_counter()
    parallel.run_shares(_step_keys, jobs)
    return time.perf_counter() - t


FLOOR_OPS = 200


def bare_floor(worlds: int, quarters: int) -> float:
    """World-quarters a second for FLOOR_OPS element-wise operations over 40 arrays a quarter."""
    gen = np.random.default_rng(0)
    arrays = [gen.random(worlds) for _ in range(40)]
    t = time.perf_counter()
    for _ in range(quarters):
        for k in range(FLOOR_OPS):
            a, b = arrays[k % 40], arrays[(k * 7 + 3) % 40]
            arrays[k % 40] = a * 0.999 + b * 0.001
    return worlds * quarters / (time.perf_counter() - t)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller runs (for a smoke test)")
    args = parser.parse_args()
    big = 20_000 if args.quick else 100_000
    batch = 2_000 if args.quick else 10_000
    p, start = setup()
    pack = load_content()
    print(f"machine: {os.cpu_count()} cores, numpy {np.__version__}, python {sys.version.split()[0]}")

    one = initial_state(p, start, rng.seed_keys([7]))
    quarter = timed(lambda: step(p, one, hold(p, one), draws.draw(p, one)), 300)
    print(f"1. one quarter, one world: median {statistics.median(quarter) * 1000:.2f} ms (target < 5 ms)")

    ref = pack.rules.judgement.reference
    cores = parallel.processes()
    figures = []
    for count in sorted({1, cores}):
        os.environ[parallel.ENV] = str(count)
        evaluate(p, one, ref, 10_000)  # warm up (and start the helpers)
        runs = timed(lambda: evaluate(p, one, ref, 10_000), 5)
        figures.append(f"{count} process{'es' if count > 1 else ''} {statistics.median(runs):.2f} s")
    print(
        f"2. evaluation, 10,000 rollouts of {p.n_turns} quarters from the first, median: {'; '.join(figures)} (target < 0.5 s)"
    )

    seconds = play(p, start, big)
    rate = big * p.n_turns / seconds
    floor = bare_floor(big, 4)
    whole = big * p.n_turns / play(p, start, big, chunk=big)
    print(
        f"3. throughput at {big:,} worlds: {rate / 1e6:.2f} M world-quarters/s in one process, {parallel.CHUNK:,} "
        f"worlds at a time (target 2 M); {whole / 1e6:.2f} M/s as one batch of {big:,}; bare numpy floor "
        f"{floor / 1e6:.2f} M/s; the engine runs at {rate / floor:.1%} of the floor: a world-quarter takes as long "
        f"as {FLOOR_OPS * floor / rate:,.0f} of the floor's operations"
    )
    if cores > 1:
        os.environ[parallel.ENV] = str(cores)
        shared = big * p.n_turns / play_shared(p, start, big)
        print(f"   in {cores} processes, a share of the worlds each: {shared / 1e6:.2f} M world-quarters/s")

    batched = play(p, start, batch)
    sample = 200 if args.quick else 500
    single = sum(play(p, start, 1, seed=k) for k in range(sample)) / sample * batch
    print(
        f"4. batch gain: {batch:,} games as one batch {batched:.2f} s; one world at a time "
        f"{single:.1f} s (extrapolated from {sample}); ratio {single / batched:.0f}x (aim 300x)"
    )

    def peak(worlds: int, chunk: int) -> int:
        tracemalloc.start()
        play(p, start, worlds, chunk=chunk)
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top

    peaks = [(worlds, peak(worlds, worlds)) for worlds in (big // 4, big // 2, big)]
    per_world = [top / w for w, top in peaks]
    print(
        "5. peak memory as one batch: "
        + ", ".join(f"{w:,} worlds {top / 1e6:.0f} MB" for w, top in peaks)
        + f"; {per_world[-1] / 1e3:.1f} kB per world (linear if these agree: "
        + ", ".join(f"{x / 1e3:.1f}" for x in per_world)
        + f"); {big:,} worlds {parallel.CHUNK:,} at a time: {peak(big, parallel.CHUNK) / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main()
