"""Rebuild a game from a save (seed plus actions) and check every digest on the way.

`restore(save)` returns the live game at the saved quarter, with the saved plan for the current
quarter re-applied. Any action the rules refuse, or any digest that does not match, raises a
`SaveError` naming the quarter: the file was edited, or comes from an engine that computes
differently.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from game import __version__
from game.content.names import plain
from game.saves.digest import state_digest
from game.saves.errors import SaveError
from game.saves.format import SaveFile, load_of
from game.saves.load import read_save
from game.session.core import RULES_VERSION, Load
from game.session.game import Game, IllegalAction
from game.session.wording import plural

if TYPE_CHECKING:
    from game.saves.store import SaveStore
    from game.saves.trust import Reference

_EDITED = "It was edited, damaged, or written by a version of Fortress that plays differently."


def _other_rules(save: SaveFile, path: Path | str) -> SaveError:
    """The save was played under other rules: its digests cannot match, so say so first."""
    older = save.rules_version < RULES_VERSION
    return SaveError(
        path,
        f"was made under {'older' if older else 'newer'} rules of the game (by Fortress {save.game_version}, "
        f"rules version {save.rules_version}); this is Fortress {__version__}, rules version {RULES_VERSION}.",
        f"Its exact replay needs Fortress {save.game_version}. Here its decisions can still be replayed on "
        "today's rules (the replay screen does so), without its digests.",
    )


def _differs(save: SaveFile) -> str:
    if save.game_version != __version__:
        return (
            f"It was played with Fortress {save.game_version} and this is Fortress {__version__}, whose economy has "
            f"changed since; open it with Fortress {save.game_version} to replay it exactly."
        )
    return _EDITED


def restore(save: SaveFile, path: Path | str = "save", upto: int | None = None, verify: bool = True) -> Game:
    """The game of `save`, replayed to its last quarter (or to quarter `upto`).

    With `verify`, every digest is checked; without it (a save from another version of the
    game), the decisions are replayed as far as the rules allow and the digests are ignored.
    """
    if verify and save.rules_version != RULES_VERSION:
        raise _other_rules(save, path)
    s = save.settings
    try:
        game = Game.new(save.content, s.scenario, s.difficulty, s.seed, s.lab_name, s.quarters)
        game.workshop = s.workshop
    except KeyError as exc:
        raise SaveError(
            path, f"names {plain(exc.args[0] if exc.args else '', 40)!r}, which its own content lacks.", _EDITED
        ) from None
    except Exception:
        raise SaveError(path, "holds content that cannot start its game.", _EDITED) from None
    game.game_id = save.game_id
    game.loads = [load_of(log) for log in save.history]  # their nonces key the dice replayed below
    if verify and save.start_digest is not None and state_digest(game) != save.start_digest:
        raise SaveError(path, "does not start from the state its digest records.", _differs(save))
    turns = save.turns if upto is None else save.turns[:upto]
    for i, log in enumerate(turns, start=1):
        label = game.quarter_label()
        if game.over:
            raise SaveError(path, f"records actions after the game ended ({label}).", _EDITED)
        try:
            game.replay_turn(list(log.actions))
        except IllegalAction as exc:
            raise SaveError(path, f"has an action in {label} that the rules refuse: {plain(exc)}", _EDITED) from None
        except Exception:
            raise SaveError(path, f"has an action in {label} that breaks the game.", _EDITED) from None
        if verify and state_digest(game) != log.digest:
            raise SaveError(
                path,
                f"replays differently from {label} on (quarter {i} of {len(save.turns)}): its digest does not match.",
                _differs(save),
            )
    if upto is None:
        for action in save.pending:
            try:
                if game.check(action) is None:
                    game.apply(action)
            except Exception:
                raise SaveError(path, "has a planned action that breaks the game.", _EDITED) from None
    return game


def load_game(path: Path | str) -> Game:
    """Read, validate, replay and check a save file."""
    return restore(read_save(path), path)


def check(path: Path | str, reference: Reference | None = None) -> tuple[bool, str]:
    """Verify one save headlessly: (ok, one line for a facilitator). `OK` replays with every digest
    matching and nothing to flag; `FAIL` cannot be read or replayed; `FLAG` replays but its seal,
    its content (against `reference`) or its summary does not hold up."""
    path = Path(path)
    shown = plain(path)
    try:
        save = read_save(path)
        game = restore(save, path)
    except SaveError as exc:
        return False, f"FAIL {shown}: skipped: {plain(exc.problem)} {plain(exc.advice)}"
    from game.saves.trust import audit

    flags = audit(save, game, reference)
    if flags:
        return False, f"FLAG {shown}: flagged: {'; '.join(flags)}."
    state = game.outcome or f"in progress at {game.quarter_label()}"
    return (
        True,
        f"OK   {shown}: {plain(save.settings.lab_name)}, {save.settings.scenario}, {plural(len(save.turns), 'quarter')} replayed, digests match ({state})",
    )


def record_load(game: Game, save: SaveFile, left: SaveFile | None, kind: str = "load") -> Load:
    """Record in `game` (just restored from `save`) that it was loaded, with a fresh nonce for
    its dice from here on. `left` is the line left behind (the game in play, or the newest save
    of the same game), if any: its loads are kept in the history (not on this line), and if it
    was the game's first line, its quarters are kept so that a debrief can count it."""
    known = {load.nonce for load in game.loads}
    if left is not None:
        for log in left.history:
            if log.nonce not in known:
                game.loads.append(load_of(log.model_copy(update={"line": False})))
                known.add(log.nonce)
    first = None
    if left is not None and not left.history and not save.history:
        first = tuple(tuple(t.actions) for t in left.turns)
    load = Load(
        kind=kind,
        turn=len(save.turns) if kind == "load" else game.turn,
        nonce=secrets.token_hex(8),
        at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=save.name,
        game_id=save.game_id,
        left_turn=None if left is None else len(left.turns),
        left_score=None if left is None else left.summary.score,
        first_line=first,
    )
    game.loads.append(load)
    return load


def reopen(
    store: SaveStore,
    save: SaveFile,
    path: Path | str = "save",
    current: Game | None = None,
    upto: int | None = None,
    branch: bool = False,
) -> Game:
    """Load `save` to play on (to quarter `upto` if given), recording the load and the line it
    leaves in the game's history. A `branch` is a new game (an id of its own) that leaves the
    save's own line behind."""
    left = save if branch else store.line_left(save, current)
    game = restore(save, path, upto=upto)
    if branch:
        game.game_id = secrets.token_hex(4)
        game.loads = [replace(load, line=load.line and load.turn < game.turn) for load in game.loads]
    record_load(game, save, left, "branch" if branch else "load")
    return game
