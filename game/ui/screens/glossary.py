"""The glossary: every term the game uses, searchable by typing, with the current screen's first.

It can open straight onto a term (the focused panel's, or one chosen in the command palette).
Typing filters the list (terms whose name matches first, then those whose definition does);
up/down moves through it; a click on a "See also" name opens that term; Esc or F2 closes it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from game.content.models import Term
from game.ui.render.tables import heading, stack
from game.ui.screens.base import FortressModal
from game.ui.widgets.panel import Panel


def ordered_terms(terms: list[Term], first: tuple[str, ...], query: str) -> list[tuple[str | None, list[Term]]]:
    """Sections of terms: (heading, terms). Without a query, this screen's terms then all;
    with one, the terms whose name matches, then those whose definition does."""
    by_name = {term.term: term for term in terms}
    q = query.strip().lower()
    if q:
        names = [term for term in terms if any(q in name for name in term.names())]
        defs = [term for term in terms if term not in names and q in term.definition.lower()]
        sections: list[tuple[str | None, list[Term]]] = []
        if names:
            sections.append(("Terms", names))
        if defs:
            sections.append(("Mentioned in", defs))
        return sections
    here = [by_name[name] for name in first if name in by_name]
    rest = sorted(terms, key=lambda term: term.term.lower())
    if here:
        return [("On this screen", here), ("All terms, A to Z", rest)]
    return [(None, rest)]


class GlossaryScreen(FortressModal[None]):
    """Look up a term."""

    HELP = (
        "Type to search the glossary; up/down moves through the terms; click a name under "
        "*See also* to open it (or type it); Esc or F2 closes it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, first: tuple[str, ...] = (), term: str | None = None) -> None:
        super().__init__()
        self.first = first
        self.initial = term

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary-box"):
            yield Static("Glossary", classes="screen-title")
            yield Input(placeholder="Type to search, e.g. runway", id="glossary-search")
            with Horizontal(id="glossary-body"):
                yield OptionList(id="glossary-terms")
                yield Panel("Definition", id="glossary-definition")
            yield Footer()

    def on_mount(self) -> None:
        self._fill("")
        if self.initial:
            self.select(self.initial)
        self.query_one("#glossary-search", Input).focus()

    def _terms(self) -> list[Term]:
        return list(self.fortress.pack.glossary)

    def _fill(self, query: str) -> None:
        terms = self.query_one("#glossary-terms", OptionList)
        terms.clear_options()
        options: list[Option] = []
        for index, (title, section) in enumerate(ordered_terms(self._terms(), self.first, query)):
            if title:
                options.append(Option(Text(title, style="bold underline"), id=f"heading-{index}", disabled=True))
            options.extend(Option(term.term, id=f"{index}:{term.term}") for term in section)
        terms.add_options(options)
        first = next((k for k, option in enumerate(options) if not option.disabled), None)
        terms.highlighted = first
        if first is None:
            self.query_one("#glossary-definition", Panel).show(Text(f"No term matches {query!r}."))

    def select(self, name: str) -> None:
        """Highlight the term called `name`, if it is listed."""
        terms = self.query_one("#glossary-terms", OptionList)
        for k in range(terms.option_count):
            option = terms.get_option_at_index(k)
            if option.id and option.id.partition(":")[2] == name:
                terms.highlighted = k
                return

    def _show(self, name: str) -> None:
        term = next((x for x in self._terms() if x.term == name), None)
        if term is None:
            return
        pal = self.palette
        parts = [heading(term.term, pal), Text(term.definition)]
        if term.see_also:
            # each name is a link: a click opens that term (typing its name finds it too)
            links: list[Text | str] = [Text("See also: ", style=pal.muted)]
            for k, other in enumerate(term.see_also):
                if k:
                    links.append(", ")
                links.append(Text(other, style=Style(underline=True, meta={"@click": f"screen.see_also({other!r})"})))
            parts.append(Text(""))
            parts.append(Text.assemble(*links))
        self.query_one("#glossary-definition", Panel).show(stack(*parts))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id or ""
        if ":" in option_id:
            self._show(option_id.partition(":")[2])

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        terms = self.query_one("#glossary-terms", OptionList)
        if step > 0:
            terms.action_cursor_down()
        else:
            terms.action_cursor_up()

    def action_see_also(self, name: str) -> None:
        """Open another term: the search is cleared so that every term is listed."""
        search = self.query_one("#glossary-search", Input)
        if search.value:
            with search.prevent(Input.Changed):
                search.value = ""
        self._fill("")
        self.select(name)

    def action_close(self) -> None:
        self.dismiss(None)
