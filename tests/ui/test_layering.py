"""The interface keeps to its layer: no engine imports in game/ui, no textual outside it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

GAME = Path(__file__).resolve().parents[2] / "game"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_ui_never_imports_the_engine() -> None:
    for path in (GAME / "ui").rglob("*.py"):
        bad = {name for name in imports(path) if name == "game.engine" or name.startswith("game.engine.")}
        assert not bad, f"{path} imports {bad}"


def test_only_the_ui_imports_textual() -> None:
    for path in GAME.rglob("*.py"):
        if (GAME / "ui") in path.parents or path.name == "cli.py":
            continue
        bad = {name for name in imports(path) if name.split(".")[0] in ("textual", "textual_plotext")}
        assert not bad, f"{path} imports {bad}"


def test_importing_the_session_does_not_load_textual() -> None:
    code = "import sys, game.session.game, game.session.dashboard; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_ui_module_has_a_docstring() -> None:
    for path in (GAME / "ui").rglob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path} has no module docstring"
