"""Writing saves that never lose a game, and the folder that holds them.

Every write is atomic: the JSON goes to a temporary file in the same folder, is flushed and synced
to disk, then renamed over the target, so a crash leaves either the old save or the new one, never
half of one. Autosaves rotate (the newest few per game are kept); named saves stay until replaced.
Names typed by a player are made safe: no path separators, no `..`, no control characters.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np

from game import __version__
from game.saves.digest import PRECISION, state_digest
from game.saves.errors import SaveError
from game.saves.format import SaveFile, Settings, Summary, TurnLog
from game.saves.load import read_save
from game.session.game import Game

ENV_FOLDER = "FORTRESS_SAVES"
"""Environment variable naming the save folder."""
AUTOSAVES_KEPT = 3
"""Autosaves kept per game; older ones are deleted as new ones land."""
MAX_NAME = 60
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def default_folder(option: str | Path | None = None) -> Path:
    """The save folder: the command-line option, else $FORTRESS_SAVES, else `saves/` here."""
    if option:
        return Path(option)
    env = os.environ.get(ENV_FOLDER)
    return Path(env) if env else Path("saves")


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
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows it
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def to_save(game: Game, name: str, kind: Literal["named", "autosave"] = "named") -> SaveFile:
    """The save of `game` as it stands, including this quarter's planned actions."""
    turns = [
        TurnLog(actions=record.actions, digest=state_digest(game, i)) for i, record in enumerate(game.turns, start=1)
    ]
    d = game.dashboard()
    over = game.summary() if game.over else None
    return SaveFile(
        game_version=__version__,
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
        content=game.pack.model_copy(update={"scenarios": [game.scenario]}),
        turns=turns,
        pending=list(game.pending),
        summary=Summary(
            quarter=game.quarter_label(game.turn - 1) if game.over else d.quarter,  # the last one played
            turn=game.turn,
            outcome=game.outcome,
            score=over.score if over else d.score,
            cash=d.cash,
            valuation=d.valuation,
            rival_valuation=d.rival_valuation,
            turns=game.params.n_turns,
        ),
    )


@dataclass(frozen=True)
class SaveEntry:
    """One file in the save folder, as the load screen lists it."""

    path: Path
    save: SaveFile | None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.save is not None


class SaveStore:
    """The save folder."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def path_for(self, name: str) -> Path:
        return self.folder / f"{safe_name(name)}.json"

    def save(self, game: Game, name: str) -> Path:
        """Write a named save (replacing one of the same name). Returns its path."""
        path = self.path_for(name)
        self._write(path, to_save(game, name, "named"))
        return path

    def autosave(self, game: Game) -> Path:
        """Write this quarter's autosave and delete this game's older autosaves beyond the few kept."""
        stem = f"autosave-{safe_name(game.lab_name)}-{game.game_id}"
        path = self.folder / f"{stem}-q{game.turn:02d}.json"
        self._write(path, to_save(game, f"{game.lab_name} (autosave)", "autosave"))
        mine = sorted(self.folder.glob(f"{stem}-q*.json"))
        for old in mine[:-AUTOSAVES_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()
        return path

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

    def entries(self) -> list[SaveEntry]:
        """Every save file in the folder, newest first; damaged ones carry their problem."""
        if not self.folder.is_dir():
            return []
        out = []
        for path in self.folder.glob("*.json"):
            if path.name.startswith("."):
                continue
            try:
                out.append(SaveEntry(path, read_save(path)))
            except SaveError as exc:
                out.append(SaveEntry(path, None, str(exc)))

        def when(e: SaveEntry) -> tuple[int, str]:
            return (1, e.save.saved_at) if e.save else (0, "")

        return sorted(out, key=lambda e: (when(e), e.path.stat().st_mtime if e.path.exists() else 0), reverse=True)

    def latest(self) -> SaveEntry | None:
        """The most recent readable save, for Continue."""
        return next((e for e in self.entries() if e.ok), None)
