"""The player's actions on the engine's rules: resolve, check, fold, and read a plan back.

A session action names things (an investor type, a provider, a capacity option); `submit` resolves
the names to the engine's indices, asks `game.engine.legality.Plan` whether the action is legal
given the state and the plan so far, and folds it into the plan if asked to. A refusal is worded
by `game.session.reasons`. `actions_of` reads a plan (a bot's, for instance) back into the session
actions that build it, so that a bot's quarter is applied, saved and replayed like a player's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from game.content.models import CapacityOption, Pack
from game.engine.actions import Actions
from game.engine.legality import Plan, Reason, Verdict
from game.engine.params import ACCEPT, COUNTER, COUNTER_TERMS, DECLINE, NO_TERM, Params
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
from game.session.reasons import Why, message

RESPONSES = {"decline": DECLINE, "accept": ACCEPT, "counter": COUNTER}


def option(pack: Pack, option_id: str) -> CapacityOption | None:
    return next((o for o in pack.capacity if o.id == option_id), None)


def _refuse(reason: Reason) -> Verdict:
    return Verdict(np.full(1, int(reason), dtype=np.int64))


Check = Callable[[], Verdict]
Add = Callable[[NDArray[np.bool_]], object]


def _resolve(plan: Plan, pack: Pack, action: Action) -> Verdict | tuple[Check, Add]:
    """The plan's check and fold for `action`, its names resolved; or the refusal of a name the
    scenario does not know."""
    p = plan.p
    if isinstance(action, RaiseRound):
        if action.investor not in p.investor_names:
            return _refuse(Reason.UNKNOWN_INVESTOR)
        i = p.investor_names.index(action.investor)
        if action.provider is not None and action.provider not in p.provider_names:
            return _refuse(Reason.NEEDS_PROVIDER if p.investors.is_cloud[i] else Reason.PROVIDER_NOT_CLOUD_ROUND)
        j = -1 if action.provider is None else p.provider_names.index(action.provider)
        follow = np.zeros(p.n_investors)
        for kind, cheque in action.followers:
            if kind not in p.investor_names:
                return _refuse(Reason.UNKNOWN_INVESTOR)
            follow[p.investor_names.index(kind)] += cheque
        args = (i, action.amount, action.pre_money, j, follow)
        return (lambda: plan.check_round(*args)), (lambda want: plan.add_round(want, *args))
    if isinstance(action, RespondDeal):
        if action.provider not in p.provider_names:
            return _refuse(Reason.UNKNOWN_PROVIDER)
        j = p.provider_names.index(action.provider)
        answer = (RESPONSES[action.response], NO_TERM if action.term is None else COUNTER_TERMS.index(action.term))
        return (lambda: plan.check_deal(j, *answer)), (lambda want: plan.add_deal(want, j, *answer))
    if isinstance(action, OrderCapacity):
        opt = option(pack, action.option)
        if opt is None:
            return _refuse(Reason.UNKNOWN_OPTION)
        gw = action.gw
        if opt.kind == "reserved":
            if action.provider is None or action.provider not in p.provider_names:
                return _refuse(Reason.NEEDS_PROVIDER)
            if action.term is None:
                return _refuse(Reason.TERM_NOT_OFFERED)
            j, term = p.provider_names.index(action.provider), action.term
            return (lambda: plan.check_reserve(gw, j, term)), (lambda want: plan.add_reserve(want, gw, j, term))
        if action.provider is not None or action.term is not None:
            return _refuse(Reason.NOT_FROM_PROVIDER)
        if opt.kind == "spot":
            return (lambda: plan.check_spot(gw)), (lambda want: plan.add_spot(want, gw))
        o = p.option_names.index(opt.id)
        return (lambda: plan.check_own(o, gw)), (lambda want: plan.add_own(want, o, gw))
    if isinstance(action, SetSplit):
        share = action.train_share
        return (lambda: plan.check_split(share)), (lambda want: plan.add_split(want, share))
    if isinstance(action, SetCompliance):
        spend = action.spend
        return (lambda: plan.check_compliance(spend)), (lambda want: plan.add_compliance(want, spend))
    if isinstance(action, Borrow):
        amount = action.amount
        return (lambda: plan.check_borrow(amount)), (lambda want: plan.add_borrow(want, amount))
    if isinstance(action, Repay):
        amount = action.amount
        return (lambda: plan.check_repay(amount)), (lambda want: plan.add_repay(want, amount))
    if isinstance(action, FileIpo):
        return plan.check_ipo, plan.add_ipo
    if isinstance(action, Restructure):
        if action.provider not in p.provider_names:
            return _refuse(Reason.UNKNOWN_PROVIDER)
        j = p.provider_names.index(action.provider)
        return (lambda: plan.check_restructure(j)), (lambda want: plan.add_restructure(want, j))
    raise TypeError(f"not an action: {action!r}")


def submit(plan: Plan, pack: Pack, action: Action, fold: bool) -> Verdict:
    """Check `action` against `plan` (one world) and, if `fold` and it is legal, add it."""
    resolved = _resolve(plan, pack, action)
    if isinstance(resolved, Verdict):
        return resolved
    check, add = resolved
    verdict = check()
    if fold and bool(verdict.legal[0]):
        add(np.ones(1, dtype=bool))
    return verdict


def explain(pack: Pack, p: Params, regulator: str, action: Action, verdict: Verdict) -> str | None:
    """The refusal in the player's words, or None if the action is legal."""
    code = int(verdict.code[0])
    if code == Reason.LEGAL:
        return None
    return message(Reason(code), why_of(pack, p, regulator, action, verdict))


def why_of(pack: Pack, p: Params, regulator: str, action: Action, verdict: Verdict) -> Why:
    """What the message of `verdict` (world 0) may mention: its figures and the names involved."""
    code = int(verdict.code[0])

    def provider_name(index: float | str | None) -> str:
        if isinstance(index, str):
            pid = index
        elif index is None or int(index) < 0:
            return ""
        else:
            pid = p.provider_names[int(index)]
        return next((x.name for x in pack.providers if x.id == pid), pid)

    figures = {k: float(v[0]) for k, v in verdict.figures.items()}
    investor = getattr(action, "investor", "")
    if code == Reason.UNKNOWN_INVESTOR and isinstance(action, RaiseRound) and investor in p.investor_names:
        investor = next((k for k, _ in action.followers if k not in p.investor_names), investor)
    member = int(figures.get("member", -1))
    member_id = p.investor_names[member] if 0 <= member < p.n_investors else ""
    opt = option(pack, action.option) if isinstance(action, OrderCapacity) else None
    named = {
        Reason.UNKNOWN_INVESTOR: investor,
        Reason.UNKNOWN_PROVIDER: getattr(action, "provider", ""),
        Reason.UNKNOWN_OPTION: getattr(action, "option", ""),
    }
    return Why(
        figures=figures,
        investor=next((x.name for x in pack.investors if x.id == investor), investor),
        member=next((x.name for x in pack.investors if x.id == member_id), member_id),
        provider=provider_name(getattr(action, "provider", None)),
        blocker=provider_name(figures.get("blocker")),
        other=provider_name(figures.get("other")),
        option=opt.name if opt is not None else "",
        terms=", ".join(str(t) for t in (opt.terms if opt is not None else p.cloud.reserve_terms)),
        regulator=regulator,
        name=str(named.get(Reason(code), "")),
    )


def actions_of(p: Params, pack: Pack, plan: Actions, before: Actions) -> list[Action]:
    """The session actions that build the player's plan `plan` (world 0) from `before` (the plan a
    quarter starts with): one per decision, in the order the rules replay them."""
    a = plan
    out: list[Action] = []
    reserved = next(o.id for o in pack.capacity if o.kind == "reserved")
    spot = next(o.id for o in pack.capacity if o.kind == "spot")
    for j, pid in enumerate(p.provider_names):
        if a.restructure[0, 0, j]:
            out.append(Restructure(provider=pid))
    for j, pid in enumerate(p.provider_names):
        response = int(a.deal[0, 0, j])
        if response in (ACCEPT, DECLINE):
            out.append(RespondDeal(provider=pid, response="accept" if response == ACCEPT else "decline"))
        elif response == COUNTER:
            term = COUNTER_TERMS[int(a.counter_term[0, 0, j])]
            out.append(RespondDeal(provider=pid, response="counter", term=term))
    if a.loan_draw[0, 0] > 0:
        out.append(Borrow(amount=float(a.loan_draw[0, 0])))
    if a.loan_repay[0, 0] > 0:
        out.append(Repay(amount=float(a.loan_repay[0, 0])))
    i = int(a.raise_investor[0, 0])
    if i >= 0:
        j = int(a.raise_provider[0, 0])
        out.append(
            RaiseRound(
                investor=p.investor_names[i],
                amount=float(a.raise_amount[0, 0]),
                pre_money=float(a.raise_pre[0, 0]),
                provider=p.provider_names[j] if j >= 0 else None,
                followers=tuple(
                    (p.investor_names[k], float(a.raise_follow[0, 0, k]))
                    for k in range(p.n_investors)
                    if a.raise_follow[0, 0, k] > 0
                ),
            )
        )
    if a.ipo_file[0, 0]:
        out.append(FileIpo())
    for o, oid in enumerate(p.option_names):
        if a.order_own[0, 0, o] > 0:
            out.append(OrderCapacity(option=oid, gw=float(a.order_own[0, 0, o])))
    for j, pid in enumerate(p.provider_names):
        if a.reserve_gw[0, 0, j] > 0:
            months = int(a.reserve_term[0, 0, j])
            out.append(OrderCapacity(option=reserved, gw=float(a.reserve_gw[0, 0, j]), provider=pid, term=months))
    if a.spot_gw[0, 0] > 0:
        out.append(OrderCapacity(option=spot, gw=float(a.spot_gw[0, 0])))
    if a.train_share[0, 0] != before.train_share[0, 0]:
        out.append(SetSplit(train_share=float(a.train_share[0, 0])))
    if a.compliance[0, 0] != before.compliance[0, 0]:
        out.append(SetCompliance(spend=float(a.compliance[0, 0])))
    return out
