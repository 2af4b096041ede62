"""Speed work changes no number: a few fixed games, a batch, evaluations and a judgement give the
digests recorded in tests/data/engine_digests.json (written by tests/data/make_engine_digests.py
before the speed work; an economics change rewrites them on purpose)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

DATA = Path(__file__).parent / "data"


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_engine_digests", DATA / "make_engine_digests.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("processes", ["1", "2"])
def test_games_batches_evaluations_and_judgements_are_bit_identical(
    processes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORTRESS_PROCESSES", processes)
    recorded = json.loads((DATA / "engine_digests.json").read_text())
    now = _maker().digests()
    assert set(now) == set(recorded)
    changed = [name for name in recorded if now[name] != recorded[name]]
    assert not changed, f"these results changed: {changed}"
