"""The save format: self-contained JSON described by pydantic models.

A save holds everything needed to rebuild the game on another machine: the resolved content it
was played with (so it replays even where `content/` differs), the seed and settings, the actions
of every finished quarter with a digest of the state after it, and the actions planned so far in
the current quarter. Unknown fields are errors; numbers must be finite.

Schema history:
  1. the first format: settings at the top level.
  2. settings grouped under `settings`; `digest_precision`, `start_digest` and `summary` added.
  3. `fingerprint` (of the content played) and `seal` (of the whole save) added, so that a
     workshop can tell a save whose rules or fields were edited from an honest one.
  4. `history`: every load and branch of the game, each with the nonce that keys the negotiated
     dice of the quarters played after it (a schema-3 save has none: it was never reloaded as far
     as it knows, and replays as before).
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from game.content.models import Pack
from game.session.actions import Action
from game.session.core import Load

SCHEMA_VERSION = 4
"""The schema this version of the game writes."""
MAX_ACTIONS = 500
"""Most decisions one quarter of a save may hold (a quarter's real plan is a handful)."""
MAX_TURNS = 64
"""Most quarters a save may hold (the longest game is much shorter)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, ser_json_inf_nan="constants")


class TurnLog(_Model):
    """One finished quarter: the actions taken and the digest of the state after it."""

    actions: list[Action] = Field(max_length=MAX_ACTIONS)
    digest: str = Field(pattern=r"^[0-9a-f]{32}$")


class LoadLog(_Model):
    """One load or branch of the game (`game.session.core.Load`)."""

    kind: Literal["load", "branch"]
    turn: int = Field(ge=0, le=MAX_TURNS)
    nonce: str = Field(pattern=r"^[0-9a-f]{16}$")
    at: str = Field(max_length=40)
    source: str = Field(max_length=200)
    game_id: str = Field(pattern=r"^[0-9a-f]{8}$")
    line: bool = True
    left_turn: int | None = Field(default=None, ge=0, le=MAX_TURNS)
    left_score: float | None = Field(default=None, allow_inf_nan=False)
    first_line: list[list[Action]] | None = Field(default=None, max_length=MAX_TURNS)


MAX_LOADS = 500
"""Most loads and branches a save's history may hold."""


class Settings(_Model):
    """What the player chose when the game began."""

    lab_name: str = Field(min_length=1, max_length=80)
    scenario: str
    difficulty: str
    seed: int = Field(ge=0)
    quarters: int | None = Field(default=None, ge=1)
    """A workshop's shortened game length, if any."""
    workshop: str | None = None
    """The join code of the workshop this game belongs to, if any."""


class Summary(_Model):
    """What the save list shows without replaying the game."""

    quarter: str
    turn: int = Field(ge=0)
    outcome: str | None = None
    score: float | None = Field(default=None, allow_inf_nan=False)
    cash: float | None = Field(default=None, allow_inf_nan=False)
    valuation: float | None = Field(default=None, allow_inf_nan=False)
    rival_valuation: float | None = Field(default=None, allow_inf_nan=False)
    turns: int | None = Field(default=None, ge=1)
    """The game's length in quarters (absent from saves written before it was recorded)."""


class SaveFile(_Model):
    """A saved game, schema version 4."""

    schema_version: Literal[4] = 4
    game_version: str
    rules_version: int = Field(default=1, ge=1)
    """The rules (`RULES_VERSION`) the game was played under; saves from before it was recorded
    were played under the first."""
    numpy_version: str
    saved_at: str
    """UTC time of writing, ISO 8601."""
    name: str = Field(max_length=200)
    kind: Literal["named", "autosave"] = "named"
    game_id: str = Field(pattern=r"^[0-9a-f]{8}$")
    """Tells apart games with the same lab name (autosaves rotate per game)."""
    settings: Settings
    digest_precision: float = Field(gt=0, allow_inf_nan=False)
    start_digest: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    content: Pack
    turns: list[TurnLog] = Field(max_length=MAX_TURNS)
    pending: list[Action] = Field(default=[], max_length=MAX_ACTIONS)
    history: list[LoadLog] = Field(default=[], max_length=MAX_LOADS)
    """Every load and branch of the game, oldest first."""
    summary: Summary
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    """The fingerprint of `content` when the game was saved (None in saves older than schema 3)."""
    seal: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """A hash of every other field of the save as written (None in saves older than schema 3)."""
    _as_written: tuple[bool | None, bool | None] = PrivateAttr(default=(None, None))
    """Whether the file as read matched its seal and its content its fingerprint (None: not
    checked, or not recorded), worked out from the file's own JSON, so that fields a later version
    of Fortress adds with a default never make an honest older save look edited."""


def seal_of(save: SaveFile) -> str:
    """The hash of every field of `save` but its seal, as a save written by Fortress records it.
    Anyone can recompute it: it tells a file edited by hand, not a forgery (the content's
    comparison with a workshop's pack and the replay of the digests tell that)."""
    return seal_of_data(json.loads(save.model_dump_json()))


def seal_of_data(data: dict[str, object]) -> str:
    """The seal of a save as JSON data, exactly as its file holds it (its own seal left out)."""
    rest = {k: v for k, v in data.items() if k != "seal"}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


def load_of(log: LoadLog) -> Load:
    """The session's record of a load, from a save's history."""
    first = None if log.first_line is None else tuple(tuple(q) for q in log.first_line)
    return Load(
        log.kind, log.turn, log.nonce, log.at, log.source, log.game_id, log.line, log.left_turn, log.left_score, first
    )


def log_of(load: Load) -> LoadLog:
    """A save's history entry for a load."""
    first = None if load.first_line is None else [list(q) for q in load.first_line]
    kind = "branch" if load.kind == "branch" else "load"
    return LoadLog(
        kind=kind,
        turn=load.turn,
        nonce=load.nonce,
        at=load.at,
        source=load.source,
        game_id=load.game_id,
        line=load.line,
        left_turn=load.left_turn,
        left_score=load.left_score,
        first_line=first,
    )
