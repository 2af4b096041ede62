"""The dashboard: the home of every turn, with the lab's figures, this quarter's plan and the keys.

Four tabs keep everything reachable at 80x24: the overview (money, valuation, compute, the plan),
the market and rivals, partners and the regulator, last quarter's news, and charts of the game
so far; a sixth, the engine's evaluation of this quarter's plan, which a line under the tabs
sums up (on a wide and tall terminal it is a panel of the overview instead). On a wide terminal
the overview shows nine panels at once. Keys open the action screens, undo the last planned
action and end the quarter; `check_action` hides what cannot be done now.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import Footer, TabbedContent, TabPane

from game.session.game import IllegalAction
from game.session.views import QuarterReport
from game.ui import text as t
from game.ui.render import dashboard as render
from game.ui.screens.base import FortressScreen
from game.ui.widgets.charts import HistoryCharts
from game.ui.widgets.evaluation import DashboardEvaluation, EvaluationLine, EvaluationPanel
from game.ui.widgets.panel import Panel
from game.ui.widgets.status import StatusBar

ROLES: dict[str, tuple[str, str | None]] = {
    "money": ("Money", "Runway"),
    "valuation": ("Valuation", "Valuation against rival"),
    "compute": ("Compute", "Inference"),
    "plan": ("This quarter's plan", None),
    "market": ("Compute market", "Scarcity index"),
    "partners": ("Cloud partners and contracts", "Dependency"),
    "regulator": ("Regulator", "Scrutiny"),
    "captable": ("Cap table: who owns the lab", "Cap table"),
    "news": ("News", None),
    "rivals": ("Rivals", "Valuation against rival"),
}
"""Each kind of panel: its title and the glossary term it opens on."""


def _panel(role: str, classes: str = "") -> Panel:
    title, term = ROLES[role]
    return Panel(title, term=term, classes=f"role-{role} {classes}".strip())


COMPACT_BELOW = 28
"""Terminal rows under which the overview's panels are compact (at 24 rows they have seven lines;
from 28 on the full panels fit, scrolling only the longest)."""


class DashboardScreen(FortressScreen[None]):
    """The lab this quarter."""

    GLOSSARY = (
        "Runway",
        "Burn",
        "ARR",
        "Growth",
        "Valuation",
        "Fair value",
        "Valuation against rival",
        "Post-money valuation",
        "Sentiment",
        "Investor confidence",
        "Gigawatt (GW)",
        "Training",
        "Inference",
        "Capability",
        "Market share",
        "Reliability",
        "Unserved demand",
        "Scarcity index",
        "Lead time",
        "Reserved capacity",
        "Spot capacity",
        "Dependency",
        "Committed spend",
        "Take-or-pay",
        "Compute credits",
        "Exclusivity",
        "Board seat",
        "Scrutiny",
        "Regulatory hazard",
        "Information request",
        "Investigation",
        "Compliance spending",
        "Cap table",
        "Secured loan",
        "IPO",
    )
    HELP = (
        "Each quarter, plan your moves, then press **e** to end the quarter. Nothing happens until "
        "then, and **u** takes back the last planned move.\n\n"
        "- **f** funding round: sell shares to investors for cash\n"
        "- **d** cloud deals: answer this quarter's offers from cloud providers\n"
        "- **c** capacity: buy or rent compute (GW)\n"
        "- **o** operations: training/serving split, compliance, debt, IPO, restructuring\n"
        "- **s** save the game under a name (the plan is kept; an autosave lands every quarter)\n"
        "- **n** last quarter's full report; **1-6** switch tabs; **Tab** moves between panels "
        "(arrow keys scroll the focused one)\n"
        "- **6** the engine's evaluation of your plan: it plays the rest of the game a thousand "
        "times and gives your expected score and the chance of each outcome; it updates after "
        "every change to the plan\n"
        "- **a** the engine's analysis of the quarters played: each decision marked like a chess "
        "move, your skill and your luck\n\n"
        "The valuation panel shows the outcome the game would end in if it ended now and which "
        "test of a fortress (valuation against the rival, runway, dependency) you still miss; "
        "each scenario sets its own bar, listed on the results screen at the end."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "funding", "Fund"),
        Binding("d", "deals", "Deals"),
        Binding("c", "capacity", "Compute"),
        Binding("o", "operations", "Ops"),
        Binding("u", "undo", "Undo"),
        Binding("e", "end_turn", "End"),
        Binding("n", "report", "Report"),
        Binding("r", "results", "Results"),
        Binding("s", "save", "Save"),
        Binding("1", "tab('overview')", "Overview", show=False),
        Binding("2", "tab('market')", "Market", show=False),
        Binding("3", "tab('partners')", "Partners", show=False),
        Binding("4", "tab('news')", "News", show=False),
        Binding("5", "tab('charts')", "Charts", show=False),
        Binding("6", "tab('engine')", "Engine", show=False),
        Binding("a", "analyse", "Analyse", show=False),  # the footer is full at 80 columns; see HELP
    ]
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("funding", "Funding round", "Sell shares to an investor type for cash"),
        ("deals", "Cloud deals", "Answer this quarter's cloud offers"),
        ("capacity", "Capacity", "Buy or rent compute"),
        ("operations", "Operations", "Split, compliance, debt, IPO, restructuring"),
        ("undo", "Undo the last planned action", "Take back the last action of this quarter"),
        ("end_turn", "End the quarter", "Resolve the quarter with the plan"),
        ("report", "Last quarter's report", "What happened last quarter, and why"),
        ("results", "Results", "The outcome and the score"),
        ("save", "Save the game", "A named save, this quarter's plan included"),
        ("analyse", "Engine analysis", "The engine's judgement of every quarter played so far"),
    )
    """Dashboard actions the command palette offers: action, name, help."""

    def __init__(self) -> None:
        super().__init__()
        self.undone: str | None = None
        """The action last taken back, shown in the plan until the next change."""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with TabbedContent(initial="overview"):
            with TabPane("1 Overview", id="overview"), Grid(classes="dash-grid overview-grid"):
                yield _panel("money")
                yield _panel("valuation")
                yield _panel("compute")
                yield _panel("market", "wide-only")
                yield _panel("partners", "wide-only")
                yield _panel("regulator", "wide-only")
                yield _panel("plan")
                yield _panel("news", "wide-only")
                yield EvaluationPanel(classes="wide-only")
            with TabPane("2 Market", id="market"), Grid(classes="dash-grid pair-grid"):
                yield _panel("market")
                yield _panel("rivals")
            with TabPane("3 Partners", id="partners"), Grid(classes="dash-grid partners-grid"):
                yield _panel("partners", "tall")
                yield _panel("regulator")
                yield _panel("captable")
            with TabPane("4 News", id="news"):
                yield _panel("news", "full")
            with TabPane("5 Charts", id="charts"), VerticalScroll(id="charts-scroll"):
                yield HistoryCharts()
            with TabPane("6 Engine", id="engine"):
                yield EvaluationPanel(full=True, classes="full")
        yield EvaluationLine(id="evaluation-line")
        yield DashboardEvaluation()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_view())
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def on_resize(self) -> None:
        """A resize may cross a breakpoint: the panels are drawn again, compact or not."""
        self.call_after_refresh(self.refresh_view)

    def _show(self, role: str, renderable: object) -> None:
        for panel in self.query(f".role-{role}").results(Panel):
            panel.show(renderable)  # type: ignore[arg-type]

    def refresh_view(self) -> None:
        """Redraw every panel from the session."""
        game = self.fortress.game
        if game is None:
            return
        d = game.dashboard(forecast=True)
        pal = self.palette
        cap = render.runway_cap(game)
        self.query_one(StatusBar).show(d, cap, pal, game.over)
        compact = self.fortress.size.height < COMPACT_BELOW  # the overview's panels get seven lines each
        self._show("money", render.money_panel(d, game, pal, compact))
        self._show("valuation", render.valuation_panel(d, pal, game.outcome_now(), compact))
        for panel in self.query(".role-valuation").results(Panel):
            panel.border_title = f"Valuation vs {d.rival}"
        self._show("compute", render.compute_panel(d, game, pal, compact))
        self._show("plan", render.plan_panel(game, pal, self.undone))
        self._show("market", render.market_panel(d, pal))
        self._show("partners", render.partners_panel(d, pal))
        self._show("regulator", render.regulator_panel(d, game, pal))
        self._show("captable", render.cap_table_panel(d, pal))
        self._show("news", render.news_panel(game, pal))
        self._show("rivals", render.rivals_panel(d, pal))
        self.query_one(HistoryCharts).show(game.history())
        self.query_one(DashboardEvaluation).refresh_for(game)
        self.refresh_bindings()

    # ---- which keys work now -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        game = self.fortress.game
        if game is None:
            return True
        if action in ("funding", "deals", "capacity", "operations", "end_turn"):
            return not game.over
        if action == "undo":
            return False if game.over else (True if game.pending else None)
        if action in ("report", "analyse"):
            return bool(game.turns)
        if action == "results":
            return game.over
        return True

    # ---- actions -------------------------------------------------------------------------------

    def _planned(self, description: str | None) -> None:
        if description:
            self.undone = None
            self.notify(description, title="Added to this quarter's plan", timeout=3)
        self.refresh_view()

    def action_funding(self) -> None:
        from game.ui.screens.funding import FundingScreen

        self.app.push_screen(FundingScreen(), self._planned)

    def action_deals(self) -> None:
        from game.ui.screens.deals import DealsScreen

        self.app.push_screen(DealsScreen(), self._planned)

    def action_capacity(self) -> None:
        from game.ui.screens.capacity import CapacityScreen

        self.app.push_screen(CapacityScreen(), self._planned)

    def action_operations(self) -> None:
        from game.ui.screens.operations import OperationsScreen

        self.app.push_screen(OperationsScreen(), self._planned)

    def action_undo(self) -> None:
        action = self.game.undo()
        if action is None:
            self.notify("Nothing planned this quarter to undo.", severity="warning")
            return
        self.undone = t.describe(self.game, action)
        self.notify(self.undone, title="Undone", timeout=3)
        self.refresh_view()

    def action_end_turn(self) -> None:
        from game.ui.screens.report import ReportScreen

        try:
            report: QuarterReport = self.game.end_turn()
        except IllegalAction as exc:
            self.notify(str(exc), severity="error")
            return
        self.undone = None
        self.fortress.autosave()
        self.refresh_view()
        self.app.push_screen(ReportScreen(report), self._after_report)

    def _after_report(self, _result: None) -> None:
        if self.game.over:
            self.fortress.show_results()

    def action_save(self) -> None:
        """Name a save (planned actions are kept); the app writes it and says where."""
        from game.ui.screens.save_dialog import SaveDialog

        game = self.game
        suggestion = f"{game.lab_name} {game.quarter_label()}"
        self.app.push_screen(
            SaveDialog(self.fortress.store, suggestion, len(game.pending), game.game_id), self._save_as
        )

    def _save_as(self, name: str | None) -> None:
        if name:
            self.fortress.save_named(name)

    def action_analyse(self) -> None:
        """The engine's judgement of the quarters played so far."""
        self.fortress.open_analysis(self.game)

    def action_report(self) -> None:
        from game.ui.screens.report import ReportScreen

        if self.game.turns:
            self.app.push_screen(ReportScreen(self.game.turns[-1].report))

    def action_results(self) -> None:
        if self.game.over:
            self.fortress.show_results()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
