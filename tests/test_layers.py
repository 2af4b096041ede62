"""Imports point down: the engine needs only numpy, and nothing below the UI loads Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import game

ROOT = Path(game.__file__).parent
ALLOWED = {
    "engine": {"numpy", "game.engine"},
    "content": {"pydantic", "tomli", "game.content"},
    "session": {"numpy", "pydantic", "game.engine", "game.content", "game.session"},
    "saves": {"numpy", "pydantic", "game.session", "game.content", "game.saves"},
    "analysis": {
        "numpy",
        "pydantic",
        "jinja2",
        "markupsafe",
        "game.session",
        "game.engine",
        "game.content",
        "game.analysis",
    },
}
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_each_layer_imports_only_what_it_may() -> None:
    for layer, allowed in ALLOWED.items():
        for path in (ROOT / layer).rglob("*.py"):
            for name in imports(path):
                top = name.split(".")[0]
                if top in STDLIB or name == "game":  # the package root holds only the version
                    continue
                assert any(name == a or name.startswith(a + ".") for a in allowed), f"{path.name} imports {name}"


def test_nothing_below_the_ui_loads_textual() -> None:
    code = (
        "import sys, game.engine.step, game.session.game, game.analysis.simulate, game.content.loader, game.cli;"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual loaded'"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
