"""The cloud-deals screen: this quarter's offers with every term, and accept, counter or decline.

Pick an offer (up/down), read its terms, pick a response; the preview shows what it does to
dependency, commitments, scrutiny and cash. A counter names one term and may be refused, in
which case the provider walks away.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from game.content.models import DebtRules
from game.session.actions import Action, CounterTerm, RespondDeal
from game.session.views import Offer
from game.ui import text as t
from game.ui.render.tables import Row, lines, stack
from game.ui.screens.action import ActionScreen
from game.ui.theme import Palette


def offer_terms(offer: Offer, provider_blurb: str, pal: Palette, debt: DebtRules | None = None) -> RenderableType:
    """Every term of an offer, in words; a convertible note with its rate, its term and what it
    costs a quarter (the content's `debt` rules)."""
    if offer.convertible:
        form = "a convertible note (no shares now; it turns into shares at your next priced round or listing)"
        if debt is not None:
            rate = debt.note_interest
            form += (
                f": {t.pct(rate, 1)} a quarter ({t.pct((1 + rate) ** 4 - 1, 1)} a year, about "
                f"{t.per_quarter(offer.invest * rate)}) added to the note, not paid in cash; it converts "
                f"at the lower of a {t.pct(debt.note_discount)} discount to that price and a cap of "
                f"{debt.note_cap:.2f}x your valuation today. If nothing prices the lab within "
                f"{t.quarters(debt.note_maturity)} it must be repaid with its interest, or it defaults "
                f"and converts at {t.pct(debt.note_default_price)} of the lower of the cap and your valuation"
            )
    else:
        form = f"a {t.pct(offer.stake, 2)} stake at {t.money(offer.pre_money)} pre-money"
    rows: list[Row] = [
        ("Investment", f"{t.money(offer.invest)}, of which {t.money(offer.credits)} compute credits"),
        ("In return", form),
        ("Reserved capacity", f"{t.gw(offer.gw)} at {t.price(offer.price)}"),
        ("Contract term", t.quarters(offer.term)),
        ("Committed spend (take-or-pay)", t.per_quarter(offer.commit)),
        ("Exclusivity", "yes: no other cloud provider while it lasts" if offer.exclusive else "no"),
        ("Board seat", "yes" if offer.board_seat else "no"),
        ("Chance a counter is accepted", t.pct(offer.counter_chance)),
    ]
    return stack(lines(rows, pal), Text(provider_blurb, style=pal.muted))


COUNTER_OPTIONS = {
    "investment": "more investment",
    "commitment": "smaller commitment",
    "exclusivity": "no exclusivity",
    "board_seat": "no board seat",
}
"""Short labels for the counter-offers in the list of responses."""


class DealsScreen(ActionScreen):
    """Answer a cloud provider's offer."""

    HEADING = "Cloud deals: this quarter's offers"
    GLOSSARY = (
        "Cloud deal",
        "Counter-offer",
        "Compute credits",
        "Convertible note",
        "Committed spend",
        "Take-or-pay",
        "Exclusivity",
        "Board seat",
        "Dependency",
        "Scrutiny",
        "Reserved capacity",
        "Multi-cloud strategy",
        "Hyperscaler",
    )
    HELP = (
        "Each quarter some cloud providers make an offer: money (part of it as compute credits), "
        "reserved capacity at a discount, and in return a stake or a convertible note, a committed "
        "spend every quarter (take-or-pay) and sometimes exclusivity or a board seat. "
        "**Accept** it, **counter** one term (the provider may refuse and walk away), or **decline**. "
        "Up/down picks the offer, Tab moves to the responses, Enter adds the response to the plan."
    )

    def compose_form(self) -> ComposeResult:
        offers = self.game.offers()
        if not offers:
            yield Static(
                "No cloud provider has an offer on the table this quarter. Offers arrive at "
                "random each quarter: look again next quarter. Esc goes back.",
                id="no-offers",
                classes="blurb",
            )
            return
        yield Label("Offers (up/down to choose)")
        yield OptionList(*(Option(o.provider_name, id=o.provider) for o in offers), id="offers")
        yield Static(id="terms", classes="section")

    def compose_side_top(self) -> ComposeResult:
        if self.game.offers():
            yield Label("Your response (Enter: add to plan)")
            yield OptionList(id="responses")

    def empty_preview(self) -> str:
        return "No offer to answer this quarter."

    def offers(self) -> list[Offer]:
        return self.game.offers()

    def _offer(self) -> Offer | None:
        offers = self.offers()
        if not offers:
            return None
        index = self.query_one("#offers", OptionList).highlighted or 0
        return offers[index]

    def _responses(self, offer: Offer) -> list[tuple[str, str, CounterTerm | None]]:
        out: list[tuple[str, str, CounterTerm | None]] = [("accept", "Accept the offer as it stands", None)]
        terms: list[CounterTerm] = ["investment", "commitment"]
        if offer.exclusive:
            terms.append("exclusivity")
        if offer.board_seat:
            terms.append("board_seat")
        for term in terms:
            out.append(("counter", f"Counter: {COUNTER_OPTIONS[term]}", term))
        out.append(("decline", "Decline", None))
        return out

    def on_mount(self) -> None:
        if self.offers():
            self._show_offer()
            self.query_one("#offers", OptionList).focus()

    def context(self) -> str:
        d = self.game.dashboard()
        return (
            f"Top dependency {t.pct(d.max_dependency)} · scrutiny {t.pct(d.scrutiny)} · "
            f"commitments {t.per_quarter(d.commitments)} · cash {t.money(d.cash)}"
        )

    def _show_offer(self) -> None:
        offer = self._offer()
        if offer is None:
            return
        blurb = next((p.blurb for p in self.fortress.pack.providers if p.id == offer.provider), "")
        self.query_one("#terms", Static).update(offer_terms(offer, blurb, self.palette, self.fortress.pack.rules.debt))
        responses = self.query_one("#responses", OptionList)
        responses.clear_options()
        responses.add_options(
            [Option(label, id=f"{kind}:{term or ''}") for kind, label, term in self._responses(offer)]
        )
        responses.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "offers":
            self._show_offer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.prevent_default()
        event.stop()
        if event.option_list.id == "responses":
            self.action_confirm()
        else:  # the offer chosen: on to the responses to it
            self.query_one("#responses", OptionList).focus()

    def build_action(self) -> Action | str | None:
        offer = self._offer()
        if offer is None:
            return None
        responses = self.query_one("#responses", OptionList)
        option = responses.highlighted_option
        if option is None or option.id is None:
            return "Choose a response."
        kind, _, term = option.id.partition(":")
        if kind == "accept":
            return RespondDeal(provider=offer.provider, response="accept")
        if kind == "decline":
            return RespondDeal(provider=offer.provider, response="decline")
        return RespondDeal.model_validate({"provider": offer.provider, "response": "counter", "term": term})
