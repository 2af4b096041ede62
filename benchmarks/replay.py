"""Benchmark: load and fully replay a 16-quarter save (target: well under 0.1 s).

Run: `.venv/bin/python benchmarks/replay.py`. Prints the median and the slowest of many runs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from game.analysis.policies import POLICIES
from game.saves.replay import load_game
from game.saves.store import SaveStore
from game.session.build import load_content
from game.session.game import Game


def main(runs: int = 50) -> None:
    game = Game.new(load_content(), "fortress-2026", "normal", 5)
    while not game.over:
        POLICIES["multicloud"](game)
        game.end_turn()
    with tempfile.TemporaryDirectory() as folder:
        path = SaveStore(Path(folder)).save(game, "bench")
        size = path.stat().st_size
        load_game(path)  # warm up imports and caches
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            again = load_game(path)
            times.append(time.perf_counter() - start)
        assert len(again.turns) == len(game.turns)
    print(f"cores: {os.cpu_count()}")
    print(f"save: {len(game.turns)} quarters, {size / 1000:.0f} kB")
    print(
        f"load + replay + digest check: median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms over {runs} runs"
    )


if __name__ == "__main__":
    main()
