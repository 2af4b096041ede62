"""Why an action is illegal now: one reason per rule, in words a player can act on.

`check(game, action)` returns None for a legal action, else the first reason it fails. The same
rules serve the interface (a disabled button says why), the bots and the tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.content.models import CapacityOption
from game.engine import market
from game.session.actions import (
    Action,
    Borrow,
    FileIpo,
    OrderCapacity,
    RaiseRound,
    Repay,
    RespondDeal,
    Restructure,
    SetCompliance,
    SetSplit,
)

if TYPE_CHECKING:
    from game.session.game import Game


def option(game: Game, option_id: str) -> CapacityOption:
    for o in game.pack.capacity:
        if o.id == option_id:
            return o
    raise KeyError(option_id)


def _money(x: float) -> str:
    return f"${x:,.1f}B"


def _exclusive_block(game: Game, provider_id: str) -> str | None:
    s = game.state
    excl = int(s.exclusive[0, 0])
    if excl >= 0 and game.params.provider_names[excl] != provider_id:
        other = game.provider_name(game.params.provider_names[excl])
        return f"Your exclusive deal with {other} rules out other providers until you restructure it."
    return None


def pending_of(game: Game, kind: str) -> list[Action]:
    return [a for a in game.pending if a.kind == kind]


def check(game: Game, action: Action) -> str | None:
    if game.over:
        return "The game is over."
    p, s = game.params, game.state
    if isinstance(action, RaiseRound):
        if pending_of(game, "raise"):
            return "You already have a round planned this quarter; undo it to propose another."
        if action.investor not in p.investor_names:
            return f"No {action.investor!r} investors take part in this scenario."
        i = p.investor_names.index(action.investor)
        inv = next(x for x in game.pack.investors if x.id == action.investor)
        if action.amount < inv.min_amount:
            return f"{inv.name}s do not take part in rounds under {_money(inv.min_amount)}."
        sold = action.amount / (action.pre_money + action.amount)
        if sold > p.rounds.max_new_money:
            return (
                f"This round would sell {sold:.0%} of the company; one round may sell at most "
                f"{p.rounds.max_new_money:.0%}. Raise less or ask a higher pre-money."
            )
        if bool(p.investors.is_cloud[i]):
            if action.provider is None or action.provider not in p.provider_names:
                return "A cloud-partner round needs one of this scenario's providers."
            block = _exclusive_block(game, action.provider)
            if block:
                return block
        if int(s.ipo_left[0, 0]) >= 0:
            return "Your IPO filing is under way: no private rounds until it lists or is pulled."
        return None
    if isinstance(action, RespondDeal):
        if action.provider not in p.provider_names:
            return f"There is no provider {action.provider!r} in this scenario."
        j = game.provider_index(action.provider)
        if any(isinstance(a, RespondDeal) and a.provider == action.provider for a in game.pending):
            return "You have already answered this offer this quarter; undo to change your answer."
        if not bool(s.offer_on[0, 0, j]):
            return f"{game.provider_name(action.provider)} has no offer on the table this quarter."
        if int(s.invest_left[0, 0]) > 0:
            return f"Partner deals are frozen while the {game.scenario.regulator} investigation runs ({int(s.invest_left[0, 0])} quarter(s) left)."
        if action.response != "decline":
            block = _exclusive_block(game, action.provider)
            if block:
                return block
            if bool(s.offer_exclusive[0, 0, j]) and not (action.response == "counter" and action.term == "exclusivity"):
                for a in game.pending:
                    if isinstance(a, RespondDeal) and a.response != "decline":
                        k = game.provider_index(a.provider)
                        if bool(s.offer_exclusive[0, 0, k]) and not (
                            a.response == "counter" and a.term == "exclusivity"
                        ):
                            return "You cannot sign two exclusive deals in one quarter."
        if action.response == "counter":
            if action.term is None:
                return "Choose the one term to counter: exclusivity, board seat, commitment or investment."
            if action.term == "exclusivity" and not bool(s.offer_exclusive[0, 0, j]):
                return "This offer does not ask for exclusivity."
            if action.term == "board_seat" and not bool(s.offer_board[0, 0, j]):
                return "This offer does not ask for a board seat."
        elif action.term is not None:
            return "Only a counter-offer names a term."
        return None
    if isinstance(action, OrderCapacity):
        try:
            opt = option(game, action.option)
        except KeyError:
            return f"There is no capacity option {action.option!r}."
        if action.gw < opt.min_order - 1e-12:
            return f"The smallest order of {opt.name.lower()} is {opt.min_order:g} GW."
        already = sum(
            a.gw
            for a in game.pending
            if isinstance(a, OrderCapacity) and a.option == action.option and a.provider == action.provider
        )
        if action.gw + already > opt.max_order + 1e-12:
            return f"You can order at most {opt.max_order:g} GW of {opt.name.lower()} a quarter."
        if opt.kind == "reserved":
            if action.provider is None or action.provider not in p.provider_names:
                return "Reserved capacity needs one of this scenario's providers."
            if action.term is None or action.term not in opt.terms:
                return f"Reserved terms on offer: {', '.join(str(t) for t in opt.terms)} quarters."
            block = _exclusive_block(game, action.provider)
            if block:
                return block
        elif action.provider is not None or action.term is not None:
            return f"{opt.name} is not bought from a provider on a term."
        if opt.kind in ("own_dc", "chips"):
            o = p.option_names.index(opt.id)
            price = float(market.own_price(p, s.scarcity)[0, o])
            deposit = action.gw * price * opt.upfront
            if deposit > float(s.cash[0, 0]) + 1e-9:
                return f"The deposit on this order is {_money(deposit)} and you have {_money(float(s.cash[0, 0]))} in cash."
        return None
    if isinstance(action, SetSplit):
        return None
    if isinstance(action, SetCompliance):
        if action.spend > max(float(s.cash[0, 0]), 0.0):
            return f"You cannot spend more than your cash ({_money(float(s.cash[0, 0]))}) on compliance."
        return None
    if isinstance(action, Borrow):
        limit = loan_limit(game) - sum(a.amount for a in game.pending if isinstance(a, Borrow))
        if float(s.assets[0, 0]) <= 0:
            return "Loans are secured on capacity you own, and you own none yet."
        if action.amount > limit + 1e-9:
            return f"Lenders will lend at most {_money(max(limit, 0.0))} more against your owned capacity ({p.debt.loan_to_value:.0%} of its value)."
        return None
    if isinstance(action, Repay):
        debt = float(s.debt[0, 0]) - sum(a.amount for a in game.pending if isinstance(a, Repay))
        if debt <= 1e-9:
            return "You have no debt to repay."
        if action.amount > debt + 1e-9:
            return f"You owe only {_money(debt)}."
        if action.amount > float(s.cash[0, 0]) + 1e-9:
            return f"You have only {_money(float(s.cash[0, 0]))} in cash."
        return None
    if isinstance(action, FileIpo):
        return ipo_block(game)
    if isinstance(action, Restructure):
        if action.provider not in p.provider_names:
            return f"There is no provider {action.provider!r} in this scenario."
        j = game.provider_index(action.provider)
        if int(s.exclusive[0, 0]) != j and not bool(s.board[0, 0, j]):
            return f"{game.provider_name(action.provider)} has neither exclusivity nor a board seat to give up."
        if any(isinstance(a, Restructure) and a.provider == action.provider for a in game.pending):
            return "This restructuring is already planned."
        return None
    return "Unknown action."


def loan_limit(game: Game) -> float:
    p, s = game.params, game.state
    return float(np.maximum(0.0, p.debt.loan_to_value * s.assets[0, 0] - s.debt[0, 0]))


def ipo_block(game: Game) -> str | None:
    """Why the lab cannot file for an IPO now, or None."""
    p, s = game.params, game.state
    if bool(s.listed[0, 0]):
        return "You are already listed."
    if int(s.ipo_left[0, 0]) >= 0:
        return "Your IPO filing is already under way."
    if pending_of(game, "ipo"):
        return "You have already planned to file this quarter."
    arr = float(s.arr_hist[0, 0, -1])
    if arr < p.ipo.min_arr:
        return f"Public investors want ARR of at least {_money(p.ipo.min_arr)}; yours is {_money(arr)}."
    if float(s.scrutiny[0, 0]) > p.ipo.max_scrutiny:
        return f"Scrutiny is {float(s.scrutiny[0, 0]):.0%}; underwriters will not file above {p.ipo.max_scrutiny:.0%}."
    if int(s.invest_left[0, 0]) > 0:
        return "No underwriter will file while an investigation is open."
    if float(s.runway[0, 0]) < p.ipo.min_runway:
        return (
            f"You need at least {p.ipo.min_runway:g} quarters of runway to file; you have {float(s.runway[0, 0]):.1f}."
        )
    return None
