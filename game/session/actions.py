"""The player's actions: pydantic models in one discriminated union, so they save and replay.

Each action has a short text form (`describe`) for logs, reports and the debrief. Amounts are in
$B, capacity in GW. An action is checked against the game before it is applied; the reasons it
may be illegal live in `game.session.rules`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from game.session.wording import money

CounterTerm = Literal["exclusivity", "board_seat", "commitment", "investment"]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RaiseRound(_Action):
    """Propose a priced funding round: a lead investor type, who sets the price, and followers of
    other types with their cheques; the lead writes the rest of `amount`."""

    kind: Literal["raise"] = "raise"
    investor: str
    """The lead investor type."""
    amount: float = Field(gt=0, allow_inf_nan=False)
    """The whole round, $B."""
    pre_money: float = Field(gt=0, allow_inf_nan=False)
    provider: str | None = None
    """For a cloud partner's cheque (lead or follower): which provider invests."""
    followers: tuple[tuple[str, float], ...] = ()
    """The followers: (investor type, cheque in $B), each type once."""

    def describe(self) -> str:
        who = self.investor if self.provider is None else f"{self.investor} ({self.provider})"
        if self.followers:
            who += " with " + ", ".join(f"{k} {money(c)}" for k, c in self.followers)
        return f"Raise {money(self.amount)} at {money(self.pre_money)} pre-money from {who}"


class RespondDeal(_Action):
    """Answer a cloud provider's offer: accept, decline or counter one term."""

    kind: Literal["deal"] = "deal"
    provider: str
    response: Literal["accept", "decline", "counter"]
    term: CounterTerm | None = None

    def describe(self) -> str:
        if self.response == "counter":
            return f"Counter {self.provider}'s offer on {self.term}"
        return f"{self.response.capitalize()} {self.provider}'s offer"


class OrderCapacity(_Action):
    """Order owned capacity, contract reserved cloud capacity or request spot capacity."""

    kind: Literal["order"] = "order"
    option: str
    gw: float = Field(gt=0, allow_inf_nan=False)
    provider: str | None = None
    """Reserved capacity: the provider."""
    term: int | None = None
    """Reserved capacity: the contract term in quarters."""

    def describe(self) -> str:
        extra = f" from {self.provider} for {self.term} quarters" if self.provider else ""
        return f"Order {self.gw:.2f} GW of {self.option}{extra}"


class SetSplit(_Action):
    """Set the share of compute used for training (the rest serves customers)."""

    kind: Literal["split"] = "split"
    train_share: float = Field(ge=0, le=1, allow_inf_nan=False)

    def describe(self) -> str:
        return f"Train on {self.train_share:.0%} of compute, serve on {1 - self.train_share:.0%}"


class SetCompliance(_Action):
    """Set compliance spending per quarter."""

    kind: Literal["compliance"] = "compliance"
    spend: float = Field(ge=0, allow_inf_nan=False)

    def describe(self) -> str:
        return f"Spend {money(self.spend)} a quarter on compliance"


class Borrow(_Action):
    """Draw a loan secured on owned capacity."""

    kind: Literal["borrow"] = "borrow"
    amount: float = Field(gt=0, allow_inf_nan=False)

    def describe(self) -> str:
        return f"Borrow {money(self.amount)} against owned capacity"


class Repay(_Action):
    """Repay part or all of the loan."""

    kind: Literal["repay"] = "repay"
    amount: float = Field(gt=0, allow_inf_nan=False)

    def describe(self) -> str:
        return f"Repay {money(self.amount)} of debt"


class FileIpo(_Action):
    """File for an initial public offering."""

    kind: Literal["ipo"] = "ipo"

    def describe(self) -> str:
        return "File for an IPO"


class Restructure(_Action):
    """Pay a fee to end a provider's exclusivity and board seat."""

    kind: Literal["restructure"] = "restructure"
    provider: str

    def describe(self) -> str:
        return f"Restructure the {self.provider} partnership (end exclusivity and board seat)"


Action = Annotated[
    RaiseRound | RespondDeal | OrderCapacity | SetSplit | SetCompliance | Borrow | Repay | FileIpo | Restructure,
    Field(discriminator="kind"),
]
ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)
ACTION_LIST: TypeAdapter[list[Action]] = TypeAdapter(list[Action])

KINDS = ("raise", "deal", "order", "split", "compliance", "borrow", "repay", "ipo", "restructure")
