"""One score, named and scaled the same everywhere; the class debrief's divergences name each
team once and only quarters with decisions."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.analysis.debrief import class_debrief
from game.analysis.exports import to_html, to_markdown
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.engine.outcome import classify, score
from game.saves.store import SaveStore
from game.session.build import load_content
from game.session.game import Game


def _play(pack: Pack, policy: str, quarters: int | None = None, seed: int = 4, lab: str | None = None) -> Game:
    game = Game.new(pack, "tutorial", "normal", seed, lab)
    while not game.over and (quarters is None or game.turn < quarters):
        POLICIES[policy](game)
        game.end_turn()
    return game


def test_a_game_in_progress_is_scored_as_if_it_ended_now_and_says_so(pack: Pack) -> None:
    game = _play(pack, "reckless", quarters=3)
    d = game.dashboard()
    as_if = float(score(game.params, game.state, classify(game.params, game.state))[0])
    assert d.score == pytest.approx(as_if)
    done = _play(pack, "multicloud")
    debrief = class_debrief([(game, "a.json"), (done, "b.json")], [])
    playing = next(t for t in debrief.teams if t.file == "a.json")
    assert playing.score == pytest.approx(d.score)
    for text in (to_markdown(debrief), to_html(debrief)):
        assert "out of 100" not in text
        top = round(100 * max(pack.rules.outcomes.multiplier.values()))
        assert f"at most {top}" in text and "score if its game ended now" in text
        assert "valuation (pts)" in text


def test_the_final_score_states_its_scale(pack: Pack) -> None:
    summary = _play(pack, "multicloud").summary()
    top = max(pack.rules.outcomes.multiplier.values())
    assert f"at most {100 * top:.0f}" in summary.scale
    assert summary.score == pytest.approx(sum(p.points for p in summary.parts) * summary.multiplier)


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True, timeout=300)


def test_analyse_and_the_class_debrief_judge_a_save_alike(pack_dir: Path, tmp_path: Path) -> None:
    model = pack_dir / "model.toml"
    text = model.read_text()
    text = re.sub(r"^live_rollouts = \d+", "live_rollouts = 20", text, flags=re.M)
    text = re.sub(r"^analyse_rollouts = \d+", "analyse_rollouts = 40", text, flags=re.M)
    model.write_text(text)
    pack = load_content(pack_dir)
    saves = tmp_path / "saves"
    path = SaveStore(saves).save(_play(pack, "multicloud", quarters=3), "team")
    analysed = _command("--content", str(pack_dir), "analyse", str(path), "--json")
    assert analysed.returncode == 0, analysed.stderr
    data = json.loads(analysed.stdout)
    out = tmp_path / "class.csv"
    debrief = _command("--content", str(pack_dir), "debrief", str(saves), "--judge", "--out", str(out))
    assert debrief.returncode == 0, debrief.stderr
    row = next(csv.DictReader(io.StringIO(out.read_text())))
    assert data["rollouts"] == 40
    assert float(row["decisions"]) == pytest.approx(data["decisions_total"], abs=0.006)
    assert float(row["expected_at_start"]) == pytest.approx(data["start"], abs=0.006)


def test_the_paths_diverged_names_each_team_once_and_only_quarters_with_decisions(pack: Pack) -> None:
    games = [(_play(pack, "reckless", lab="Table 1"), "a.json"), (_play(pack, "passive", lab="Table 2"), "b.json")]
    debrief = class_debrief(games, [])
    assert debrief.divergences
    for v in debrief.divergences:
        ahead = {name for name, _, _ in v.leaders}
        behind = {name for name, _, _ in v.laggards}
        assert not ahead & behind
        assert min(vs for _, vs, _ in v.leaders) >= max(vs for _, vs, _ in v.laggards)
        assert any(acts for _, _, acts in v.leaders + v.laggards)
    md = to_markdown(debrief)
    section = md.split("## Where the paths diverged")[1].split("## Learning")[0]
    for block in section.split("### ")[1:]:
        names = re.findall(r"\*\*(.+?)\*\* \((ahead|behind)", block)
        assert len({n for n, _ in names}) == len(names)
