"""Fixtures for the interface tests: the content pack once, a steady cursor, a fixed seed.

Snapshots must not depend on time: the text cursor does not blink and every app is built with
seed 1 (a tutorial world with two cloud offers in its first quarter).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from game.content.models import Pack
from game.session.build import load_content
from game.ui.app import FortressApp, make_app

SEED = 1
"""A tutorial world with cloud offers from Stratus and Northwind in the first quarter."""


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_content()


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor: a blink would make screenshots depend on timing."""
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(autouse=True)
def save_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saves (autosaves too) go to an empty temporary folder, never to `saves/` where tests run."""
    folder = tmp_path / "saves"
    monkeypatch.setenv("FORTRESS_SAVES", str(folder))
    return folder


@pytest.fixture
def app(pack: Pack) -> FortressApp:
    return make_app(pack, seed=SEED)
