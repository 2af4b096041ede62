"""The HTML debrief for a projector and for paper: a one-screen class summary with its charts,
a print stylesheet, and one team a page on request (`--team-pages`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from markupsafe import escape
from test_debrief import StrictHTML

from game.analysis.debrief import class_debrief
from game.analysis.exports import to_html
from game.analysis.policies import POLICIES, play
from game.content.models import Pack
from game.saves.store import SaveStore
from game.session.game import Game

BOTS = ("reference", "loyalist", "reckless")


def games(pack: Pack) -> list[tuple[Game, str]]:
    out = []
    for name in BOTS:
        game = Game.new(pack, "fortress-2026", seed=4821, lab_name=f"Team {name}", quarters=3)
        out.append((play(game, POLICIES[name]), f"{name}.json"))
    return out


def valid(html: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    return parser


def test_the_summary_comes_first_with_its_charts_and_the_print_rules(pack: Pack) -> None:
    d = class_debrief(games(pack), [], "Period 3")
    html = to_html(d)
    valid(html)
    summary = html[html.index('<section class="summary"') : html.index("</section>")]
    assert "Outcomes" in summary and "Learning objectives met" in summary and summary.count("<svg") == 2
    assert d.teams[0].team in summary  # top by score
    assert "@media print" in html and "break-before: page" in html
    assert '<section class="team">' not in html
    assert html.index('class="summary"') < html.index("<h2>Leaderboard</h2>")


def test_team_pages_on_request_one_per_team_each_with_its_chart_and_marks(pack: Pack, tmp_path: Path) -> None:
    played = games(pack)
    d = class_debrief(played, [], "Period 3")
    html = to_html(d, team_pages=True)
    valid(html)
    pages = html.split('<section class="team">')[1:]
    assert len(pages) == len(BOTS)
    for page, team in zip(pages, d.teams, strict=True):
        assert f"<h2>{team.team}</h2>" in page and "<svg" in page and "class median" in page
        assert all(str(escape(m.evidence)) in page for m in team.objectives)
    store = SaveStore(tmp_path)
    for game, _ in played:
        store.autosave(game)
    out = tmp_path / "report.html"
    run = subprocess.run(
        [sys.executable, "-m", "game.cli", "debrief", str(tmp_path), "--out", str(out), "--team-pages"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text().count('<section class="team">') == len(BOTS)
