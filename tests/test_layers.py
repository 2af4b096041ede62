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
        "game.saves",
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


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, anywhere in the file (inside functions and
    `TYPE_CHECKING` blocks too): an import there is still a dependency a reader follows."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            # a module's own package (its __init__) is not a dependency of it
            graph[name] |= {t for t in targets if t in modules and t != name and not name.startswith(t + ".")}
    return graph


def test_imports_form_no_circle() -> None:
    """The session is a line (the core, the views that read it, the game that joins them), and so
    is the interface (the app, its screens, what the screens ask of the app): no module reaches
    itself by following imports."""
    graph = _import_graph()
    circles = []
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            here = todo.pop()
            if here == start:
                circles.append(start)
                break
            if here not in seen:
                seen.add(here)
                todo.extend(graph[here])
    assert not circles, f"modules that import themselves through others: {sorted(circles)}"


def test_the_views_read_the_core_and_the_core_imports_no_view() -> None:
    graph = _import_graph()
    views = {f"game.session.{v}" for v in ("dashboard", "preview", "report", "outcomes", "wording")}
    assert not graph["game.session.core"] & (views | {"game.session.game"})
    for view in views:
        assert "game.session.game" not in graph[view], view
