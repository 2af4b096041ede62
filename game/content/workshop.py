"""Classroom workshops: a small TOML file and a join code that both name one shared world.

A workshop fixes the scenario, difficulty, seed and (optionally) a shorter game, so every team
plays the same deal, as in duplicate bridge. The join code packs the same settings into ten
characters a facilitator can read aloud: Crockford base-32 (no I, L, O or U; those are read as
1, 1, 0 and V when typed), a 5-bit hash check and a final Luhn mod-32 check character, so any
single mistyped character or swapped neighbours are refused rather than taken for another world.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Annotated

import tomli
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from game.content.models import Ident, Pack, printable
from game.content.problems import ContentError, Problem

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPO = {"O": "0", "I": "1", "L": "1", "U": "V"}
SEED_BITS = 20
MAX_SEED = (1 << SEED_BITS) - 1
MAX_QUARTERS = 31
MAX_FILE_BYTES = 64_000
"""A workshop file is a few hundred bytes; a larger file is refused unread."""


class Workshop(BaseModel):
    """One workshop: the world every team plays (its seed may exceed a content value's range)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, Field(max_length=120), AfterValidator(printable)] = "Fortress workshop"
    scenario: Ident
    difficulty: Ident = "normal"
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)]
    quarters: Annotated[int, Field(ge=1, le=MAX_QUARTERS)] | None = None
    """A shorter game than the scenario's, for a short session."""
    notes: str = Field(default="", max_length=4000)
    """Facilitator notes (not shown to teams)."""
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    """The fingerprint of the content pack the workshop was written with (its scenario only):
    the debrief flags a save played with other content."""


class JoinCodeError(ValueError):
    """A join code that does not name a world this copy of the game can play."""


def _hash(text: str, bits: int) -> int:
    return zlib.crc32(text.encode("utf-8")) & ((1 << bits) - 1)


def _luhn32(chars: str) -> str:
    """The Luhn mod-32 check character for `chars`."""
    factor, total = 2, 0
    for ch in reversed(chars):
        addend = factor * ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def join_code(w: Workshop) -> str:
    """The ten-character code for `w`, shown as `XXXXX-XXXXX`."""
    quarters = w.quarters or 0
    payload = (_hash(w.scenario, 10) << 30) | (_hash(w.difficulty, 5) << 25) | (w.seed << 5) | quarters
    check = _hash(f"{payload:x}", 5)
    value = (payload << 5) | check  # 45 bits: 9 characters
    body = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(9)))
    code = body + _luhn32(body)
    return f"{code[:5]}-{code[5:]}"


def normalise_code(code: str) -> str:
    text = "".join(ch for ch in code.upper() if ch not in " -_\t")
    return "".join(_TYPO.get(ch, ch) for ch in text)


def parse_code(code: str, pack: Pack) -> Workshop:
    """The workshop a join code names, checked against this pack; JoinCodeError if it does not."""
    text = normalise_code(code)
    bad = [ch for ch in text if ch not in ALPHABET]
    if len(text) != 10 or bad:
        raise JoinCodeError(
            f"{code!r} is not a join code: a code is ten letters and digits like 7KQ2M-9XA4C"
            + (f" (it has {''.join(bad)!r}, which codes never use)." if bad else f" (it has {len(text)}).")
        )
    if _luhn32(text[:9]) != text[9]:
        raise JoinCodeError(
            f"{code!r} has a typing mistake (its check character does not match). Check it against the board."
        )
    value = 0
    for ch in text[:9]:
        value = value * 32 + ALPHABET.index(ch)
    payload, check = value >> 5, value & 31
    if _hash(f"{payload:x}", 5) != check:
        raise JoinCodeError(f"{code!r} has a typing mistake (its checksum does not match). Check it against the board.")
    scen_hash, diff_hash = payload >> 30, (payload >> 25) & 31
    seed, quarters = (payload >> 5) & MAX_SEED, payload & 31
    scenarios = [s for s in pack.scenarios if _hash(s.id, 10) == scen_hash]
    levels = [d for d in pack.difficulties if _hash(d.id, 5) == diff_hash]
    if len(scenarios) != 1 or len(levels) != 1:
        raise JoinCodeError(
            f"{code!r} is a valid code for a scenario or difficulty this copy of Fortress does not have. "
            "Ask the facilitator for the workshop file, or update the game."
        )
    scenario = scenarios[0]
    if quarters > scenario.quarters:
        raise JoinCodeError(f"{code!r} asks for {quarters} quarters but {scenario.name} has only {scenario.quarters}.")
    return Workshop(
        title=f"{scenario.name} workshop",
        scenario=scenario.id,
        difficulty=levels[0].id,
        seed=seed,
        quarters=quarters or None,
    )


def titled(workshop: Workshop, folders: list[Path]) -> Workshop:
    """`workshop` (from a join code, which has no room for a title) with the title of a workshop
    file in `folders` that names the same world, when there is one."""
    code = join_code(workshop)
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                found = load_workshop(path)
            except ContentError:
                continue
            if join_code(found) == code:
                return workshop.model_copy(update={"title": found.title})
    return workshop


def check_workshop(w: Workshop, pack: Pack, file: str = "workshop") -> None:
    """Raise ContentError if the workshop names things the pack does not have."""
    problems = []
    ids = [s.id for s in pack.scenarios]
    if w.scenario not in ids:
        problems.append(Problem(file, "scenario", f"unknown scenario {w.scenario!r}; known: {', '.join(ids)}"))
    levels = [d.id for d in pack.difficulties]
    if w.difficulty not in levels:
        problems.append(Problem(file, "difficulty", f"unknown difficulty {w.difficulty!r}; known: {', '.join(levels)}"))
    if w.scenario in ids and w.quarters is not None and w.quarters > pack.scenario(w.scenario).quarters:
        problems.append(
            Problem(
                file,
                "quarters",
                f"{w.quarters} quarters is longer than the scenario ({pack.scenario(w.scenario).quarters})",
            )
        )
    if problems:
        raise ContentError(problems)


def load_workshop(path: Path | str) -> Workshop:
    """Read a workshop file; ContentError names the file, key and line of any mistake."""
    from game.content.keylines import key_lines, line_for

    path = Path(path)
    name = str(path)
    try:
        if not path.is_file():
            raise ContentError([Problem(name, "", "is not a workshop file (no such file, or not an ordinary file)")])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ContentError([Problem(name, "", "is far larger than a workshop file; it was not read")])
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        reason = (exc.strerror or "the system refused").lower()
        raise ContentError([Problem(name, "", f"cannot read the workshop file ({reason})")]) from None
    except UnicodeDecodeError:
        raise ContentError([Problem(name, "", "cannot read the workshop file (it is not UTF-8 text)")]) from None
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise ContentError(
            [Problem(name, "", f"not valid TOML: {getattr(exc, 'msg', exc)}", getattr(exc, "lineno", None))]
        ) from None
    except RecursionError:
        raise ContentError([Problem(name, "", "not valid TOML: arrays or tables nested far too deeply")]) from None
    try:
        return Workshop.model_validate(data)
    except ValidationError as exc:
        lines = key_lines(text)
        raise ContentError(
            [
                Problem(
                    name,
                    ".".join(str(x) for x in e["loc"]),
                    str(e["msg"]).removeprefix("Value error, "),
                    line_for(lines, tuple(e["loc"])),
                )
                for e in exc.errors()
            ]
        ) from None


def workshop_toml(w: Workshop) -> str:
    """The workshop as a TOML file (strings are written as JSON strings, which TOML accepts)."""
    lines = [
        "# A Fortress workshop: every team plays this world.",
        f"# Join code: {join_code(w)}",
        f"title = {json.dumps(w.title)}",
        f"scenario = {json.dumps(w.scenario)}",
        f"difficulty = {json.dumps(w.difficulty)}",
        f"seed = {w.seed}",
    ]
    if w.quarters is not None:
        lines.append(f"quarters = {w.quarters}")
    lines.append(f"notes = {json.dumps(w.notes)}")
    if w.fingerprint is not None:
        lines.append("# The content pack's fingerprint: saves played with other rules are flagged in the debrief.")
        lines.append(f"fingerprint = {json.dumps(w.fingerprint)}")
    return "\n".join(lines) + "\n"
