"""The session's bots on the engine's arrays: reckless, loyalist, multi-cloud and frugal for W worlds.

Each function here decides one quarter for the player's lab in every world of a batch and plays,
world by world, exactly the game its session bot in `game.analysis.policies` plays through
`Game`: the same actions, the same numbers to the last bit. Both read the same table of habits
(`RECKLESS`, `LOYALIST`, `MULTI_CLOUD`, `FRUGAL`).

To get there, `_Plan` builds a quarter's `Actions` the way the session does: one action after
another, each folded into the arrays as `Game.plan` folds it, and each first checked row by row
against the rules of `game.session.rules` as `game.check` checks it; an action a world's rules
refuse is skipped in that world alone, as the session bots' `_try` skips it. Where a session bot
reads `game.project()` or `preview(...)` part way through its quarter, `_Plan.project` runs the
same calm step (`draws.neutral`) on the plan so far, for the worlds still playing. Every number a
session bot reads from the dashboard, the offers or the capacity choices is computed here from
the same arrays with the same operations in the same order, and Python's `max`/`min` are
mirrored exactly (`_py_max`, `_py_min`), ties and all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields

import numpy as np
from numpy.typing import NDArray

from game.analysis.policies import (
    CEILING_MARGIN,
    FRUGAL,
    LOYALIST,
    MULTI_CLOUD,
    ORDER_FLOOR,
    PRE_MONEY_FLOOR,
    RECKLESS,
    RESERVED_OPTION,
    REVENUE_FLOOR,
    ROUND_FLOOR_SHARE,
    SERVING_FLOOR,
    Funding,
    Serving,
)
from game.content.models import CapacityOption, Pack
from game.engine import draws, market
from game.engine.actions import Actions, hold
from game.engine.outcome import dependency, partner_stakes
from game.engine.params import ACCEPT, COUNTER, COUNTER_TERMS, DECLINE, Params
from game.engine.state import State, rows
from game.engine.step import Info, step

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

RULES_SLACK = 1e-12
"""The tolerance `game.session.rules` allows on order sizes."""
CASH_SLACK = 1e-9
"""The tolerance `game.session.rules` allows on a deposit against cash."""
PIPELINE_VISIBLE = 1e-9
"""The dashboard lists an order in the pipeline only above this many GW."""

VectorBot = Callable[[Params, State, Pack], Actions]


# ---- Python's max and min, exactly --------------------------------------------------------------


def _py_max(a: F | float, b: F | float) -> F:
    """`max(a, b)` as Python computes it, row by row: `a` unless `b` is greater (so ties, signed
    zeros and NaNs come out as they do in the session bots)."""
    return np.asarray(np.where(np.greater(b, a), b, a), dtype=np.float64)


def _py_min(a: F | float, b: F | float) -> F:
    """`min(a, b)` as Python computes it, row by row: `a` unless `b` is smaller."""
    return np.asarray(np.where(np.less(b, a), b, a), dtype=np.float64)


def _first_max(keys: Sequence[tuple[F, ...]], among: B) -> I64:
    """For each world, the index of the first entry (of those in `among`, (W, N)) whose key tuple is
    the largest, as Python's `max(..., key=...)` over a list picks it; -1 where there is none.
    `keys[n]` is entry n's key, one array per tuple position."""
    w = among.shape[0]
    best = np.full(w, -1, dtype=np.int64)
    best_key = [np.zeros(w) for _ in keys[0]] if keys else []
    for n, key in enumerate(keys):
        # tuple comparison: greater on the first position that differs
        greater = np.zeros(w, dtype=bool)
        equal = np.ones(w, dtype=bool)
        for k, b in zip(key, best_key, strict=True):
            greater |= equal & (k > b)
            equal &= k == b
        take = among[:, n] & ((best < 0) | greater)
        best = np.where(take, n, best)
        for k, b in zip(key, best_key, strict=True):
            b[take] = k[take]
    return best


# ---- the session's views, on arrays ---------------------------------------------------------------


def _contract_rows(p: Params, s: State) -> B:
    """(W, P): the providers the dashboard lists under contracts (anything signed with them)."""
    return np.asarray(
        (s.reserved_gw[:, 0] > 0)
        | (s.commit_q[:, 0] > 0)
        | (partner_stakes(p, s)[:, 0] > 0)
        | (s.notes[:, 0] > 0)
        | (s.credits[:, 0] > 0),
        dtype=bool,
    )


def _campus(pack: Pack) -> CapacityOption:
    """The first own data-centre option, as `capacity_choices` lists it."""
    return next(o for o in pack.capacity if o.kind == "own_dc")


def _option(pack: Pack, option_id: str) -> CapacityOption | None:
    return next((o for o in pack.capacity if o.id == option_id), None)


# ---- a quarter's plan, action by action -----------------------------------------------------------


class _Plan:
    """The player's plan for this quarter in every world, as `Game.pending` folded by `Game.plan`.

    Each method proposes one action in the worlds `want` and returns where the rules took it; it
    keeps what later checks need to know about the actions already planned.
    """

    def __init__(self, p: Params, s: State, pack: Pack) -> None:
        self.p, self.s, self.pack = p, s, pack
        self.a = hold(p, s)
        w = s.worlds
        self.playing = ~s.done  # the rules refuse every action once a game is over
        self.raising = np.zeros(w, dtype=bool)
        self.answered = np.zeros((w, p.n_providers), dtype=bool)
        # an exclusive offer answered (accepted, or countered on another term than exclusivity)
        self.exclusive_signing = np.zeros(w, dtype=bool)
        self.ordered: dict[str, F] = {}  # GW planned per option (W, P) reserved, (W,) owned

    def _other_exclusive(self, provider: I64 | int) -> B:
        """The lab's exclusive deal with another provider rules `provider` out (the rules' block)."""
        excl = self.s.exclusive[:, 0]
        return np.asarray((excl >= 0) & (excl != provider), dtype=bool)

    # -- actions --

    def split(self, train_share: float) -> B:
        """SetSplit: always allowed while the game runs."""
        legal = self.playing.copy()
        self.a.train_share[legal, 0] = train_share
        return legal

    def compliance(self, spend: float) -> B:
        """SetCompliance: no more than the cash in hand."""
        legal = self.playing & ~(spend > np.maximum(self.s.cash[:, 0], 0.0))
        self.a.compliance[legal, 0] = spend
        return legal

    def answerable(self, j: int, response: int, term: str | None = None) -> tuple[B, B]:
        """Where the rules would take this answer to provider `j`'s offer now, and where taking it
        signs (or may sign) an exclusive deal: `game.check` for a RespondDeal, row by row."""
        s = self.s
        legal = self.playing & ~self.answered[:, j] & s.offer_on[:, 0, j] & ~(s.invest_left[:, 0] > 0)
        offer_exclusive = s.offer_exclusive[:, 0, j]
        signs_exclusive = np.zeros_like(legal)
        if response != DECLINE:
            legal &= ~self._other_exclusive(j)
            if not (response == COUNTER and term == "exclusivity"):
                signs_exclusive = offer_exclusive.copy()
                legal &= ~(signs_exclusive & self.exclusive_signing)  # two exclusive deals in one quarter
        if response == COUNTER:
            if term is None:
                legal[:] = False
            elif term == "exclusivity":
                legal &= offer_exclusive
            elif term == "board_seat":
                legal &= s.offer_board[:, 0, j]
        elif term is not None:
            legal[:] = False
        return legal, signs_exclusive

    def respond(self, j: int, want: B, response: int, term: str | None = None) -> B:
        """RespondDeal with provider `j`: DECLINE, ACCEPT or COUNTER (on `term`)."""
        allowed, signs_exclusive = self.answerable(j, response, term)
        legal = want & allowed
        self.a.deal[legal, 0, j] = response
        if term is not None:
            self.a.counter_term[legal, 0, j] = COUNTER_TERMS.index(term)
        self.answered[:, j] |= legal
        self.exclusive_signing |= legal & signs_exclusive
        return legal

    def reserve(self, option_id: str, want: B, gw: F, provider: I64, term: int) -> B:
        """OrderCapacity of `gw` reserved from `provider` (W,) for `term` quarters."""
        opt = _option(self.pack, option_id)
        if opt is None or opt.kind != "reserved":  # the rules refuse a provider on any other kind
            return np.zeros_like(want)
        w_all = np.arange(self.s.worlds)
        already = self.ordered.setdefault(option_id, np.zeros((self.s.worlds, self.p.n_providers)))
        legal = (
            want
            & self.playing
            & ~(gw < opt.min_order - RULES_SLACK)
            & ~(gw + already[w_all, provider] > opt.max_order + RULES_SLACK)
            & ~self._other_exclusive(provider)
        )
        if term not in opt.terms:
            legal[:] = False
        w, j = np.flatnonzero(legal), provider[legal]
        already[w, j] += gw[w]
        before = self.a.reserve_gw[w, 0, j]
        self.a.reserve_term[w, 0, j] = np.where(before == 0, term, np.maximum(self.a.reserve_term[w, 0, j], term))
        self.a.reserve_gw[w, 0, j] = before + gw[w]
        return legal

    def build(self, option_id: str, want: B, gw: F) -> B:
        """OrderCapacity of `gw` of an owned option (a campus or chips), with its deposit in cash."""
        opt = _option(self.pack, option_id)
        if opt is None or opt.kind not in ("own_dc", "chips"):
            raise ValueError(f"{option_id!r} is not an owned capacity option")
        o = self.p.option_names.index(opt.id)
        already = self.ordered.setdefault(option_id, np.zeros(self.s.worlds))
        price = market.own_price(self.p, self.s.scarcity)[:, o]
        deposit = gw * price * opt.upfront
        legal = (
            want
            & self.playing
            & ~(gw < opt.min_order - RULES_SLACK)
            & ~(gw + already > opt.max_order + RULES_SLACK)
            & ~(deposit > self.s.cash[:, 0] + CASH_SLACK)
        )
        already[legal] += gw[legal]
        self.a.order_own[legal, 0, o] += gw[legal]
        return legal

    def raise_round(self, i: int, want: B, amount: F, pre: F, provider: I64 | None) -> B:
        """RaiseRound from investor type `i` (with `provider` (W,) behind a cloud partner's round)."""
        p, s = self.p, self.s
        inv = next(x for x in self.pack.investors if x.id == p.investor_names[i])
        sold = amount / (pre + amount)
        legal = (
            want
            & self.playing
            & ~self.raising
            & ~(amount < inv.min_amount)
            & ~(sold > p.rounds.max_new_money)
            & ~(s.ipo_left[:, 0] >= 0)
        )
        if bool(p.investors.is_cloud[i]):
            if provider is None:
                legal[:] = False
            else:
                legal &= ~self._other_exclusive(provider)
        self.a.raise_investor[legal, 0] = i
        self.a.raise_amount[legal, 0] = amount[legal]
        self.a.raise_pre[legal, 0] = pre[legal]
        self.a.raise_provider[legal, 0] = -1 if provider is None else provider[legal]
        self.raising |= legal
        return legal

    # -- projections --

    def project(self, where: B, a: Actions | None = None) -> tuple[State, Info, I64]:
        """`game.project()` for the worlds `where`: the calm quarter (`draws.neutral`) the plan so
        far (or `a`) would give; returns the end state, its info and the worlds' indices."""
        a = self.a if a is None else a
        idx = np.flatnonzero(where)
        if idx.size == self.s.worlds:
            after, info = step(self.p, self.s, a, draws.neutral(self.p, self.s))
            return after, info, idx
        sub = rows(self.s, idx)
        sub_a = Actions(**{f.name: getattr(a, f.name)[idx] for f in fields(Actions)})
        after, info = step(self.p, sub, sub_a, draws.neutral(self.p, sub), in_place=True)
        return after, info, idx


# ---- the bots' shared moves -----------------------------------------------------------------------


def _serving_gap(plan: _Plan, serving: Serving) -> F:
    """`policies._serving_gap`: GW to add so that this quarter's inference covers expected demand."""
    s = plan.s
    infer = np.zeros(s.worlds)
    if plan.playing.any():
        _, info, idx = plan.project(plan.playing)
        infer[idx] = info.compute_infer[:, 0]
    share = plan.a.train_share[:, 0]
    need_infer = s.demand[:, 0] * (1.0 + serving.demand_growth) * (1.0 + serving.buffer) / s.revenue_per_gw
    return _py_max(0.0, (need_infer - infer) / _py_max(1.0 - share, SERVING_FLOOR))


def _reserve(plan: _Plan, gw: F, providers: list[I64], term: int) -> None:
    """`policies._reserve`: reserved orders for `gw` spread evenly over `providers` (one (W,) array
    of provider indices per order, in the order the session bot places them)."""
    if not providers:
        return
    want = ~(gw <= 0)
    each = _py_max(gw / len(providers), ORDER_FLOOR)
    for provider in providers:
        plan.reserve(RESERVED_OPTION, want, each, provider, term)


def _fund(plan: _Plan, want: B, funding: Funding) -> None:
    """`policies._fund`: the first round the rules allow, from the investor types in turn."""
    p, s = plan.p, plan.s
    fair, burn, cash = s.fair[:, 0], s.burn[:, 0], s.cash[:, 0]
    capex_due = s.capex_due[:, 0].sum(axis=-1)
    stakes = partner_stakes(p, s)[:, 0]
    want = want.copy()
    for inv_id in funding.investors:
        if inv_id not in p.investor_names:
            continue
        i = p.investor_names.index(inv_id)
        inv_min = float(p.investors.min_amount[i])
        pre = _py_max(fair * (1.0 + funding.premium), PRE_MONEY_FLOOR)
        wanted = _py_max(_py_max(burn * funding.quarters + capex_due - cash, inv_min), ROUND_FLOOR_SHARE * fair)
        amount = _py_min(
            _py_min(wanted, funding.pool_share * float(p.investors.pool[i])),
            pre * p.rounds.max_new_money / (1.0 - p.rounds.max_new_money) * CEILING_MARGIN,
        )
        provider = None
        if bool(p.investors.is_cloud[i]):
            # the partner holding the biggest stake among the contracts, else the first provider
            biggest = _first_max([(stakes[:, j],) for j in range(p.n_providers)], _contract_rows(p, s))
            provider = np.where(biggest >= 0, biggest, 0)
        taken = plan.raise_round(i, want, _py_max(amount, inv_min), pre, provider)
        want &= ~taken


def _campus_price(p: Params, s: State, campus: CapacityOption) -> F:
    """The campus's price per GW at today's scarcity, as `capacity_choices` gives it."""
    return np.asarray(market.own_price(p, s.scarcity)[:, p.option_names.index(campus.id)], dtype=np.float64)


def _everyone(p: Params, s: State) -> list[I64]:
    """Each provider in turn, as a (W,) index for every world."""
    return [np.full(s.worlds, j, dtype=np.int64) for j in range(p.n_providers)]


# ---- the bots ---------------------------------------------------------------------------------------


def reckless(p: Params, s: State, pack: Pack) -> Actions:
    """`policies.reckless`: raises every quarter at a premium, signs every offer, buys with both hands."""
    h = RECKLESS
    plan = _Plan(p, s, pack)
    cash = s.cash[:, 0]
    plan.split(h.train_share)
    _fund(plan, plan.playing, h.funding)
    for j in range(p.n_providers):
        plan.respond(j, s.offer_on[:, 0, j], ACCEPT)
    gap = _serving_gap(plan, h.serving)
    _reserve(plan, gap, _everyone(p, s), h.reserve_term)
    campus = _campus(pack)
    price = _campus_price(p, s, campus)
    upfront = campus.upfront + h.campus_upfront_margin
    building = cash > h.campus_min_gw * price
    gw = _py_min(campus.max_order, h.campus_cash_share * cash / price / upfront)
    plan.build(campus.id, building, gw)
    return plan.a


def loyalist(p: Params, s: State, pack: Pack) -> Actions:
    """`policies.cloud_loyalist`: takes every offer of its biggest partner, buys only from it."""
    h = LOYALIST
    plan = _Plan(p, s, pack)
    stakes = partner_stakes(p, s)[:, 0]
    keys = [(stakes[:, j], s.reserved_gw[:, 0, j]) for j in range(p.n_providers)]
    biggest = _first_max(keys, _contract_rows(p, s))
    home = np.where(biggest >= 0, biggest, 0)
    for j in range(p.n_providers):
        on = s.offer_on[:, 0, j]
        plan.respond(j, on & (home == j), ACCEPT)
        plan.respond(j, on & (home != j), DECLINE)
    _reserve(plan, _serving_gap(plan, h.serving), [home], h.reserve_term)
    _fund(plan, s.runway[:, 0] < h.raise_below_runway, h.funding)
    return plan.a


def multi_cloud(p: Params, s: State, pack: Pack) -> Actions:
    """`policies.multi_cloud`: spreads compute, counters exclusivity and board seats, takes a deal only
    if it keeps every dependency low and fits its revenue and needs, builds a campus, raises at fair."""
    h = MULTI_CLOUD
    plan = _Plan(p, s, pack)
    cash, burn, runway, revenue = s.cash[:, 0], s.burn[:, 0], s.runway[:, 0], s.revenue[:, 0]
    capex_due = s.capex_due[:, 0].sum(axis=-1)
    dep_now = dependency(p, s)[:, 0]
    contracts = _contract_rows(p, s)
    plan.compliance(h.compliance)
    wanted = _serving_gap(plan, h.wanted)
    for j in range(p.n_providers):
        on = s.offer_on[:, 0, j]
        exclusive, board = s.offer_exclusive[:, 0, j], s.offer_board[:, 0, j]
        plan.respond(j, on & exclusive, COUNTER, "exclusivity")
        plan.respond(j, on & ~exclusive & board, COUNTER, "board_seat")
        # a plain deal: `preview` of accepting it, on the plan so far
        plain = on & ~exclusive & ~board
        trial = plan.a.copy()
        trial.deal[:, 0, j] = ACCEPT
        legal = plan.answerable(j, ACCEPT)[0] & plain  # `preview` projects only a legal answer
        dep_after = np.zeros(s.worlds)
        if legal.any():
            after, _, idx = plan.project(legal, trial)
            dep_after[idx] = dependency(p, after)[:, 0].max(axis=-1)
        affordable = (s.offer_commit[:, 0, j] <= h.max_commit_share * _py_max(revenue, REVENUE_FLOOR)) & (
            s.offer_gw[:, 0, j] <= wanted
        )
        taking = legal & (dep_after < h.max_dependency) & affordable
        plan.respond(j, taking, ACCEPT)
        plan.respond(j, plain & ~taking, DECLINE)
    gap = _serving_gap(plan, h.serving)
    # providers by the dependency the dashboard shows (0 for those it lists no contract with),
    # stable as Python's `sorted`
    keys = np.where(contracts, dep_now, 0.0)
    ranked = np.argsort(keys, axis=-1, kind="stable")[:, : h.reserve_providers]
    _reserve(plan, gap, [ranked[:, k] for k in range(ranked.shape[1])], h.reserve_term)
    campus = _campus(pack)
    price = _campus_price(p, s, campus)
    own_gw = s.own[:, 0].sum(axis=-1)
    pipeline = np.zeros(s.worlds)  # the dashboard's pipeline items, summed in its order
    for o in range(len(p.option_names)):
        for lead in range(p.market.max_lead):
            gw = s.pipe[:, 0, o, lead]
            pipeline = pipeline + np.where(gw > PIPELINE_VISIBLE, gw, 0.0)
    owned = own_gw + pipeline
    compute_gw = own_gw + s.reserved_gw[:, 0].sum(axis=-1)
    build = _py_min(_py_max(h.own_share * compute_gw - owned, 0.0), campus.max_order)
    building = (
        (build >= campus.min_order)
        & (runway > h.build_runway)
        & (cash - capex_due - h.build_runway * burn > build * price)
    )
    plan.build(campus.id, building, build)
    _fund(plan, runway < h.raise_below_runway, h.funding)
    return plan.a


def frugal(p: Params, s: State, pack: Pack) -> Actions:
    """`policies.frugal`: reserves only what it must from the cheapest provider, raises when short.

    It declines every offer, and a declined offer leaves the plan as it is (DECLINE is `hold`'s
    answer), so it needs no offers drawn."""
    h = FRUGAL
    plan = _Plan(p, s, pack)
    plan.split(h.train_share)
    cloud = market.cloud_price(p, s.scarcity)
    cheapest = _first_max([(-cloud[:, j],) for j in range(p.n_providers)], np.ones_like(cloud, dtype=bool))
    _reserve(plan, _serving_gap(plan, h.serving), [cheapest], h.reserve_term)
    _fund(plan, s.runway[:, 0] < h.raise_below_runway, h.funding)
    return plan.a


VECTOR_BOTS: dict[str, VectorBot] = {
    "reckless": reckless,
    "loyalist": loyalist,
    "multicloud": multi_cloud,
    "frugal": frugal,
}
"""The vector forms by the name `fortress simulate --policy` uses."""

ANSWERS_OFFERS = frozenset({"reckless", "loyalist", "multicloud"})
"""The bots that may sign a cloud offer: their batches need each next quarter's offers drawn."""
