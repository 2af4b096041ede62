"""The funding-round screen: build a syndicate. The lead investor type (who sets the price), the
whole round and the pre-money, then each follower's cheque (the lead writes the rest), and the
partner behind a cloud cheque.

The preview shows the chance the whole syndicate closes, the new investors' stake, the founders'
stake before and after, projected cash and runway, and the cap table after the round.
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
        "Lead investor",
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
        "Choose the **lead** investor type (up/down), then the **amount** of the whole round and the "
        "**pre-money** valuation you ask, in $B. The lead sets the price; below, give each "
        "**follower** type its cheque (blank for none) and the lead writes the rest. New investors "
        "get amount / (pre-money + amount) of the company. Asking more than the lead thinks fair, or "
        "more of a type than its appetite, lowers the chance the round closes; spreading a big round "
        "over several types raises it, and a broad syndicate moves the valuation more. A failed "
        "round costs investor confidence. The round is decided when the quarter ends. Tab moves "
        "between the fields; Enter, in any of them, adds the round to the plan."
    )

    def investors(self) -> list[Investor]:
        ids = self.game.scenario.investors
        return [next(i for i in self.fortress.pack.investors if i.id == iid) for iid in ids]

    def compose_form(self) -> ComposeResult:
        game = self.game
        yield Label("Lead investor (sets the price)")
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
            yield Label("Whole round ($B)")
            yield Input(f"{amount:g}", id="amount", type="number")
        with Horizontal(classes="field"):
            yield Label("Pre-money you ask ($B)")
            yield Input(f"{round(d.fair_value):g}", id="pre", type="number")
        yield Label("Followers' cheques ($B, blank for none)", classes="section")
        for i in self.investors():
            with Horizontal(classes="field", id=f"follow-row-{i.id}"):
                yield Label(f"{i.name} ({t.money(i.min_amount)}-{t.money(i.max_cheque)})")
                yield Input("", id=f"follow-{i.id}", type="number", placeholder="0")
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
            f"Cheques {t.money(investor.min_amount)}-{t.money(investor.max_cheque)}. {investor.blurb}"
        )
        for i in self.investors():  # the lead does not also follow
            self.query_one(f"#follow-row-{i.id}").display = i.id != investor.id
        cloud = investor.kind == "cloud" or any(i.kind == "cloud" and c > 0 for i, c in self._followers())
        self.query_one("#provider-box").display = cloud

    def _followers(self) -> list[tuple[Investor, float]]:
        """The followers typed so far, each with its cheque (the lead's own row left out)."""
        lead = self._investor()
        out = []
        for i in self.investors():
            cheque = t.parse_number(self.query_one(f"#follow-{i.id}", Input).value)
            if i.id != lead.id and cheque is not None and cheque != 0:
                out.append((i, cheque))
        return out

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
        investor = self._investor()
        followers = self._followers()
        self.query_one("#provider-box").display = investor.kind == "cloud" or any(
            i.kind == "cloud" for i, _ in followers
        )
        lead = amount - sum(c for _, c in followers)
        syndicate = "".join(f" · {i.name} {t.money(c)}" for i, c in followers)
        math.update(
            f"Post-money {t.money(post)} = {t.money(pre)} + {t.money(amount)}; "
            f"new investors own {t.pct(amount / post, 2)}.\n"
            f"Lead: {investor.name} {t.money(lead)}{syndicate}"
        )
        provider = None
        if investor.kind == "cloud" or any(i.kind == "cloud" for i, _ in followers):
            index = self.query_one("#providers", OptionList).highlighted or 0
            provider = self.game.scenario.providers[index]
        return RaiseRound(
            investor=investor.id,
            amount=amount,
            pre_money=pre,
            provider=provider,
            followers=tuple((i.id, c) for i, c in followers),
        )
