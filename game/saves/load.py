"""Reading a save strictly: every way a file can be wrong gets its own message and advice.

`read_save(path)` checks, in order: that it is an ordinary file (a pipe, a device or a folder
named like a save is never opened for reading, so it cannot hang or fill memory), its size
(before reading), text encoding (a byte-order mark is allowed), how deep its JSON nests (before
parsing), JSON syntax (a file cut short is told apart from one that is garbled), NaN or infinity,
that it is a Fortress save at all, its schema version (newer: update the game; older: migrated),
then every field against the models. Whatever goes wrong is a `SaveError` with a reason; nothing
else escapes. It never changes the file. `read_folder` reads a whole folder with it: the one
reader behind every listing. Replaying a save and checking its digests is `game.saves.replay`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from game.content.fingerprint import data_fingerprint
from game.content.names import plain
from game.saves.errors import SaveError
from game.saves.folder import save_files as save_files  # re-exported: the one listing of a folder
from game.saves.format import SCHEMA_VERSION, SaveFile, seal_of_data
from game.saves.migrations import MIGRATIONS, MigrationError

MAX_BYTES = 8_000_000
"""A save larger than this is refused unread (a 20-quarter game is well under 200 kB)."""
MAX_DEPTH = 32
"""A save nests its JSON about 8 levels deep; a file nested deeper than this is refused unparsed."""

_DAMAGED = "It may be damaged or not a Fortress save; your other saves are not affected."
_NOT_READ = "It is not a Fortress save; it was not read."
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class _Constant(ValueError):
    """NaN or infinity in the JSON."""


def _no_constants(name: str) -> Any:
    raise _Constant(name)


def _fmt_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (strings are skipped), without parsing it."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)).encode("ascii")
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def parse(path: Path, raw: bytes) -> dict[str, Any]:
    """The JSON object in `raw`, or a SaveError saying what is wrong with it."""
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is allowed
    except UnicodeDecodeError:
        raise SaveError(path, "is not a text file.", _DAMAGED) from None
    if not text.strip():
        raise SaveError(path, "is empty.", "The game was probably interrupted while creating it; load another save.")
    if json_depth(text) > MAX_DEPTH:
        raise SaveError(path, f"nests deeper than any save ({MAX_DEPTH} levels).", _NOT_READ)
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except _Constant as exc:
        raise SaveError(
            path,
            f"contains {exc.args[0]}, which no Fortress save can hold.",
            "It was edited by hand or damaged; load another save.",
        ) from None
    except json.JSONDecodeError as exc:
        body = text.strip()
        unclosed = body.startswith("{") and not body.endswith("}")
        if unclosed or exc.pos >= len(body) - 1:
            raise SaveError(
                path,
                "is cut short: the file ends in the middle of the save.",
                "Load an earlier save or autosave instead.",
            ) from None
        raise SaveError(
            path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).", _DAMAGED
        ) from None
    except (ValueError, RecursionError):
        raise SaveError(path, "holds a number or a nesting no Fortress save can hold.", _DAMAGED) from None
    if not isinstance(data, dict):
        raise SaveError(path, "is JSON but not a Fortress save.", "Choose a file written by Fortress.")
    return data


def read_bytes(path: Path) -> bytes:
    """The bytes of a save file, read within bounds: an ordinary file (a symbolic link to one is
    followed) of at most MAX_BYTES, opened without blocking, so a pipe, a device or a folder
    named like a save is refused unopened and never hangs or fills memory."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise SaveError(path, f"cannot be opened ({_os_reason(exc)}).", "Check the path.") from None
    _check_kind(path, info.st_mode, info.st_size)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SaveError(path, f"cannot be read ({_os_reason(exc)}).", "Check its permissions.") from None
    try:
        opened = os.fstat(fd)
        _check_kind(path, opened.st_mode, opened.st_size)  # the file may have been swapped since
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SaveError(path, f"cannot be read ({_os_reason(exc)}).", "Check its permissions.") from None
    finally:
        os.close(fd)
    if total > MAX_BYTES:
        raise SaveError(path, f"grew past the {MAX_BYTES / 1e6:.0f} MB limit while being read.", _NOT_READ)
    return b"".join(chunks)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or "the system refused").lower()


def _check_kind(path: Path, mode: int, size: int) -> None:
    if stat.S_ISDIR(mode):
        raise SaveError(path, "is a folder, not a save file.", _NOT_READ)
    if not stat.S_ISREG(mode):
        raise SaveError(path, "is not an ordinary file (it is a device, a pipe or a socket).", _NOT_READ)
    if size > MAX_BYTES:
        raise SaveError(
            path, f"is {size / 1e6:.1f} MB, larger than any save ({MAX_BYTES / 1e6:.0f} MB limit).", _NOT_READ
        )


def read_save(path: Path | str) -> SaveFile:
    """Read and validate a save (migrating old schemas in memory). Every problem, whatever its
    cause, is a SaveError; nothing else escapes."""
    path = Path(path)
    try:
        return validate(path, parse(path, read_bytes(path)))
    except SaveError:
        raise
    except RecursionError:
        raise SaveError(path, f"nests deeper than any save ({MAX_DEPTH} levels).", _NOT_READ) from None
    except MemoryError:
        raise SaveError(path, "is too large to read.", _NOT_READ) from None
    except Exception:
        raise SaveError(path, "could not be read as a Fortress save.", _DAMAGED) from None


@dataclass(frozen=True)
class SaveEntry:
    """One file in a save folder: its save, or the reason it was skipped."""

    path: Path
    save: SaveFile | None
    problem: str | None = None
    """The whole message (`name: problem advice`) of a file that cannot be used."""

    @property
    def ok(self) -> bool:
        return self.save is not None

    @property
    def reason(self) -> str:
        """Why the file was skipped, without its name in front."""
        return (self.problem or "is not a readable Fortress save.").removeprefix(f"{self.path.name}: ")


def read_folder(folder: Path | str) -> list[SaveEntry]:
    """Every save file in `folder`, read by `read_save`, in name order: the one reader behind every
    listing (the title screen, the Load screen, the live view, the debrief and `replay --check`)."""
    out = []
    for path in save_files(folder):
        try:
            out.append(SaveEntry(path, read_save(path)))
        except SaveError as exc:
            out.append(SaveEntry(path, None, str(exc)))
    return out


def _as_written(data: dict[str, Any]) -> tuple[bool | None, bool | None]:
    """Whether the file's JSON matches its own seal, and its content its own fingerprint."""
    seal, recorded = data.get("seal"), data.get("fingerprint")
    seal_ok = seal_of_data(data) == seal if isinstance(seal, str) else None
    fingerprint_ok = data_fingerprint(data.get("content")) == recorded if isinstance(recorded, str) else None
    return seal_ok, fingerprint_ok


def validate(path: Path, data: dict[str, Any]) -> SaveFile:
    """A SaveFile from parsed JSON, migrating older schemas."""
    version = data.get("schema_version", data.get("schema"))
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(
            path, "has no schema version, so it is not a Fortress save.", "Choose a file written by Fortress."
        )
    if version > SCHEMA_VERSION:
        raise SaveError(
            path,
            f"was written by a newer version of Fortress (save schema {version}; this version reads up to {SCHEMA_VERSION}).",
            "Update Fortress to open it; nothing was changed.",
        )
    if version < 1:
        raise SaveError(path, f"has an impossible schema version ({version}).", _DAMAGED)
    as_written = _as_written(data)
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except MigrationError as exc:
            raise SaveError(
                path, f"is an old save (schema {version}) that could not be upgraded: {exc}.", _DAMAGED
            ) from None
        except Exception:
            raise SaveError(
                path, f"is an old save (schema {version}) whose fields are not those of that schema.", _DAMAGED
            ) from None
        version += 1
    try:
        save = SaveFile.model_validate(data)
        save._as_written = as_written
        return save
    except ValidationError as exc:
        errors = exc.errors()
        words = []
        for err in errors[:3]:
            where = _fmt_loc(err["loc"])
            if err["type"] == "missing":
                words.append(f"field `{where}` is missing")
            elif err["type"] == "extra_forbidden":
                words.append(f"field `{where}` is not part of a save")
            elif err["type"] == "finite_number":
                words.append(f"field `{where}` is not a finite number")
            else:
                words.append(f"field `{where}`: {plain(str(err['msg']).removeprefix('Value error, '), 200)}")
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise SaveError(
            path,
            "does not match the save format: " + "; ".join(words) + more + ".",
            "It was edited by hand or damaged; load another save.",
        ) from None
