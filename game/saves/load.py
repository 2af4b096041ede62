"""Reading a save strictly: every way a file can be wrong gets its own message and advice.

`read_save(path)` checks, in order: size, text encoding, JSON syntax (a file cut short is told
apart from one that is garbled), NaN or infinity, that it is a Fortress save at all, its schema
version (newer: update the game; older: migrated), then every field against the models. It never
changes the file. Replaying it and checking its digests is `game.saves.replay`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game.saves.errors import SaveError
from game.saves.format import SCHEMA_VERSION, SaveFile
from game.saves.migrations import MIGRATIONS

MAX_BYTES = 8_000_000
"""A save larger than this is refused unread (a 20-quarter game is well under 200 kB)."""

_DAMAGED = "It may be damaged or not a Fortress save; your other saves are not affected."


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def _fmt_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def parse(path: Path, raw: bytes) -> dict[str, Any]:
    """The JSON object in `raw`, or a SaveError saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(path, "is not a text file.", _DAMAGED) from None
    if not text.strip():
        raise SaveError(path, "is empty.", "The game was probably interrupted while creating it; load another save.")
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
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
        raise SaveError(
            path,
            f"contains {exc.args[0]}, which no Fortress save can hold.",
            "It was edited by hand or damaged; load another save.",
        ) from None
    if not isinstance(data, dict):
        raise SaveError(path, "is JSON but not a Fortress save.", "Choose a file written by Fortress.")
    return data


def read_save(path: Path | str) -> SaveFile:
    """Read and validate a save (migrating old schemas in memory)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SaveError(path, f"cannot be opened ({exc.strerror or exc}).", "Check the path.") from None
    if size > MAX_BYTES:
        raise SaveError(
            path,
            f"is {size / 1e6:.1f} MB, larger than any save ({MAX_BYTES / 1e6:.0f} MB limit).",
            "It is not a Fortress save; it was not read.",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError(path, f"cannot be read ({exc.strerror or exc}).", "Check its permissions.") from None
    return validate(path, parse(path, raw))


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
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except (KeyError, TypeError, ValueError) as exc:
            raise SaveError(
                path, f"is an old save (schema {version}) that could not be upgraded: {exc}.", _DAMAGED
            ) from None
        version += 1
    try:
        return SaveFile.model_validate(data)
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
                words.append(f"field `{where}`: {err['msg']}")
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise SaveError(
            path,
            "does not match the save format: " + "; ".join(words) + more + ".",
            "It was edited by hand or damaged; load another save.",
        ) from None
