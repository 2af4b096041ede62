"""An action's projected effect (the session's `Preview`) as a before/after table.

The session projects the end of this quarter twice, with calm dice: with the plan so far and
with the plan plus this action. Each row shows both, so a student sees what the action changes.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from game.session.views import Preview
from game.ui import text as t
from game.ui.render.tables import heading, stack
from game.ui.theme import Palette

Change = tuple[str, tuple[float, float], Callable[[float], str], bool]
"""A row: label, (before, after), formatter, and whether a rise is good news."""


def _change_table(rows: list[Change], pal: Palette) -> Table:
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(style=pal.muted, ratio=1, overflow="fold")
    table.add_column(justify="right", no_wrap=True)
    for label, (before, after), fmt, up_good in rows:
        delta = after - before
        if fmt(before) == fmt(after):
            value = Text(fmt(after))
        else:
            good = (delta > 0) == up_good
            value = Text.assemble(fmt(before), " → ", (fmt(after), pal.good if good else pal.bad))
        table.add_row(label, value)
    return table


def preview_panel(preview: Preview | None, pal: Palette, *, runway_cap: float, what: str = "") -> RenderableType:
    """The projection, or the session's reason why the action is not allowed."""
    if preview is None:
        return Text("Fill in the form to see the projected effect.", style=pal.muted)
    if not preview.legal:
        return stack(
            Text("Not allowed now", style=pal.bad),
            Text(preview.reason or "The rules do not allow this action now."),
        )
    parts: list[RenderableType] = []
    if what:
        parts.append(heading(what, pal))
    if preview.chance is not None:
        chance_style = pal.good if preview.chance >= 0.6 else pal.warn if preview.chance >= 0.3 else pal.bad
        parts.append(Text.assemble(("Chance it succeeds: ", pal.strong), (t.pct(preview.chance), chance_style)))
    rows: list[Change] = [
        ("Cash at quarter end", preview.cash, t.money, True),
        ("Burn per quarter", preview.burn, t.money, False),
        ("Runway (quarters)", preview.runway, lambda x: f"{runway_cap:g}+" if x >= runway_cap else f"{x:.1f}", True),
        ("Compute (GW)", preview.compute, lambda x: f"{x:.2f}", True),
        ("Founders' stake", preview.founders, lambda x: t.pct(x, 1), True),
        ("Top dependency", preview.dependency, t.pct, False),
        ("Scrutiny", preview.scrutiny, t.pct, False),
        ("Commitments/qtr", preview.commitments, t.money, False),
    ]
    for line in preview.lines:  # what the action means in words, before the figures
        parts.append(Text(line))
    parts.append(_change_table(rows, pal))
    if preview.cap_table:
        parts.append(heading("Cap table after", pal))
        table = Table.grid(expand=True, padding=(0, 1))
        table.add_column(style=pal.muted, ratio=3, overflow="fold")
        table.add_column(justify="right", ratio=1)
        for holder, share in preview.cap_table:
            table.add_row(holder, t.pct(share, 1))
        parts.append(table)
    parts.append(Text("Projected with calm dice: it succeeds, no events, no regulator.", style=pal.muted))
    return stack(*parts)
