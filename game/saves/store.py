"""Writing saves that never lose a game, and the folder that holds them.

Every write is atomic: the JSON goes to a temporary file in the same folder, is flushed and synced
to disk, then renamed over the target, so a crash leaves either the old save or the new one, never
half of one; a temporary file left by a crash is removed by the next write of the same save.
Autosaves rotate per game line: the newest few of each line are kept, and a game loaded from an
earlier save and played on starts a line of its own, so it never overwrites or deletes the
autosaves of the game it branched from. Named saves stay until the player replaces them. Names
typed by a player are made safe: no path separators, no `..`, no control characters.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
import time
import unicodedata
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np

from game import __version__
from game.content.fingerprint import fingerprint
from game.saves.digest import PRECISION, state_digest
from game.saves.errors import SaveError
from game.saves.folder import ENV_FOLDER as ENV_FOLDER  # re-exported: where saves live
from game.saves.folder import default_folder as default_folder
from game.saves.format import SaveFile, Settings, Summary, TurnLog, log_of, seal_of
from game.saves.load import SaveEntry, read_folder, read_save
from game.session.core import RULES_VERSION
from game.session.game import Game

AUTOSAVES_KEPT = 3
"""Autosaves kept per game; older ones are deleted as new ones land."""
MAX_NAME = 60
STALE_TMP_SECONDS = 60
"""A temporary file older than this, next to a save being written, was left by a crash."""
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(name: str) -> str:
    """A file-name-safe version of a name typed by a player (letters, digits, `-` and `_`)."""
    text = unicodedata.normalize("NFKC", name)
    kept = "".join(c if (c.isalnum() or c in "-_ ") else "-" for c in text if c.isprintable())
    kept = re.sub(r"[\s-]+", "-", kept).strip("-_ ")
    kept = kept[:MAX_NAME].strip("-_ ") or "save"
    if kept.lower() in _RESERVED:
        kept += "-save"
    return kept


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # a save is an ordinary file (mkstemp makes it private)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    now = time.time()
    for left in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):  # left by an earlier crash
        with contextlib.suppress(OSError):
            if now - left.stat().st_mtime > STALE_TMP_SECONDS:
                left.unlink()
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows it
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def glob_escape(name: str) -> str:
    """`name` with the characters glob reads as patterns escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def summary_of(game: Game) -> Summary:
    """What a save of `game` records for the save list, as the game stands."""
    d = game.dashboard()
    over = game.summary() if game.over else None
    return Summary(
        quarter=game.quarter_label(game.turn - 1) if game.over else d.quarter,  # the last one played
        turn=game.turn,
        outcome=game.outcome,
        score=over.score if over else d.score,
        cash=d.cash,
        valuation=d.valuation,
        rival_valuation=d.rival_valuation,
        turns=game.params.n_turns,
    )


def to_save(game: Game, name: str, kind: Literal["named", "autosave"] = "named") -> SaveFile:
    """The save of `game` as it stands, including this quarter's planned actions."""
    turns = [
        TurnLog(actions=record.actions, digest=state_digest(game, i)) for i, record in enumerate(game.turns, start=1)
    ]
    content = game.pack.model_copy(update={"scenarios": [game.scenario]})
    save = SaveFile(
        game_version=__version__,
        rules_version=RULES_VERSION,
        numpy_version=np.__version__,
        saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        name=name,
        kind=kind,
        game_id=game.game_id,
        settings=Settings(
            lab_name=game.lab_name,
            scenario=game.scenario.id,
            difficulty=game.difficulty_id,
            seed=game.seed,
            quarters=game.quarters,
            workshop=game.workshop,
        ),
        digest_precision=PRECISION,
        start_digest=state_digest(game, 0),
        content=content,
        turns=turns,
        pending=list(game.pending),
        history=[log_of(load) for load in game.loads],
        summary=summary_of(game),
        fingerprint=fingerprint(content),
    )
    return save.model_copy(update={"seal": seal_of(save)})


class SaveStore:
    """The save folder."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self._lines: dict[int, tuple[weakref.ref[Game], str]] = {}
        """The autosave line of each game this store has autosaved ("" for a game's first line)."""

    def path_for(self, name: str, game_id: str | None = None) -> Path:
        """The file a named save goes to. With `game_id`, a file of that name that holds another
        game (another team's, in a shared workshop folder) is never replaced: the save goes to a
        name of its own (`name-<game id>.json`)."""
        path = self.folder / f"{safe_name(name)}.json"
        if game_id is None or not os.path.lexists(path):
            return path
        try:
            if read_save(path).game_id == game_id:
                return path
        except SaveError:
            pass
        return self.folder / f"{safe_name(name)}-{game_id}.json"

    def save(self, game: Game, name: str) -> Path:
        """Write a named save (replacing this game's own save of the same name). Returns its path."""
        path = self.path_for(name, game.game_id)
        self._write(path, to_save(game, name, "named"))
        return path

    def autosave(self, game: Game) -> Path:
        """Write this quarter's autosave and delete the older autosaves of this game line beyond
        the few kept. A game line is a chain of saves each of which continues the one before."""
        save = to_save(game, f"{game.lab_name} (autosave)", "autosave")
        stem = f"autosave-{safe_name(game.lab_name)}-{game.game_id}"
        known = self._lines.get(id(game))
        if known is not None and known[0]() is game:
            line = known[1]
        else:
            line = self._line_for(stem, [t.digest for t in save.turns])
            self._lines = {k: v for k, v in self._lines.items() if v[0]() is not None}
            self._lines[id(game)] = (weakref.ref(game), line)
        path = self.folder / f"{stem}{line}-q{game.turn:02d}.json"
        self._write(path, save)
        for old in self._line_files(stem, line)[:-AUTOSAVES_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()
        return path

    def _line_files(self, stem: str, line: str) -> list[Path]:
        pattern = re.compile(re.escape(f"{stem}{line}") + r"-q\d+\.json")
        return sorted(p for p in self.folder.glob(f"{glob_escape(stem)}*.json") if pattern.fullmatch(p.name))

    def _line_for(self, stem: str, digests: list[str]) -> str:
        """The line a game continues: the line whose newest autosave is an earlier point of this
        very game, else a new line (the game's first, or a branch from an earlier save)."""
        pattern = re.compile(re.escape(stem) + r"(-b[0-9a-f]{6})?-q\d+\.json")
        lines: dict[str, Path] = {}
        for path in sorted(self.folder.glob(f"{glob_escape(stem)}*.json")):
            match = pattern.fullmatch(path.name)
            if match:
                lines[match.group(1) or ""] = path  # sorted: the newest quarter of each line wins
        for line, newest in lines.items():
            try:
                theirs = [t.digest for t in read_save(newest).turns]
            except SaveError:
                continue
            if len(theirs) <= len(digests) and digests[: len(theirs)] == theirs:
                return line
        if "" not in lines:
            return ""
        return "-b" + secrets.token_hex(3)

    def _write(self, path: Path, save: SaveFile) -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise SaveError(
                path,
                f"could not be written: {self.folder} is a file, not a folder.",
                "Choose another save folder; your other saves are untouched.",
            )
        try:
            atomic_write(path, save.model_dump_json(indent=1).encode("utf-8"))
        except OSError as exc:
            raise SaveError(
                path,
                f"could not be written ({exc.strerror or exc}).",
                "Check that the save folder exists and is writable; your other saves are untouched.",
            ) from None

    def line_left(self, save: SaveFile, current: Game | None = None) -> SaveFile | None:
        """The line a load of `save` leaves behind: the game in play if it is the same game, else
        the newest save in the folder of the same game (None: none, or `save` is that newest)."""
        if current is not None and current.game_id == save.game_id:
            return to_save(current, current.lab_name)
        same = [e.save for e in self.entries() if e.save is not None and e.save.game_id == save.game_id]
        newest = same[0] if same else None
        if newest is None or seal_of(newest) == seal_of(save):
            return None
        return newest

    def entries(self) -> list[SaveEntry]:
        """Every save file in the folder, newest first; files that cannot be used carry their reason."""
        entries = read_folder(self.folder)

        def when(e: SaveEntry) -> tuple[int, str, float]:
            try:
                mtime = e.path.lstat().st_mtime
            except OSError:
                mtime = 0.0
            return (1, e.save.saved_at, mtime) if e.save else (0, "", mtime)

        return sorted(entries, key=when, reverse=True)

    def latest(self) -> SaveEntry | None:
        """The most recent readable save, for Continue."""
        return next((e for e in self.entries() if e.ok), None)
