"""What each dashboard panel shows, as Rich renderables built from the session's `Dashboard` view.

Each function takes the view (and the game, for names and this quarter's plan) and returns
something a `Static` can display. Every figure carries its unit; figures a student might not
read at a glance get a short gloss (what 1.0 means, whether it is good or bad).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from game.session.views import Dashboard, OutcomeNow
from game.ui import text as t
from game.ui.render.tables import Row, bar, grid, heading, stack, styled
from game.ui.theme import Palette

if TYPE_CHECKING:
    from game.session.game import Game


NOTE_WARNING_QUARTERS = 4
"""The money panel names a convertible note this many quarters before it matures."""


def runway_cap(game: Game) -> float:
    return game.pack.rules.outcomes.runway_cap


def money_panel(d: Dashboard, game: Game, pal: Palette, compact: bool = False) -> RenderableType:
    """The money; `compact` (a short terminal) keeps the seven figures that fit: cash, burn,
    runway, revenue, debt, commitments and what is still due on capital spending (or ARR growth)."""
    cap = runway_cap(game)
    runway_style = pal.bad if d.runway < 4 else pal.warn if d.runway < 6 else pal.good
    rows: list[Row] = [
        ("Cash", styled(t.money(d.cash), pal.strong)),
        ("Burn (costs-revenue)", t.per_quarter(d.burn)),
        ("Runway (cash lasts)", styled(t.quarters(d.runway, cap), runway_style)),
        ("Revenue, last qtr", t.money(d.revenue)),
        ("Gross margin", t.signed_pct(d.gross_margin) if d.gross_margin < 0 else f"{d.gross_margin:.0%}"),
        ("ARR (revenue x4)", styled(t.money(d.arr), pal.strong)),
        ("ARR growth, 1 yr", t.signed_pct(d.growth)),
        ("Cloud commitments", t.per_quarter(d.commitments)),
        ("Debt", t.money(d.debt)),
    ]
    if compact:
        last = ("CapEx still to pay", t.money(d.capex_due)) if d.capex_due > 0.005 else rows[6]
        return grid([*rows[:4], rows[8], rows[7], last], pal)
    if d.capex_due > 0.005:
        rows.insert(3, ("· CapEx still to pay", t.money(d.capex_due)))
    if d.loan_limit > 0.005:
        rows.append(("· can still borrow", t.money(d.loan_limit)))
    for n in d.notes:  # a note falling due is a payment the runway already counts
        if n.quarters_left < NOTE_WARNING_QUARTERS:
            rows.append((f"· note due {n.due}", styled(t.money(n.owed), pal.bad if n.quarters_left <= 1 else pal.warn)))
    return grid(rows, pal)


def outcome_style(outcome: str, pal: Palette) -> str:
    return pal.bad if outcome == "forced_sale" else pal.warn if outcome == "dependent" else pal.good


def valuation_panel(d: Dashboard, pal: Palette, now: OutcomeNow | None = None, compact: bool = False) -> RenderableType:
    """The valuation against the rival; with `now`, the outcome if the game ended now and what a
    fortress lacks; `compact` keeps the market mood and fair value and leaves out the rest."""
    vs_style = pal.strong
    if now is not None:  # coloured by this scenario's thresholds: a fortress, safe, or at risk of a forced sale
        vs_style = pal.good if now.fortress[0].met else pal.warn if now.safety[1].met else pal.bad
    rows: list[Row] = [
        ("Your valuation", styled(t.money(d.valuation), pal.strong)),
        (f"{d.rival}", t.money(d.rival_valuation)),
        ("You ÷ rival, net of cash", styled(t.times(d.vs_rival), vs_style)),
    ]
    if now is not None:
        rows.append(
            (
                "Outcome if it ended now" if not now.final else "Outcome",
                styled(now.title, outcome_style(now.outcome, pal)),
            )
        )
    short = ", ".join(now.missing) if now is not None and now.missing and now.outcome != "ipo" else ""
    if compact:
        # a short terminal: what a fortress lacks wraps on its own lines, in the place fair value takes
        if short:
            return Group(
                grid([*rows, ("Market mood", d.sentiment)], pal),
                Text(f"· short of a fortress on {short}", style=pal.muted),
            )
        return grid([*rows, ("Market mood", d.sentiment), ("Fair value", t.money(d.fair_value))], pal)
    if short:
        rows.append(("· short of a fortress on", short))
    rows += [
        ("Fair value", t.money(d.fair_value)),
        ("Last round, post-money", t.money(d.last_post)),
        ("Market mood", d.sentiment),
        ("Confidence (1 = normal)", f"{d.confidence:.2f}"),
    ]
    return grid(rows, pal)


def rivals_panel(d: Dashboard, pal: Palette) -> RenderableType:
    parts: list[RenderableType] = []
    for r in d.rivals:
        parts.append(heading(r.name, pal))
        parts.append(
            grid(
                [
                    ("Valuation", t.money(r.valuation)),
                    ("ARR", t.money(r.arr)),
                    ("Capability (points)", f"{r.capability:.1f}"),
                    ("Market share", t.pct(r.share, 1)),
                    ("Compute", t.gw(r.gw)),
                ],
                pal,
            )
        )
    parts.append(
        Text(f"You: capability {t.capability(d.capability)}, market share {t.pct(d.share, 1)}", style=pal.muted)
    )
    return stack(*parts)


SERVED = "Demand served, last qtr"
"""Last quarter's share of demand served (the compute now may differ: contracts end, orders arrive)."""
PLANNED = "Serving, with your plan"
"""Inference capacity this quarter with the plan so far: deliveries and the split included."""
NEEDED = "Needed this qtr (calm)"
"""Inference capacity this quarter's demand needs in a calm market (the live quarter's forecast)."""


def compute_panel(d: Dashboard, game: Game, pal: Palette, compact: bool = False) -> RenderableType:
    """The compute; `compact` sums it up in six figures and the verdict: total, split, serving,
    needed, demand served and capability (the Partners tab lists each contract). The live quarter
    compares serving with this quarter's demand in a calm market, the plan so far included (what
    the quarter would serve if it ended now); a past quarter, with that quarter's demand."""
    f = d.forecast
    # the figures as shown (to the hundredth of a GW), so that the gap is their difference
    serving, needed = (round(x, 2) for x in ((f.serving_gw, f.needed_gw) if f else (d.inference_gw, d.needed_gw)))
    short = serving < needed
    rows: list[Row] = [("Owned, online", t.gw(d.own_gw))]
    for c in d.contracts:
        if c.gw > 0:
            rows.append((f"Reserved: {t.short(c.provider_name)}", t.gw(c.gw)))
    rows.append(("Total compute", styled(t.gw(d.compute_gw), pal.strong)))
    rows.append(("Training / serving", f"{t.pct(d.train_share)} / {t.pct(1 - d.train_share)}"))
    rows.append(
        (PLANNED if f is not None else "Serving (inference)", styled(t.gw(serving), pal.bad if short else pal.good))
    )
    rows.append((NEEDED if f is not None else "Needed by demand", t.gw(needed)))
    rows.append((SERVED, t.pct(d.reliability)))
    on_order = sum(p.gw for p in d.pipeline)
    if on_order > 0:
        first = min(d.pipeline, key=lambda p: p.quarters)
        rows.append(("On order", t.gw(on_order)))
        rows.append(("· first arrives", first.label))
    rows.append(("Capability (points)", f"{d.capability:.1f}"))
    rows.append(("· against the leader", t.times(d.capability_rel)))
    if f is None:
        verdict = (
            Text(f"Short by {t.gw(needed - serving)}: customers went unserved.", style=pal.bad)
            if short
            else Text(f"Spare serving capacity: {t.gw(serving - needed)}.", style=pal.good)
        )
    elif short:
        served = t.pct(f.served / max(f.demand, 1e-9))
        verdict = Text(f"This quarter: short by {t.gw(needed - serving)}, {served} served.", style=pal.bad)
    else:
        verdict = Text(f"This quarter: all served, {t.gw(serving - needed)} spare.", style=pal.good)
    if compact:
        keep = (
            "Total compute",
            "Training / serving",
            "Serving (inference)",
            PLANNED,
            NEEDED,
            "Needed by demand",
            SERVED,
        )
        rows = [r for r in rows if r[0] in keep] + [("Capability, vs leader", t.times(d.capability_rel))]
    return stack(grid(rows, pal), verdict)


def market_panel(d: Dashboard, pal: Palette) -> RenderableType:
    shown = round(d.scarcity, 2)
    scarce = pal.bad if shown > 1.3 else pal.warn if shown > 1.0 else pal.good
    rows: list[Row] = [
        ("Scarcity index", styled(f"{d.scarcity:.2f}", scarce)),
        ("Cloud price", t.price(d.cloud_price)),
        ("Spot price", t.price(d.spot_price)),
        ("Chip lead time", t.quarters(d.chip_lead)),
        ("Data-centre build", t.quarters(d.dc_lead)),
        ("Market mood", d.sentiment),
    ]
    note = Text("Scarcity 1.00 = supply meets demand; above 1 prices and lead times rise.", style=pal.muted)
    return stack(grid(rows, pal), note)


def partners_panel(d: Dashboard, pal: Palette) -> RenderableType:
    if not d.contracts:
        return Text("No cloud contracts, commitments or partner stakes.", style=pal.muted)
    parts: list[RenderableType] = []
    for c in d.contracts:
        # coloured by the content's own bars: dependent at or above one, no fortress above the other
        dep_style = (
            pal.bad
            if c.dependency >= d.dependent_at
            else pal.warn
            if c.dependency >= d.fortress_dependency
            else pal.good
        )
        title = Text.assemble((c.provider_name, pal.accent), "  dependency ", (t.pct(c.dependency), dep_style))
        parts.append(title)
        rows: list[Row] = []
        if c.gw > 0:
            rows.append(("Reserved", t.gw(c.gw)))
            rows.append(("· price", t.price(c.price)))
            if c.quarters_left > 0:  # 0 once the game is over
                rows.append(("· term left", t.quarters(c.quarters_left)))
            if c.ending_next > 1e-6:
                rows.append(("· ends this quarter", t.gw(c.ending_next)))
        if c.commit > 0:
            rows.append(("Committed (take-or-pay)", t.per_quarter(c.commit)))
            if c.commit_left > 0:
                rows.append(("· commitment left", t.quarters(c.commit_left)))
        if c.stake > 0:
            rows.append(("Its stake in you", t.pct(c.stake, 1)))
        if c.credits > 0:
            rows.append(("Credits left", t.money(c.credits)))
        if c.notes > 0:
            rows.append(("Convertible notes", t.money(c.notes)))
        rows.append(("Exclusive / board", f"{'yes' if c.exclusive else 'no'} / {'yes' if c.board_seat else 'no'}"))
        parts.append(grid(rows, pal))
    return stack(*parts)


def regulator_panel(d: Dashboard, game: Game, pal: Palette) -> RenderableType:
    reg = game.scenario.regulator
    scr_style = pal.bad if d.scrutiny >= 0.4 else pal.warn if d.scrutiny >= 0.2 else pal.good
    if d.listed:
        ipo = "listed"
    elif d.ipo_quarters >= 0:
        ipo = f"filed, lists in {t.quarters(d.ipo_quarters)}"
    else:
        ipo = "not filed"
    rows: list[Row] = [
        (f"{reg} scrutiny", styled(f"{t.pct(d.scrutiny)} ({t.level(d.scrutiny)})", scr_style)),
        ("Chance of action/qtr", t.pct(d.hazard, 1)),
        ("Compliance", t.per_quarter(d.compliance)),
        (
            "Info request",
            styled(f"open, {t.quarters(d.info_request)} left", pal.warn) if d.info_request > 0 else "none open",
        ),
        (
            "Investigation",
            styled(f"open, {t.quarters(d.investigation)} left", pal.bad) if d.investigation > 0 else "none open",
        ),
        ("Top dependency", t.pct(d.max_dependency)),
        ("IPO", ipo),
    ]
    return grid(rows, pal)


def cap_table_panel(d: Dashboard, pal: Palette) -> RenderableType:
    """Who owns the lab, then the convertible notes that will turn into shares: each with its
    principal, cap, discount and the quarter it matures (repaid then, or in default)."""
    rows: list[Row] = [(holder, f"{t.pct(share, 1):>6} {bar(share, 10)}") for holder, share in d.cap_table]
    if not d.notes:
        return grid(rows, pal)
    lines: list[RenderableType] = [grid(rows, pal), heading("Convertible notes (not yet shares)", pal)]
    for n in d.notes:
        due_style = pal.bad if n.quarters_left <= 1 else pal.warn if n.quarters_left <= 3 else pal.muted
        lines.append(
            Text.assemble(
                f"{n.provider_name}: {t.money(n.principal)} lent, {t.money(n.owed)} owed · cap {t.money(n.cap)}"
                f" · {t.pct(n.discount)} discount · ",
                (f"matures {n.due}", due_style),
            )
        )
    return stack(*lines)


def plan_panel(game: Game, pal: Palette, undone: str | None = None) -> RenderableType:
    parts: list[RenderableType] = []
    if game.over:
        parts.append(Text("The game is over. Press r for the results.", style=pal.warn))
    elif game.pending:
        for n, action in enumerate(game.pending, start=1):
            parts.append(Text(f"{n}. {t.describe(game, action)}"))
        parts.append(Text("u takes back the last one; e ends the quarter.", style=pal.muted))
    else:
        parts.append(Text("Nothing planned yet. Actions happen when the quarter ends.", style=pal.muted))
    if undone:
        parts.append(Text(f"Undone: {undone}", style=pal.warn))
    if not game.over:
        offers = game.offers()
        if offers:
            names = ", ".join(o.provider_name for o in offers)
            parts.append(Text.assemble(("Offers on the table: ", pal.accent), names, " (d)"))
        else:
            parts.append(Text("No cloud offers this quarter.", style=pal.muted))
        parts.append(Text("f funding  d cloud deals  c capacity  o operations  e end quarter", style=pal.muted))
    return stack(*parts)


def news_panel(game: Game, pal: Palette) -> RenderableType:
    if not game.turns:
        return stack(
            heading(game.scenario.name, pal),
            Text(t.briefing(game.scenario.briefing, game.params.n_turns)),
        )
    report = game.turns[-1].report
    parts: list[RenderableType] = [heading(f"What happened in {report.quarter}", pal)]
    order = list(t.TOPIC_LABELS)
    for item in sorted(report.items, key=lambda i: order.index(i.topic) if i.topic in order else len(order)):
        style = pal.warn if item.topic == "warning" else pal.strong
        parts.append(Text.assemble((item.title + ": ", style), item.text))
    parts.append(Text("The full report, with its lessons: press n.", style=pal.muted))
    return stack(*parts)
