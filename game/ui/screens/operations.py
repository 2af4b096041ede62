"""The operations screen: everything that is not a round, a deal or an order.

The training/serving split, compliance spending, borrowing against owned capacity and repaying,
filing for an IPO (with the reason it is blocked, when it is) and restructuring a partnership to
end a partner's exclusivity and board seat.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.session.actions import (
    Action,
    Borrow,
    FileIpo,
    Repay,
    Restructure,
    SetCompliance,
    SetSplit,
)
from game.session.preview import serving_limit
from game.ui import text as t
from game.ui.screens.action import ActionScreen

NO_INPUT = ("ipo", "restructure")
NOTHING_TO_RESTRUCTURE = "Nothing to restructure: none of your cloud deals is exclusive or holds a board seat."


def borrow_default(limit: float) -> str:
    """The amount the borrow field starts with: the most lenders allow, rounded down to the cent
    so that it is never above the limit (1 when nothing can be borrowed: the preview says why)."""
    cents = math.floor(limit * 100 + 1e-9) / 100
    return f"{cents:g}" if cents >= 0.01 else "1"


class OperationsScreen(ActionScreen):
    """Run the lab."""

    HEADING = "Operations: split, compliance, debt, IPO, restructuring"
    GLOSSARY = (
        "Training",
        "Inference",
        "Capability",
        "Unserved demand",
        "Compliance spending",
        "Scrutiny",
        "Secured loan",
        "Covenant",
        "Default",
        "IPO",
        "Float",
        "Exclusivity",
        "Board seat",
        "Dependency",
    )
    HELP = (
        "Up/down picks an operation; Enter moves to its field (or, for the IPO and restructuring, "
        "adds it to the plan); Enter in the field adds it.\n\n"
        "- **Split**: compute used for training raises capability; the rest serves customers.\n"
        "- **Compliance**: spending a quarter that lowers regulatory scrutiny.\n"
        "- **Borrow / repay**: loans secured on capacity you own; interest and a cash covenant.\n"
        "- **IPO**: list on the public market once ARR, runway and scrutiny allow.\n"
        "- **Restructure**: pay a fee to end a partner's exclusivity and board seat."
    )

    def _restructure_targets(self) -> list[str]:
        d = self.game.dashboard()
        return [c.provider for c in d.contracts if c.exclusive or c.board_seat]

    def compose_form(self) -> ComposeResult:
        game = self.game
        d = game.dashboard()
        options = [
            Option("Training / serving split", id="split"),
            Option("Compliance spending", id="compliance"),
            Option("Borrow against owned capacity", id="borrow"),
            Option("Repay debt", id="repay"),
            Option("File for an IPO", id="ipo"),
            *(
                Option(f"Restructure: {game.provider_name(p)}", id=f"restructure:{p}")
                for p in self._restructure_targets()
            ),
        ]
        if not self._restructure_targets():
            # listed, so a player learns it exists, but there is nothing to end
            options.append(Option("Restructure a partnership", id="restructure"))
        yield Label("Operation (up/down)")
        yield OptionList(*options, id="ops")
        with ContentSwitcher(initial="form-split", id="op-forms"):
            with Vertical(id="form-split"):
                with Horizontal(classes="field"):
                    yield Label("Training share (%)")
                    yield Input(f"{100 * d.train_share:.0f}", id="split", type="number")
                limit, compute = serving_limit(game)
                yield Static(
                    f"Now {t.pct(d.train_share)} training, on the {t.gw(compute)} you run this quarter. "
                    f"If demand comes in as expected, at most {limit}% can train without turning "
                    "customers away (more demand than expected needs more serving).",
                    classes="blurb",
                )
            with Vertical(id="form-compliance"):
                with Horizontal(classes="field"):
                    yield Label("Compliance ($B a qtr)")
                    yield Input(f"{d.compliance:g}", id="compliance", type="number")
                yield Static(
                    "Lawyers, audits and reporting: they lower scrutiny, with diminishing returns.", classes="blurb"
                )
            with Vertical(id="form-borrow"):
                with Horizontal(classes="field"):
                    yield Label("Amount to borrow ($B)")
                    yield Input(borrow_default(d.loan_limit), id="borrow", type="number")
                yield Static(
                    f"Lenders lend against owned capacity; you can borrow up to {t.money(d.loan_limit)} now.",
                    classes="blurb",
                )
                yield Static(id="loan-terms", classes="blurb")
            with Vertical(id="form-repay"):
                with Horizontal(classes="field"):
                    yield Label("Amount to repay ($B)")
                    yield Input(f"{round(d.debt, 2):g}" if d.debt > 0 else "1", id="repay", type="number")
                yield Static(f"You owe {t.money(d.debt)}.", classes="blurb")
            with Vertical(id="form-ipo"):
                yield Static(id="ipo-status", classes="blurb")
            with Vertical(id="form-restructure"):
                yield Static(id="restructure-status", classes="blurb")

    def on_mount(self) -> None:
        self.query_one("#ops", OptionList).focus()
        self._show_op()

    def context(self) -> str:
        d = self.game.dashboard()
        return (
            f"Cash {t.money(d.cash)} · debt {t.money(d.debt)} · scrutiny {t.pct(d.scrutiny)} · "
            f"{t.pct(d.train_share)} of compute training"
        )

    def _op(self) -> tuple[str, str | None]:
        option = self.query_one("#ops", OptionList).highlighted_option
        op_id = option.id if option is not None and option.id else "split"
        kind, _, provider = op_id.partition(":")
        return kind, provider or None

    def _show_op(self) -> None:
        kind, provider = self._op()
        self.query_one("#op-forms", ContentSwitcher).current = f"form-{kind}"
        if kind == "ipo":
            block = self.game.check(FileIpo())
            ipo = self.fortress.pack.rules.ipo
            text = (
                f"Blocked: {block}"
                if block
                else "You can file now. The listing comes after the filing period, if the market holds."
            )
            self.query_one("#ipo-status", Static).update(
                f"{text}\nAn IPO sells {t.pct(ipo.float_fraction)} of the lab to the public after "
                f"{t.quarters(ipo.quarters_to_list)}. Enter adds the filing to the plan."
            )
        elif kind == "restructure" and provider is None:
            self.query_one("#restructure-status", Static).update(NOTHING_TO_RESTRUCTURE)
        elif kind == "restructure" and provider is not None:
            fee = self.fortress.pack.rules.deals.restructure_fee
            commit = next((c.commit for c in self.game.dashboard().contracts if c.provider == provider), 0.0)
            self.query_one("#restructure-status", Static).update(
                f"Pay {self.game.provider_name(provider)} a fee of {fee:g} quarters of your committed spend "
                f"with it ({t.money(fee * commit)}) to end its exclusivity and board seat. "
                "Dependency and scrutiny fall. Enter adds it to the plan."
            )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_op()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """The list picks which operation: Enter moves to its field (or adds the ones without)."""
        event.prevent_default()
        event.stop()
        kind, _ = self._op()
        if kind in NO_INPUT:
            self.action_confirm()
        else:
            self.query_one(f"#{kind}", Input).focus()

    def _number(self, field: str) -> float | None:
        return t.parse_number(self.query_one(f"#{field}", Input).value)

    def build_action(self) -> Action | str | None:
        kind, provider = self._op()
        if kind == "ipo":
            return FileIpo()
        if kind == "restructure":
            return NOTHING_TO_RESTRUCTURE if provider is None else Restructure(provider=provider)
        value = self._number(kind)
        if value is None:
            return "Type a number."
        if kind == "split":
            if not 0 <= value <= 100:
                return "The training share is a percentage from 0 to 100."
            return SetSplit(train_share=value / 100)
        if kind == "compliance":
            if value < 0:
                return "Compliance spending cannot be negative."
            return SetCompliance(spend=value)
        if value <= 0:
            return "Type an amount above zero, in $B."
        if kind == "borrow":
            debt = self.fortress.pack.rules.debt
            rate = debt.interest
            self.query_one("#loan-terms", Static).update(
                f"Rate {t.pct(rate, 1)} a quarter ({t.pct((1 + rate) ** 4 - 1, 1)} a year). No fixed term: "
                f"interest only, {t.per_quarter(value * rate)} on this loan, until you repay it, early or "
                f"late, as you choose. The lender calls the loan if cash falls below "
                f"{t.pct(debt.covenant_cash_ratio)} of your debt."
            )
            return Borrow(amount=value)
        return Repay(amount=value)
