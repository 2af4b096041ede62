"""The save dialog: a name for a named save, the file it becomes, and a confirmation to replace one.

The name is made safe for a file (`safe_name`) and the resulting file is shown as the player
types. Saving over an existing save asks first: the dialog says what that file holds and waits
for a second Enter (or a click on Replace). The dialog returns the name; the app writes the save.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from game.content.names import MAX_NAME, BadName, check_name
from game.saves.errors import SaveError
from game.saves.load import read_save
from game.saves.store import SaveStore
from game.ui.screens.base import FortressModal
from game.ui.screens.saves import describe_save, saved_when


class SaveDialog(FortressModal[str | None]):
    """Name a save."""

    HELP = (
        "Type a name and press **Enter** to save the game as it stands, this quarter's plan "
        "included. Letters, digits, `-` and `_` are kept; other characters become `-`. Saving "
        "under a name that exists asks before replacing it. **Esc** cancels."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: SaveStore, suggestion: str, planned: int = 0, game_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.suggestion = suggestion
        self.planned = planned
        self.game_id = game_id
        """The game being saved: a save of another game with the same name is never replaced."""
        """Actions planned this quarter (kept in the save), to say so."""
        self.armed: str | None = None
        """The file name the player has been warned about; a second Enter replaces it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static("Save the game", classes="screen-title")
            yield Label("Name of the save")
            yield Input(self.suggestion, id="save-name", max_length=60, select_on_focus=True)
            yield Static(id="save-file")
            yield Static("Enter saves · Esc cancels", classes="hint")
            with Horizontal(id="save-buttons"):
                yield Button("Save", id="save-ok", variant="primary")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        self._describe()
        self.query_one("#save-name", Input).focus()

    @property
    def name_typed(self) -> str:
        return self.query_one("#save-name", Input).value.strip()

    def _describe(self) -> None:
        """Show the file the name becomes, and what it would replace."""
        pal = self.palette
        name = self.name_typed
        file = self.query_one("#save-file", Static)
        button = self.query_one("#save-ok", Button)
        if not name:
            file.update(Text("Type a name for the save.", style=pal.warn))
            button.label = "Save"
            return
        path = self.store.path_for(name, self.game_id)
        lines = Text.assemble(("File: ", pal.muted), str(path))
        if self.planned:
            lines.append(
                f"\nThis quarter's plan ({self.planned} action{'s' if self.planned != 1 else ''}) is saved too."
            )
        if path.exists():
            try:
                save = read_save(path)
                held = f"{describe_save(save)}, saved {saved_when(save.saved_at, year=True)}"
            except SaveError as exc:
                held = f"a file that cannot be read ({exc.problem})"
            lines.append("\nA save with this name exists: ", style=pal.warn)
            lines.append(held)
            if self.armed == path.name:
                lines.append("\nPress Enter again to replace it, or change the name.", style=pal.warn)
            button.label = "Replace"
        else:
            button.label = "Save"
        file.update(lines)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.armed = None
        self._describe()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save-ok":
            if self.store.path_for(self.name_typed, self.game_id).exists():
                self.armed = self.store.path_for(
                    self.name_typed, self.game_id
                ).name  # a click on Replace is the confirmation
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        """Return the name; the first attempt over an existing file only arms the confirmation."""
        name = self.name_typed
        if not name:
            self.notify("Type a name for the save first.", severity="warning")
            return
        try:
            name = check_name(name, "save name", MAX_NAME)
        except BadName as exc:
            self.notify(str(exc), severity="error")
            return
        path = self.store.path_for(name, self.game_id)
        if path.exists() and self.armed != path.name:
            self.armed = path.name
            self._describe()
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
