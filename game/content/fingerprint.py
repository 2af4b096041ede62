"""Fingerprints of a content pack: a short hash that tells whether two games played by one set of
rules and one scenario.

A save carries the content it was played with, so a save can be checked against the pack a
workshop uses: `fingerprint(pack, scenario)` hashes the rules and everything else in the pack
with only that scenario kept (a save holds only the scenario it plays), and `differences` names
the sections in which two packs differ, for a message a facilitator can act on.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from game.content.models import Pack

SECTIONS = ("rules", "providers", "investors", "capacity", "difficulties", "events", "glossary", "scenarios")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=True).encode()


def _played(pack: Pack, scenario: str | None) -> dict[str, Any]:
    data = pack.model_dump(mode="json")
    if scenario is not None:
        data["scenarios"] = [s for s in data["scenarios"] if s.get("id") == scenario]
    return data


def fingerprint(pack: Pack, scenario: str | None = None) -> str:
    """The pack's fingerprint (with only `scenario` kept, if given): 32 hex digits."""
    return data_fingerprint(_played(pack, scenario))


def data_fingerprint(data: Any) -> str:
    """The fingerprint of a pack as JSON data, exactly as a file holds it (no defaults filled in)."""
    return hashlib.sha256(_canonical(data)).hexdigest()[:32]


def differences(played: Pack, reference: Pack, scenario: str) -> list[str]:
    """Where `played` differs from `reference` for `scenario`: `rules.outcomes`, `providers`, ...
    (the rules by their sections, everything else by file)."""
    a, b = _played(played, scenario), _played(reference, scenario)
    out: list[str] = []
    for section in SECTIONS:
        if section == "rules":
            ra, rb = a.get("rules", {}), b.get("rules", {})
            out += [f"rules.{key}" for key in sorted(set(ra) | set(rb)) if ra.get(key) != rb.get(key)]
        elif a.get(section) != b.get(section):
            out.append(f"scenario {scenario}" if section == "scenarios" else section)
    return out
