"""The install a user makes: a clean copy of the project, `pip install .` (not editable) into a
fresh virtual environment, then the `fortress` command run from another folder.

The wheel is built as pip builds it for a user; the fresh environment borrows this one's
installed dependencies (numpy, textual, ...) through a path file instead of downloading them
again, so what is tested is the package alone: its modules, its stylesheet and its content pack.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_JUNK = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis")


def _ignored(folder: str, names: list[str]) -> set[str]:
    """What a clean clone does not have: environments, caches, and the top level's build output
    and saved games."""
    top = {"build", "dist", "saves"} if Path(folder) == ROOT else set()
    return set(_JUNK(folder, names)) | (top & set(names))


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtual environment with Fortress installed from a wheel."""
    base = tmp_path_factory.mktemp("install")
    clone = base / "clone"
    shutil.copytree(ROOT, clone, ignore=_ignored)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(clone)], base)
    [wheel] = (base / "dist").glob("fortress-*.whl")
    env = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env)], base)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    # the dependencies come from this environment; Fortress itself only from the wheel
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "_fortress_test_deps.pth").write_text("\n".join(deps) + "\n")
    python = env / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)], base)
    return env / "bin"


def test_the_installed_game_finds_its_content_from_another_folder(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(installed / "python"), "-c", "import game, sys; print(game.__file__)"], elsewhere).stdout
    assert str(ROOT) not in where, "the test must run the installed copy, not the project folder"
    scenarios = _run([str(installed / "fortress"), "scenarios"], elsewhere).stdout
    assert "fortress-2026" in scenarios and "tutorial" in scenarios
    check = _run([str(installed / "fortress"), "content", "check"], elsewhere).stdout
    assert "OK" in check and "game/pack" in check


def test_the_installed_game_plays_saves_and_replays(installed: Path, tmp_path: Path) -> None:
    script = (
        "from game.session.build import load_content\n"
        "from game.session.game import Game\n"
        "from game.saves.store import SaveStore\n"
        "g = Game.new(load_content(), 'tutorial', 'normal', 7, 'Clean Install Lab')\n"
        "g.end_turn(); g.end_turn()\n"
        "print(SaveStore('saves').save(g, 'fresh'))\n"
    )
    saved = _run([str(installed / "python"), "-c", script], tmp_path).stdout.strip()
    check = _run([str(installed / "fortress"), "replay", "--check", saved], tmp_path).stdout
    assert "OK" in check or "ok" in check.lower()
    css = _run([str(installed / "python"), "-c", "import game.ui.app as a, pathlib; print(a.__file__)"], tmp_path)
    assert (Path(css.stdout.strip()).parent / "fortress.tcss").is_file()
