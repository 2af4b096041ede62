"""`ActionScreen`: the shape every action screen shares: a form, a live preview, confirm or back.

(Textual calls a message handler of every class in the MRO, so subclasses add their own
`on_mount` and `on_option_list_option_highlighted` without calling `super()`; the base's run
after theirs. A subclass stops the base's handler with `event.prevent_default()`.)

A subclass builds its form in `compose_form` and says in `build_action` which action the form
describes now (or, as a string, what is missing). Every change redraws the preview from
`game.preview(action)`, including the session's reason when the action is not allowed. Confirming
applies the action to this quarter's plan and returns its description to the dashboard; an
illegal action is refused on screen and changes nothing. Below the projection, the engine
compares its expected score for the plan with and without the action (`EngineComparison`, in a
worker, after the form has been still for a moment).

An action screen normally plans for the game in progress; given a `game`, it plans for that one
instead (a branch, in the learn-from-your-mistakes mode), and `engine=False` hides the engine.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static

from game.session.actions import Action
from game.session.game import Game, IllegalAction
from game.ui import text as t
from game.ui.render.dashboard import runway_cap
from game.ui.render.preview import preview_panel
from game.ui.screens.base import FortressScreen
from game.ui.widgets.evaluation import EngineComparison
from game.ui.widgets.panel import Panel


class ActionScreen(FortressScreen[str | None]):
    """A form for one kind of action with its projected effect beside it."""

    HEADING: ClassVar[str] = "Action"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("enter", "confirm", "Add to plan"),
        Binding("ctrl+s", "confirm", "Add to plan", show=False),
        Binding("pageup", "scroll_preview(-1)", "Scroll preview", show=False, priority=True),
        Binding("pagedown", "scroll_preview(1)", "Scroll preview", show=False, priority=True),
    ]

    def __init__(self, game: Game | None = None, *, engine: bool = True) -> None:
        super().__init__()
        self._other_game = game
        self.engine = engine
        """Show the engine's comparison of the plan with and without the action."""

    @property
    def game(self) -> Game:
        return self._other_game if self._other_game is not None else super().game

    def compose(self) -> ComposeResult:
        yield Static(self.HEADING, classes="screen-title")
        yield Static(id="context", classes="context")
        with Horizontal(classes="action-body"):
            form = VerticalScroll(classes="action-form")
            form.can_focus = False
            with form:
                yield from self.compose_form()
            with Vertical(classes="action-side"):
                yield from self.compose_side_top()
                yield Panel("Projected effect this quarter", id="preview", classes="preview")
                if self.engine:
                    yield EngineComparison(id="engine-preview")
                yield from self.compose_side_bottom()
        yield Static(id="hint", classes="hint")
        yield Footer(compact=True, show_command_palette=False)

    def compose_form(self) -> ComposeResult:
        """The form's widgets."""
        yield from ()

    def compose_side_top(self) -> ComposeResult:
        """Widgets above the preview (e.g. the responses to a cloud offer)."""
        yield from ()

    def compose_side_bottom(self) -> ComposeResult:
        """Widgets below the preview (e.g. the capacity already held)."""
        yield from ()

    def build_action(self) -> Action | str | None:
        """The action the form describes, a message saying what is missing, or None (nothing to do)."""
        return None

    def context(self) -> str:
        """One line above the form with the figures the player needs to fill it in."""
        return f"{self.game.quarter_label()}: cash {t.money(self.game.dashboard().cash)}"

    def hint(self) -> str:
        return "Enter: add to plan · Tab: next field · PgUp/PgDn: preview · Esc: back"

    def on_mount(self) -> None:
        # Tab visits only what the player can change: the panels beside the form are read-only
        # (Page Up/Down scroll the preview from any field).
        for panel in self.query(Panel):
            panel.can_focus = False
            panel.more_label = "PgDn: more ▼"
        self.query_one("#context", Static).update(self.context())
        self.query_one("#hint", Static).update(self.hint())
        self.refresh_preview()

    # ---- preview and confirm -------------------------------------------------------------------

    def empty_preview(self) -> str:
        """What the preview says when the form describes no action."""
        return "Fill in the form to see the projected effect."

    def describe_preview(self, action: Action) -> str:
        return t.describe(self.game, action)

    def refresh_preview(self) -> None:
        """Redraw the projected effect of the action the form describes now."""
        result = self.build_action()
        panel = self.query_one("#preview", Panel)
        cap = runway_cap(self.game)
        if result is None:
            from rich.text import Text

            panel.show(Text(self.empty_preview(), style=self.palette.muted))
        elif isinstance(result, str):
            from rich.text import Text

            panel.show(Text(result, style=self.palette.warn))
        else:
            panel.show(
                preview_panel(
                    self.game.preview(result), self.palette, runway_cap=cap, what=self.describe_preview(result)
                )
            )
        if self.engine:
            action = None if result is None or isinstance(result, str) else result
            why_not = self.game.check(action) if action is not None else None
            self.query_one(EngineComparison).refresh_for(self.game, action, why_not)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_preview()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_preview()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a list submits the form when it describes an action (with the other fields
        as they stand); when something is still missing it moves on to the next field."""
        event.stop()
        result = self.build_action()
        if result is not None and not isinstance(result, str):
            self.action_confirm()
        else:
            self.focus_next()

    def action_scroll_preview(self, direction: int) -> None:
        """Scroll the projected effect a page up or down."""
        panel = self.query_one("#preview", Panel)
        if direction > 0:
            panel.scroll_page_down()
        else:
            panel.scroll_page_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        """Add the action to this quarter's plan, or say on screen why it cannot be."""
        result = self.build_action()
        if result is None:
            self.notify("Nothing to add: fill in the form first.", severity="warning")
            return
        if isinstance(result, str):
            self.notify(result, severity="warning")
            return
        try:
            self.game.apply(result)
        except IllegalAction as exc:
            self.refresh_preview()
            self.notify(str(exc), title="Not allowed", severity="error", timeout=6)
            return
        self.dismiss(t.describe(self.game, result))

    def action_back(self) -> None:
        self.dismiss(None)
