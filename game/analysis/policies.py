"""Bot policies, each written once on the rules' batched plan, for one game or a million.

A bot is a function `(params, state) -> Actions` that decides the player's lab's quarter in every
world of `state` through `game.engine.legality.Plan`: each decision is proposed, checked by the
rules against the state and the plan so far, and kept where they allow it, exactly as a player's
action is. `fortress simulate` runs a bot over thousands of worlds at once; a session game runs the
same function with one world (`play`, `POLICIES`) and applies its plan as ordinary actions, so a
bot's game saves and replays like a player's. Where a bot looks ahead (how much compute will serve
customers after this quarter's plan, what a deal would do to its dependency), it runs the engine's
calm quarter on the plan so far, as the interface's previews do.

The bots: `passive` (does nothing), `reckless` (raises at a premium every quarter, signs every
offer, buys with both hands), `loyalist` (stays with its biggest partner, exclusivity and all),
`multicloud` (spreads compute, builds its own campus, refuses exclusivity, raises at fair value),
`frugal` (buys only what it must, declines partners, raises only when short), `reference` (the
player the engine's evaluation imagines, `game.analysis.reference`) and `random` (random
proposals, for tests). Their habits are content (`[bots]` in `model.toml`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import fields

import numpy as np
from numpy.typing import NDArray

from game.analysis.exploits import EXPLOITS, search
from game.analysis.reference import reference_actions
from game.content.models import BotFunding, BotRules, BotServing, ReferencePolicy, Rules
from game.engine import draws, market, rng
from game.engine.actions import Actions
from game.engine.legality import Plan
from game.engine.outcome import dependency, partner_stakes
from game.engine.params import ACCEPT, COUNTER, COUNTER_TERMS, DECLINE, KIND_DC, Params
from game.engine.state import State, rows
from game.engine.step import Info, step
from game.session.actions import Action
from game.session.game import Game

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

Bot = Callable[[Params, State], Actions]
"""A bot: the player's lab's decisions this quarter in every world of the state."""
Policy = Callable[[Game], list[Action]]
"""A bot playing one session game: it applies this quarter's actions and returns them."""

EXCLUSIVITY, BOARD_SEAT = COUNTER_TERMS.index("exclusivity"), COUNTER_TERMS.index("board_seat")
REVENUE_FLOOR = 1e-9
"""A divide guard, not a habit: multi-cloud measures a deal's commitment against at least this
much revenue ($B), so a lab with none declines any commitment."""


# ---- small pieces ------------------------------------------------------------------------------------


def _max(a: F | float, b: F | float) -> F:
    """The larger of `a` and `b` per world (`a` on a tie)."""
    return np.asarray(np.where(np.greater(b, a), b, a), dtype=np.float64)


def _min(a: F | float, b: F | float) -> F:
    """The smaller of `a` and `b` per world (`a` on a tie)."""
    return np.asarray(np.where(np.less(b, a), b, a), dtype=np.float64)


def _first_max(keys: Sequence[tuple[F, ...]], among: B) -> I64:
    """For each world, the index of the first entry (of those in `among`, (W, N)) whose key tuple is
    the largest; -1 where there is none. `keys[n]` is entry n's key, one array per tuple position."""
    w = among.shape[0]
    best = np.full(w, -1, dtype=np.int64)
    best_key = [np.zeros(w) for _ in keys[0]] if keys else []
    for n, key in enumerate(keys):
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


def _partners(p: Params, s: State) -> B:
    """(W, P): the providers the lab has anything signed with (capacity, commitments, equity,
    notes or credits)."""
    return np.asarray(
        (s.reserved_gw[:, 0] > 0)
        | (s.commit_q[:, 0] > 0)
        | (partner_stakes(p, s)[:, 0] > 0)
        | (s.notes[:, 0] > 0)
        | (s.credits[:, 0] > 0),
        dtype=bool,
    )


def _campus(p: Params) -> int:
    """The first owned data-centre option."""
    return int(np.argmax(p.options.kind == KIND_DC))


def _campus_price(p: Params, s: State) -> F:
    return np.asarray(market.own_price(p, s.scarcity)[:, _campus(p)], dtype=np.float64)


def project(plan: Plan, where: B, actions: Actions | None = None) -> tuple[State, Info, I64]:
    """The calm quarter (`draws.neutral`, as the interface's previews) the plan so far (or
    `actions`) would give, for the worlds `where`: the end state, its info and the worlds."""
    p, s = plan.p, plan.s
    a = plan.actions if actions is None else actions
    idx = np.flatnonzero(where)
    if idx.size == s.worlds:
        after, info = step(p, s, a, draws.neutral(p, s))
        return after, info, idx
    sub = rows(s, idx)
    sub_a = Actions(**{f.name: getattr(a, f.name)[idx] for f in fields(Actions)})
    after, info = step(p, sub, sub_a, draws.neutral(p, sub), in_place=True)
    return after, info, idx


def _serving_gap(plan: Plan, serving: BotServing, b: BotRules) -> F:
    """GW of compute to add now so that this quarter's inference covers expected demand."""
    s = plan.s
    infer = np.zeros(s.worlds)
    if plan.playing.any():
        _, info, idx = project(plan, plan.playing)
        infer[idx] = info.compute_infer[:, 0]
    share = plan.actions.train_share[:, 0]
    need_infer = s.demand[:, 0] * (1.0 + serving.demand_growth) * (1.0 + serving.buffer) / s.revenue_per_gw
    return _max(0.0, (need_infer - infer) / _max(1.0 - share, b.serving_floor))


def _reserve(plan: Plan, gw: F, providers: list[I64], term: int, b: BotRules) -> None:
    """Reserved orders for `gw` spread evenly over `providers` (a (W,) provider index per order)."""
    if not providers:
        return
    want = ~(gw <= 0)
    each = _max(gw / len(providers), b.order_floor)
    for provider in providers:
        plan.add_reserve(want, each, provider, term)


def _fund(plan: Plan, want: B, funding: BotFunding, b: BotRules) -> None:
    """A round at fair value x (1 + premium) sized to cover `quarters` of burn: from the first of
    the investor types in turn that the rules allow."""
    p, s = plan.p, plan.s
    fair, burn, cash = s.fair[:, 0], s.burn[:, 0], s.cash[:, 0]
    capex_due = s.capex_due[:, 0].sum(axis=-1)
    stakes = partner_stakes(p, s)[:, 0]
    want = want.copy()
    for inv_id in funding.investors:
        if inv_id not in p.investor_names:
            continue
        i = p.investor_names.index(inv_id)
        minimum = float(p.investors.min_amount[i])
        pre = _max(fair * (1.0 + funding.premium), b.pre_money_floor)
        wanted = _max(_max(burn * funding.quarters + capex_due - cash, minimum), b.round_floor_share * fair)
        amount = _min(
            _min(wanted, funding.pool_share * float(p.investors.pool[i])),
            pre * p.rounds.max_new_money / (1.0 - p.rounds.max_new_money) * b.ceiling_margin,
        )
        provider: I64 | int = -1
        if bool(p.investors.is_cloud[i]):
            # the partner holding the biggest stake, else the first provider
            biggest = _first_max([(stakes[:, j],) for j in range(p.n_providers)], _partners(p, s))
            provider = np.where(biggest >= 0, biggest, 0)
        want &= ~plan.add_round(want, i, _max(amount, minimum), pre, provider)


def _everyone(p: Params, s: State) -> list[I64]:
    return [np.full(s.worlds, j, dtype=np.int64) for j in range(p.n_providers)]


# ---- the bots -------------------------------------------------------------------------------------------


def passive(p: Params, s: State, b: BotRules) -> Actions:
    """Does nothing at all: keeps its contracts, never raises, never buys."""
    return Plan(p, s).actions


def reckless(p: Params, s: State, b: BotRules) -> Actions:
    """Raises every quarter at a premium, signs every offer, buys with both hands."""
    h = b.reckless
    plan = Plan(p, s)
    cash = s.cash[:, 0]
    plan.add_split(plan.playing, h.train_share)
    _fund(plan, plan.playing, h.funding, b)
    for j in range(p.n_providers):
        plan.add_deal(s.offer_on[:, 0, j], j, ACCEPT)
    gap = _serving_gap(plan, h.serving, b)
    _reserve(plan, gap, _everyone(p, s), h.reserve_term, b)
    dc = _campus(p)
    price = _campus_price(p, s)
    upfront = float(p.options.upfront[dc]) + h.campus_upfront_margin
    building = cash > h.campus_min_gw * price
    plan.add_own(building, dc, _min(float(p.options.max_order[dc]), h.campus_cash_share * cash / price / upfront))
    return plan.actions


def loyalist(p: Params, s: State, b: BotRules) -> Actions:
    """Stays with its biggest partner: takes all its offers, exclusivity included, buys only from it."""
    h = b.loyalist
    plan = Plan(p, s)
    stakes = partner_stakes(p, s)[:, 0]
    keys = [(stakes[:, j], s.reserved_gw[:, 0, j]) for j in range(p.n_providers)]
    biggest = _first_max(keys, _partners(p, s))
    home = np.where(biggest >= 0, biggest, 0)
    for j in range(p.n_providers):
        on = s.offer_on[:, 0, j]
        plan.add_deal(on & (home == j), j, ACCEPT)
        plan.add_deal(on & (home != j), j, DECLINE)
    _reserve(plan, _serving_gap(plan, h.serving, b), [home], h.reserve_term, b)
    _fund(plan, s.runway[:, 0] < h.raise_below_runway, h.funding, b)
    return plan.actions


def multi_cloud(p: Params, s: State, b: BotRules) -> Actions:
    """Spreads compute across providers, builds its own campus, refuses exclusivity and board seats
    (it counters them), takes a plain deal only if it keeps every dependency low and fits its revenue
    and needs, raises at fair value."""
    h = b.multicloud
    plan = Plan(p, s)
    cash, burn, runway, revenue = s.cash[:, 0], s.burn[:, 0], s.runway[:, 0], s.revenue[:, 0]
    capex_due = s.capex_due[:, 0].sum(axis=-1)
    dep_now = dependency(p, s)[:, 0]
    partners = _partners(p, s)
    plan.add_compliance(plan.playing, h.compliance)
    wanted = _serving_gap(plan, h.wanted, b)
    for j in range(p.n_providers):
        on = s.offer_on[:, 0, j]
        exclusive, board = s.offer_exclusive[:, 0, j], s.offer_board[:, 0, j]
        plan.add_deal(on & exclusive, j, COUNTER, EXCLUSIVITY)
        plan.add_deal(on & ~exclusive & board, j, COUNTER, BOARD_SEAT)
        # a plain deal: what accepting it would do, on the plan so far
        plain = on & ~exclusive & ~board
        trial = plan.actions.copy()
        trial.deal[:, 0, j] = ACCEPT
        legal = plan.check_deal(j, ACCEPT).legal & plain
        dep_after = np.zeros(s.worlds)
        if legal.any():
            after, _, idx = project(plan, legal, trial)
            dep_after[idx] = dependency(p, after)[:, 0].max(axis=-1)
        affordable = (s.offer_commit[:, 0, j] <= h.max_commit_share * _max(revenue, REVENUE_FLOOR)) & (
            s.offer_gw[:, 0, j] <= wanted
        )
        taking = legal & (dep_after < h.max_dependency) & affordable
        plan.add_deal(taking, j, ACCEPT)
        plan.add_deal(plain & ~taking, j, DECLINE)
    gap = _serving_gap(plan, h.serving, b)
    # the providers it depends on least (those with nothing signed count as 0), stable on ties
    ranked = np.argsort(np.where(partners, dep_now, 0.0), axis=-1, kind="stable")[:, : h.reserve_providers]
    _reserve(plan, gap, [ranked[:, k] for k in range(ranked.shape[1])], h.reserve_term, b)
    dc = _campus(p)
    price = _campus_price(p, s)
    own_gw = s.own[:, 0].sum(axis=-1)
    pipeline = np.zeros(s.worlds)
    for o in range(len(p.option_names)):
        for lead in range(p.market.max_lead):
            pipeline = pipeline + s.pipe[:, 0, o, lead]
    compute_gw = own_gw + s.reserved_gw[:, 0].sum(axis=-1)
    build = _min(_max(h.own_share * compute_gw - (own_gw + pipeline), 0.0), float(p.options.max_order[dc]))
    building = (
        (build >= p.options.min_order[dc])
        & (runway > h.build_runway)
        & (cash - capex_due - h.build_runway * burn > build * price)
    )
    plan.add_own(building, dc, build)
    _fund(plan, runway < h.raise_below_runway, h.funding, b)
    return plan.actions


def frugal(p: Params, s: State, b: BotRules) -> Actions:
    """Buys only what it must, from the cheapest provider; declines every partner deal; keeps a
    long runway, raising rounds of ten quarters' burn at a discount once it falls under sixteen: the
    safety-first player, whose safety costs it growth."""
    h = b.frugal
    plan = Plan(p, s)
    plan.add_split(plan.playing, h.train_share)
    for j in range(p.n_providers):
        plan.add_deal(s.offer_on[:, 0, j], j, DECLINE)
    cloud = market.cloud_price(p, s.scarcity)
    cheapest = _first_max([(-cloud[:, j],) for j in range(p.n_providers)], np.ones_like(cloud, dtype=bool))
    _reserve(plan, _serving_gap(plan, h.serving, b), [cheapest], h.reserve_term, b)
    _fund(plan, s.runway[:, 0] < h.raise_below_runway, h.funding, b)
    return plan.actions


def random_bot(p: Params, s: State) -> Actions:
    """Random proposals each quarter (for tests), keyed on each world and quarter: of every kind,
    with nonsense sizes among them, kept where the rules allow."""
    plan = Plan(p, s)

    def u(name: str, shape: tuple[int, ...] = ()) -> F:
        return rng.uniform(s.key, s.turn, f"random-bot/{name}", shape)

    every = plan.playing
    plan.add_split(every, u("split"))
    fair = np.maximum(s.fair[:, 0] * (0.6 + u("pre")), 1.0)
    investor = np.minimum((u("investor") * p.n_investors).astype(np.int64), p.n_investors - 1)
    cloud = p.investors.is_cloud[investor]
    provider = np.where(cloud, np.minimum((u("provider") * p.n_providers).astype(np.int64), p.n_providers - 1), -1)
    plan.add_round(every & (u("raise") < 0.4), investor, fair * (0.001 + 0.5 * u("amount")), fair, provider)
    answer = u("answer", (p.n_providers,))
    term = np.minimum((u("term", (p.n_providers,)) * len(COUNTER_TERMS)).astype(np.int64), len(COUNTER_TERMS) - 1)
    for j in range(p.n_providers):
        on = every & s.offer_on[:, 0, j]
        plan.add_deal(on & (answer[:, j] < 1 / 3), j, ACCEPT)
        plan.add_deal(on & (answer[:, j] >= 2 / 3), j, DECLINE)
        for t in range(len(COUNTER_TERMS)):
            plan.add_deal(on & (answer[:, j] >= 1 / 3) & (answer[:, j] < 2 / 3) & (term[:, j] == t), j, COUNTER, t)
    size = 1.2 * u("size", (p.n_providers + len(p.option_names) + 1,))
    order = u("order", (p.n_providers + len(p.option_names) + 1,)) < 0.25
    terms = p.cloud.reserve_terms
    months = terms[np.minimum((u("months") * len(terms)).astype(np.int64), len(terms) - 1)]
    for j in range(p.n_providers):
        for months_j in np.unique(months):
            plan.add_reserve(
                every & order[:, j] & (months == months_j), size[:, j] * p.cloud.reserve_max, j, int(months_j)
            )
    for o in range(len(p.option_names)):
        k = p.n_providers + o
        plan.add_own(every & order[:, k], o, size[:, k] * p.options.max_order[o])
    plan.add_spot(every & order[:, -1], size[:, -1] * p.cloud.spot_max)
    plan.add_compliance(every & (u("compliance?") < 0.2), u("compliance"))
    plan.add_borrow(every & (u("borrow?") < 0.2), 0.1 + 19.9 * u("borrow"))
    plan.add_repay(every & (u("repay?") < 0.2), 0.1 + 19.9 * u("repay"))
    plan.add_ipo(every & (u("ipo") < 0.1))
    restructure = np.minimum((u("restructure") * p.n_providers).astype(np.int64), p.n_providers - 1)
    for j in range(p.n_providers):
        plan.add_restructure(every & (u("restructure?") < 0.1) & (restructure == j), j)
    return plan.actions


def reference_bot(ref: ReferencePolicy) -> Bot:
    """The evaluation's reference player (`game.analysis.reference`) as a bot."""

    def decide(p: Params, s: State) -> Actions:
        return reference_actions(p, s, ref)

    decide.__doc__ = reference_actions.__doc__
    return decide


HabitBot = Callable[[Params, State, BotRules], Actions]
"""A bot that reads its habits from the content (`[bots]`)."""

BOTS: dict[str, HabitBot] = {
    "passive": passive,
    "reckless": reckless,
    "loyalist": loyalist,
    "multicloud": multi_cloud,
    "frugal": frugal,
}
"""Every bot by the name `fortress simulate --policy` uses, but the reference player, which reads
its habits from `[judgement.reference]` (`bot(name, rules)` gives every one)."""

NAMES = (*BOTS, "reference")
TRIALS = (*EXPLOITS, "search")
"""Players `fortress simulate --policy NAME` plays by name but not in `all`: the loophole players
and the search player the reference is tuned against."""
ANSWERS_OFFERS = frozenset({"reckless", "loyalist", "multicloud", "random", "notes"})
"""The bots that may sign a cloud offer: their batches need each next quarter's offers drawn."""


def bot(name: str, rules: Rules) -> Bot:
    """The bot `name` with the habits of `rules` (`[bots]`, and `[judgement.reference]` for the
    reference player, the loophole players and the search player built on it). A pack saved
    before bots' habits were content has none: its bots play with the installed pack's."""
    ref = rules.judgement.reference
    if name == "reference":
        return reference_bot(ref)
    if name == "random":
        return random_bot
    if name in EXPLOITS:
        return EXPLOITS[name](ref)
    if name == "search":
        return search(ref)
    decide = BOTS[name]
    habits = rules.bots or _installed_habits()

    def with_habits(p: Params, s: State) -> Actions:
        return decide(p, s, habits)

    with_habits.__doc__ = decide.__doc__
    return with_habits


@functools.cache
def _installed_habits() -> BotRules:
    from game.session.build import load_content  # only for packs saved before `[bots]`

    habits = load_content().rules.bots
    assert habits is not None, "the installed content pack has `[bots]`"
    return habits


# ---- one session game ------------------------------------------------------------------------------


def for_game(name: str) -> Policy:
    """The bot `name` playing a session game: it decides with one world and applies its plan as
    the player's actions (the same rules, so every one of them is legal)."""

    def policy(game: Game) -> list[Action]:
        decide = bot(name, game.pack.rules)
        return game.play_plan(decide(game.params, game.state))

    policy.__name__ = name
    return policy


POLICIES: dict[str, Policy] = {name: for_game(name) for name in NAMES}
"""Every bot as a session policy, by the name `fortress simulate --policy` uses."""

random_policy = for_game("random")
"""Random legal actions, for tests."""


def play(game: Game, policy: Policy) -> Game:
    """Play `game` to the end with `policy`."""
    while not game.over:
        policy(game)
        game.end_turn()
    return game
