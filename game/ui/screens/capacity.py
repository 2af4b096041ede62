"""The capacity screen: every way to get compute, priced now, and the orders already in the pipe.

Owned capacity (a campus, chips) costs billions per GW, part up front, and arrives after a lead
time; reserved cloud capacity is rented per GW-quarter for a term, and spot for this quarter only,
both limited by how much the market can deliver now. The preview shows the effect on cash,
burn, runway, compute and dependency.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.session.actions import Action, OrderCapacity
from game.session.views import CapacityChoice
from game.ui import text as t
from game.ui.render.tables import Row, grid, heading, stack
from game.ui.screens.action import ActionScreen
from game.ui.widgets.panel import Panel

OWN_KINDS = ("own_dc", "chips")


SHORT_KIND = {"own_dc": "Own campus", "chips": "Own chips", "spot": "Spot"}


def choice_label(c: CapacityChoice) -> Text:
    """One line: a short name, the price and when it arrives (or how much can be had now)."""
    if c.kind == "reserved" and ": " in c.name:
        name = f"Reserve {t.short(c.name.split(': ', 1)[1])}"
    else:
        name = SHORT_KIND.get(c.kind, c.name)
    if c.kind in OWN_KINDS:
        terms = f"{t.money(c.price)}/GW, {c.lead} qtr"
    else:
        terms = f"{t.money(c.price)}/GW-qtr" + (f" · {t.pct(c.fill)} available" if c.fill < 0.995 else "")
    return Text.assemble((f"{name:<18}", "bold"), terms)


class CapacityScreen(ActionScreen):
    """Order compute."""

    HEADING = "Capacity: buy or rent compute"
    GLOSSARY = (
        "Gigawatt (GW)",
        "Own data centre",
        "CapEx",
        "Reserved capacity",
        "Spot capacity",
        "Lead time",
        "Scarcity index",
        "Take-or-pay",
        "Inference",
        "Training",
        "Unserved demand",
        "Multi-cloud strategy",
    )
    HELP = (
        "Up/down picks a way to get compute. **Owned** capacity (a campus or chips) is bought: you "
        "pay a deposit now and the rest until it arrives after its lead time, then it is the "
        "cheapest to run. **Reserved** cloud capacity is rented per GW-quarter for a term you choose "
        "and arrives now, as far as the provider can fill it. **Spot** is for this quarter only. "
        "Tab moves to the term and the gigawatts; Enter, in any field, adds the order to the plan as the "
        "form stands. Page Up/Down scroll the projection."
    )

    def choices(self) -> list[CapacityChoice]:
        return self.game.capacity_choices()

    def compose_form(self) -> ComposeResult:
        yield Label("Buy ($B/GW) or rent ($B/GW-qtr)")
        yield OptionList(*(Option(choice_label(c), id=str(k)) for k, c in enumerate(self.choices())), id="choices")
        with Vertical(id="term-box"):
            yield Label("Contract term", classes="section")
            yield OptionList(id="terms")
        with Horizontal(classes="field"):
            yield Label("Gigawatts to order (GW)")
            yield Input("0.1", id="gw", type="number")
        yield Static(id="order-math", classes="blurb")
        yield Static(id="choice-detail", classes="blurb section")

    def compose_side_bottom(self) -> ComposeResult:
        yield Panel("Your compute and orders", id="holdings")

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()
        self._show_choice()
        self.query_one("#holdings", Panel).show(self.holdings())

    def context(self) -> str:
        d = self.game.dashboard(forecast=True)
        f = d.forecast
        serving = (
            f"With your plan, serving {t.gw(f.serving_gw)}; a calm quarter's demand needs {t.gw(f.needed_gw)}"
            if f is not None
            else f"Serving {t.gw(d.inference_gw)}, demand needs {t.gw(d.needed_gw)}"
        )
        return f"{serving} · scarcity {d.scarcity:.2f} · cash {t.money(d.cash)}"

    def _choice(self) -> CapacityChoice:
        index = self.query_one("#choices", OptionList).highlighted or 0
        return self.choices()[index]

    def _show_choice(self) -> None:
        c = self._choice()
        if c.kind in OWN_KINDS:
            upfront = next(o.upfront for o in self.fortress.pack.capacity if o.id == c.option)
            facts = (
                f"{t.money(c.price)} per GW: {t.pct(upfront)} paid when you order, the rest spread until it "
                f"is online in {t.quarters(c.lead)}."
            )
        elif c.kind == "reserved":
            facts = f"{t.price(c.price)} for the whole term; {t.pct(c.fill)} of an order can be delivered now."
        else:
            facts = f"{t.price(c.price)} this quarter; {t.pct(c.fill)} of a request can be served now."
        d = self.game.dashboard()
        held = (  # the holdings panel's gist, for a short terminal where that panel is hidden
            f"You run {t.gw(d.compute_gw)} now; {t.gw(sum(p.gw for p in d.pipeline))} on order."
            if self.short_terminal
            else ""
        )
        self.query_one("#choice-detail", Static).update(
            f"{facts} Orders from {c.min_order:g} to {c.max_order:g} GW a quarter. {held}\n{c.blurb}"
        )
        box = self.query_one("#term-box")
        box.display = c.kind == "reserved"
        terms = self.query_one("#terms", OptionList)
        terms.clear_options()
        terms.add_options([Option(f"{q} quarters", id=str(q)) for q in c.terms])
        if c.terms:
            terms.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "choices":
            self._show_choice()

    def holdings(self) -> RenderableType:
        d = self.game.dashboard()
        pal = self.palette
        rows: list[Row] = [("Owned, online", t.gw(d.own_gw))]
        for c in d.contracts:
            if c.gw > 0:
                rows.append((f"Reserved: {t.short(c.provider_name)}", t.gw(c.gw)))
                rows.append(("· term left", t.quarters(c.quarters_left)))
                if c.ending_next > 1e-6:
                    rows.append(("· ends this quarter", t.gw(c.ending_next)))
        pipe: list[Row] = [
            (f"{t.gw(p.gw)} {SHORT_KIND.get(self._kind(p.option), p.option).lower()}", f"online {p.label}")
            for p in sorted(d.pipeline, key=lambda p: p.quarters)
        ]
        parts: list[RenderableType] = [grid(rows, pal)]
        parts.append(heading("On order (the pipeline)", pal))
        parts.append(grid(pipe, pal) if pipe else Text("Nothing on order.", style=pal.muted))
        return stack(*parts)

    def _kind(self, option_id: str) -> str:
        return next((o.kind for o in self.fortress.pack.capacity if o.id == option_id), option_id)

    def build_action(self) -> Action | str | None:
        c = self._choice()
        amount = t.parse_number(self.query_one("#gw", Input).value)
        math = self.query_one("#order-math", Static)
        if amount is None or amount <= 0:
            math.update("")
            return "Type how many gigawatts to order (for example 0.1)."
        if c.kind in OWN_KINDS:
            upfront = next(o.upfront for o in self.fortress.pack.capacity if o.id == c.option)
            math.update(
                f"Costs {t.money(amount * c.price)} in all: a {t.pct(upfront)} deposit and instalments until it "
                "is online (the projection shows this quarter's share)."
            )
            return OrderCapacity(option=c.option, gw=amount)
        math.update(f"Costs {t.per_quarter(amount * c.price)} while it runs.")
        if c.kind == "reserved":
            option = self.query_one("#terms", OptionList).highlighted_option
            term = int(option.id) if option is not None and option.id else (c.terms[0] if c.terms else None)
            return OrderCapacity(option=c.option, gw=amount, provider=c.provider, term=term)
        return OrderCapacity(option=c.option, gw=amount)
