"""The rules of the game, once: what the player's lab may decide this quarter, in every world.

Every kind of decision has one check over W worlds that returns a reason code per world (0 =
legal) with the figures the rule compared, in the manner of a legal-move generator. The checks see
the state at the start of the quarter *and the plan so far*: an exclusive deal planned this quarter
rules out another provider's deal, order or round in the same quarter, and a deposit, a loan or a
repayment counts what the plan already holds.

`Plan` builds a quarter's `Actions` for lab 0 one decision at a time, each checked first: the
session applies a player's actions through it, every bot and the reference player decide through
it, and `enforce` replays any batch of `Actions` through it, so that the engine's step never
resolves what a player could not have planned. The session turns codes into the player's words
(`game.session.reasons`); the interface disables a button with that message.

Derived numbers the rules and the interface share are computed here for 1 or N worlds:
`loan_limit`, `deposit`, `round_share`. Rivals (labs 1..) are the engine's own policy and are not
checked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from game.engine import market
from game.engine.actions import Actions, hold
from game.engine.params import (
    ACCEPT,
    COUNTER,
    COUNTER_TERMS,
    DECLINE,
    NO_ANSWER,
    NO_TERM,
    TERM_BOARD_SEAT,
    TERM_EXCLUSIVITY,
    Params,
)
from game.engine.state import State
from game.engine.valuation import cheques

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

SIZE_SLACK = 1e-12
"""Tolerance on an order's size against an option's limits (floating-point noise, not a rule)."""
MONEY_SLACK = 1e-9
"""Tolerance on money against cash, debt and the loan limit, $B (floating-point noise, not a rule)."""


class Reason(IntEnum):
    """Why a decision is not allowed now. 0 is legal; the session words every other code."""

    LEGAL = 0
    GAME_OVER = 1
    # names the session cannot resolve (never produced by the engine's arrays)
    UNKNOWN_INVESTOR = 2
    UNKNOWN_PROVIDER = 3
    UNKNOWN_OPTION = 4
    NEEDS_PROVIDER = 5
    NOT_FROM_PROVIDER = 6
    NOT_POSITIVE = 7
    # funding rounds
    ROUND_PLANNED = 10
    BELOW_INVESTOR_MIN = 11
    SELLS_TOO_MUCH = 12
    PROVIDER_NOT_CLOUD_ROUND = 13
    IPO_UNDER_WAY = 14
    OVER_STAKE_CAP = 15
    LEAD_ALSO_FOLLOWS = 16
    FOLLOWER_BELOW_MIN = 17
    ABOVE_MAX_CHEQUE = 18
    LEAD_TOO_SMALL = 19
    # exclusivity, for deals, reserved orders and cloud-partner rounds
    EXCLUSIVE_ELSEWHERE = 20
    EXCLUSIVE_PLANNED = 21
    EXCLUSIVE_CONFLICTS_PLAN = 22
    # cloud deals
    ALREADY_ANSWERED = 30
    NO_OFFER = 31
    DEALS_FROZEN = 32
    COUNTER_NEEDS_TERM = 33
    NOT_ASKING_EXCLUSIVITY = 34
    NOT_ASKING_BOARD = 35
    TERM_WITHOUT_COUNTER = 36
    # capacity
    BELOW_MIN_ORDER = 40
    ABOVE_MAX_ORDER = 41
    TERM_NOT_OFFERED = 42
    DEPOSIT_OVER_CASH = 43
    # operations
    SHARE_OUT_OF_RANGE = 50
    COMPLIANCE_OVER_CASH = 51
    NO_ASSETS = 52
    OVER_LOAN_LIMIT = 53
    NO_DEBT = 54
    OVER_DEBT = 55
    REPAY_OVER_CASH = 56
    # listing
    ALREADY_LISTED = 60
    IPO_FILED = 61
    IPO_PLANNED = 62
    ARR_TOO_LOW = 63
    SCRUTINY_TOO_HIGH = 64
    INVESTIGATION_OPEN = 65
    RUNWAY_TOO_SHORT = 66
    # restructuring
    NOTHING_TO_RESTRUCTURE = 70
    RESTRUCTURE_PLANNED = 71


@dataclass(frozen=True)
class Verdict:
    """A check's answer for W worlds: a reason code each (0 = legal) and the figures it compared,
    by name, each (W,), for the message that explains a refusal."""

    code: I64
    figures: dict[str, F] = field(default_factory=dict)

    @property
    def legal(self) -> B:
        return np.asarray(self.code == Reason.LEGAL, dtype=bool)


def _first(worlds: int, rules: list[tuple[B | bool, Reason]]) -> I64:
    """The first rule each world fails, in the order given (0 where it fails none)."""
    code = np.zeros(worlds, dtype=np.int64)
    for failed, reason in rules:
        code = np.where((code == 0) & failed, int(reason), code)
    return code


def _as_index(x: I64 | int, worlds: int) -> I64:
    return np.broadcast_to(np.asarray(x, dtype=np.int64), (worlds,))


def _as_float(x: F | float, worlds: int) -> F:
    return np.broadcast_to(np.asarray(x, dtype=np.float64), (worlds,))


def _as_follow(follow: F | None, worlds: int, n: int) -> F:
    """Followers' cheques (W, I): given for every world or once (I,), or none."""
    if follow is None:
        return np.zeros((worlds, n))
    return np.broadcast_to(np.asarray(follow, dtype=np.float64), (worlds, n))


def _first_type(failed: B) -> F:
    """(W, I) -> (W,): the first investor type failing a rule in each world, or -1."""
    return np.where(failed.any(axis=-1), np.argmax(failed, axis=-1), -1).astype(np.float64)


# ---- derived numbers -------------------------------------------------------------------------------


def loan_limit(p: Params, s: State) -> F:
    """What lenders will still lend the player's lab against its owned capacity: (W,)."""
    return np.asarray(np.maximum(0.0, p.debt.loan_to_value * s.assets[:, 0] - s.debt[:, 0]), dtype=np.float64)


def deposit(p: Params, s: State, order_own: F) -> F:
    """The deposits due now on owned orders `order_own` (W, O) at today's prices: (W,)."""
    price = market.own_price(p, s.scarcity)
    return np.asarray((order_own * price * p.options.upfront[None, :]).sum(axis=-1), dtype=np.float64)


def round_share(amount: F, pre: F) -> F:
    """The share of the company a round of `amount` at `pre` sells: post-money arithmetic."""
    post = pre + amount
    return np.asarray(np.divide(amount, post, out=np.zeros_like(post), where=post > 0), dtype=np.float64)


# ---- the plan --------------------------------------------------------------------------------------


class Plan:
    """The player's decisions for this quarter in W worlds, built one checked proposal at a time.

    Each `check_*` says where a proposal would be legal now, given the state and the plan so far;
    each `add_*` checks it and folds it into `actions` in the worlds that want it and may have it,
    returning those worlds. `actions` are the engine's decisions (rows of labs 1.. are the
    rivals', filled by the engine).
    """

    def __init__(self, p: Params, s: State) -> None:
        self.p, self.s = p, s
        self.actions = hold(p, s)
        self.playing: B = ~s.done
        self._w = s.worlds

    # -- what the plan holds so far --

    def signs(self) -> B:
        """(W, P): the offers the plan accepts or counters (a deal signed if the provider agrees)."""
        deal = self.actions.deal[:, 0]
        return np.asarray((deal == ACCEPT) | (deal == COUNTER), dtype=bool)

    def signs_exclusive(self) -> B:
        """(W, P): the exclusive offers the plan signs, unless it counters their exclusivity."""
        a, s = self.actions, self.s
        waived = (a.deal[:, 0] == COUNTER) & (a.counter_term[:, 0] == TERM_EXCLUSIVITY)
        return np.asarray(self.signs() & s.offer_exclusive[:, 0] & ~waived, dtype=bool)

    def business(self) -> B:
        """(W, P): providers the plan does new business with: deals, reserved orders, a partner round."""
        a, p = self.actions, self.p
        each = cheques(p, a.raise_investor[:, 0], a.raise_amount[:, 0], a.raise_follow[:, 0])
        cloud_round = ((each * p.investors.is_cloud).sum(axis=-1) > 0) & (a.raise_provider[:, 0] >= 0)
        partner = cloud_round[:, None] & (a.raise_provider[:, 0, None] == np.arange(p.n_providers))
        return np.asarray(self.signs() | (a.reserve_gw[:, 0] > 0) | partner, dtype=bool)

    def _exclusivity(self, provider: I64) -> tuple[list[tuple[B | bool, Reason]], dict[str, F]]:
        """The two exclusivity rules for new business with `provider` (W,), and the provider
        (index) that blocks it: an exclusive contract now, or an exclusive deal in the plan."""
        excl = self.s.exclusive[:, 0]
        elsewhere = (excl >= 0) & (excl != provider)
        others = self.signs_exclusive() & (np.arange(self.p.n_providers)[None, :] != provider[:, None])
        planned = others.any(axis=-1)
        blocker = np.where(elsewhere, excl, np.where(planned, np.argmax(others, axis=-1), -1))
        return [(elsewhere, Reason.EXCLUSIVE_ELSEWHERE), (planned, Reason.EXCLUSIVE_PLANNED)], {
            "blocker": blocker.astype(np.float64)
        }

    # -- funding rounds --

    def check_round(
        self,
        investor: I64 | int,
        amount: F | float,
        pre: F | float,
        provider: I64 | int = -1,
        follow: F | None = None,
    ) -> Verdict:
        """A priced round of `amount` at `pre` pre-money led by investor type `investor`, with
        followers' cheques `follow` by investor type ((W, I) or (I,); none if None) and the lead
        writing the rest, and `provider` behind a cloud partner's cheque (lead or follower), else -1.
        The lead sets the price and writes at least `lead_min_share` of the round; every cheque
        lies in its type's range; the round sells at most `max_new_money`; a cloud partner's stake
        stays under its cap."""
        p, s, w = self.p, self.s, self._w
        i, j = _as_index(investor, w), _as_index(provider, w)
        amount, pre = _as_float(amount, w), _as_float(pre, w)
        fol = _as_follow(follow, w, p.n_investors)
        each = cheques(p, i, amount, fol)  # (W, I), the lead's included
        lead_cheque = each[np.arange(w), i]
        minimum = p.investors.min_amount[i]
        sold = round_share(amount, pre)
        is_lead = np.arange(p.n_investors) == i[:, None]
        also_follows = (fol > 0) & is_lead
        small = (fol > 0) & ~is_lead & (fol < p.investors.min_amount - MONEY_SLACK)
        large: B = np.asarray(each > p.investors.max_cheque + MONEY_SLACK, dtype=bool)
        followed = (fol > 0).any(axis=-1)
        lead_low = followed & (lead_cheque < p.rounds.lead_min_share * amount - MONEY_SLACK)
        cloud_cheque = (each * p.investors.is_cloud).sum(axis=-1)
        cloud = cloud_cheque > 0
        excl_rules, excl_figures = self._exclusivity(np.maximum(j, 0))
        # a partner's cheque is held to the provider's stake cap, as its deals are
        held = s.cap[np.arange(w), 0, p.provider_holder(0) + np.maximum(j, 0)] if p.n_providers else np.zeros(w)
        post = np.maximum(pre + amount, 1e-12)
        stake_after = held * (1.0 - sold) + cloud_cheque / post
        cap = p.providers.stake_cap[np.maximum(j, 0)]
        who = np.where(
            also_follows.any(axis=-1),
            _first_type(also_follows),
            np.where(small.any(axis=-1), _first_type(small), _first_type(large)),
        )
        k = np.maximum(who, 0).astype(np.int64)
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (self.actions.raise_investor[:, 0] >= 0, Reason.ROUND_PLANNED),
            (~((amount > 0) & (pre > 0)) | (fol < 0).any(axis=-1), Reason.NOT_POSITIVE),
            (also_follows.any(axis=-1), Reason.LEAD_ALSO_FOLLOWS),
            (lead_low, Reason.LEAD_TOO_SMALL),
            (amount < minimum, Reason.BELOW_INVESTOR_MIN),
            (lead_cheque < minimum - MONEY_SLACK, Reason.BELOW_INVESTOR_MIN),
            (small.any(axis=-1), Reason.FOLLOWER_BELOW_MIN),
            (sold > p.rounds.max_new_money, Reason.SELLS_TOO_MUCH),
            (cloud & (j < 0), Reason.NEEDS_PROVIDER),
            (~cloud & (j >= 0), Reason.PROVIDER_NOT_CLOUD_ROUND),
            (cloud & (j >= 0) & (stake_after > cap + SIZE_SLACK), Reason.OVER_STAKE_CAP),
            *[(cloud & failed, reason) for failed, reason in excl_rules],
            (np.asarray(large.any(axis=-1), dtype=bool), Reason.ABOVE_MAX_CHEQUE),
            (s.ipo_left[:, 0] >= 0, Reason.IPO_UNDER_WAY),
        ]
        return Verdict(
            _first(w, rules),
            {
                "minimum": minimum,
                "sold": sold,
                "limit": np.full(w, p.rounds.max_new_money),
                "stake_after": stake_after,
                "stake_cap": cap,
                "amount": amount.copy(),
                "lead_cheque": lead_cheque,
                "lead_min_share": np.full(w, p.rounds.lead_min_share),
                "member": who,
                "cheque": each[np.arange(w), k],
                "member_min": p.investors.min_amount[k],
                "member_max": p.investors.max_cheque[k],
                **excl_figures,
            },
        )

    def add_round(
        self,
        want: B,
        investor: I64 | int,
        amount: F | float,
        pre: F | float,
        provider: I64 | int = -1,
        follow: F | None = None,
    ) -> B:
        verdict = self.check_round(investor, amount, pre, provider, follow)
        taken = want & verdict.legal
        a, w = self.actions, self._w
        a.raise_investor[taken, 0] = _as_index(investor, w)[taken]
        a.raise_amount[taken, 0] = _as_float(amount, w)[taken]
        a.raise_pre[taken, 0] = _as_float(pre, w)[taken]
        a.raise_provider[taken, 0] = _as_index(provider, w)[taken]
        a.raise_follow[taken, 0] = _as_follow(follow, w, self.p.n_investors)[taken]
        return taken

    # -- cloud deals --

    def check_deal(self, provider: int, response: int, term: int = NO_TERM) -> Verdict:
        """An answer (DECLINE, ACCEPT or COUNTER on `term`) to provider `provider`'s offer."""
        s, w = self.s, self._w
        j = np.full(w, provider, dtype=np.int64)
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (self.actions.deal[:, 0, provider] != NO_ANSWER, Reason.ALREADY_ANSWERED),
            (~s.offer_on[:, 0, provider], Reason.NO_OFFER),
            (s.invest_left[:, 0] > 0, Reason.DEALS_FROZEN),
        ]
        figures: dict[str, F] = {"quarters": s.invest_left[:, 0].astype(np.float64)}
        if response != DECLINE:
            excl_rules, excl_figures = self._exclusivity(j)
            waived = response == COUNTER and term == TERM_EXCLUSIVITY  # a counter refusing exclusivity
            signs_exclusive = s.offer_exclusive[:, 0, provider] & (not waived)
            elsewhere = self.business() & (np.arange(self.p.n_providers)[None, :] != provider)
            conflict = signs_exclusive & elsewhere.any(axis=-1)
            rules += [*excl_rules, (conflict, Reason.EXCLUSIVE_CONFLICTS_PLAN)]
            figures |= excl_figures
            figures["other"] = np.argmax(elsewhere, axis=-1).astype(np.float64)
        if response == COUNTER:
            rules += [
                (term == NO_TERM, Reason.COUNTER_NEEDS_TERM),
                ((term == TERM_EXCLUSIVITY) & ~s.offer_exclusive[:, 0, provider], Reason.NOT_ASKING_EXCLUSIVITY),
                ((term == TERM_BOARD_SEAT) & ~s.offer_board[:, 0, provider], Reason.NOT_ASKING_BOARD),
            ]
        else:
            rules.append((term != NO_TERM, Reason.TERM_WITHOUT_COUNTER))
        return Verdict(_first(w, rules), figures)

    def add_deal(self, want: B, provider: int, response: int, term: int = NO_TERM) -> B:
        taken = want & self.check_deal(provider, response, term).legal
        self.actions.deal[taken, 0, provider] = response
        if term != NO_TERM:
            self.actions.counter_term[taken, 0, provider] = term
        return taken

    def check_restructure(self, provider: int) -> Verdict:
        """Paying to end provider `provider`'s exclusivity and board seat."""
        s = self.s
        holds = (s.exclusive[:, 0] == provider) | s.board[:, 0, provider]
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (~holds, Reason.NOTHING_TO_RESTRUCTURE),
            (self.actions.restructure[:, 0, provider], Reason.RESTRUCTURE_PLANNED),
        ]
        return Verdict(_first(self._w, rules))

    def add_restructure(self, want: B, provider: int) -> B:
        taken = want & self.check_restructure(provider).legal
        self.actions.restructure[taken, 0, provider] = True
        return taken

    # -- capacity --

    def _size_rules(self, gw: F, already: F, smallest: float, largest: float) -> list[tuple[B | bool, Reason]]:
        return [
            (~self.playing, Reason.GAME_OVER),
            (gw < smallest - SIZE_SLACK, Reason.BELOW_MIN_ORDER),
            (gw + already > largest + SIZE_SLACK, Reason.ABOVE_MAX_ORDER),
        ]

    def check_reserve(self, gw: F | float, provider: I64 | int, term: int) -> Verdict:
        """Reserved cloud capacity of `gw` from `provider` (W,) for `term` quarters."""
        p, w = self.p, self._w
        gw, j = _as_float(gw, w), _as_index(provider, w)
        already = self.actions.reserve_gw[np.arange(w), 0, j]
        excl_rules, excl_figures = self._exclusivity(j)
        rules = [
            *self._size_rules(gw, already, p.cloud.reserve_min, p.cloud.reserve_max),
            (bool(term not in p.cloud.reserve_terms), Reason.TERM_NOT_OFFERED),
            *excl_rules,
        ]
        return Verdict(
            _first(w, rules),
            {"minimum": np.full(w, p.cloud.reserve_min), "maximum": np.full(w, p.cloud.reserve_max), **excl_figures},
        )

    def add_reserve(self, want: B, gw: F | float, provider: I64 | int, term: int) -> B:
        w = self._w
        taken = want & self.check_reserve(gw, provider, term).legal
        rows, j = np.flatnonzero(taken), _as_index(provider, w)[taken]
        a = self.actions
        before = a.reserve_gw[rows, 0, j]
        a.reserve_term[rows, 0, j] = np.where(before == 0, term, np.maximum(a.reserve_term[rows, 0, j], term))
        a.reserve_gw[rows, 0, j] = before + _as_float(gw, w)[taken]
        return taken

    def check_spot(self, gw: F | float) -> Verdict:
        """Spot capacity of `gw` for this quarter."""
        p, w = self.p, self._w
        gw = _as_float(gw, w)
        rules = self._size_rules(gw, self.actions.spot_gw[:, 0], p.cloud.spot_min, p.cloud.spot_max)
        return Verdict(
            _first(w, rules), {"minimum": np.full(w, p.cloud.spot_min), "maximum": np.full(w, p.cloud.spot_max)}
        )

    def add_spot(self, want: B, gw: F | float) -> B:
        taken = want & self.check_spot(gw).legal
        self.actions.spot_gw[taken, 0] += _as_float(gw, self._w)[taken]
        return taken

    def check_own(self, option: int, gw: F | float) -> Verdict:
        """An order of `gw` of owned option `option` (a campus or chips), its deposit paid in cash."""
        p, s, w = self.p, self.s, self._w
        gw = _as_float(gw, w)
        order = self.actions.order_own[:, 0].copy()
        already = order[:, option].copy()
        order[:, option] += gw
        due = deposit(p, s, order)
        cash = s.cash[:, 0]
        rules = [
            *self._size_rules(gw, already, float(p.options.min_order[option]), float(p.options.max_order[option])),
            (due > cash + MONEY_SLACK, Reason.DEPOSIT_OVER_CASH),
        ]
        return Verdict(
            _first(w, rules),
            {
                "minimum": np.full(w, p.options.min_order[option]),
                "maximum": np.full(w, p.options.max_order[option]),
                "deposit": due,
                "cash": cash.copy(),
            },
        )

    def add_own(self, want: B, option: int, gw: F | float) -> B:
        taken = want & self.check_own(option, gw).legal
        self.actions.order_own[taken, 0, option] += _as_float(gw, self._w)[taken]
        return taken

    # -- operations --

    def check_split(self, train_share: F | float) -> Verdict:
        """The share of compute used for training."""
        share = _as_float(train_share, self._w)
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (~((share >= 0.0) & (share <= 1.0)), Reason.SHARE_OUT_OF_RANGE),
        ]
        return Verdict(_first(self._w, rules))

    def add_split(self, want: B, train_share: F | float) -> B:
        taken = want & self.check_split(train_share).legal
        self.actions.train_share[taken, 0] = _as_float(train_share, self._w)[taken]
        return taken

    def check_compliance(self, spend: F | float) -> Verdict:
        """Compliance spending a quarter, out of the cash in hand."""
        spend, cash = _as_float(spend, self._w), self.s.cash[:, 0]
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (~(spend >= 0), Reason.NOT_POSITIVE),
            (spend > np.maximum(cash, 0.0), Reason.COMPLIANCE_OVER_CASH),
        ]
        return Verdict(_first(self._w, rules), {"cash": cash.copy()})

    def add_compliance(self, want: B, spend: F | float) -> B:
        taken = want & self.check_compliance(spend).legal
        self.actions.compliance[taken, 0] = _as_float(spend, self._w)[taken]
        return taken

    def check_borrow(self, amount: F | float) -> Verdict:
        """A loan of `amount` secured on owned capacity, within what lenders still lend."""
        p, s, w = self.p, self.s, self._w
        limit = loan_limit(p, s) - self.actions.loan_draw[:, 0]
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (~(_as_float(amount, w) > 0), Reason.NOT_POSITIVE),
            (s.assets[:, 0] <= 0, Reason.NO_ASSETS),
            (_as_float(amount, w) > limit + MONEY_SLACK, Reason.OVER_LOAN_LIMIT),
        ]
        return Verdict(
            _first(w, rules), {"limit": np.maximum(limit, 0.0), "loan_to_value": np.full(w, p.debt.loan_to_value)}
        )

    def add_borrow(self, want: B, amount: F | float) -> B:
        taken = want & self.check_borrow(amount).legal
        self.actions.loan_draw[taken, 0] += _as_float(amount, self._w)[taken]
        return taken

    def check_repay(self, amount: F | float) -> Verdict:
        """Repaying `amount` of the loan, out of cash."""
        s, w = self.s, self._w
        amount = _as_float(amount, w)
        planned = self.actions.loan_repay[:, 0]
        debt = s.debt[:, 0] - planned
        cash = s.cash[:, 0] - planned
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (~(amount > 0), Reason.NOT_POSITIVE),
            (debt <= MONEY_SLACK, Reason.NO_DEBT),
            (amount > debt + MONEY_SLACK, Reason.OVER_DEBT),
            (amount > cash + MONEY_SLACK, Reason.REPAY_OVER_CASH),
        ]
        return Verdict(_first(w, rules), {"debt": debt, "cash": cash})

    def add_repay(self, want: B, amount: F | float) -> B:
        taken = want & self.check_repay(amount).legal
        self.actions.loan_repay[taken, 0] += _as_float(amount, self._w)[taken]
        return taken

    # -- listing --

    def check_ipo(self) -> Verdict:
        """Filing for an IPO: the lab must be large, calm, clear of investigations and funded."""
        p, s = self.p, self.s
        arr, scrutiny, runway = s.arr_hist[:, 0, -1], s.scrutiny[:, 0], s.runway[:, 0]
        rules: list[tuple[B | bool, Reason]] = [
            (~self.playing, Reason.GAME_OVER),
            (s.listed[:, 0], Reason.ALREADY_LISTED),
            (s.ipo_left[:, 0] >= 0, Reason.IPO_FILED),
            (self.actions.ipo_file[:, 0], Reason.IPO_PLANNED),
            (arr < p.ipo.min_arr, Reason.ARR_TOO_LOW),
            (scrutiny > p.ipo.max_scrutiny, Reason.SCRUTINY_TOO_HIGH),
            (s.invest_left[:, 0] > 0, Reason.INVESTIGATION_OPEN),
            (runway < p.ipo.min_runway, Reason.RUNWAY_TOO_SHORT),
        ]
        return Verdict(
            _first(self._w, rules),
            {
                "arr": arr.copy(),
                "min_arr": np.full(self._w, p.ipo.min_arr),
                "scrutiny": scrutiny.copy(),
                "max_scrutiny": np.full(self._w, p.ipo.max_scrutiny),
                "runway": runway.copy(),
                "min_runway": np.full(self._w, p.ipo.min_runway),
            },
        )

    def add_ipo(self, want: B) -> B:
        taken = want & self.check_ipo().legal
        self.actions.ipo_file[taken, 0] = True
        return taken


# ---- the engine's guard ----------------------------------------------------------------------------


def enforce(p: Params, s: State, a: Actions) -> tuple[Actions, dict[str, I64]]:
    """Lab 0's decisions in `a` as the rules allow them: each decision is replayed through a `Plan`
    in a fixed order (restructurings, deals, loans, the round, a listing, orders, the split and
    compliance) and dropped in the worlds where it is illegal. A plan built through `Plan` (as the
    session, the bots and the reference player build theirs) comes out unchanged. Returns the
    allowed decisions (rivals' rows as given) and the reason codes of what was dropped, by kind."""
    plan = Plan(p, s)
    out = a.copy()
    refused: dict[str, I64] = {}
    w = s.worlds

    def note(kind: str, wanted: B, verdict_code: I64) -> None:
        if (wanted & (verdict_code != 0)).any():
            refused[kind] = np.where(wanted, verdict_code, 0)

    for j in range(p.n_providers):
        wanted = a.restructure[:, 0, j]
        if wanted.any():
            note(f"restructure[{j}]", wanted, plan.check_restructure(j).code)
            plan.add_restructure(wanted, j)
    for j in range(p.n_providers):
        response, term = a.deal[:, 0, j], a.counter_term[:, 0, j]
        for answer in (ACCEPT, COUNTER):
            for t in range(len(COUNTER_TERMS)) if answer == COUNTER else (NO_TERM,):
                wanted = (response == answer) & ((term == t) if answer == COUNTER else True)
                if wanted.any():
                    note(f"deal[{j}]", wanted, plan.check_deal(j, answer, t).code)
                    plan.add_deal(wanted, j, answer, t)
        declined = response == DECLINE
        if declined.any():
            plan.add_deal(declined, j, DECLINE)
    if (a.loan_draw[:, 0] > 0).any():
        wanted = a.loan_draw[:, 0] > 0
        note("borrow", wanted, plan.check_borrow(a.loan_draw[:, 0]).code)
        plan.add_borrow(wanted, a.loan_draw[:, 0])
    if (a.loan_repay[:, 0] > 0).any():
        wanted = a.loan_repay[:, 0] > 0
        note("repay", wanted, plan.check_repay(a.loan_repay[:, 0]).code)
        plan.add_repay(wanted, a.loan_repay[:, 0])
    inv = a.raise_investor[:, 0]
    if (inv >= 0).any():
        wanted = inv >= 0
        args = (
            np.maximum(inv, 0),
            a.raise_amount[:, 0],
            a.raise_pre[:, 0],
            a.raise_provider[:, 0],
            a.raise_follow[:, 0],
        )
        note("round", wanted, plan.check_round(*args).code)
        plan.add_round(wanted, *args)
    if a.ipo_file[:, 0].any():
        note("ipo", a.ipo_file[:, 0], plan.check_ipo().code)
        plan.add_ipo(a.ipo_file[:, 0])
    for o in range(len(p.option_names)):
        gw = a.order_own[:, 0, o]
        if (gw != 0).any():
            note(f"own[{o}]", gw != 0, plan.check_own(o, gw).code)
            plan.add_own(gw != 0, o, gw)
    for j in range(p.n_providers):
        gw = a.reserve_gw[:, 0, j]
        if (gw != 0).any():
            # every requested term must be on offer: check each world's own term
            terms = a.reserve_term[:, 0, j]
            for term in np.unique(terms[gw != 0]):
                wanted = (gw != 0) & (terms == term)
                note(f"reserve[{j}]", wanted, plan.check_reserve(gw, j, int(term)).code)
                plan.add_reserve(wanted, gw, np.full(w, j), int(term))
    if (a.spot_gw[:, 0] != 0).any():
        wanted = a.spot_gw[:, 0] != 0
        note("spot", wanted, plan.check_spot(a.spot_gw[:, 0]).code)
        plan.add_spot(wanted, a.spot_gw[:, 0])
    changed = a.train_share[:, 0] != s.train_share[:, 0]
    if changed.any():
        note("split", changed, plan.check_split(a.train_share[:, 0]).code)
        plan.add_split(changed, a.train_share[:, 0])
    changed = a.compliance[:, 0] != s.compliance[:, 0]
    if changed.any():
        note("compliance", changed, plan.check_compliance(a.compliance[:, 0]).code)
        plan.add_compliance(changed, a.compliance[:, 0])
    for name in (
        "raise_investor",
        "raise_amount",
        "raise_pre",
        "raise_provider",
        "raise_follow",
        "deal",
        "counter_term",
        "restructure",
        "order_own",
        "reserve_gw",
        "reserve_term",
        "spot_gw",
        "train_share",
        "compliance",
        "loan_draw",
        "loan_repay",
        "ipo_file",
    ):
        getattr(out, name)[:, 0] = getattr(plan.actions, name)[:, 0]
    return out, refused
