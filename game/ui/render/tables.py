"""Small Rich building blocks shared by the panels: label/value grids, bars and headings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from game.ui.theme import Palette

Row = tuple[str, str | Text]
"""A label and its value (plain or styled)."""


def grid(rows: Sequence[Row], palette: Palette) -> Table:
    """Labels on the left, figures right-aligned on the right, filling the panel's width."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(style=palette.muted, ratio=1, overflow="fold")
    table.add_column(justify="right", no_wrap=True)
    for label, value in rows:
        table.add_row(label, value)
    return table


def lines(rows: Sequence[Row], palette: Palette) -> Group:
    """`label: value` one per line, wrapping freely: for values too long for a grid."""
    return Group(*(Text.assemble((f"{label}: ", palette.muted), value) for label, value in rows))


def styled(text: str, style: str) -> Text:
    return Text(text, style=style)


def bar(share: float, width: int = 12) -> str:
    """A horizontal bar for a share in [0, 1], drawn with block characters."""
    share = min(max(share, 0.0), 1.0)
    full = round(share * width)
    return "█" * full + "·" * (width - full)


def heading(text: str, palette: Palette) -> Text:
    return Text(text, style=palette.accent)


def stack(*parts: RenderableType | None) -> Group:
    """Renderables one under the other, skipping None."""
    return Group(*(p for p in parts if p is not None))
