"""`Timeline`: one line of quarters to step through, for the replay and comparison screens.

The screen owns the position and moves it with its keys; the timeline shows it and posts
`Timeline.Selected` when a quarter (or one of the arrows at its ends) is clicked. Quarters are
labelled `Q3'26` when they fit and by number when they do not; quarters in which the player
decided something are drawn brighter than those that ran on the standing plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, cast

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TabbedContent

from game.saves.format import SaveFile
from game.saves.load import read_save
from game.saves.replay import restore
from game.session.game import Game


@dataclass(frozen=True)
class Stop:
    """One position of the timeline."""

    short: str
    """Its label when space is tight, e.g. `3` or `End`."""
    long: str
    """Its label when there is room, e.g. `Q3'26`."""
    busy: bool = False
    """Drawn brighter: something was decided in this quarter."""


class Timeline(Widget):
    """A clickable row of quarters with the current one highlighted."""

    DEFAULT_CSS = """
    Timeline {
        height: 1;
        padding: 0 1;
    }
    Timeline > .timeline--current {
        background: $accent;
        color: $background;
        text-style: bold;
    }
    Timeline > .timeline--busy {
        color: $text;
        text-style: bold;
    }
    Timeline > .timeline--quiet {
        color: $text-muted;
    }
    Timeline > .timeline--arrow {
        color: $accent;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--current",
        "timeline--busy",
        "timeline--quiet",
        "timeline--arrow",
    }

    position: reactive[int] = reactive(0)
    """The stop shown now (set by the screen)."""

    class Selected(Message):
        """A stop was clicked."""

        def __init__(self, timeline: Timeline, position: int) -> None:
            super().__init__()
            self.timeline = timeline
            self.position = position

    def __init__(self, stops: Sequence[Stop], *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.stops = list(stops)
        self._spans: list[tuple[int, int, int]] = []
        """(start column, end column, position) of what was drawn last, for clicks."""

    def render(self) -> Text:
        width = max(self.content_size.width, 1)
        use_long = sum(len(s.long) + 1 for s in self.stops) + 4 <= width
        labels = [s.long if use_long else s.short for s in self.stops]
        # When even the short labels do not fit, show a window of stops around the current one.
        first, last = 0, len(labels)
        while sum(len(x) + 1 for x in labels[first:last]) + 4 > width and last - first > 1:
            if self.position - first > last - 1 - self.position:
                first += 1
            else:
                last -= 1
        arrow = self.get_component_rich_style("timeline--arrow")
        text = Text(no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, int]] = []
        text.append("◀ " if first == 0 else "◀…", style=arrow)
        spans.append((0, 2, max(self.position - 1, 0)))
        for index in range(first, last):
            if index == self.position:
                style = self.get_component_rich_style("timeline--current")
            elif self.stops[index].busy:
                style = self.get_component_rich_style("timeline--busy")
            else:
                style = self.get_component_rich_style("timeline--quiet")
            start = text.cell_len
            text.append(labels[index], style=style)
            spans.append((start, text.cell_len, index))
            text.append(" ")
        start = text.cell_len
        text.append("▶" if last == len(labels) else "…▶", style=arrow)
        spans.append((start, text.cell_len, min(self.position + 1, len(labels) - 1)))
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left
        for start, end, index in self._spans:
            if start <= x < end:
                self.post_message(self.Selected(self, index))
                return


class TimelineNavigation:
    """Stepping through a timeline's stops by key, click and tab, for a screen to inherit
    (before its Screen base). The screen keeps `position`, says where the `last` stop is and
    redraws itself in `refresh_view`."""

    position: int

    @property
    def last(self) -> int:
        raise NotImplementedError

    def refresh_view(self) -> None:
        raise NotImplementedError

    def go_to(self, position: int) -> None:
        """Show stop `position` (clamped to the timeline)."""
        position = min(max(position, 0), self.last)
        if position != self.position:
            self.position = position
            self.refresh_view()

    def action_step(self, step: int) -> None:
        self.go_to(self.position + step)

    def action_go(self, position: int) -> None:
        self.go_to(self.last if position < 0 else position)

    def on_timeline_selected(self, event: Timeline.Selected) -> None:
        self.go_to(event.position)

    def action_tab(self, tab: str) -> None:
        cast(Screen[Any], self).query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Focus follows the tab shown (a focused panel left behind on a hidden tab would pull it back)."""
        for widget in event.pane.query("*"):
            if widget.focusable:
                widget.focus()
                return
        cast(Screen[Any], self).set_focus(None)


def short_quarter(label: str) -> str:
    """`Q3 2026` as `Q3'26`."""
    q, _, year = label.partition(" ")
    return f"{q}'{year[-2:]}" if year else label


def load(path: Path) -> tuple[SaveFile, Game]:
    """Read a save and replay it, checking every digest (raises `SaveError`)."""
    save = read_save(path)
    return save, restore(save, path)
