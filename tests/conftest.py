"""Shared fixtures: the bundled content pack, and a writable copy of it for breaking."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from simd import pin

pin()  # before anything loads numpy: the same vector code on every machine (tests/simd.py)

from game.content.loader import default_content_dir  # noqa: E402
from game.content.models import Pack  # noqa: E402
from game.session.build import load_content  # noqa: E402


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_content()


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A copy of the bundled content pack in a temporary folder."""
    target = tmp_path / "content"
    shutil.copytree(default_content_dir(), target)
    return target
