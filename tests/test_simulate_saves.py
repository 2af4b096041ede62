"""`fortress simulate ... --save-dir DIR`: the bot games written as ordinary saves, ready for a
rehearsal of the class debrief."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from game.analysis.policies import NAMES
from game.content.workshop import Workshop, join_code
from game.saves.classroom import collect_games

WORKSHOP = Workshop(title="Rehearsal", scenario="tutorial", seed=77, quarters=3)


def fortress(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True, timeout=180)


def test_the_bot_games_become_saves_of_the_workshop_that_the_debrief_reads(tmp_path: Path) -> None:
    code = join_code(WORKSHOP)
    folder = tmp_path / "rehearsal"
    run = fortress(
        "simulate", "--workshop", code, "--policy", "all", "--save-dir", str(folder), "--json",
        "--per-game",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    table = json.loads(run.stdout)
    assert table["scenario"] == "tutorial" and table["seed"] == 77
    games, skipped = collect_games(folder)
    assert skipped == [] and len(games) == len(NAMES)
    for game, _ in games:
        assert game.seed == 77 and game.params.n_turns == 3 and game.over and game.workshop == code
    # each save is the very game the batch played: the same score
    batch = {(s["policy"], r["seed"]): r["score"] for s in table["policies"] for r in s["results"]}
    for game, _ in games:
        policy = game.lab_name.split(" bot ")[0]
        assert abs(batch[(policy, game.seed)] - game.summary().score) < 1e-6
    report = fortress("debrief", str(folder), "--workshop", code, "--out", str(tmp_path / "class.csv"))
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "class.csv").read_text())))
    assert len(rows) == len(NAMES)
    assert fortress("simulate", "--workshop", code, "--games", "3").returncode != 0


def test_without_a_workshop_each_seed_is_saved(tmp_path: Path) -> None:
    run = fortress(
        "simulate", "--scenario", "tutorial", "--turns", "2", "--policy", "frugal,reference", "--games", "2",
        "--seed", "5", "--save-dir", str(tmp_path),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in tmp_path.glob("*.json"))
    assert names == ["frugal-5.json", "frugal-6.json", "reference-5.json", "reference-6.json"]
