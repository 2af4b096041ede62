"""The quarter report: what happened in the quarter just played, and why, grouped by topic.

Every `ReportItem` is shown with its teaching note; the money table comes first. Enter or Esc
goes back to the dashboard (or on to the results when the game is over).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from game.session.views import QuarterReport
from game.ui.render.report import report_body
from game.ui.screens.base import FortressScreen
from game.ui.widgets.panel import Panel


class ReportScreen(FortressScreen[None]):
    """One quarter's report."""

    GLOSSARY = (
        "Unserved demand",
        "Burn",
        "Runway",
        "Down round",
        "Closing chance",
        "Investor confidence",
        "Scrutiny",
        "Information request",
        "Investigation",
        "Consent order",
        "Sentiment",
        "Scarcity index",
        "Take-or-pay",
        "Lead time",
        "CapEx",
    )
    HELP = (
        "The report explains the quarter: money first, then your round, deals, capacity, the "
        "market, rivals, the regulator and events. **Lesson** lines say what an event teaches. "
        "Arrow keys and Page Up/Down scroll; Enter or Esc continues."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Continue"),
        Binding("escape", "done", "Continue", show=False),
        Binding("space", "done", "Continue", show=False),
    ]

    def __init__(self, report: QuarterReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        title = f"Quarter report: {self.report.quarter}"
        if self.report.game_over:
            title += " (the last quarter)"
        yield Static(title, classes="screen-title")
        yield Panel("What happened, and why", id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#report-body", Panel)
        body.show(report_body(self.report, self.palette))
        body.focus()

    def action_done(self) -> None:
        self.dismiss(None)
