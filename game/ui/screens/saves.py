"""The list of saved games: load one, replay one, or pick one to compare with.

Every file in the save folder is listed, newest first, one line each: the save's name, the lab,
the scenario, the quarter, the outcome and when it was saved; the highlighted save is described
in full below the list. Damaged or foreign files are listed last with the reason they cannot be
opened; they can be highlighted (to read the reason) but not opened, and never stop the list.
Opening a save replays it and checks its digests first, so a save that reads but does not replay
is refused here, with its reason, instead of failing later. The screen returns a `Chosen`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Literal

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.content.names import for_markup, plain
from game.saves.errors import SaveError
from game.saves.format import SaveFile
from game.saves.load import SaveEntry
from game.saves.replay import restore
from game.session.game import Game
from game.session.report import OUTCOME_TEXT
from game.session.wording import position
from game.ui import text as t
from game.ui.render.tables import Row, grid, stack
from game.ui.screens.base import FortressScreen
from game.ui.theme import Palette
from game.ui.widgets.panel import Panel

Mode = Literal["load", "replay", "compare"]
"""What the chosen save is for."""

TITLES: dict[Mode, str] = {
    "load": "Load a saved game",
    "replay": "Replay a saved game",
    "compare": "Compare with another save",
}


@dataclass(frozen=True)
class Chosen:
    """The save the player picked, read and replayed (its digests checked)."""

    path: Path
    save: SaveFile
    game: Game


# ---- words for a save (shared with the title screen and the save dialog) ---------------------------


def scenario_name(save: SaveFile) -> str:
    """The scenario's name as the save's own content gives it (made plain: no control characters)."""
    return plain(
        next((s.name for s in save.content.scenarios if s.id == save.settings.scenario), save.settings.scenario)
    )


def total_quarters(save: SaveFile) -> int:
    scenario = next((s for s in save.content.scenarios if s.id == save.settings.scenario), None)
    return save.settings.quarters or (scenario.quarters if scenario else save.summary.turn)


def outcome_name(outcome: str | None) -> str:
    """`Fortress`, `Forced sale`, ... or `playing` for a game still in progress."""
    if outcome is None:
        return "playing"
    return OUTCOME_TEXT.get(outcome, (plain(outcome.replace("_", " ").capitalize()), ""))[0]


def saved_when(saved_at: str, year: bool = False) -> str:
    """When a save was written, in local time: `03 Jun 14:05` (with the year if asked)."""
    try:
        moment = datetime.fromisoformat(saved_at).astimezone()
    except ValueError:
        return saved_at[:16]
    return moment.strftime("%d %b %Y %H:%M" if year else "%d %b %H:%M")


def where(save: SaveFile) -> str:
    """The save's place in its game (`wording.position`)."""
    m = save.summary
    return position(m.quarter, m.turn, total_quarters(save), m.outcome is not None)


def describe_save(save: SaveFile) -> str:
    """One line: lab, scenario, where the game stands, and what kind of save it is."""
    m = save.summary
    stands = m.quarter if m.outcome is None else f"ended: {outcome_name(m.outcome)}"
    kind = "autosave" if save.kind == "autosave" else f"“{plain(save.name)}”"
    return f"{plain(save.settings.lab_name)} · {scenario_name(save)} · {stands} · {kind}"


def save_label(save: SaveFile) -> str:
    """The name to list a save under: its own name (made plain), or `autosave` for an autosave."""
    return "autosave" if save.kind == "autosave" else plain(save.name)


def save_details(entry: SaveEntry, pal: Palette) -> RenderableType:
    """Everything the list knows about one file, for the panel under the list."""
    save = entry.save
    if save is None:
        return stack(
            Text("This file cannot be opened.", style=pal.bad),
            Text(f"{plain(entry.path.name)} {problem_of(entry)}"),
            Text("Nothing was changed; your other saves are not affected.", style=pal.muted),
        )
    s, m = save.settings, save.summary
    rows: list[Row] = [
        ("Save", Text(f"{save_label(save)}  ({plain(entry.path.name)})")),
        ("Lab", Text(plain(s.lab_name))),
        ("World", Text(f"{scenario_name(save)}, {plain(s.difficulty)}, seed {s.seed}")),
        ("Quarter", Text(where(save))),
    ]
    if m.cash is not None and m.valuation is not None:
        vs = f" ({t.times(m.valuation / m.rival_valuation)} the rival)" if m.rival_valuation else ""
        rows.append(("Cash, valuation", f"{t.money(m.cash)}, {t.money(m.valuation)}{vs}"))
    if m.outcome is not None:
        score = f", final score {m.score:.1f}" if m.score is not None else ""
        rows.append(("Outcome", f"{outcome_name(m.outcome)}{score}"))
    rows.append(("Saved", saved_when(save.saved_at, year=True)))
    table = grid(rows, pal)
    table.columns[1].justify = "left"
    table.columns[1].no_wrap = False
    table.columns[0].ratio = None
    table.columns[0].width = 16
    table.columns[1].ratio = 1
    return table


class SaveRow:
    """One line of the list as columns whose widths depend only on the space available, so that
    every row (and the header) lines up whatever its content."""

    FIXED = (7, 11, 12)
    """Widths of the quarter, outcome and date columns."""
    SHARES = (3, 3, 2)
    """How the rest is shared between the save's name, the lab and the scenario."""

    def __init__(self, cells: list[str | Text]) -> None:
        self.cells = cells

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        rest = max(width - sum(self.FIXED) - 5, 3)
        shared = [rest * share // sum(self.SHARES) for share in self.SHARES]
        shared[0] += rest - sum(shared)
        table = Table.grid(padding=(0, 1))
        for column_width in (*shared, *self.FIXED):
            table.add_column(width=column_width, no_wrap=True, overflow="ellipsis")
        table.add_row(*self.cells)
        yield table

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


HEADER = ["Save", "Lab", "Scenario", "Quarter", "Outcome", "Saved"]


def problem_of(entry: SaveEntry) -> str:
    """What is wrong with a file that cannot be opened, without its name in front."""
    problem = entry.problem or "It is not a readable Fortress save."
    return plain(problem.removeprefix(f"{entry.path.name}: "))


def entry_prompt(entry: SaveEntry, pal: Palette) -> RenderableType:
    """One line of the list."""
    save = entry.save
    if save is None:
        return Text.assemble(
            ("⚠ ", pal.bad),
            (plain(entry.path.name), pal.bad),
            " ",
            (problem_of(entry), pal.muted),
            no_wrap=True,
            overflow="ellipsis",
        )
    m = save.summary
    return SaveRow(
        [
            Text(save_label(save), style=pal.muted if save.kind == "autosave" else ""),
            Text(plain(save.settings.lab_name)),
            Text(scenario_name(save)),
            Text(plain(m.quarter) if m.outcome is None else "over"),
            Text(outcome_name(m.outcome)),
            Text(saved_when(save.saved_at)),
        ]
    )


class SaveList(OptionList):
    """The list of saves: an option list whose Enter the footer shows as Open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open")]


class SavesScreen(FortressScreen[Chosen | None]):
    """Pick a save from the save folder."""

    GLOSSARY = ("Outcome", "Score", "Valuation against rival")
    HELP = (
        "Every file in the save folder, newest first. Up/down (or the mouse) picks one; the panel "
        "below describes it; **Enter** opens it; **Esc** goes back. Autosaves are written after "
        "every quarter (the newest three of each game are kept). A file marked ⚠ cannot be "
        "opened: the panel says why. Nothing here changes or deletes a file."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, mode: Mode = "load", *, exclude: Path | None = None, context: str | None = None) -> None:
        super().__init__()
        self.mode: Mode = mode
        self.exclude = exclude
        """A file not to offer (the save being replayed, when picking one to compare with)."""
        self.context = context
        """A line above the list (what the pick is for); default: the folder."""
        self.entries: list[SaveEntry] = []

    def compose(self) -> ComposeResult:
        store = self.fortress.store
        self.entries = [
            e for e in store.entries() if self.exclude is None or e.path.resolve() != self.exclude.resolve()
        ]
        pal = self.palette
        readable = sum(e.ok for e in self.entries)
        damaged = len(self.entries) - readable
        context = self.context or f"Save folder {for_markup(store.folder)}{os.sep}, newest first"
        if damaged:
            context += f" ({damaged} cannot be opened, marked ⚠)"
        yield Static(TITLES[self.mode], classes="screen-title")
        yield Static(context, classes="context", id="saves-context")
        yield Static(SaveRow([Text(h, style=pal.accent) for h in HEADER]), id="saves-header")
        yield SaveList(
            *(Option(entry_prompt(e, pal), id=str(i)) for i, e in enumerate(self.entries)),
            id="save-list",
        )
        yield Panel("About this save", id="save-details")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        options = self.query_one("#save-list", OptionList)
        if self.entries:
            options.highlighted = 0
            self._show(0)
        else:
            self.query_one("#save-details", Panel).show(
                Text(f"No saves in {self.fortress.store.folder} yet.", style=self.palette.muted)
            )
        options.focus()

    def _show(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.entries):
            return
        self.query_one("#save-details", Panel).show(save_details(self.entries[index], self.palette))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def action_open(self) -> None:
        self._open(self.query_one("#save-list", OptionList).highlighted)

    def _open(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.entries):
            return
        entry = self.entries[index]
        if entry.save is None:
            self.notify(
                for_markup(problem_of(entry)),
                title=f"{for_markup(entry.path.name)} cannot be opened",
                severity="error",
                timeout=8,
            )
            return
        try:
            game = restore(entry.save, entry.path)
        except SaveError as exc:
            # It reads but does not replay: mark it so, here and now.
            self.entries[index] = SaveEntry(entry.path, None, str(exc))
            self.query_one("#save-list", OptionList).replace_option_prompt_at_index(
                index, entry_prompt(self.entries[index], self.palette)
            )
            self._show(index)
            self.notify(for_markup(exc), title="Cannot be opened", severity="error", timeout=10)
            return
        self.dismiss(Chosen(entry.path, entry.save, game))

    def action_back(self) -> None:
        self.dismiss(None)
