"""Learning objectives marked met or not met, with evidence, by one function for every screen."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from game.analysis.debrief import class_debrief
from game.analysis.exports import to_csv, to_html, to_markdown
from game.analysis.policies import POLICIES, play
from game.content.loader import ContentError, load_pack
from game.content.models import ObjectiveCheck, Pack, Scenario
from game.session.build import VOCABULARY
from game.session.game import Game
from game.session.objectives import mark, objective_marks

DEPENDENCY = ObjectiveCheck(
    label="kept independence", metric="max_dependency", op="<", value=0.55, over="all game", measure="dependency"
)
RUNWAY = ObjectiveCheck(
    label="built a fortress balance sheet",
    metric="runway",
    op=">=",
    value=6.0,
    over="at end",
    measure="runway",
    unit="quarters",
)


def test_all_game_is_met_only_if_every_quarter_meets_it_and_shows_the_worst_quarter() -> None:
    quarters = ["Q1 2026", "Q2 2026", "Q3 2026"]
    assert mark(DEPENDENCY, [0.2, 0.31, 0.3], quarters, True, 40.0) == (
        True,
        "dependency 0.31, below 0.55 all game",
    )
    assert mark(DEPENDENCY, [0.2, 0.62, 0.5], quarters, True, 40.0) == (
        False,
        "dependency 0.62 in Q2 2026, not below 0.55 all game",
    )
    assert mark(DEPENDENCY, [0.2, 0.3], quarters[:2], False, 40.0) == (True, "dependency 0.30, below 0.55 so far")


def test_at_end_reads_the_last_quarter_only() -> None:
    quarters = ["Q1 2026", "Q2 2026"]
    assert mark(RUNWAY, [2.0, 7.25], quarters, True, 40.0) == (
        True,
        "runway 7.2 quarters at end, at least 6 quarters",
    )
    assert mark(RUNWAY, [9.0, 3.4], quarters, True, 40.0) == (False, "runway 3.4 quarters at end, below 6 quarters")
    assert mark(RUNWAY, [9.0, 45.0], quarters, False, 40.0) == (
        True,
        "runway 40+ quarters now (Q2 2026), at least 6 quarters",
    )
    assert mark(RUNWAY, [], [], False, 40.0) == (False, "no quarter played yet")


def test_a_game_marks_every_objective_of_its_scenario(pack: Pack) -> None:
    """The loyalist signs its partner's every offer and ends dependent; the reference player keeps
    its independence: the same objective is marked differently for each, with the figures."""
    loyal = play(Game.new(pack, "tutorial", seed=1), POLICIES["loyalist"])
    careful = play(Game.new(pack, "tutorial", seed=1), POLICIES["reference"])
    scenario = pack.scenario("tutorial")
    k = next(i for i, o in enumerate(scenario.objectives) if o.check and o.check.metric == "max_dependency")
    loyal_marks, careful_marks = objective_marks(loyal), objective_marks(careful)
    assert len(loyal_marks) == len(scenario.objectives)
    assert loyal_marks[k].met is False and careful_marks[k].met is True
    assert loyal_marks[k].evidence.startswith("dependency ") and "%" in loyal_marks[k].evidence
    assert "not below 55% all game" in loyal_marks[k].evidence
    assert careful_marks[k].line.startswith("met: kept independence: dependency ")
    assert all(m.final for m in loyal_marks)
    # the game-over summary carries exactly these marks
    assert loyal.summary().objectives == loyal_marks


def test_the_debrief_and_every_export_carry_each_teams_marks(pack: Pack) -> None:
    games = []
    for name in ("loyalist", "reference"):
        game = play(Game.new(pack, "tutorial", seed=1, lab_name=name.title()), POLICIES[name])
        games.append((game, f"{name}.json"))
    d = class_debrief(games, [])
    by_team = {t.team: t for t in d.teams}
    assert by_team["Loyalist"].objectives == objective_marks(games[0][0])
    html, md = to_html(d), to_markdown(d)
    for t in d.teams:
        for m in t.objectives:
            assert m.evidence in md
            assert m.evidence.replace("'", "&#39;") in html
    rows = list(csv.DictReader(io.StringIO(to_csv(d))))
    n = len(d.objectives)
    for row in rows:
        marks = by_team[row["team"]].objectives
        assert [row[f"objective_{k}"] for k in range(1, n + 1)] == [m.word for m in marks]
        assert int(row["objectives_met"]) == sum(1 for m in marks if m.met)


def test_every_shipped_objective_has_a_check(pack: Pack) -> None:
    for scenario in pack.scenarios:
        assert all(o.check is not None for o in scenario.objectives), scenario.id


def test_an_objective_without_a_check_or_with_an_unknown_metric_is_a_content_error(pack_dir: Path) -> None:
    path = pack_dir / "scenarios" / "tutorial.toml"
    text = path.read_text()
    first = text.index("check = {")
    broken = text[:first] + text[text.index("\n", first) + 1 :]
    broken = broken.replace('metric = "reliability"', 'metric = "reliabilty"')
    path.write_text(broken)
    with pytest.raises(ContentError) as err:
        load_pack(pack_dir, VOCABULARY)
    found = [(p.key, p.message) for p in err.value.problems]
    assert any(key == "objectives[0]" and "no `check`" in msg for key, msg in found), found
    assert any(key == "objectives[1].check.metric" and "'reliabilty'" in msg for key, msg in found), found


def test_an_old_save_with_plain_objectives_still_loads_and_says_not_checked(pack: Pack) -> None:
    data = json.loads(pack.scenario("tutorial").model_dump_json())
    data["objectives"] = ["Raise a round."]
    scenario = Scenario.model_validate(data)
    assert scenario.objectives[0].text == "Raise a round." and scenario.objectives[0].check is None
    game = Game.new(pack.model_copy(update={"scenarios": [scenario]}), "tutorial", seed=3)
    game.end_turn()
    assert [m.word for m in objective_marks(game)] == ["not checked"]


def test_a_second_check_keeps_doing_nothing_from_meeting_an_objective(pack: Pack) -> None:
    """In the $900B Question a lab that never acts keeps a long runway and all its shares: the
    objectives on rounds and on a fortress balance sheet need a raise and a valuation too."""
    passive = play(Game.new(pack, "fortress-2026", seed=4821, quarters=4), POLICIES["passive"])
    marks = {m.label: m for m in objective_marks(passive)}
    control, fortress = marks["raised and kept control"], marks["built a fortress balance sheet"]
    assert control.met is False and " and not below 34.5%" in control.evidence
    assert fortress.met is False and "; valuation against the rival 0." in fortress.evidence
    assert "at least 6 quarters" in fortress.evidence  # the runway, met, is shown as well


def test_the_new_game_screens_say_what_marks_each_objective_before_play(pack: Pack) -> None:
    from game.session.objectives import criterion

    words = [criterion(o) for o in pack.scenario("fortress-2026").objectives]
    assert "dependency below 55% all game" in words
    assert "founders' and staff's stake at least 30% and below 34.5% at end" in words
    assert "runway at least 6 quarters at end; valuation against the rival at least 0.90x at end" in words
