"""Key sequences shared by the pilot and snapshot tests: how a player gets somewhere."""

from __future__ import annotations

from textual.pilot import Pilot

from game.ui.app import FortressApp
from game.ui.widgets.panel import Panel


async def start_tutorial(pilot: Pilot[None]) -> None:
    """From the title screen: n (new game), Enter (the tutorial, first in the list)."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def end_quarter(pilot: Pilot[None]) -> None:
    """e (end the quarter), then Enter to leave the report."""
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def panel_text(app: FortressApp, selector: str) -> str:
    """The plain text of the first panel matching `selector` on the current screen, with
    line breaks and runs of spaces collapsed (so wrapping does not matter)."""
    panel = next(iter(app.screen.query(selector).results(Panel)))
    return " ".join(panel.text.split())


async def settle(pilot: Pilot[None]) -> None:
    """Let pending messages run and drop notifications, so screenshots are steady."""
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def screen_text(app: FortressApp, panels: bool = True) -> str:
    """Everything the current screen shows, as lines of plain text (from its screenshot), and
    below it (with `panels`) the whole content of each panel, scrolled out of view or not."""
    import html
    import re

    svg = app.export_screenshot()
    lines: dict[int, list[str]] = {}
    for number, content in re.findall(r'clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>', svg):
        lines.setdefault(int(number), []).append(html.unescape(content).replace("\xa0", " "))
    shown = [" ".join(parts).rstrip("\n") for _, parts in sorted(lines.items())]
    inside = [panel.text for panel in app.screen.query(Panel)] if panels else []
    return "\n".join(shown + inside)


WORDING_PROBLEMS = {
    "a plural left to the reader": r"\(s\)",
    "a non-zero amount shown as zero": r"\$0\.0+B",
    "a negative zero": r"-0(\.0+)?%",
    "a doubled word": r"\b([A-Za-z]{2,})\s+\1\b",
}


def wording_problems(text: str) -> list[str]:
    """What reads wrong in `text`: `(s)`, `$0.0B` (money is never shown as zero unless it is),
    `-0%`, a word twice in a row. Each finding with the line it is on."""
    import re

    found = []
    for line in text.splitlines():
        for what, pattern in WORDING_PROBLEMS.items():
            if re.search(pattern, line, flags=re.IGNORECASE if what == "a doubled word" else 0):
                found.append(f"{what}: {line.strip()}")
    return found
