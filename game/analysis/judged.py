"""Judged once: a save's judgement is stored beside it and read back while nothing it rests on changed.

Judging a game takes seconds; reading its stored judgement takes milliseconds. Each judged save
`NAME.json` gets `.judgements/NAME.json` in its folder (hidden, so the class folder's readers
never take it for a save), holding the judgement and the key it was made under: a digest of the
game (its world, every quarter's decisions and the position they led to), of the content it was
played with (the rules and the judgement's settings), the game's and numpy's versions, and the
rollouts, seed and method of the judgement. A stored judgement is used only when its key equals
the key of the game now and its own digest checks out; a changed save, another version or other
settings judge again, and a damaged, edited or foreign file is ignored (and replaced), never
trusted and never an error. If the folder cannot be written, the judgement is simply not stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from game import __version__
from game.analysis.judge import GameJudgement, Memo, judge_game, state_digest
from game.content.models import Judgement
from game.session.actions import ACTION_LIST
from game.session.game import Game

FOLDER = ".judgements"
FORMAT = 1
"""The layout of a stored judgement; a file of another layout is judged again."""

_ADAPTER: TypeAdapter[GameJudgement] = TypeAdapter(GameJudgement)


def game_digest(game: Game) -> str:
    """A digest of what a judgement of `game` rests on: its world and settings, every quarter's
    decisions, the position they led to and the content it was played with."""
    h = hashlib.blake2b(digest_size=16)
    world = [game.scenario.id, game.difficulty_id, game.seed, game.quarters, game.lab_name]
    h.update(json.dumps(world).encode())
    for record in game.turns:
        h.update(ACTION_LIST.dump_json(list(record.actions)))
    h.update(state_digest(game.state))
    h.update(game.pack.model_dump_json().encode())
    return h.hexdigest()


def key_of(game: Game, rules: Judgement, rollouts: int, seed: int, sequential: bool) -> dict[str, Any]:
    """Everything a stored judgement of `game` must have been made under to be used again."""
    return {
        "format": FORMAT,
        "game_version": __version__,
        "numpy_version": np.__version__,
        "game": game_digest(game),
        "settings": hashlib.blake2b(rules.model_dump_json().encode(), digest_size=16).hexdigest(),
        "rollouts": rollouts,
        "seed": seed,
        "sequential": sequential,
    }


def path_for(save: Path) -> Path:
    return save.parent / FOLDER / save.name


def _payload_digest(key: dict[str, Any], judgement: Any) -> str:
    text = json.dumps([key, judgement], sort_keys=True, allow_nan=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def load(save: Path, key: dict[str, Any]) -> GameJudgement | None:
    """The judgement stored beside `save` under `key`, or None (none stored, another key, or a
    file that is damaged or not what it claims)."""
    try:
        data = json.loads(path_for(save).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        if data.get("digest") != _payload_digest(key, data.get("judgement")):
            return None
        result = _ADAPTER.validate_python(data["judgement"])
    except (OSError, UnicodeDecodeError, ValueError, ValidationError, TypeError, KeyError, RecursionError):
        return None
    if not _sound(result):
        return None
    return result


def _sound(result: GameJudgement) -> bool:
    """A judgement whose figures can stand: its counts whole and its totals adding up."""
    figures = [result.start, result.final_score, result.decisions_total, result.luck_total, result.error]
    if not all(math.isfinite(x) for x in figures) or result.rollouts < 1:
        return False
    return math.isclose(result.start + result.decisions_total + result.luck_total, result.final_score, abs_tol=1e-6)


def store(save: Path, key: dict[str, Any], judgement: GameJudgement) -> None:
    """Write the judgement beside `save` (atomically); a folder that cannot be written is skipped."""
    payload = json.loads(json.dumps(asdict(judgement), allow_nan=True))
    data = {"key": key, "digest": _payload_digest(key, payload), "judgement": payload}
    target = path_for(save)
    try:
        target.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, allow_nan=True)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return


def judged(
    game: Game,
    save: Path,
    rules: Judgement,
    rollouts: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    *,
    sequential: bool = True,
    memo: Memo | None = None,
) -> tuple[GameJudgement, bool]:
    """The judgement of `game` (saved as `save`): the stored one when it still holds, else a new
    one, stored. Also says whether it was read from the store."""
    key = key_of(game, rules, rollouts, seed, sequential)
    found = load(save, key)
    if found is not None:
        return found, True
    result = judge_game(game, rules, rollouts, seed, progress, sequential=sequential, memo=memo)
    store(save, key, result)
    return result, False
