"""The player's words for every reason code of the rules (`game.engine.legality.Reason`).

One table: each code has one message, written from the figures the rule compared and the names
of the scenario's providers, investors and options. The interface shows it on a disabled button;
the tests read it; nothing else words a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.engine.legality import Reason
from game.session.wording import money, money_at_most, plural

_money = money


def _quarters(n: float) -> str:
    return plural(round(n), "quarter")


@dataclass(frozen=True)
class Why:
    """What a message may mention: the rule's figures (world 0) and the names involved."""

    figures: dict[str, float]
    investor: str = ""
    """The investor type's name (plural is the message's); in a round, the lead's."""
    member: str = ""
    """The name of the syndicate member (lead or follower) a round's rule names."""
    provider: str = ""
    blocker: str = ""
    """The provider whose exclusivity blocks the action."""
    other: str = ""
    """The other provider the plan does business with."""
    option: str = ""
    terms: str = ""
    regulator: str = ""
    name: str = ""
    """The name the action gave that the scenario does not know."""

    def __getitem__(self, key: str) -> float:
        return self.figures[key]


MESSAGES: dict[Reason, Callable[[Why], str]] = {
    Reason.GAME_OVER: lambda w: "The game is over.",
    Reason.UNKNOWN_INVESTOR: lambda w: f"No {w.name!r} investors take part in this scenario.",
    Reason.UNKNOWN_PROVIDER: lambda w: f"There is no provider {w.name!r} in this scenario.",
    Reason.UNKNOWN_OPTION: lambda w: f"There is no capacity option {w.name!r}.",
    Reason.NEEDS_PROVIDER: lambda w: (
        "Reserved capacity needs one of this scenario's providers."
        if w.option
        else "A cloud-partner round needs one of this scenario's providers."
    ),
    Reason.NOT_FROM_PROVIDER: lambda w: f"{w.option} is not bought from a provider on a term.",
    Reason.NOT_POSITIVE: lambda w: "The amount must be more than zero.",
    Reason.ROUND_PLANNED: lambda w: "You already have a round planned this quarter; undo it to propose another.",
    Reason.BELOW_INVESTOR_MIN: lambda w: f"{w.investor}s do not take part in rounds under {_money(w['minimum'])}.",
    Reason.SELLS_TOO_MUCH: lambda w: (
        f"This round would sell {w['sold']:.0%} of the company; one round may sell at most "
        f"{w['limit']:.0%}. Raise less or ask a higher pre-money."
    ),
    Reason.PROVIDER_NOT_CLOUD_ROUND: lambda w: (
        f"Only a cloud partner's round names a provider; {w.investor}s invest on their own."
    ),
    Reason.LEAD_ALSO_FOLLOWS: lambda w: (
        f"{w.investor}s lead this round, so they cannot also follow it: put their whole cheque in the lead."
    ),
    Reason.LEAD_TOO_SMALL: lambda w: (
        f"The lead, {w.investor}s, would write only {_money(w['lead_cheque'])} of this {_money(w['amount'])} "
        f"round; the lead sets the price and writes at least {w['lead_min_share']:.0%} of it. "
        "Ask less of the followers or more of the lead."
    ),
    Reason.FOLLOWER_BELOW_MIN: lambda w: (
        f"{w.member}s write no cheque under {_money(w['member_min'])}; follow with at least that or leave them out."
    ),
    Reason.ABOVE_MAX_CHEQUE: lambda w: (
        f"{w.member}s write at most {_money(w['member_max'])} in one round and this one asks "
        f"{_money(w['cheque'])} of them. Spread the round over more followers."
    ),
    Reason.OVER_STAKE_CAP: lambda w: (
        f"This round would take {w.provider}'s stake to {w['stake_after']:.0%}; it may hold at most "
        f"{w['stake_cap']:.0%} of the company. Raise less from it, or from another investor."
    ),
    Reason.IPO_UNDER_WAY: lambda w: "Your IPO filing is under way: no private rounds until it lists or is pulled.",
    Reason.EXCLUSIVE_ELSEWHERE: lambda w: (
        f"Your exclusive deal with {w.blocker} rules out other providers until you restructure it."
    ),
    Reason.EXCLUSIVE_PLANNED: lambda w: (
        f"The exclusive deal with {w.blocker} you planned this quarter rules out other providers; "
        "undo it, or counter it on exclusivity, first."
    ),
    Reason.EXCLUSIVE_CONFLICTS_PLAN: lambda w: (
        f"This offer is exclusive, and this quarter's plan already does business with {w.other}. "
        "Undo that, or counter on exclusivity."
    ),
    Reason.ALREADY_ANSWERED: lambda w: "You have already answered this offer this quarter; undo to change your answer.",
    Reason.NO_OFFER: lambda w: f"{w.provider} has no offer on the table this quarter.",
    Reason.DEALS_FROZEN: lambda w: (
        f"Partner deals are frozen while the {w.regulator} investigation runs ({_quarters(w['quarters'])} left)."
    ),
    Reason.COUNTER_NEEDS_TERM: lambda w: (
        "Choose the one term to counter: exclusivity, board seat, commitment or investment."
    ),
    Reason.NOT_ASKING_EXCLUSIVITY: lambda w: "This offer does not ask for exclusivity.",
    Reason.NOT_ASKING_BOARD: lambda w: "This offer does not ask for a board seat.",
    Reason.TERM_WITHOUT_COUNTER: lambda w: "Only a counter-offer names a term.",
    Reason.BELOW_MIN_ORDER: lambda w: f"The smallest order of {w.option.lower()} is {w['minimum']:g} GW.",
    Reason.ABOVE_MAX_ORDER: lambda w: f"You can order at most {w['maximum']:g} GW of {w.option.lower()} a quarter.",
    Reason.TERM_NOT_OFFERED: lambda w: f"Reserved terms on offer: {w.terms} quarters.",
    Reason.DEPOSIT_OVER_CASH: lambda w: (
        f"The deposits on this quarter's orders would come to {_money(w['deposit'])} and you have "
        f"{_money(w['cash'])} in cash."
    ),
    Reason.SHARE_OUT_OF_RANGE: lambda w: "The training share must be between 0% and 100%.",
    Reason.COMPLIANCE_OVER_CASH: lambda w: f"You cannot spend more than your cash ({_money(w['cash'])}) on compliance.",
    Reason.NO_ASSETS: lambda w: "Loans are secured on capacity you own, and you own none yet.",
    Reason.OVER_LOAN_LIMIT: lambda w: (
        f"Lenders will lend at most {money_at_most(w['limit'])} more against your owned capacity "
        f"({w['loan_to_value']:.0%} of its value)."
    ),
    Reason.NO_DEBT: lambda w: "You have no debt to repay.",
    Reason.OVER_DEBT: lambda w: f"You owe only {_money(w['debt'])}.",
    Reason.REPAY_OVER_CASH: lambda w: f"You have only {_money(w['cash'])} in cash.",
    Reason.ALREADY_LISTED: lambda w: "You are already listed.",
    Reason.IPO_FILED: lambda w: "Your IPO filing is already under way.",
    Reason.IPO_PLANNED: lambda w: "You have already planned to file this quarter.",
    Reason.ARR_TOO_LOW: lambda w: (
        f"Public investors want ARR of at least {_money(w['min_arr'])}; yours is {_money(w['arr'])}."
    ),
    Reason.SCRUTINY_TOO_HIGH: lambda w: (
        f"Scrutiny is {w['scrutiny']:.0%}; underwriters will not file above {w['max_scrutiny']:.0%}."
    ),
    Reason.INVESTIGATION_OPEN: lambda w: "No underwriter will file while an investigation is open.",
    Reason.RUNWAY_TOO_SHORT: lambda w: (
        f"You need at least {w['min_runway']:g} quarters of runway to file; you have {w['runway']:.1f}."
    ),
    Reason.NOTHING_TO_RESTRUCTURE: lambda w: f"{w.provider} has neither exclusivity nor a board seat to give up.",
    Reason.RESTRUCTURE_PLANNED: lambda w: "This restructuring is already planned.",
}
"""Every refusal's message, by reason code (a test checks that every code has one)."""


def message(reason: Reason, why: Why) -> str:
    return MESSAGES[reason](why)
