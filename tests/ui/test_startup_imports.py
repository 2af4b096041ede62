"""The title screen does not wait on the engine: building the app imports neither numpy nor
pydantic (the content models, the save models, the engine), and the content pack is loaded when
first asked for, the same pack every time."""

from __future__ import annotations

import subprocess
import sys

from game.content.models import Pack
from game.session.build import load_content
from game.ui.app import make_app

CHILD = """
import sys
from game.ui.app import make_app
app = make_app(seed=1)
heavy = sorted(m for m in ("numpy", "pydantic", "game.engine.step", "game.content.models", "game.saves.store")
               if m in sys.modules)
print(",".join(heavy) or "none")
"""


def test_building_the_app_loads_neither_the_engine_nor_the_content_models() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "none"


def test_the_pack_is_loaded_once_when_first_asked_for() -> None:
    app = make_app(seed=1)
    first = app.pack
    assert isinstance(first, Pack) and app.pack is first
    assert [s.id for s in first.scenarios] == [s.id for s in load_content().scenarios]
