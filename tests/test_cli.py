"""The `fortress` command in a subprocess, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def fortress(*args: str) -> subprocess.CompletedProcess[str]:
    # the command installed beside the interpreter under test (another `fortress` on PATH may be
    # another install of another version)
    beside = Path(sys.executable).with_name("fortress")
    exe = str(beside) if beside.exists() else shutil.which("fortress")
    cmd = [exe, *args] if exe else [sys.executable, "-m", "game.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_simulate_prints_a_table() -> None:
    out = fortress("simulate", "--scenario", "tutorial", "--policy", "all", "--games", "4", "--seed", "3")
    assert out.returncode == 0, out.stderr
    for name in ("passive", "reckless", "loyalist", "multicloud", "frugal", "bankrupt", "vs rival"):
        assert name in out.stdout


def test_simulate_json_has_every_figure() -> None:
    out = fortress("simulate", "--scenario", "fortress-2026", "--policy", "frugal", "--games", "3", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    [summary] = data["policies"]
    assert summary["policy"] == "frugal" and summary["games"] == 3
    assert sum(summary["outcome_shares"].values()) == pytest.approx(1.0)
    for key in ("score_mean", "score_sd", "vs_rival_mean", "bankruptcy_rate"):
        assert isinstance(summary[key], float)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "--scenario", "atlantis"), "Unknown scenario 'atlantis'"),
        (("simulate", "--scenario", "tutorial", "--policy", "yolo"), "Unknown policy 'yolo'"),
        (("simulate", "--scenario", "tutorial", "--difficulty", "nightmare"), "Unknown difficulty"),
        (("simulate", "--scenario", "tutorial", "--games", "0"), "at least 1"),
        (("--content", "/nonexistent/pack", "scenarios"), "does not exist"),
    ],
)
def test_mistakes_get_one_clear_message(args: tuple[str, ...], message: str) -> None:
    out = fortress(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_content_names_lists_the_vocabulary() -> None:
    out = fortress("content", "names")
    assert out.returncode == 0
    assert "runway" in out.stdout and "scrutiny" in out.stdout


def test_replay_check_gives_one_line_per_file_and_an_exit_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from game.saves.store import SaveStore
    from game.session.build import load_content
    from game.session.game import Game

    game = Game.new(load_content(), "tutorial", "normal", 2)
    game.end_turn()
    good = SaveStore(tmp_path).save(game, "good")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    out = fortress("replay", "--check", str(good))
    assert out.returncode == 0 and out.stdout.startswith("OK")
    out = fortress("replay", "--check", str(good), str(bad))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("OK") and lines[1].startswith("FAIL") and "bad.json" in lines[1]
    out = fortress("replay", str(good))
    assert out.returncode == 0 and "Q1 2026" in out.stdout
    out = fortress("replay", str(bad))
    assert out.returncode == 2 and "bad.json" in out.stderr and "Traceback" not in out.stderr


def test_analyse_judges_a_saved_game(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from game.analysis.policies import POLICIES
    from game.saves.store import SaveStore
    from game.session.build import load_content
    from game.session.game import Game

    game = Game.new(load_content(), "tutorial", "normal", 5, quarters=4)
    while not game.over:
        POLICIES["multicloud"](game)
        game.end_turn()
    path = SaveStore(tmp_path).save(game, "judged")
    out = fortress("analyse", str(path), "--rollouts", "200")
    assert out.returncode == 0, out.stderr
    assert "your decisions" in out.stdout and "the dice" in out.stdout
    assert out.stdout.count("Q") >= 4
    data = json.loads(fortress("analyse", str(path), "--rollouts", "200", "--json").stdout)
    assert len(data["turns"]) == 4 and sorted(data["worst_first"]) == [0, 1, 2, 3]
    total = data["start"] + data["decisions_total"] + data["luck_total"]
    assert total == pytest.approx(data["final_score"], abs=1e-6)


def test_analyse_without_rollouts_uses_the_contents_default(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from game.saves.store import SaveStore
    from game.session.build import load_content
    from game.session.game import Game

    pack = load_content()
    game = Game.new(pack, "tutorial", "normal", 5, quarters=2)
    while not game.over:
        game.end_turn()
    path = SaveStore(tmp_path).save(game, "idle")
    data = json.loads(fortress("analyse", str(path), "--json").stdout)
    assert data["rollouts"] == pack.rules.judgement.analyse_rollouts
    refused = fortress("analyse", str(path), "--rollouts", "0")
    assert refused.returncode == 2 and "--rollouts must be at least 10" in refused.stderr


def test_simulate_sweeps_a_setting() -> None:
    out = fortress(
        "simulate",
        "--scenario",
        "tutorial",
        "--policy",
        "frugal,passive",
        "--games",
        "3",
        "--sweep",
        "difficulty=easy,hard",
    )
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith(("easy", "hard"))]
    assert len(lines) == 4
    out = fortress(
        "simulate",
        "--scenario",
        "tutorial",
        "--policy",
        "passive",
        "--games",
        "2",
        "--sweep",
        "scenario.market.growth=0.05,0.3",
        "--json",
    )
    rows = json.loads(out.stdout)["rows"]
    assert [r["value"] for r in rows] == ["0.05", "0.3"]
    assert rows[0]["policies"][0]["vs_rival_median"] != rows[1]["policies"][0]["vs_rival_median"]
    bad = fortress("simulate", "--scenario", "tutorial", "--games", "2", "--sweep", "rounds.max_close=7")
    assert bad.returncode == 2 and "refused by the content rules" in bad.stderr


def test_simulate_plays_a_loophole_player_by_name_but_not_in_all() -> None:
    out = fortress(
        "simulate", "--scenario", "tutorial", "--policy", "max-debt,reference", "--games", "2", "--turns", "2"
    )
    assert out.returncode == 0, out.stderr
    assert any(line.startswith("max-debt") for line in out.stdout.splitlines())
    everything = fortress("simulate", "--scenario", "tutorial", "--policy", "all", "--games", "1", "--turns", "1")
    assert everything.returncode == 0 and "max-debt" not in everything.stdout
    unknown = fortress("simulate", "--scenario", "tutorial", "--policy", "max-debts", "--games", "1")
    assert unknown.returncode == 2 and "max-debt" in unknown.stderr
