"""Save the README's screenshots (SVG) of the dashboard and a quarter report at 100x30.

    python tests/ui/screenshots.py [OUT_DIR]   (default: docs/screenshots)

A scripted tutorial game (seed 1): a funding round, a cloud deal and a capacity order, two
quarters played, then the dashboard and the second quarter's report are saved.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from textual.widgets import Input

from game.ui.app import make_app

ROOT = Path(__file__).resolve().parents[2]


async def shoot(out: Path) -> list[Path]:
    Input.cursor_blink = False  # type: ignore[assignment]
    os.environ["FORTRESS_SAVES"] = tempfile.mkdtemp(prefix="fortress-shots-")  # autosaves go nowhere
    app = make_app(seed=1)
    saved: list[Path] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f", "enter", "enter")
        await pilot.press("d", "enter", "enter")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("c", "down", "tab", "0", ".", "1", "enter")
        await pilot.press("e")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        saved.append(Path(app.save_screenshot("quarter-report.svg", str(out))))
        await pilot.press("enter")
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        saved.append(Path(app.save_screenshot("dashboard.svg", str(out))))
    return saved


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
