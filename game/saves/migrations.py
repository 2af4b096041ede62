"""Explicit migrations between save schemas: `MIGRATIONS[n]` turns schema n into schema n + 1.

Each migration works on plain JSON data and changes only what its schema change changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def v1_to_v2(data: Data) -> Data:
    """Schema 1 kept the settings at the top level and had no summary, id or digest precision.

    The rounding of digests did not change (1e-6), so turn digests carry over; the start digest
    was not recorded and stays empty; the summary is rebuilt from what the file holds (the
    outcome is only known after a replay); the game id is derived from the file's own settings.
    """
    out = {k: v for k, v in data.items() if k not in ("schema", "lab_name", "scenario", "difficulty", "seed")}
    settings = {key: data[key] for key in ("lab_name", "scenario", "difficulty", "seed")}
    out["schema_version"] = 2
    out["settings"] = settings
    out["digest_precision"] = 1e-6
    out["start_digest"] = None
    out.setdefault("kind", "named")
    ident = f"{settings['lab_name']}|{settings['scenario']}|{settings['seed']}|{data.get('saved_at', '')}"
    out["game_id"] = hashlib.sha256(ident.encode()).hexdigest()[:8]
    scenario = next(s for s in data["content"]["scenarios"] if s["id"] == settings["scenario"])
    q, year = scenario["start_label"].split()
    index = int(q[1:]) - 1 + len(data["turns"])
    out["summary"] = {"quarter": f"Q{index % 4 + 1} {int(year) + index // 4}", "turn": len(data["turns"])}
    return out


MIGRATIONS: dict[int, Callable[[Data], Data]] = {1: v1_to_v2}
