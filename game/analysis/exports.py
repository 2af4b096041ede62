"""Exports of a class debrief: a self-contained HTML page, Markdown and a CSV leaderboard.

The HTML report embeds its charts as inline SVG and its styles inline, and links to nothing, so
it opens on a projector with no network. It is rendered from a Jinja2 template with
autoescaping, so a team name can never inject markup.
"""

from __future__ import annotations

import csv
import io

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from game.analysis.debrief import OUTCOME_ORDER, OUTCOME_TITLES, ClassDebrief, DecisionQuality
from game.analysis.svg import line_chart
from game.session.wording import plural, signed

_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ d.title }}: {{ d.scenario }}</title>
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #111; }
h1 { margin-bottom: 0.2em; } .world { color: #444; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; } th, td { padding: 4px 10px; border-bottom: 1px solid #ccc; text-align: right; }
th:first-child, td:first-child, td.left, th.left { text-align: left; }
.bar { display: inline-block; height: 14px; background: #1f77b4; vertical-align: middle; }
.muted { color: #666; } li { margin: 0.2em 0; }
</style>
</head>
<body>
<h1>{{ d.title }}</h1>
<p class="world">{{ d.world }} &middot; {{ d.teams|length }} team{{ "" if d.teams|length == 1 else "s" }}</p>

<h2>Leaderboard</h2>
<table>
<tr><th>#</th><th class="left">Team</th><th class="left">Outcome</th><th>Score</th>{% for p in d.score_parts %}<th>{{ p }} (pts)</th>{% endfor %}<th>mult.</th><th>vs rival</th></tr>
{% for t in d.teams %}<tr><td class="left">{{ loop.index }}</td><td class="left">{{ t.team }}</td><td class="left">{{ t.outcome_title }}</td><td>{{ "%.1f"|format(t.score) }}{{ "" if t.outcome else " now" }}</td>{% for p in d.score_parts %}<td>{{ "%.1f"|format(t.parts.get(p, 0)) }}</td>{% endfor %}<td>{{ "%.2f"|format(t.multiplier) }}</td><td>{{ "%.2f"|format(t.vs_rival[-1]) }}x</td></tr>
{% endfor %}</table>
<p class="muted">{{ d.scale }} Each part's column is its points before the multiplier. For a team still playing, the score if its game ended now.</p>

<h2>Outcomes</h2>
<table>
{% for o in outcome_order %}<tr><td class="left">{{ outcome_titles[o] }}</td><td>{{ "%.0f"|format(100 * d.outcome_shares[o]) }}%</td><td class="left"><span class="bar" style="width: {{ (300 * d.outcome_shares[o])|int }}px"></span></td></tr>
{% endfor %}</table>

<h2>Decision quality</h2>
{% if d.decisions %}
<p class="muted">Teams by what their decisions added to the expected score, judged by the engine against its reference player over {{ "{:,}".format(d.decisions[0].rollouts) }} futures per quarter. Score = expected at the start + decisions + dice{% if d.decisions|selectattr("over", "false")|list %}; ~ marks a game in progress, scored by the engine's expected final score{% endif %}.</p>
<table>
<tr><th>#</th><th class="left">Team</th><th>Score #</th><th>Score</th><th>At start</th><th>Decisions</th><th>Dice</th><th>&plusmn;</th><th class="left">Worst decision</th><th class="left">Biggest dice swing</th></tr>
{% for q in d.decisions %}<tr><td class="left">{{ q.rank }}</td><td class="left">{{ q.team }}</td><td>{{ q.score_rank }}</td><td>{{ "" if q.over else "~" }}{{ "%.1f"|format(q.score) }}</td><td>{{ "%.1f"|format(q.start) }}</td><td>{{ "%+.1f"|format(q.decisions) }}</td><td>{{ "%+.1f"|format(q.dice) }}</td><td>{{ "%.1f"|format(q.error) }}</td><td class="left">{{ worst(q) }}</td><td class="left">{{ dice(q) }}</td></tr>
{% endfor %}</table>
{% if d.not_judged %}<p class="muted">Not judged (no quarter played): {{ d.not_judged|join(", ") }}.</p>{% endif %}
{% else %}<p class="muted">The decisions have not been judged. Press j in the class debrief, or export with <code>fortress debrief SAVES_DIR --judge --out report.html</code>, to rank the teams by decision quality beside the ranking by outcome.</p>{% endif %}

<h2>Valuation against the top rival, quarter by quarter</h2>
{{ chart }}

<h2>Where the paths diverged</h2>
{% for v in d.divergences %}
<h3>{{ v.quarter }}</h3>
<p class="muted">Spread between teams grew from {{ "%.2f"|format(v.spread_before) }} to {{ "%.2f"|format(v.spread_after) }} (standard deviation of log valuation ratios).</p>
<ul>
{% for name, vs, acts in v.leaders %}<li><b>{{ name }}</b> (ahead, {{ "%.2f"|format(vs) }}x): {{ acts|join("; ") if acts else "no decisions" }}</li>
{% endfor %}{% for name, vs, acts in v.laggards %}<li><b>{{ name }}</b> (behind, {{ "%.2f"|format(vs) }}x): {{ acts|join("; ") if acts else "no decisions" }}</li>
{% endfor %}</ul>
{% else %}<p>The teams' paths did not pull apart.</p>{% endfor %}

<h2>Learning objectives</h2>
<ol>{% for o in d.objectives %}<li>{{ o }}</li>{% endfor %}</ol>

{% if d.skipped %}<h2>Files skipped</h2>
<ul>{% for name, reason in d.skipped %}<li>{{ name }}: {{ reason }}</li>{% endfor %}</ul>{% endif %}
</body>
</html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def vs_rival_chart(d: ClassDebrief) -> str:
    return line_chart(
        [(t.team, t.vs_rival) for t in d.teams],
        d.quarters,
        "Valuation against the top rival",
        "valuation / rival's (log scale)",
        reference=1.0,
    )


def worst_text(q: DecisionQuality) -> str:
    """The team's costliest decision in a few words ("Q3 2026 mistake (-4.2)")."""
    if q.worst is None:
        return ""
    quarter, label, cost = q.worst
    return "none (all best)" if label == "best" else f"{quarter} {label} ({signed(-cost)})"


def dice_text(q: DecisionQuality) -> str:
    return "" if q.biggest_dice is None else f"{q.biggest_dice[0]} ({signed(q.biggest_dice[1])})"


def to_html(d: ClassDebrief) -> str:
    template = _ENV.from_string(_HTML)
    return template.render(
        d=d,
        chart=Markup(vs_rival_chart(d)),
        outcome_order=OUTCOME_ORDER,
        outcome_titles=OUTCOME_TITLES,
        worst=worst_text,
        dice=dice_text,
    )


def to_markdown(d: ClassDebrief) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"# {cell(d.title)}", "", f"{d.world}; {plural(len(d.teams), 'team')}.", "", "## Leaderboard", ""]
    head = ["#", "Team", "Outcome", "Score", *(f"{p} (pts)" for p in d.score_parts), "mult.", "vs rival"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for i, t in enumerate(d.teams, start=1):
        row = [
            str(i),
            cell(t.team),
            t.outcome_title,
            f"{t.score:.1f}" + ("" if t.outcome else " now"),
            *(f"{t.parts.get(p, 0):.1f}" for p in d.score_parts),
        ]
        row += [f"{t.multiplier:.2f}", f"{t.vs_rival[-1]:.2f}x"]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        f"{d.scale} Each part's column is its points before the multiplier. For a team still playing, "
        "the score if its game ended now.",
    ]
    lines += ["", "## Outcomes", ""]
    lines += [f"- {OUTCOME_TITLES[o]}: {100 * d.outcome_shares[o]:.0f}%" for o in OUTCOME_ORDER]
    lines += ["", "## Decision quality", ""]
    if d.decisions:
        lines += [
            f"Teams by what their decisions added to the expected score ({d.decisions[0].rollouts:,} futures "
            "per quarter). Score = expected at the start + decisions + dice; ~ marks a game in progress, "
            "scored by the engine's expected final score.",
            "",
            "| # | Team | Score # | Score | At start | Decisions | Dice | ± | Worst decision | Biggest dice swing |",
            "|" + "---|" * 10,
        ]
        for q in d.decisions:
            row = [str(q.rank), cell(q.team), str(q.score_rank), ("" if q.over else "~") + f"{q.score:.1f}"]
            row += [f"{q.start:.1f}", signed(q.decisions), signed(q.dice), f"{q.error:.1f}"]
            row += [worst_text(q), dice_text(q)]
            lines.append("| " + " | ".join(row) + " |")
        if d.not_judged:
            lines += ["", f"Not judged (no quarter played): {cell(', '.join(d.not_judged))}."]
    else:
        lines.append("The decisions have not been judged (`fortress debrief SAVES_DIR --judge`).")
    lines += ["", "## Valuation against the top rival", "", "| Team | " + " | ".join(d.quarters) + " |"]
    lines.append("|" + "---|" * (len(d.quarters) + 1))
    for t in d.teams:
        lines.append(f"| {cell(t.team)} | " + " | ".join(f"{v:.2f}" for v in t.vs_rival) + " |")
    lines += ["", "## Where the paths diverged", ""]
    for v in d.divergences:
        lines.append(f"### {v.quarter}")
        for label, group in (("ahead", v.leaders), ("behind", v.laggards)):
            for name, vs, acts in group:
                lines.append(
                    f"- **{cell(name)}** ({label}, {vs:.2f}x): {cell('; '.join(acts)) if acts else 'no decisions'}"
                )
        lines.append("")
    lines += ["## Learning objectives", ""] + [f"{i}. {o}" for i, o in enumerate(d.objectives, start=1)]
    if d.skipped:
        lines += ["", "## Files skipped", ""] + [f"- {cell(n)}: {cell(r)}" for n, r in d.skipped]
    return "\n".join(lines) + "\n"


def _safe_cell(text: str) -> str:
    """Keep spreadsheets from reading a team name as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(d: ClassDebrief) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "rank",
            "team",
            "outcome",
            "score",
            *d.score_parts,
            "multiplier",
            "vs_rival",
            "valuation_bn",
            "cash_bn",
            "quarters",
            "decision_rank",
            "expected_at_start",
            "decisions",
            "dice",
            "worst_decision",
            "file",
        ]
    )
    for i, t in enumerate(d.teams, start=1):
        q = d.decision_for(t.file)
        judged = (
            [q.rank, f"{q.start:.2f}", f"{q.decisions:.2f}", f"{q.dice:.2f}", worst_text(q)]
            if q
            else ["", "", "", "", ""]
        )
        writer.writerow(
            [
                i,
                _safe_cell(t.team),
                t.outcome or "in progress",
                f"{t.score:.2f}",
                *(f"{t.parts.get(p, 0):.2f}" for p in d.score_parts),
                f"{t.multiplier:.2f}",
                f"{t.vs_rival[-1]:.4f}",
                f"{t.valuation:.1f}",
                f"{t.cash:.2f}",
                t.quarters_played,
                *judged,
                _safe_cell(t.file),
            ]
        )
    return out.getvalue()
