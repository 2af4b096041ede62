"""The funding-round screen: investor type, amount and pre-money (and the partner for a cloud round).

The preview shows the chance the round closes, the new investors' stake, the founders' stake
before and after, projected cash and runway, and the cap table after the round.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.content.models import Investor
from game.session.actions import Action, RaiseRound
from game.ui import text as t
from game.ui.screens.action import ActionScreen


class FundingScreen(ActionScreen):
    """Plan a priced funding round."""

    HEADING = "Funding round: sell new shares for cash"
    GLOSSARY = (
        "Pre-money valuation",
        "Post-money valuation",
        "Dilution",
        "Cap table",
        "Closing chance",
        "Investor pool",
        "Fair value",
        "Down round",
        "Crossover fund",
        "Sovereign wealth fund",
        "Strategic investor",
        "Runway",
        "Investor confidence",
        "Sentiment",
    )
    HELP = (
        "Choose an **investor type** (up/down), then the **amount** to raise and the **pre-money** "
        "valuation you ask, in $B. New investors get amount / (pre-money + amount) of the company. "
        "Asking more than fair value, or more money than the investors can bring, lowers the chance "
        "the round closes; a failed round costs investor confidence. The round is decided when the "
        "quarter ends. Tab moves between the fields; Enter, in any of them, adds the round to the plan."
    )

    def investors(self) -> list[Investor]:
        ids = self.game.scenario.investors
        return [next(i for i in self.fortress.pack.investors if i.id == iid) for iid in ids]

    def compose_form(self) -> ComposeResult:
        game = self.game
        yield Label("Investor type")
        yield OptionList(
            *(Option(f"{i.name}: up to ~{t.money(i.pool)}", id=i.id) for i in self.investors()),
            id="investors",
        )
        yield Static(id="investor-blurb", classes="blurb")
        with Vertical(id="provider-box"):
            yield Label("Which cloud partner invests", classes="section")
            yield OptionList(*(Option(game.provider_name(p), id=p) for p in game.scenario.providers), id="providers")
        d = game.dashboard()
        first = self.investors()[0]
        amount = round(max(first.min_amount, min(0.08 * d.fair_value, 0.5 * first.pool)), 1)
        with Horizontal(classes="field"):
            yield Label("Amount to raise ($B)")
            yield Input(f"{amount:g}", id="amount", type="number")
        with Horizontal(classes="field"):
            yield Label("Pre-money you ask ($B)")
            yield Input(f"{round(d.fair_value):g}", id="pre", type="number")
        yield Static(id="round-math", classes="blurb")

    def on_mount(self) -> None:
        self.query_one("#investors", OptionList).focus()
        self._show_investor()

    def context(self) -> str:
        d = self.game.dashboard()
        cap = self.fortress.pack.rules.rounds.max_new_money
        return (
            f"Fair value {t.money(d.fair_value)} · last round {t.money(d.last_post)} post-money · "
            f"cash {t.money(d.cash)} · a round sells at most {t.pct(cap)}"
        )

    def _investor(self) -> Investor:
        index = self.query_one("#investors", OptionList).highlighted or 0
        return self.investors()[index]

    def _show_investor(self) -> None:
        investor = self._investor()
        self.query_one("#investor-blurb", Static).update(
            f"Rounds from {t.money(investor.min_amount)}. {investor.blurb}"
        )
        self.query_one("#provider-box").display = investor.kind == "cloud"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "investors":
            self._show_investor()

    def build_action(self) -> Action | str | None:
        amount = t.parse_number(self.query_one("#amount", Input).value)
        pre = t.parse_number(self.query_one("#pre", Input).value)
        math = self.query_one("#round-math", Static)
        if amount is None or amount <= 0:
            math.update("")
            return "Type the amount to raise, in $B (for example 4)."
        if pre is None or pre <= 0:
            math.update("")
            return "Type the pre-money valuation you ask, in $B (for example 60)."
        post = pre + amount
        math.update(
            f"Post-money {t.money(post)} = {t.money(pre)} + {t.money(amount)}; "
            f"new investors own {t.pct(amount / post, 2)}."
        )
        investor = self._investor()
        provider = None
        if investor.kind == "cloud":
            index = self.query_one("#providers", OptionList).highlighted or 0
            provider = self.game.scenario.providers[index]
        return RaiseRound(investor=investor.id, amount=amount, pre_money=pre, provider=provider)
