"""Where saves live and which files in a folder are saves, with nothing but the standard library.

The title screen asks these questions before anything else is loaded: an empty save folder needs
neither the save models nor the engine, so the first screen does not wait on them.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_FOLDER = "FORTRESS_SAVES"
"""Environment variable naming the save folder."""


def default_folder(option: str | Path | None = None) -> Path:
    """The save folder: the command-line option, else $FORTRESS_SAVES, else `saves/` here."""
    if option:
        return Path(option)
    env = os.environ.get(ENV_FOLDER)
    return Path(env) if env else Path("saves")


def save_files(folder: Path | str) -> list[Path]:
    """Every `*.json` name in `folder` (hidden and temporary files left out), sorted: entries that
    are not ordinary files are included, so that a listing can say why it skipped them."""
    root = Path(folder)
    try:
        with os.scandir(root) as it:
            names = [e.name for e in it if e.name.endswith(".json") and not e.name.startswith(".")]
    except OSError:
        return []
    return [root / name for name in sorted(names)]
