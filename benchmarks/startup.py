"""Startup time of the Fortress interface against a bare Textual app with one Static.

Each run is a fresh Python process that imports the app, builds it (Fortress loads its content
pack) and runs it headless until the first screen has mounted and painted, then exits. We time the
whole process from launch (what a player waits for, interpreter start included) and, inside it,
from the first line of the script to the first screen being ready. Runs alternate between the two
apps so that a busy machine slows both alike.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CHILD = r"""
import sys, time
t0 = time.perf_counter()
kind = sys.argv[1]
if kind == "fortress":
    from game.ui.app import make_app
    app = make_app(seed=1)
else:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("Hello")

    app = Bare()


async def ready(pilot):
    await pilot.pause()
    pilot.app.exit(time.perf_counter() - t0)


print(app.run(headless=True, size=(80, 24), auto_pilot=ready))
"""


def run_once(kind: str) -> tuple[float, float]:
    """(wall seconds from launch to exit, seconds from the script's start to the first screen)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, kind], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    return wall, float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each app (default 15)")
    args = parser.parse_args(argv)
    results: dict[str, list[tuple[float, float]]] = {"fortress": [], "bare": []}
    run_once("fortress")  # warm the disk cache and the bytecode
    run_once("bare")
    for _ in range(args.runs):
        for kind in results:
            results[kind].append(run_once(kind))
    medians = {
        kind: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)) for kind, rs in results.items()
    }
    print(f"{args.runs} runs each, medians:")
    print(f"{'':24}{'launch to exit':>16}{'script to first screen':>26}")
    for kind, label in (("fortress", "FortressApp (title)"), ("bare", "App with one Static")):
        wall, ready = medians[kind]
        print(f"{label:24}{wall * 1000:>13.0f} ms{ready * 1000:>23.0f} ms")
    wall_ratio = medians["fortress"][0] / medians["bare"][0]
    ready_ratio = medians["fortress"][1] / medians["bare"][1]
    print(f"{'ratio Fortress / bare':24}{wall_ratio:>15.2f}x{ready_ratio:>25.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
