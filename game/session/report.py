"""The quarter report and the game-over summary: what happened, and why, in the game's terms.

Every sentence is built from the engine's numbers for this quarter (flows, round factors, events
with their teaching notes, regulatory actions, rivals' rounds), never canned commentary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine.contracts import ending_after
from game.engine.events import TARGET_NAMES
from game.engine.outcome import SCORE_PARTS, dependency, score_parts
from game.engine.outcome import score as engine_score
from game.engine.params import REG_NAMES, SENTIMENT_NAMES, SURVIVOR, Params
from game.engine.state import State
from game.engine.step import COST_NAMES, Info
from game.engine.valuation import CLOSE_FACTORS, close_factors
from game.session.actions import Action, RaiseRound, RespondDeal
from game.session.dashboard import dashboard
from game.session.describe import cheques
from game.session.objectives import objective_marks
from game.session.views import CashLine, GameOver, QuarterReport, ReportItem, ScorePart
from game.session.wording import capability, money, plural, score_scale, signed_pct

if TYPE_CHECKING:
    from game.session.core import GameCore

COST_LABELS = {
    "reserved": "reserved cloud capacity",
    "spot": "spot capacity",
    "shortfall": "committed spend not covered by capacity (take-or-pay)",
    "own_opex": "running owned capacity",
    "staff": "staff and operations",
    "interest": "interest",
    "compliance": "compliance",
    "legal": "legal costs",
    "capex": "capital spending on capacity (CapEx)",
    "fees": "restructuring fees",
    "revenue_share": "revenue share paid to cloud partners",
    "fines": "civil penalties",
    "events": "events",
}

FACTOR_TEXT = {
    "sentiment": "the market's mood ({regime}) and this investor type's appetite",
    "price": "the price: your ask was {premium} against fair value, beyond the {tolerance:.0%} premium they accept",
    "size": "the size: {amount} is {pool_share:.0%} of what they can bring to one round",
    "confidence": "investor confidence in your lab ({confidence:.2f})",
    "regulator": "an open information request from the regulator",
}

OUTCOME_TEXT = {
    "forced_sale": (
        "Forced sale",
        "Your lab ran out of cash, defaulted on a payment it owed, or fell so far behind its rival that a bigger company bought it for its team.",
    ),
    "dependent": (
        "Dependent",
        "Your lab survived, but one partner supplies so much of your compute, or owns so much of you, that you now live in its orbit.",
    ),
    "survivor": (
        "Survivor",
        "Your lab is independent and solvent, but without the runway, valuation or independence of a fortress.",
    ),
    "fortress": (
        "Fortress",
        "A fortress balance sheet: years of runway, no partner in control and a valuation that keeps up with your rival's.",
    ),
    "ipo": (
        "IPO",
        "Your lab listed on the public market: the fortress balance sheet turned into permanent access to capital.",
    ),
}

PART_TEXT = {
    "valuation": "valuation against the top rival, full marks at {target:.2f}x",
    "runway": "quarters of runway, full marks at {target:g}",
    "independence": "1 minus your dependency on the most important partner",
    "scrutiny": "1 minus regulatory scrutiny",
    "ownership": "founders' and staff's stake against where they started",
}


_b = money

INFLOW_LABELS = {
    "revenue": "revenue from demand served",
    "round": "funding round",
    "deals": "cloud deals (cash part)",
    "loans": "loans drawn",
    "ipo": "IPO",
}


def _consent_text(p: Params, regulator: str, info: Info) -> str:
    """What a consent order did to the lab and what it cost (`scrutiny._consent`)."""
    sc = p.scrutiny
    divest = f" sell {sc.consent_divest:.0%} of its stake," if sc.consent_divest > 0 else ""
    credits = float(info.consent_credits[0, 0])
    lost = f" Its {_b(credits)} of credits left are cancelled." if credits > 1e-9 else ""
    return (
        f"The {regulator} settled its case with a consent order: your partner must{divest} give up exclusivity"
        f" and board seats, and the deal's terms are unwound for both sides: its capacity is repriced at list.{lost}"
        f" Remedies, lawyers and a monitor for {plural(sc.consent_monitor_quarters, 'quarter')} cost"
        f" {_b(float(info.consent_cost[0, 0]))} now (legal costs); the monitor keeps the {regulator} watching"
        f" (scrutiny +{sc.consent_scrutiny:.0%}) and investors' confidence falls."
    )


def event_cash(game: GameCore, event_id: str) -> float:
    """The cash an event adds to the player's lab (negative: takes away)."""
    p = game.params
    return float(p.events.add[p.event_ids.index(event_id), TARGET_NAMES.index("cash")])


def cash_bridge(game: GameCore, before: State, after: State, info: Info, fired: list[str]) -> tuple[CashLine, ...]:
    """The quarter's cash, line by line: the start, each inflow, each outflow, the end. The lines
    are the engine's own flows, so start + inflows - outflows = end."""
    events = {e.id: e.title for e in game.pack.events}
    ins: list[tuple[str, float]] = [
        (INFLOW_LABELS["revenue"], float(info.revenue[0, 0])),
        (INFLOW_LABELS["round"], float(info.raised_round[0, 0])),
        (INFLOW_LABELS["deals"], float(info.raised_deals[0, 0])),
        (INFLOW_LABELS["loans"], float(info.raised_loans[0, 0])),
        (INFLOW_LABELS["ipo"], float(info.raised_ipo[0, 0])),
    ]
    parts = info.cost_parts[0, 0]
    outs: list[tuple[str, float]] = [
        (COST_LABELS[name], float(parts[k])) for k, name in enumerate(COST_NAMES) if name != "events"
    ]
    outs.append(("debt repaid", float(info.repaid[0, 0])))
    for eid in fired:
        cash = event_cash(game, eid)
        (ins if cash > 0 else outs).append((f"event: {events[eid]}", abs(cash)))
    lines = [CashLine("start", "Cash at the start", float(before.cash[0, 0]))]
    lines += [CashLine("in", label, v) for label, v in ins if v > 0.0]
    lines += [CashLine("out", label, v) for label, v in sorted(outs, key=lambda x: -x[1]) if v > 0.0]
    lines.append(CashLine("end", "Cash at the end", float(after.cash[0, 0])))
    return tuple(lines)


def _cash_text(bridge: tuple[CashLine, ...], credits: float, burn: float, runway: str) -> str:
    """The bridge in a paragraph: every figure in it is one of the bridge's lines or their sum."""
    start, end = bridge[0].amount, bridge[-1].amount
    ins = [line for line in bridge if line.kind == "in"]
    outs = [line for line in bridge if line.kind == "out"]

    def listed(lines: list[CashLine]) -> str:
        shown = [f"{line.label} {_b(line.amount)}" for line in lines[:4]]
        if len(lines) > 4:
            shown.append(f"{plural(len(lines) - 4, 'smaller item')} {_b(sum(x.amount for x in lines[4:]))}")
        return ", ".join(shown)

    text = f"Cash went from {_b(start)} to {_b(end)}."
    if ins:
        text += f" In: {_b(sum(x.amount for x in ins))} ({listed(ins)})."
    if outs:
        text += f" Out: {_b(sum(x.amount for x in outs))} ({listed(outs)})."
    if credits > 0.0005:
        text += f" Compute credits paid a further {_b(credits)} of cloud bills, outside your cash."
    if burn > 0.0005:
        text += (
            f" Operating burn (costs other than capital spending and events, less revenue) is {_b(burn)} a"
            f" quarter: runway {runway}."
        )
    else:
        text += f" Revenue covered the operating costs, so there is no burn: runway {runway}."
    return text


def _who(game: GameCore, action: RaiseRound) -> str:
    """Who wrote a round's cheques: the lead's kind, or each cheque of a syndicate."""
    if not action.followers:
        return (
            game.investor_name(action.investor) + "s"
            if action.provider is None
            else game.provider_name(action.provider)
        )
    return "A syndicate (" + ", ".join(f"{n} {_b(c)}" for n, c in cheques(game, action)) + ")"


def _round_item(game: GameCore, before: State, info: Info, action: RaiseRound) -> ReportItem:
    p = game.params
    chance = float(info.round_chance[0, 0])
    if bool(info.round_closed[0, 0]):
        post = action.pre_money + action.amount
        down = (
            " It was a down round: below the last round's price, which hurts confidence and morale."
            if bool(info.round_down[0, 0])
            else ""
        )
        return ReportItem(
            "round",
            "Your round closed",
            f"{_who(game, action)} put in {_b(action.amount)} at {_b(action.pre_money)} pre-money ({chance:.0%} chance). "
            f"Post-money is {_b(post)}: they own {action.amount / post:.2%} and everyone else was diluted by that share.{down}",
        )
    plan = game.plan([action])
    factors = close_factors(
        p,
        plan.raise_investor,
        plan.raise_amount,
        plan.raise_pre,
        before.fair,
        before.sentiment,
        before.confidence,
        before.info_left > 0,
        follow=plan.raise_follow,
    )[0, 0]
    i = p.investor_names.index(action.investor)
    values = {
        "regime": SENTIMENT_NAMES[int(before.sentiment[0])],
        "premium": signed_pct(action.pre_money / float(before.fair[0, 0]) - 1.0),
        "tolerance": float(p.investors.premium_tolerance[i]),
        "amount": _b(action.amount),
        "pool_share": action.amount / float(p.investors.pool[i]),
        "confidence": float(before.confidence[0, 0]),
    }
    drags = sorted(((float(factors[k]), name) for k, name in enumerate(CLOSE_FACTORS)), key=lambda x: x[0])
    reasons = [FACTOR_TEXT[name].format(**values) + f" (x{f:.2f})" for f, name in drags if f < 0.95][:2]
    why = "; ".join(reasons) if reasons else "the dice: it was a fair ask that did not land"
    return ReportItem(
        "round",
        "Your round failed",
        f"{_who(game, action)} passed on {_b(action.amount)} at {_b(action.pre_money)} pre-money; it had a {chance:.0%} chance. "
        f"What weighed on it most: {why}. A failed round dents investor confidence.",
    )


def quarter_report(game: GameCore, before: State, after: State, info: Info, actions: list[Action]) -> QuarterReport:
    p = game.params
    items: list[ReportItem] = []
    quarter = game.quarter_label(int(before.turn[0]))

    revenue, demand = float(info.revenue[0, 0]), float(info.demand[0, 0])
    unserved = max(demand - revenue, 0.0)
    text = f"Customers wanted {_b(demand)} of AI this quarter and you served {_b(revenue)}"
    if unserved > 0.005 * max(demand, 1e-9):
        text += (
            f": {_b(unserved)} ({unserved / demand:.0%}) went unserved for lack of inference capacity "
            f"({float(info.compute_infer[0, 0]):.2f} GW serving). Unserved customers drift to rivals."
        )
    else:
        text += f", with {float(info.compute_infer[0, 0]):.2f} GW serving and {float(info.compute_train[0, 0]):.2f} GW training."
    items.append(ReportItem("money", "Revenue", text))
    cap_b, cap_a = float(before.capability[0, 0]), float(after.capability[0, 0])
    rival_a = float(after.capability[0, 1:].max())
    items.append(
        ReportItem(
            "capacity",
            "Capability",
            f"Your models' capability went from {capability(cap_b)} to {capability(cap_a)} with "
            f"{float(info.compute_train[0, 0]):.2f} GW training; the strongest rival's is {capability(rival_a)}. "
            "Capability against rivals sets your share of demand.",
        )
    )

    parts = info.cost_parts[0, 0]
    costs = float(info.costs[0, 0])
    credits = float(info.credits_used[0, 0])
    cash_before, cash_after = float(before.cash[0, 0]), float(after.cash[0, 0])
    raised, repaid = float(info.raised[0, 0]), float(info.repaid[0, 0])
    fired = [p.event_ids[e] for e in np.flatnonzero(info.fired[0])]
    bridge = cash_bridge(game, before, after, info, fired)
    runway = float(after.runway[0, 0])
    burn = float(after.burn[0, 0])
    runway_text = (
        f"over {plural(p.outcomes.runway_cap, 'quarter')}"
        if runway >= p.outcomes.runway_cap
        else f"{runway:.1f} quarters"
    )
    items.append(ReportItem("money", "Cash", _cash_text(bridge, credits, burn, runway_text)))

    for action in actions:
        if isinstance(action, RaiseRound):
            items.append(_round_item(game, before, info, action))

    for action in actions:
        if isinstance(action, RespondDeal) and action.response != "decline":
            j = game.provider_index(action.provider)
            name = game.provider_name(action.provider)
            if bool(info.deal_signed[0, 0, j]):
                how = f"accepted your counter on {action.term}" if action.response == "counter" else "signed"
                stake = float(after.cap[0, 0, p.provider_holder(j)])
                items.append(
                    ReportItem(
                        "deal",
                        f"Deal with {name}",
                        f"{name} {how}. Its stake is now {stake:.1%}, you owe it {_b(float(after.commit_q[0, 0, j]))} a quarter "
                        f"in committed spend and your dependency on it is {float(dependency(p, after)[0, 0, j]):.0%}.",
                    )
                )
            else:
                items.append(
                    ReportItem(
                        "deal",
                        f"{name} walked away",
                        counter_refused(name, str(action.term), float(before.scarcity[0])),
                    )
                )

    delivered = info.delivered[0, 0]
    for o, oid in enumerate(p.option_names):
        if delivered[o] > 1e-6:
            items.append(
                ReportItem(
                    "capacity",
                    "Capacity online",
                    f"{delivered[o]:.2f} GW of {game.option_name(oid).lower()} came online.",
                )
            )
        if info.ordered[0, 0, o] > 1e-6:
            lead = int(info.order_lead[0, o])
            items.append(
                ReportItem(
                    "capacity",
                    "Capacity ordered",
                    f"{float(info.ordered[0, 0, o]):.2f} GW of {game.option_name(oid).lower()} will come online in "
                    f"{game.quarter_label(int(before.turn[0]) + lead)} ({plural(lead, 'quarter')} lead time at scarcity {float(info.scarcity[0]):.2f}).",
                )
            )
    added = info.reserved_added[0, 0]
    for j, pid in enumerate(p.provider_names):
        if added[j] > 1e-6:
            items.append(
                ReportItem(
                    "capacity", "Reserved capacity", f"{added[j]:.2f} GW now reserved from {game.provider_name(pid)}."
                )
            )
    if info.spot_got[0, 0] > 1e-6:
        items.append(
            ReportItem(
                "capacity",
                "Spot capacity",
                f"You ran {float(info.spot_got[0, 0]):.2f} GW on the spot market this quarter.",
            )
        )
    ending_next = ending_after(after.reserved_ends, after.turn)
    for j, pid in enumerate(p.provider_names):
        ending = float(ending_next[0, 0, j])
        if ending > 1e-6:
            total = float(after.reserved_gw[0, 0, j])
            rest = f" ({total - ending:.2f} GW with them runs on)" if total - ending > 1e-6 else ""
            items.append(
                ReportItem(
                    "warning",
                    "Contract ending",
                    f"{ending:.2f} GW reserved from {game.provider_name(pid)} runs for one more quarter only{rest}.",
                )
            )

    reg = int(info.reg_action[0, 0])
    if reg:
        regulator = game.scenario.regulator
        texts = {
            "info_request": f"The {regulator} sent an information request about your partnerships. While it is open, rounds are less likely to close.",
            "investigation": f"The {regulator} opened an investigation. Partner deals are frozen for {p.scrutiny.investigation_quarters} quarters and legal costs run each quarter.",
            "consent_order": _consent_text(p, regulator, info),
            "fine": f"The {regulator} won a civil penalty of {_b(float(info.fine[0, 0]))} against you in court.",
        }
        items.append(
            ReportItem(
                "regulator",
                "Regulator acts",
                texts[REG_NAMES[reg]],
                f"Scrutiny was {float(before.scrutiny[0, 0]):.0%} going into the quarter; the chance of an action rises with its square.",
            )
        )

    events = {e.id: e for e in game.pack.events}
    for eid in fired:
        e = events[eid]
        cash = event_cash(game, eid)
        text = e.text
        if abs(cash) > 0.0005:
            text += (
                f" {'It adds' if cash > 0 else 'It costs you'} {_b(abs(cash))} {'to' if cash > 0 else 'of'} your cash."
            )
        items.append(ReportItem("event", e.title, text, e.teaching))

    for li in range(1, p.n_labs):
        if bool(info.round_closed[0, li]) or bool(info.rescued[0, li]):
            what = (
                "was rescued by an emergency round"
                if bool(info.rescued[0, li])
                else f"raised {_b(float(info.raised_round[0, li]))}"
            )
            items.append(
                ReportItem(
                    "rival",
                    p.lab_names[li],
                    f"{p.lab_names[li]} {what}; it is now valued at {_b(float(after.valuation[0, li]))}.",
                )
            )

    if int(after.sentiment[0]) != int(before.sentiment[0]):
        items.append(
            ReportItem(
                "market",
                "Sentiment turns",
                f"The market mood moved from {SENTIMENT_NAMES[int(before.sentiment[0])]} to {SENTIMENT_NAMES[int(after.sentiment[0])]}.",
                "Sentiment sets the valuation multiple and the chance that rounds close.",
            )
        )
    scar_b, scar_a = float(before.scarcity[0]), float(after.scarcity[0])
    if abs(scar_a - scar_b) >= 0.05:
        items.append(
            ReportItem(
                "market",
                "Compute market",
                f"The scarcity index moved from {scar_b:.2f} to {scar_a:.2f}: prices and lead times follow it.",
            )
        )

    if float(info.notes_repaid[0, 0]) > 1e-9:
        items.append(
            ReportItem(
                "warning",
                "Notes repaid",
                f"Convertible notes matured unconverted: you repaid {_b(float(info.notes_repaid[0, 0]))} "
                "with their interest from cash.",
            )
        )
    defaulted = [game.provider_name(game.scenario.providers[j]) for j in np.flatnonzero(info.notes_defaulted[0, 0])]
    if defaulted:
        debt = p.debt
        items.append(
            ReportItem(
                "warning",
                "Notes in default",
                f"You could not repay the notes from {', '.join(defaulted)} at maturity: they converted at "
                f"{debt.note_default_price:.0%} of their price, diluting you, and investor confidence fell by "
                f"{abs(debt.note_default_confidence):g}.",
            )
        )
    if bool(info.covenant_called[0, 0]):
        items.append(
            ReportItem("warning", "Loan called", "Cash fell below the loan covenant, so the lender called the loan.")
        )
    if not bool(after.done[0]) and runway < 4:
        items.append(
            ReportItem(
                "warning",
                "Runway",
                f"Only {runway:.1f} quarters of runway left. Raise, cut or borrow before it is too late.",
            )
        )
    if bool(info.ipo_listed[0, 0]):
        items.append(
            ReportItem(
                "round",
                "Listed",
                f"Your IPO priced at {_b(float(after.valuation[0, 0]))} and raised {_b(float(info.raised_ipo[0, 0]))}.",
            )
        )
    if bool(info.ipo_pulled[0, 0]):
        items.append(
            ReportItem(
                "round", "IPO pulled", "The market turned to bust and your IPO was pulled. You can file again later."
            )
        )

    return QuarterReport(
        quarter=quarter,
        turn=int(before.turn[0]),
        items=tuple(items),
        revenue=revenue,
        demand=demand,
        costs=costs,
        cost_parts=tuple((COST_NAMES[k], float(parts[k])) for k in range(len(COST_NAMES))),
        raised=raised,
        repaid=repaid,
        cash_before=cash_before,
        cash_after=cash_after,
        events=tuple(fired),
        game_over=bool(after.done[0]),
        bridge=bridge,
        credits=credits,
        burn=burn,
    )


def counter_refused(name: str, term: str, scarcity: float) -> str:
    """Why a provider refused a counter-offer, in words true of the market it was made in: compute
    is scarce only when the index, as shown, is above 1.00."""
    said = f"{name} refused your counter on {term} and withdrew the offer."
    if round(scarcity, 2) > 1.0:
        return f"{said} With compute scarce (index {scarcity:.2f}), providers hold the stronger hand."
    return f"{said} Compute is not scarce (index {scarcity:.2f}), yet a counter-offer is always a gamble: it can be refused."


def game_over(game: GameCore) -> GameOver:
    """The outcome and the score broken down against the scenario's weights."""
    p, s = game.params, game.state
    outcome = game.outcome or "survivor"
    values = score_parts(p, s)[0]
    weights = p.score.weights / p.score.weights.sum()
    mult = float(p.outcomes.multiplier[["forced_sale", "dependent", "survivor", "fortress", "ipo"].index(outcome)])
    d = dashboard(game)
    main = max(d.contracts, key=lambda c: c.dependency) if d.contracts else None
    runway = f"{p.outcomes.runway_cap:g}+" if d.runway >= p.outcomes.runway_cap else f"{d.runway:.1f}"
    measures = {
        "valuation": f"{d.vs_rival:.2f}x the valuation of {d.rival} (full marks at {p.score.valuation_target:.2f}x)",
        "runway": f"{runway} quarters of runway (full marks at {p.score.runway_target:g})",
        "independence": f"{d.max_dependency:.0%} dependent on {main.provider_name}"
        if main
        else "no partner to depend on",
        "scrutiny": f"scrutiny at {d.scrutiny:.0%}",
        "ownership": f"founders and staff hold {float(s.cap[0, 0, 0]):.1%}, from {float(s.founders_start[0, 0]):.1%}",
    }
    parts = tuple(
        ScorePart(
            name=name,
            value=float(values[k]),
            weight=float(weights[k]),
            points=float(100.0 * weights[k] * values[k]),
            explanation=PART_TEXT[name].format(
                target=p.score.valuation_target if name == "valuation" else p.score.runway_target
            ),
            measure=measures[name],
        )
        for k, name in enumerate(SCORE_PARTS)
    )
    title, text = OUTCOME_TEXT[outcome]
    return GameOver(
        outcome=outcome,
        title=title,
        explanation=text,
        score=float(engine_score(p, s, np.where(s.outcome >= 0, s.outcome, SURVIVOR))[0]),
        multiplier=mult,
        parts=parts,
        objectives=objective_marks(game),
        scale=score_scale(float(p.outcomes.multiplier.max())),
    )
