"""Workshops: join codes that never name the wrong world, shared worlds, the live class view."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.content.problems import ContentError
from game.content.workshop import (
    ALPHABET,
    JoinCodeError,
    Workshop,
    join_code,
    load_workshop,
    normalise_code,
    parse_code,
    workshop_toml,
)
from game.saves.classroom import class_status, status_table
from game.saves.store import SaveStore
from game.session.game import Game

WORKSHOPS = [
    Workshop(scenario="fortress-2026", seed=4821, quarters=12),
    Workshop(scenario="tutorial", difficulty="easy", seed=0),
    Workshop(scenario="chip-shock", difficulty="hard", seed=1048575, quarters=1),
]


@pytest.mark.parametrize("workshop", WORKSHOPS)
def test_a_code_names_exactly_its_world(pack: Pack, workshop: Workshop) -> None:
    code = join_code(workshop)
    assert len(code) == 11 and code[5] == "-"
    title = f"{pack.scenario(workshop.scenario).name} workshop"  # a code has no room for the title
    assert parse_code(code, pack) == workshop.model_copy(update={"title": title, "notes": ""})
    assert parse_code(code.lower().replace("-", " "), pack) == parse_code(code, pack)


@pytest.mark.parametrize("workshop", WORKSHOPS)
def test_every_single_typo_and_swap_is_refused(pack: Pack, workshop: Workshop) -> None:
    code = normalise_code(join_code(workshop))
    for i in range(10):
        for ch in ALPHABET:
            if ch != code[i]:
                with pytest.raises(JoinCodeError, match="typing mistake"):
                    parse_code(code[:i] + ch + code[i + 1 :], pack)
    for i in range(9):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        if swapped != code:
            with pytest.raises(JoinCodeError):
                parse_code(swapped, pack)


@pytest.mark.parametrize("text", ["", "HELLO", "12345-6789", "12345-67890X", "ABCDE-!@#$%", "☃☃☃☃☃-☃☃☃☃☃"])
def test_garbage_is_not_a_code(pack: Pack, text: str) -> None:
    with pytest.raises(JoinCodeError, match=r"not a join code|typing mistake"):
        parse_code(text, pack)


def test_read_aloud_confusions_are_forgiven(pack: Pack) -> None:
    code = join_code(WORKSHOPS[0])
    fuzzy = code.replace("0", "O").replace("1", "I")
    assert parse_code(fuzzy, pack) == parse_code(code, pack)


def test_a_code_for_a_scenario_this_copy_lacks(pack: Pack) -> None:
    code = join_code(Workshop(scenario="chip-shock", seed=5))
    smaller = pack.model_copy(update={"scenarios": [pack.scenario("tutorial")]})
    with pytest.raises(JoinCodeError, match="does not have"):
        parse_code(code, smaller)


def test_the_workshop_file_round_trips_and_reports_mistakes(tmp_path: Path) -> None:
    w = Workshop(title='Period 3 "Econ"', scenario="tutorial", seed=77, notes="Stop at Q4.\nDebrief at 11:40.")
    path = tmp_path / "class.toml"
    path.write_text(workshop_toml(w))
    assert load_workshop(path) == w
    path.write_text(workshop_toml(w).replace("seed = 77", 'seed = "seventy"'))
    with pytest.raises(ContentError) as info:
        load_workshop(path)
    assert info.value.problems[0].key == "seed" and info.value.problems[0].line == 6


def play(pack: Pack, code: str, policy, name: str) -> Game:  # type: ignore[no-untyped-def]
    w = parse_code(code, pack)
    game = Game.new(pack, w.scenario, w.difficulty, w.seed, name, w.quarters)
    while not game.over:
        policy(game)
        game.end_turn()
    return game


def world_only_events(pack: Pack) -> set[str]:
    """Events whose conditions test only the calendar and the market mood, which no team moves."""
    return {e.id for e in pack.events if all(c.metric in ("turn", "turns_left", "sentiment") for c in e.when)}


def test_same_code_same_actions_same_game(pack: Pack) -> None:
    code = join_code(WORKSHOPS[0])
    one, two = play(pack, code, POLICIES["multicloud"], "Red"), play(pack, code, POLICIES["multicloud"], "Blue")
    for a, b in zip(one.turns, two.turns, strict=True):
        for name, value in a.state_after.arrays().items():
            assert np.array_equal(value, b.state_after.arrays()[name]), name


def test_teams_share_every_shock_their_choices_do_not_change(pack: Pack) -> None:
    code = join_code(WORKSHOPS[0])
    games = [
        play(pack, code, policy, name)
        for policy, name in ((POLICIES["multicloud"], "A"), (POLICIES["frugal"], "B"), (POLICIES["reckless"], "C"))
    ]
    shared = world_only_events(pack)
    assert {"export-controls", "rival-release", "bubble-jitters"} <= shared
    quarters = min(len(g.turns) for g in games)
    assert quarters >= 3
    for q in range(quarters):
        fired = [set(g.turns[q].report.events) & shared for g in games]
        assert fired[0] == fired[1] == fired[2], q
        sentiment = [int(g.turns[q].state_after.sentiment[0]) for g in games]
        assert len(set(sentiment)) == 1
    different = [set(g.turns[q].report.events) - shared for g in games for q in range(quarters)]
    assert any(different)  # the teams' own choices did change some of what happened to them


def test_the_live_view_lists_every_team_even_with_the_same_name(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    for policy in (POLICIES["multicloud"], POLICIES["frugal"]):
        game = Game.new(pack, "tutorial", "normal", 5, "Same Name")
        for _ in range(2):
            policy(game)
            game.end_turn()
            store.autosave(game)
    (tmp_path / "junk.json").write_text("nope")
    rows, skipped = class_status(tmp_path)
    assert len(rows) == 2 and {r.team for r in rows} == {"Same Name"}
    assert all(r.turn == 2 and r.quarter == "Q3 2026" for r in rows)
    assert [s.path.name for s in skipped] == ["junk.json"]
    text = status_table(rows, skipped)
    assert text.count("Same Name") == 2 and "skipped junk.json" in text


def test_workshop_commands(tmp_path: Path) -> None:
    out = tmp_path / "ws.toml"
    run = [
        sys.executable,
        "-m",
        "game.cli",
        "workshop",
        "new",
        "--scenario",
        "tutorial",
        "--seed",
        "99",
        "--out",
        str(out),
    ]
    done = subprocess.run(run, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code = done.stdout.split("Join code: ")[1].split()[0]
    assert load_workshop(out).seed == 99 and code in out.read_text()
    again = subprocess.run(run, capture_output=True, text=True)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = subprocess.run([*run[:6], "atlantis", "--out", str(tmp_path / "x.toml")], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown scenario 'atlantis'" in bad.stderr
    status = subprocess.run(
        [sys.executable, "-m", "game.cli", "workshop", "status", str(tmp_path)], capture_output=True, text=True
    )
    assert status.returncode == 0 and "(no saves yet)" in status.stdout
