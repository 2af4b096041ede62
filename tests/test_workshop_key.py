"""`fortress workshop key`: the answer key of a workshop's world, from the reference player,
the replay and the judge."""

from __future__ import annotations

import subprocess
import sys

from game.analysis.key import answer_key, play_key
from game.analysis.policies import POLICIES, play
from game.content.models import Pack
from game.content.workshop import Workshop, join_code
from game.session.game import Game

WORKSHOP = Workshop(title="Practice", scenario="fortress-2026", seed=4821, quarters=3)


def test_the_key_plays_the_reference_player_in_the_workshops_world(pack: Pack) -> None:
    game, quarters = play_key(pack, WORKSHOP, rollouts=40)
    same = play(Game.new(pack, "fortress-2026", "normal", 4821, "Reference player", 3), POLICIES["reference"])
    assert [q.actions for q in quarters] == [[same.describe(a) for a in t.actions] for t in same.turns]
    assert [q.quarter for q in quarters] == [t.report.quarter for t in same.turns]
    assert game.summary().score == same.summary().score
    assert all(len(q.why) == len(q.actions) for q in quarters)
    # every offer the lab could take was weighed, and a deal's worth is the judge's difference
    assert any(q.deals for q in quarters)


def test_the_key_in_markdown_names_key_decisions_shocks_and_each_quarter(pack: Pack) -> None:
    text = answer_key(pack, WORKSHOP, rollouts=40, top=2)
    for heading in ("## The reference player", "## The key decisions of this world", "## The shocks of this world"):
        assert heading in text
    assert join_code(WORKSHOP) in text
    assert text.count("\n### ") == 2
    for quarter in ("Q3 2026", "Q4 2026", "Q1 2027"):
        assert f"| {quarter} |" in text
    assert "Grid interconnect queue stalls new sites" in text  # this world's first-quarter shock
    assert "measured against the reference player" in text


def test_the_command_takes_a_join_code(pack: Pack) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "game.cli", "workshop", "key", join_code(WORKSHOP), "--rollouts", "20"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Answer key: ")  # the title of the workshop the code names
    bad = subprocess.run(
        [sys.executable, "-m", "game.cli", "workshop", "key", "8T404-XXXXX"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
