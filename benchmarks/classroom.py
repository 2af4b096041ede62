"""Judgement at classroom speed: every figure a teacher or a player waits for, beside its goal.

Run: `.venv/bin/python benchmarks/classroom.py [--quick]` on an otherwise idle machine (its
figures are times). In one run it measures:

1. the class debrief: `fortress debrief DIR --judge --out report.html` on a class of 30 teams
   (saves it makes itself through the API in a temporary folder), 16 quarters of fortress-2026;
2. the same folder then written `--out report.csv` (its judgements are stored beside the saves);
3. `fortress analyse` of one 16-quarter save;
4. an evaluation of 10,000 futures of 16 quarters, in one process per core;
5. one quarter for one world;
6. engine throughput at 20,000 worlds, a share per core;
7. memory per world (peak of one batch of 20,000 worlds, divided by the worlds);
8. a fresh process's first evaluation (the dashboard's), helpers and any compiling included;
9. script to title screen against a bare Textual app (`benchmarks/startup.py`).

The class: six bots (`passive`, `reckless`, `loyalist`, `multicloud`, `frugal`, `reference`) in
one world, team k playing bot k mod 6 and switching to another bot at a quarter that depends on
k, so that teams share their opening and then part, as a class does. `--quick` makes a class of
6 and runs each figure fewer times (a smoke test; the goals are for the full class).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import play, play_shared, setup, timed
from startup import run_once

from game.analysis import parallel
from game.analysis.evaluate import evaluate
from game.analysis.policies import POLICIES
from game.engine import draws, rng
from game.engine.actions import hold
from game.engine.init import initial_state
from game.engine.step import step
from game.saves.store import SaveStore
from game.session.build import load_content
from game.session.game import Game

SCENARIO = "fortress-2026"
SEED = 2026
CLASS_BOTS = ("passive", "reckless", "loyalist", "multicloud", "frugal", "reference")

FIRST = """
import sys, time
t0 = time.perf_counter()
from game.analysis.evaluate import evaluate
from game.session.build import load_content
from game.session.game import Game
pack = load_content()
game = Game.new(pack, "fortress-2026", "normal", 1)
rules = pack.rules.judgement
evaluate(game.params, game.state, rules.reference, rules.live_rollouts, 0, game.plan([]))
print(time.perf_counter() - t0)
"""


def make_class(folder: Path, teams: int) -> list[Path]:
    """`teams` saves of one world, played to the end by the class's bots."""
    pack = load_content()
    store = SaveStore(folder)
    paths = []
    for k in range(teams):
        first = CLASS_BOTS[k % len(CLASS_BOTS)]
        then = CLASS_BOTS[(k + 1 + k // len(CLASS_BOTS)) % len(CLASS_BOTS)]
        switch = 2 + 3 * (k // len(CLASS_BOTS))
        game = Game.new(pack, SCENARIO, "normal", SEED, f"Team {k + 1:02d} {first}-{then}")
        while not game.over:
            POLICIES[first if game.turn < switch else then](game)
            game.end_turn()
        paths.append(store.save(game, f"team-{k + 1:02d}"))
    return paths


def fortress(*args: str) -> float:
    """Seconds the `fortress` command takes, launch to exit."""
    command = [str(Path(sys.executable).with_name("fortress")), *args]
    t = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - t


def row(what: str, value: str, goal: str, met: bool | None) -> None:
    mark = "" if met is None else ("  ok" if met else "  MISSED")
    print(f"{what:<58} {value:>14}   goal {goal:<12}{mark}", flush=True)


def median(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(fn, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a class of 6 and fewer runs (a smoke test)")
    args = parser.parse_args()
    teams = 6 if args.quick else 30
    runs = 2 if args.quick else 5
    worlds = 20_000
    cores = parallel.processes()
    print(f"machine: {os.cpu_count()} cores ({cores} used), python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        saves = make_class(folder, teams)
        html = fortress("debrief", str(folder), "--judge", "--out", str(Path(tmp) / "report.html"))
        row(
            f"1. debrief --judge --out report.html, {teams} teams x 16 quarters", f"{html:.1f} s", "<= 15 s", html <= 15
        )
        csv = fortress("debrief", str(folder), "--judge", "--out", str(Path(tmp) / "report.csv"))
        row("2. then --out report.csv (judged once)", f"{csv:.1f} s", "<= 3 s", csv <= 3)
        analyse = fortress("analyse", str(saves[3]))
        row("3. fortress analyse, one 16-quarter save", f"{analyse:.1f} s", "<= 1.5 s", analyse <= 1.5)

    p, start = setup()
    pack = load_content()
    ref = pack.rules.judgement.reference
    one = initial_state(p, start, rng.seed_keys([7]))
    evaluate(p, one, ref, 10_000)  # start the helpers
    ten = median(lambda: evaluate(p, one, ref, 10_000), runs)
    row(
        f"4. evaluation of 10,000 futures of {p.n_turns} quarters ({cores} processes)",
        f"{ten:.2f} s",
        "<= 0.2 s",
        ten <= 0.2,
    )

    quarter = median(lambda: step(p, one, hold(p, one), draws.draw(p, one)), 300)
    row("5. one quarter, one world", f"{quarter * 1e3:.2f} ms", "<= 0.3 ms", quarter <= 0.3e-3)

    rate = worlds * p.n_turns / play_shared(p, start, worlds)
    row(
        f"6. engine throughput, {worlds:,} worlds, {cores} processes",
        f"{rate / 1e6:.2f} M/s",
        ">= 1.5 M/s",
        rate >= 1.5e6,
    )

    tracemalloc.start()
    play(p, start, worlds, chunk=worlds)
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    row("7. memory per world (one batch of 20,000)", f"{top / worlds / 1e3:.1f} kB", "<= 15 kB", top / worlds <= 15e3)

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}  # nothing compiled yet, as on a fresh install
        out = subprocess.run([sys.executable, "-c", FIRST], capture_output=True, text=True, check=True, env=env)
    first = float(out.stdout.strip().splitlines()[-1])
    row("8. a fresh process's first evaluation", f"{first:.2f} s", "<= 2 s", first <= 2)

    run_once("fortress")  # warm the disk cache and the bytecode
    run_once("bare")
    ready: dict[str, list[float]] = {"fortress": [], "bare": []}
    for _ in range(3 if args.quick else 9):
        for kind, times in ready.items():
            times.append(run_once(kind)[1])
    ratio = statistics.median(ready["fortress"]) / statistics.median(ready["bare"])
    row(
        f"9. script to title screen ({statistics.median(ready['fortress']) * 1e3:.0f} ms) / bare Textual app",
        f"{ratio:.2f}x",
        "<= 1.5x",
        ratio <= 1.5,
    )
    if args.quick:
        print("(--quick: a class of 6 and fewer runs; the goals are for a class of 30)")


if __name__ == "__main__":
    main()
