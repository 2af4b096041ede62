"""Every place that splits a score into decisions and dice says, in plain words, what the
decisions are measured against (the reference player), with one sentence."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from game.analysis.debrief import class_debrief, with_decisions
from game.analysis.exports import to_html, to_markdown
from game.analysis.judge import BASELINE, judge_game
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.saves.store import SaveStore
from game.session.game import Game
from game.ui.render.evaluation import summary
from game.ui.theme import Palette


def short_game(pack: Pack) -> Game:
    game = Game.new(pack, "tutorial", seed=2, lab_name="Baseline", quarters=2)
    while not game.over:
        POLICIES["frugal"](game)
        game.end_turn()
    return game


def plain(text: str) -> str:
    return " ".join(text.split())


def test_the_analysis_the_reports_and_the_command_say_what_decisions_are_measured_against(
    pack: Pack, tmp_path: Path
) -> None:
    assert "reference player" in BASELINE and "below 0 is usual" in BASELINE
    game = short_game(pack)
    result = judge_game(game, pack.rules.judgement, 40, 0)
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(summary(result, Palette.of(None), final_label="Score"))
    assert plain(BASELINE) in plain(console.export_text())
    d = with_decisions(class_debrief([(game, "baseline.json")], []), {"baseline.json": result}, [])
    assert plain(BASELINE) in plain(to_markdown(d))
    assert plain(BASELINE).replace("'", "&#39;") in plain(to_html(d))
    path = SaveStore(tmp_path).save(game, "baseline")
    out = subprocess.run(
        [sys.executable, "-m", "game.cli", "analyse", str(path), "--rollouts", "40"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert plain(BASELINE) in plain(out.stdout)
