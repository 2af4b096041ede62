"""Explicit migrations between save schemas: `MIGRATIONS[n]` turns schema n into schema n + 1.

Each migration works on plain JSON data and changes only what its schema change changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


class MigrationError(ValueError):
    """An old save that lacks what its own schema held; the message says what."""


def _field(data: Data, key: str) -> Any:
    if key not in data:
        raise MigrationError(f"its field `{key}` is missing")
    return data[key]


def v1_to_v2(data: Data) -> Data:
    """Schema 1 kept the settings at the top level and had no summary, id or digest precision.

    The rounding of digests did not change (1e-6), so turn digests carry over; the start digest
    was not recorded and stays empty; the summary is rebuilt from what the file holds (the
    outcome is only known after a replay); the game id is derived from the file's own settings.
    """
    out = {k: v for k, v in data.items() if k not in ("schema", "lab_name", "scenario", "difficulty", "seed")}
    settings = {key: _field(data, key) for key in ("lab_name", "scenario", "difficulty", "seed")}
    out["schema_version"] = 2
    out["settings"] = settings
    out["digest_precision"] = 1e-6
    out["start_digest"] = None
    out.setdefault("kind", "named")
    ident = f"{settings['lab_name']}|{settings['scenario']}|{settings['seed']}|{data.get('saved_at', '')}"
    out["game_id"] = hashlib.sha256(ident.encode()).hexdigest()[:8]
    content = _field(data, "content")
    scenarios = content.get("scenarios") if isinstance(content, dict) else None
    scenario = next((s for s in scenarios or [] if isinstance(s, dict) and s.get("id") == settings["scenario"]), None)
    if scenario is None:
        raise MigrationError(f"its content does not hold its scenario {settings['scenario']!r}")
    label = str(scenario.get("start_label", ""))
    if not re.fullmatch(r"Q[1-4] \d{4}", label):
        raise MigrationError(f"its scenario's `start_label` {label[:20]!r} is not a quarter such as `Q1 2026`")
    q, year = label.split()
    turns = _field(data, "turns")
    if not isinstance(turns, list):
        raise MigrationError("its field `turns` is not a list")
    index = int(q[1:]) - 1 + len(turns)
    out["summary"] = {"quarter": f"Q{index % 4 + 1} {int(year) + index // 4}", "turn": len(turns)}
    return out


def v2_to_v3(data: Data) -> Data:
    """Schema 3 adds the content's fingerprint and the save's seal; a schema-2 save has neither
    (they stay empty: its content is still compared with a workshop's pack and replayed)."""
    out = dict(data)
    out["schema_version"] = 3
    out.setdefault("fingerprint", None)
    out.setdefault("seal", None)
    return out


def v3_to_v4(data: Data) -> Data:
    """Schema 4 adds the history of loads and branches; a schema-3 save records none (its dice
    are the world's own, so it replays exactly as before). Its seal is checked on the file as
    written (`load._as_written`), so the new field does not make it look edited."""
    out = dict(data)
    out["schema_version"] = 4
    out.setdefault("history", [])
    return out


MIGRATIONS: dict[int, Callable[[Data], Data]] = {1: v1_to_v2, 2: v2_to_v3, 3: v3_to_v4}
