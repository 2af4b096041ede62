"""The class debrief over a folder of saves, and its HTML, Markdown and CSV exports."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.analysis.debrief import class_debrief, with_decisions
from game.analysis.exports import to_csv, to_html, to_markdown
from game.analysis.judge import judge_game
from game.analysis.policies import POLICIES, random_policy
from game.content.models import Pack
from game.saves.classroom import collect_games
from game.saves.store import SaveStore
from game.session.game import Game

PLAYERS = [random_policy, *POLICIES.values()]


def debrief_command(*args: str) -> subprocess.CompletedProcess[str]:
    """`fortress debrief ARGS` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "game.cli", "debrief", *args], capture_output=True, text=True, timeout=300
    )


VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
SVG_EMPTY = {"rect", "line", "polyline", "path", "circle"}


class StrictHTML(HTMLParser):
    """Fails on mis-nested or unclosed tags and on anything that would reach the network."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "action") or (
                value and ("url(" in value or ("//" in value and name != "xmlns"))
            ):
                self.errors.append(f"external reference {name}={value!r}")
        if tag in ("script", "link", "iframe", "object"):
            self.errors.append(f"<{tag}> is not allowed")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in VOID | SVG_EMPTY:
            self.errors.append(f"<{tag}/> self-closed")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close {self.stack[-1:] or 'anything'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "@import" in data or "url(" in data:
            self.errors.append("stylesheet reference")


@pytest.fixture(scope="module")
def classroom(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    store = SaveStore(folder)
    for i in range(30):
        name = f"Team {i + 1:02d}" if i != 7 else "<script>alert('x')</script> & =SUM(A1)"
        game = Game.new(pack, "fortress-2026", "normal", 4821, name, 8)
        policy = PLAYERS[i % len(PLAYERS)]
        while not game.over:
            policy(game)
            game.end_turn()
            store.autosave(game)
    other = Game.new(pack, "fortress-2026", "normal", 999, "Other class", 8)
    other.end_turn()
    store.save(other, "other class")
    (folder / "damaged.json").write_text('{"schema_version": 2, "name": ')
    return folder


def test_the_debrief_lists_thirty_teams_and_names_the_two_it_skipped(classroom: Path) -> None:
    games, skipped = collect_games(classroom)
    assert len(games) == 30
    assert sorted(s.path.name for s in skipped) == ["damaged.json", "other-class.json"]
    reasons = {s.path.name: s.reason for s in skipped}
    assert "cut short" in reasons["damaged.json"]
    assert "another workshop" in reasons["other-class.json"] and "seed 999" in reasons["other-class.json"]
    d = class_debrief([(g, p.name) for g, p in games], [(s.path.name, s.reason) for s in skipped])
    assert len(d.teams) == 30
    assert [t.score for t in d.teams] == sorted((t.score for t in d.teams), reverse=True)
    assert sum(d.outcome_shares.values()) == pytest.approx(1.0)
    assert all(len(t.vs_rival) == len(d.quarters) for t in d.teams if t.quarters_played == 8)
    assert d.divergences and all(v.leaders and v.laggards for v in d.divergences)


@pytest.fixture(scope="module")
def debrief(classroom: Path):  # type: ignore[no-untyped-def]
    games, skipped = collect_games(classroom)
    return class_debrief([(g, p.name) for g, p in games], [(s.path.name, s.reason) for s in skipped], "Period 3")


def test_the_html_report_is_valid_self_contained_and_embeds_its_chart(debrief) -> None:  # type: ignore[no-untyped-def]
    html = to_html(debrief)
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    assert parser.doctype
    assert parser.errors == []
    assert parser.stack == []
    assert {"svg", "polyline", "table"} <= parser.tags
    assert html.count("<polyline") == 30
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "damaged.json" in html and "other-class.json" in html


def test_the_csv_has_one_row_per_team(debrief) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(to_csv(debrief))))
    assert len(rows) == 30
    assert {r["team"] for r in rows} >= {"Team 01", "Team 30"}
    odd = next(r for r in rows if "script" in r["team"])
    assert odd["team"].startswith("<script>")
    assert all(float(r["score"]) >= 0 for r in rows)


def test_the_markdown_report(debrief) -> None:  # type: ignore[no-untyped-def]
    md = to_markdown(debrief)
    assert md.startswith("# Period 3")
    assert md.count("| Team ") >= 29
    assert "## Where the paths diverged" in md and "## Files skipped" in md


def test_the_debrief_command_writes_each_format(classroom: Path, tmp_path: Path) -> None:
    for name in ("report.html", "report.md", "results.csv"):
        out = tmp_path / name
        done = debrief_command(str(classroom), "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 500
        assert "30 teams, 2 files skipped" in done.stdout
    bad = debrief_command(str(classroom), "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and ".html, .md or .csv" in bad.stderr


@pytest.fixture(scope="module")
def small_class(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four teams that played four quarters of one world, and one that has not played yet."""
    folder = tmp_path_factory.mktemp("small")
    store = SaveStore(folder)
    for i, policy in enumerate([POLICIES["reckless"], POLICIES["frugal"], POLICIES["multicloud"], random_policy]):
        game = Game.new(pack, "fortress-2026", "normal", 77, f"Team {i + 1}", 4)
        while not game.over:
            policy(game)
            game.end_turn()
        store.save(game, f"team {i + 1}")
    store.save(Game.new(pack, "fortress-2026", "normal", 77, "Late team", 4), "late team")
    return folder


def test_judged_decisions_rank_beside_the_outcome_in_every_export(small_class: Path) -> None:
    games, skipped = collect_games(small_class)
    assert not skipped
    d = class_debrief([(g, p.name) for g, p in games], [])
    rules = games[0][0].pack.rules.judgement
    judged = {p.name: judge_game(g, rules, 60, 0) for g, p in games if g.turns}
    d = with_decisions(d, judged, [g.lab_name for g, _ in games if not g.turns])
    assert [q.rank for q in d.decisions] == [1, 2, 3, 4]
    assert [q.decisions for q in d.decisions] == sorted((q.decisions for q in d.decisions), reverse=True)
    assert {q.team for q in d.decisions} == {"Team 1", "Team 2", "Team 3", "Team 4"}
    for q in d.decisions:
        team = next(t for t in d.teams if t.file == q.file)
        assert q.score_rank == d.teams.index(team) + 1
        assert q.score == pytest.approx(team.score)  # finished games: the judged score is the real one
        assert q.start + q.decisions + q.dice == pytest.approx(q.score, abs=1e-6)
    assert len({q.start for q in d.decisions}) == 1  # one world: the same expectation at the start
    assert d.not_judged == ["Late team"]

    html = to_html(d)
    parser = StrictHTML()
    parser.feed(html)
    assert parser.errors == [] and parser.stack == []
    section = html.split("<h2>Decision quality</h2>")[1].split("<h2>")[0]
    assert section.count("<tr>") == 5 and "Late team" in section
    md = to_markdown(d).split("## Decision quality")[1].split("## ")[0]
    assert md.count("| Team ") == 5  # the header and four teams
    rows = {r["team"]: r for r in csv.DictReader(io.StringIO(to_csv(d)))}
    assert rows["Late team"]["decision_rank"] == ""
    assert sorted(int(rows[f"Team {i}"]["decision_rank"]) for i in range(1, 5)) == [1, 2, 3, 4]
    best = next(q for q in d.decisions if q.rank == 1)
    assert float(rows[best.team]["decisions"]) == pytest.approx(best.decisions, abs=0.01)


def test_an_unjudged_report_says_how_to_judge(small_class: Path) -> None:
    games, _ = collect_games(small_class)
    d = class_debrief([(g, p.name) for g, p in games], [])
    assert "--judge" in to_html(d) and "--judge" in to_markdown(d)
    assert all(r["decision_rank"] == "" for r in csv.DictReader(io.StringIO(to_csv(d))))


def test_the_debrief_command_judges_on_request(small_class: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    done = debrief_command(str(small_class), "--judge", "--rollouts", "40", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sum(1 for r in rows if r["decision_rank"]) == 4
    bad = debrief_command(str(small_class), "--judge", "--rollouts", "3", "--out", str(out))
    assert bad.returncode == 2 and "--rollouts must be at least 10" in bad.stderr
