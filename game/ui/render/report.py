"""The quarter report and the game-over summary as Rich renderables.

A report lists every `ReportItem` under its topic (warnings first), each with its teaching note
set apart as a lesson, after a short table of the quarter's money. The summary shows the outcome,
each part of the score against the scenario's weight, the multiplier and the objectives.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from game.content.models import Objective
from game.session.objectives import criterion
from game.session.views import Dashboard, GameOver, ObjectiveMark, OutcomeNow, QuarterReport, ReportItem
from game.session.wording import SCORE_FINAL
from game.ui import text as t
from game.ui.render.tables import grid, heading, stack, styled
from game.ui.theme import Palette

PART_LABELS = {
    "valuation": "Valuation vs rival",
    "runway": "Runway",
    "independence": "Independence",
    "scrutiny": "Low scrutiny",
    "ownership": "Ownership",
}


def money_table(report: QuarterReport, pal: Palette) -> RenderableType:
    """The quarter's cash bridge: the start, each inflow (+), each outflow (-), the end."""
    rows: list[tuple[str, str | Text]] = [("Customer demand (not cash)", t.money(report.demand))]
    for line in report.bridge:
        if line.kind in ("start", "end"):
            style = pal.strong if line.kind == "start" else (pal.good if line.amount >= report.cash_before else pal.bad)
            rows.append((line.label, Text(t.money(line.amount), style=style)))
        else:
            sign = "+" if line.kind == "in" else "-"
            rows.append(
                (f"{sign} {line.label}", Text(f"{sign}{t.money(line.amount)}", style=pal.good if sign == "+" else ""))
            )
    if report.credits > 0.0005:
        rows.append(("Cloud bills paid by credits (not cash)", t.money(report.credits)))
    table = grid(rows, pal)
    table.expand = False
    table.columns[0].ratio = None
    return table


def grouped(items: tuple[ReportItem, ...]) -> list[tuple[str, list[ReportItem]]]:
    """Items by topic, in the order of `TOPIC_LABELS` (unknown topics last)."""
    order = list(t.TOPIC_LABELS)
    topics = sorted({i.topic for i in items}, key=lambda x: order.index(x) if x in order else len(order))
    return [(topic, [i for i in items if i.topic == topic]) for topic in topics]


def item_block(item: ReportItem, pal: Palette) -> RenderableType:
    style = pal.warn if item.topic == "warning" else pal.strong
    parts: list[RenderableType] = [Text(item.title, style=style), Text(item.text)]
    if item.teaching:
        parts.append(Text.assemble(("Lesson: ", pal.accent), (item.teaching, "italic")))
    return Padding(stack(*parts), (0, 0, 1, 2))


def report_body(report: QuarterReport, pal: Palette) -> RenderableType:
    parts: list[RenderableType] = [
        heading("The quarter in money", pal),
        Padding(money_table(report, pal), (0, 0, 1, 2)),
    ]
    for topic, items in grouped(report.items):
        parts.append(heading(t.TOPIC_LABELS.get(topic, topic.capitalize()), pal))
        parts.extend(item_block(i, pal) for i in items)
    if report.game_over:
        parts.append(Text("This was the last quarter: the game is over.", style=pal.warn))
    return stack(*parts)


def score_table(summary: GameOver, pal: Palette) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style=pal.accent)
    table.add_column("Part")
    table.add_column("Value (0-1)", justify="right")
    table.add_column("Weight", justify="right")
    table.add_column("Points (of 100)", justify="right")
    for part in summary.parts:
        table.add_row(
            PART_LABELS.get(part.name, part.name), f"{part.value:.2f}", t.pct(part.weight), f"{part.points:.1f}"
        )
    base = sum(p.points for p in summary.parts)
    table.add_row("Sum", "", "100%", f"{base:.1f}", style=pal.strong)
    return table


def score_notes(summary: GameOver, pal: Palette) -> RenderableType:
    """What each part measures, and the arithmetic."""
    return stack(
        *(
            Text.assemble((f"{PART_LABELS.get(part.name, part.name)}: ", pal.muted), part.explanation)
            for part in summary.parts
        ),
        Text("Points = value x weight x 100.", style=pal.muted),
    )


def final_position(d: Dashboard, runway_cap: float, pal: Palette) -> RenderableType:
    """Where the lab ended: the figures the outcome was judged on."""
    top = max(d.contracts, key=lambda c: c.dependency, default=None)
    rows: list[tuple[str, str | Text]] = [
        (f"Valuation against {d.rival}", f"{t.money(d.valuation)} vs {t.money(d.rival_valuation)}"),
        (
            "· net of cash (what counts)",
            f"{t.money(d.business)} vs {t.money(d.rival_business)} = {t.times(d.vs_rival)}",
        ),
        ("Runway", t.quarters(d.runway, runway_cap)),
        (
            "Largest dependency",
            f"{t.pct(top.dependency)} on {top.provider_name}" if top is not None else t.pct(d.max_dependency),
        ),
        ("Regulatory scrutiny", t.pct(d.scrutiny)),
        ("Founders' and staff's stake", t.pct(d.cap_table[0][1], 1) if d.cap_table else "-"),
    ]
    table = grid(rows, pal)
    table.expand = False
    table.columns[0].ratio = None
    return table


def outcome_tests(now: OutcomeNow, pal: Palette) -> RenderableType:
    """Each test of a fortress, and of staying out of a forced sale or a partner's orbit, met or not."""
    table = Table(box=None, show_header=True, header_style=pal.muted, padding=(0, 1, 0, 0), expand=False)
    for name in ("", "Needs", "You", ""):
        table.add_column(name, no_wrap=not name)
    for title, tests in (("A fortress", now.fortress), ("Avoiding the worst", now.safety)):
        table.add_row(Text(title, style=pal.strong), "", "", "")
        for test in tests:
            mark = Text("✓ met", style=pal.good) if test.met else Text("✗ not met", style=pal.bad)
            table.add_row(f"  {test.label}", test.need, test.now, mark)
    return table


def objective_texts(objectives: Sequence[Objective], pal: Palette) -> list[Text]:
    """A scenario's objectives before the game, each with what will mark it met."""
    out: list[Text] = []
    for o in objectives:
        out.append(Text(f"• {o.text}"))
        if o.check is not None:
            out.append(Text(f"  marked met: {criterion(o)}", style=pal.muted))
    return out


def objective_lines(marks: tuple[ObjectiveMark, ...], pal: Palette) -> RenderableType:
    """Each learning objective, marked met or not met with its evidence."""
    rows: list[RenderableType] = []
    for m in marks:
        if m.met is None:
            sign = Text("• ", style=pal.muted)
        else:
            sign = Text("✓ met     ", style=pal.good) if m.met else Text("✗ not met ", style=pal.bad)
        rows.append(Text.assemble(sign, m.text))
        if m.met is not None:
            rows.append(Text(f"           {m.label}: {m.evidence}", style=pal.muted))
    return stack(*rows)


def game_over_body(
    summary: GameOver,
    pal: Palette,
    final: Dashboard | None = None,
    runway_cap: float = 20.0,
    now: OutcomeNow | None = None,
) -> RenderableType:
    outcome_style = pal.bad if summary.outcome in ("forced_sale", "dependent") else pal.good
    return stack(
        styled(f"Outcome: {summary.title}", outcome_style),
        Padding(Text(summary.explanation), (0, 0, 1, 0)),
        heading("Where your lab ended", pal) if final is not None else None,
        Padding(final_position(final, runway_cap, pal), (0, 0, 1, 0)) if final is not None else None,
        heading("What each outcome needs", pal) if now is not None else None,
        Padding(outcome_tests(now, pal), (0, 0, 1, 0)) if now is not None else None,
        heading("Your score, part by part", pal),
        score_table(summary, pal),
        score_notes(summary, pal),
        Text(""),
        Text.assemble(
            "Outcome multiplier ",
            (f"x{summary.multiplier:.2f}", pal.strong),
            f" ({summary.title.lower()})  =  {SCORE_FINAL.lower()} ",
            (f"{summary.score:.1f}", pal.accent),
        ),
        Text(summary.scale, style=pal.muted),
        Text(""),
        heading("What this scenario teaches: your objectives", pal),
        objective_lines(summary.objectives, pal),
    )
