"""Single-field edits of a real workshop save: every edit that changes what the class debrief
would show is refused (the save does not read or replay) or flagged (its seal, its content or its
summary does not hold up), both as the file was edited and after the editor recomputed the seal
and the fingerprint. Fields are sampled deterministically: every field outside the content, and
every twelfth of the content's. Once resealed, two kinds of edit cannot be told from an honest
save and are counted apart: the team's name, and the terms of a decision that had no effect on
the game (every digest still matches, e.g. the ask of a round that failed either way)."""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from corpus import resealed

from game.analysis.debrief import team_result
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.content.workshop import Workshop, join_code
from game.saves.errors import SaveError
from game.saves.load import validate
from game.saves.replay import restore
from game.saves.store import to_save
from game.saves.trust import Reference, audit
from game.session.game import Game

Path_ = tuple[str | int, ...]
CONTENT_EVERY = 12
NAME_FIELDS = {("settings", "lab_name")}
"""A team may call itself anything: a renamed save is a team that typed another name. Edits of it
are caught by the seal; once resealed they are counted apart, not as accepted lies."""


def leaves(value: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, (*path, key))]
    if isinstance(value, list) and value:
        return [leaf for i, item in enumerate(value) for leaf in leaves(item, (*path, i))]
    return [(path, value)]


def variants(value: Any) -> list[Any]:
    """The edits tried on one field: scaled and shifted numbers, changed words, flipped flags."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value * 3 + 1, value - 1]
    if isinstance(value, float):
        return [value * 3 if value else 1.0, value + 0.5]
    if isinstance(value, str):
        return [value + "x", value[::-1] if len(value) > 1 else "y"]
    if value is None:
        return [1]
    return [[0]]  # an empty list


def sampled(data: dict[str, Any]) -> list[tuple[Path_, Any]]:
    found = leaves(data)
    content = [leaf for leaf in found if leaf[0][0] == "content"]
    return [leaf for leaf in found if leaf[0][0] != "content"] + content[::CONTENT_EVERY]


def with_value(data: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target: Any = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@pytest.fixture(scope="module")
def workshop_save(pack: Pack) -> dict[str, Any]:
    """A finished 3-quarter workshop game with raises, orders and deals."""
    workshop = Workshop(scenario="tutorial", difficulty="normal", seed=5, quarters=3)
    game = Game.new(pack, "tutorial", "normal", 5, "Team Honest", 3)
    game.workshop = join_code(workshop)
    while not game.over:
        POLICIES["reckless"](game)
        game.end_turn()
    data: dict[str, Any] = json.loads(to_save(game, "honest").model_dump_json())
    return data


def shown(game: Game) -> dict[str, Any]:
    """What the class debrief shows of a team."""
    return asdict(team_result(game, "team.json"))


def judge(data: dict[str, Any], reference: Reference) -> tuple[str, dict[str, Any] | None]:
    """refused, flagged or accepted (with what the debrief would show)."""
    path = Path("team.json")
    try:
        save = validate(path, data)
        game = restore(save, path)
    except SaveError:
        return "refused", None
    if audit(save, game, reference):
        return "flagged", None
    return "accepted", shown(game)


def test_every_edit_that_changes_the_debrief_is_refused_or_flagged(
    pack: Pack, workshop_save: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    reference = Reference(pack)
    verdict, honest = judge(workshop_save, reference)
    assert verdict == "accepted" and honest is not None
    assert judge(resealed(workshop_save), reference)[0] == "accepted"
    counts: Counter[str] = Counter()
    lies: list[str] = []
    renamed = 0
    fields = sampled(workshop_save)
    assert len(fields) >= 140
    reworded = 0
    for path, value in fields:
        for new in variants(value)[: 1 if path[0] == "content" else 2]:
            edited = with_value(workshop_save, path, new)
            for mode in ("as edited", "resealed"):
                if mode == "resealed":
                    if verdict != "flagged":
                        break  # refused (resealing changes no digest) or accepted as it is
                    edited = resealed(edited)
                verdict, seen = judge(edited, reference)
                counts[f"{mode}: {verdict}"] += 1
                if verdict == "accepted" and seen != honest:
                    if mode == "resealed" and path in NAME_FIELDS:
                        renamed += 1
                    elif mode == "resealed" and path[0] == "turns" and path[2] == "actions":
                        # Every digest still matches: the decision had no effect on the game (a
                        # round that failed at the edited terms as it failed at the played ones).
                        # Only the seal tells such an edit, and a resealed file has a fresh seal.
                        reworded += 1
                    else:
                        lies.append(f"{mode} {'.'.join(map(str, path))} = {new!r}")
    accepted = counts["as edited: accepted"] + counts["resealed: accepted"]
    with capsys.disabled():
        print(
            f"\n{sum(counts.values())} single-field edits of {len(fields)} fields: "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            + f"; accepted {accepted}, of which change the debrief: {len(lies)} lies, {renamed} resealed renames, "
            f"{reworded} resealed rewordings of decisions that had no effect"
        )
    assert not lies, "\n".join(lies)
    assert counts["as edited: accepted"] < 0.2 * sum(v for k, v in counts.items() if k.startswith("as edited"))
