"""`Panel`: a titled, bordered box that scrolls its content when it does not fit.

Panels hold one renderable each (a table of figures, a list of news). They take focus, so a
player can scroll one with the keyboard, and they name a glossary term, so the glossary key
opens onto what the focused panel is about.
"""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class Panel(VerticalScroll):
    """A bordered, focusable, scrolling box around one renderable."""

    DEFAULT_CSS = """
    Panel {
        border: round $primary 40%;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    Panel:focus {
        border: round $accent;
    }
    Panel > Static {
        width: 1fr;
    }
    """

    def __init__(
        self, title: str, *, term: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = title
        self.term = term
        """The glossary term this panel is about, if any."""
        self.shown: RenderableType = ""
        """What the panel shows now."""
        self.more_label = "more below ▼"
        """The border's note when the content goes on below what is shown."""

    def compose(self) -> ComposeResult:
        yield Static(classes="panel-body")

    def show(self, renderable: RenderableType) -> None:
        """Replace the panel's content."""
        self.shown = renderable
        self.query_one(".panel-body", Static).update(renderable)
        self.call_after_refresh(self._mark_more)

    def _mark_more(self) -> None:
        """Say on the border when there is more to scroll to, below or above."""
        if self.scroll_y < self.max_scroll_y - 0.5:
            self.border_subtitle = self.more_label
        elif self.max_scroll_y > 0.5:
            self.border_subtitle = "▲ more above"
        else:
            self.border_subtitle = ""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._mark_more()

    def on_resize(self) -> None:
        self.call_after_refresh(self._mark_more)

    @property
    def text(self) -> str:
        """The content as plain text (for tests and screen readers' sake)."""
        console = Console(width=max(self.content_size.width, 40), record=True, file=io.StringIO())
        console.print(self.shown)
        return console.export_text()
