"""Learn from your mistakes: back to each of your worst quarters, choose again, then compare.

The screen takes the player, one at a time, to the quarters the engine's analysis marked worst
(costliest first). Each is a branch of the game: the same seed and the same decisions up to that
quarter, so the same world, the same offers and the same cash. The player plans the quarter again
with the ordinary action screens (without the engine's hints), then asks the engine to judge the
new plan (`judge_turn`, with the analysis's seed and futures, so the numbers compare exactly with
the original's). Only then can they reveal what the engine preferred and how their first choice
compared. The branch is thrown away afterwards: the game itself is never changed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from game.analysis.judge import TurnJudgement, judge_turn
from game.session.game import Game
from game.ui import text as t
from game.ui.render import evaluation as render
from game.ui.render.tables import Row, grid, heading, stack, styled
from game.ui.screens.base import FortressScreen
from game.ui.widgets.evaluation import Analysis, evaluation_mode
from game.ui.widgets.panel import Panel


def branch_at(game: Game, quarter: int) -> Game:
    """A fresh copy of `game` replayed up to (the start of) finished quarter `quarter`."""
    branch = Game.new(game.pack, game.scenario.id, game.difficulty_id, game.seed, game.lab_name, game.quarters)
    branch.workshop = game.workshop
    for record in game.turns[:quarter]:
        branch.replay_turn(list(record.actions))
    return branch


class MistakesScreen(FortressScreen[None]):
    """Choose again at each of your worst quarters."""

    GLOSSARY = ("Decision label", "Expected score", "Reference player", "Skill and luck", "Runway", "Dependency")
    HELP = (
        "You are back at the start of one of your worst quarters, in the same world. Plan it again "
        "with **f** (funding), **d** (cloud deals), **c** (capacity) and **o** (operations); **u** "
        "takes back the last planned move. Then press **j**: the engine judges your new plan on "
        "the same futures it used for your first one. Press **r** to reveal what the engine "
        "preferred and how your first choice compared, and **n** for the next quarter. Nothing "
        "here changes your game."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "plan('funding')", "Fund"),
        Binding("d", "plan('deals')", "Deals"),
        Binding("c", "plan('capacity')", "Capacity"),
        Binding("o", "plan('operations')", "Ops"),
        Binding("u", "undo", "Undo"),
        Binding("j", "judge", "Judge"),
        Binding("r", "reveal", "Reveal"),
        Binding("n", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]

    class Judged(Message):
        def __init__(self, ticket: int, judgement: TurnJudgement) -> None:
            super().__init__()
            self.ticket = ticket
            self.judgement = judgement

    class Failed(Message):
        def __init__(self, ticket: int, error: str) -> None:
            super().__init__()
            self.ticket = ticket
            self.error = error

    def __init__(self, game: Game, analysis: Analysis, quarters: list[int]) -> None:
        super().__init__()
        self.source = game
        """The game analysed (never changed)."""
        self.analysis = analysis
        self.quarters = quarters
        """Indices of the quarters to revisit, in order."""
        self.step = 0
        self.branch = branch_at(game, quarters[0])
        """The game at the quarter being revisited: the player plans on it."""
        self.new: TurnJudgement | None = None
        """The engine's judgement of the new plan, once asked for."""
        self.judging = False
        self.revealed = False
        self._ticket = 0

    @property
    def game(self) -> Game:
        return self.branch

    @property
    def original(self) -> TurnJudgement:
        """The analysis of the first choice at this quarter."""
        return self.analysis.judgement.turns[self.quarters[self.step]]

    def compose(self) -> ComposeResult:
        yield Static(id="mistakes-title", classes="screen-title")
        yield Static(id="mistakes-context", classes="context")
        with Horizontal(id="mistakes-body"):
            yield Panel("Where you stood", id="mistakes-position", term="Runway")
            with Vertical(id="mistakes-side"):
                yield Panel("Your new plan", id="mistakes-plan")
                yield Panel("The engine's verdict", id="mistakes-verdict", term="Decision label")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._redraw()

    # ---- drawing -----------------------------------------------------------------------------------

    def _redraw(self) -> None:
        pal = self.palette
        old = self.original
        self.query_one("#mistakes-title", Static).update(
            f"Learn from your mistakes: {self.step + 1} of {len(self.quarters)}, {old.quarter}"
        )
        self.query_one("#mistakes-context", Static).update(
            Text.assemble(
                f"Back at the start of {old.quarter}, in the same world. The engine marked your first plan here ",
                render.label_text(old.label, pal),
                f" ({old.cost:.1f} points given up). Plan it again, then press j.",
            )
        )
        self.query_one("#mistakes-position", Panel).show(self._position())
        self.query_one("#mistakes-plan", Panel).show(self._plan())
        self.query_one("#mistakes-verdict", Panel).show(self._verdict())
        self.refresh_bindings()

    def _position(self) -> RenderableType:
        game = self.branch
        d = game.dashboard()
        pal = self.palette
        cap = game.pack.rules.outcomes.runway_cap
        short = d.inference_gw + 1e-9 < d.needed_gw
        rows: list[Row] = [
            ("Cash", styled(t.money(d.cash), pal.strong)),
            ("Burn", t.per_quarter(d.burn)),
            ("Runway", styled(t.quarters(d.runway, cap), pal.bad if d.runway < 4 else pal.strong)),
            ("ARR", t.money(d.arr)),
            ("Valuation", t.money(d.valuation)),
            (f"You ÷ {t.short(d.rival)}", t.times(d.vs_rival)),
            ("Fair value", t.money(d.fair_value)),
            (
                "Serving / needed",
                styled(f"{d.inference_gw:.2f} / {d.needed_gw:.2f} GW", pal.bad if short else pal.good),
            ),
            ("Top dependency", t.pct(d.max_dependency)),
            ("Scrutiny", t.pct(d.scrutiny)),
            ("Founders' stake", t.pct(d.cap_table[0][1], 1) if d.cap_table else "-"),
        ]
        offers = game.offers()
        parts: list[RenderableType] = [grid(rows, pal)]
        if offers:
            parts.append(Text.assemble(("Offers: ", pal.accent), ", ".join(o.provider_name for o in offers)))
        parts.append(heading("The first time you decided", pal))
        parts.extend(render.actions_lines(self.original.actions, pal))
        return stack(*parts)

    def _plan(self) -> RenderableType:
        pal = self.palette
        pending = self.branch.pending
        if not pending:
            return Text(
                "Nothing planned yet: f, d, c and o plan moves. Judging an empty plan asks whether doing "
                "nothing was better.",
                style=pal.muted,
            )
        lines: list[RenderableType] = [
            Text(f"{n}. {t.describe(self.branch, a)}") for n, a in enumerate(pending, start=1)
        ]
        lines.append(Text("u takes back the last one; j asks the engine.", style=pal.muted))
        return stack(*lines)

    def _verdict(self) -> RenderableType:
        pal = self.palette
        if self.judging:
            return Text(f"The engine is judging your plan on {self.analysis.rollouts:,} futures...", style=pal.warn)
        if self.new is None:
            return Text(
                "Press j when your plan is ready. The engine judges it on the same futures as your first "
                "plan; then r reveals what it preferred.",
                style=pal.muted,
            )
        parts: list[RenderableType] = [render.verdict_new(self.new, pal)]
        if self.revealed:
            parts.append(Text(""))
            parts.append(render.reveal(self.new, self.original, pal))
            last = self.step + 1 >= len(self.quarters)
            parts.append(
                Text(
                    "n: the next quarter." if not last else "That was the last one: n or Esc goes back.",
                    style=pal.muted,
                )
            )
        else:
            parts.append(Text("r reveals the engine's choice and how your first plan compared.", style=pal.muted))
        return stack(*parts)

    # ---- judging -----------------------------------------------------------------------------------

    def _changed(self, _result: object = None) -> None:
        """The plan changed: any verdict is about an older plan."""
        self._ticket += 1
        self.judging = False
        self.new = None
        self.revealed = False
        self.workers.cancel_group(self, "judge")
        self._redraw()

    def action_judge(self) -> None:
        if self.judging:
            return
        self._ticket += 1
        ticket = self._ticket
        self.new = None
        self.revealed = False
        if evaluation_mode(self.app) == "wait":
            self.new = self._judgement()
            self._redraw()
            self.query_one("#mistakes-verdict").focus()
            return
        self.judging = True
        self._redraw()
        self._judge(ticket)

    def _judgement(self) -> TurnJudgement:
        rules = self.branch.pack.rules.judgement
        judged, _ = judge_turn(
            self.branch, list(self.branch.pending), rules, self.analysis.rollouts, self.analysis.seed
        )
        return judged

    @work(exclusive=True, thread=True, group="judge", exit_on_error=False)
    def _judge(self, ticket: int) -> None:
        worker = get_current_worker()
        try:
            judged = self._judgement()
        except Exception as exc:  # reported on screen, never a crash
            if not worker.is_cancelled:
                self.post_message(self.Failed(ticket, f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(self.Judged(ticket, judged))

    def on_mistakes_screen_judged(self, message: Judged) -> None:
        if message.ticket == self._ticket:
            self.judging = False
            self.new = message.judgement
            self._redraw()
            self.query_one("#mistakes-verdict").focus()

    def on_mistakes_screen_failed(self, message: Failed) -> None:
        if message.ticket == self._ticket:
            self.judging = False
            self._redraw()
            self.notify(message.error, title="The engine could not judge the plan", severity="error")

    # ---- keys --------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("plan", "undo"):
            if self.judging:
                return None
            return True if action == "plan" or self.branch.pending else None
        if action == "judge":
            return None if self.judging else True
        if action == "reveal":
            return True if self.new is not None and not self.revealed else None
        return True

    def action_plan(self, kind: str) -> None:
        from game.ui.screens.capacity import CapacityScreen
        from game.ui.screens.deals import DealsScreen
        from game.ui.screens.funding import FundingScreen
        from game.ui.screens.operations import OperationsScreen

        screens = {
            "funding": FundingScreen,
            "deals": DealsScreen,
            "capacity": CapacityScreen,
            "operations": OperationsScreen,
        }
        self.app.push_screen(screens[kind](self.branch, engine=False), self._changed)

    def action_undo(self) -> None:
        if self.branch.undo() is not None:
            self._changed()

    def action_reveal(self) -> None:
        if self.new is None:
            self.notify("Press j first: the engine judges your new plan before it shows its own.", severity="warning")
            return
        self.revealed = True
        self._redraw()
        self.query_one("#mistakes-verdict").focus()

    def action_next(self) -> None:
        if self.step + 1 >= len(self.quarters):
            self.dismiss(None)
            return
        self.step += 1
        self.branch = branch_at(self.source, self.quarters[self.step])
        self._changed()

    def action_back(self) -> None:
        self.dismiss(None)
