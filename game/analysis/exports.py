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

from game.analysis.debrief import OUTCOME_ORDER, OUTCOME_TITLES, ClassDebrief, DecisionQuality, TeamResult
from game.analysis.judge import BASELINE
from game.analysis.svg import bar_chart, line_chart
from game.content.names import for_csv, plain
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
.met { color: #1a7f37; font-weight: bold; } .missed { color: #b42318; font-weight: bold; }
svg { max-width: 100%; height: auto; }
.summary { min-height: 90vh; display: flex; flex-direction: column; gap: 0.6em; }
.summary h1 { font-size: 2.4em; margin: 0; } .summary .world { font-size: 1.2em; }
.figures { display: flex; gap: 1.2em; flex-wrap: wrap; }
.figure { border: 1px solid #ccc; border-radius: 6px; padding: 0.4em 1em; min-width: 10em; }
.figure b { display: block; font-size: 1.8em; } .figure span { color: #444; }
.charts { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-start; }
.podium { display: flex; gap: 3em; flex-wrap: wrap; font-size: 1.15em; } .podium ol { margin: 0.2em 0; }
.team h2 { margin-top: 0; } .baseline { color: #444; font-style: italic; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  .summary { min-height: auto; break-after: page; }
  h2, h3 { break-after: avoid; } table, svg, .figure, li { break-inside: avoid; }
  .team { break-before: page; }
  .noprint { display: none; }
}
</style>
</head>
<body>
<section class="summary" id="summary">
<h1>{{ d.title }}</h1>
<p class="world">{{ d.world }} &middot; {{ d.teams|length }} team{{ "" if d.teams|length == 1 else "s" }}</p>
<div class="figures">
<div class="figure"><b>{{ d.teams|length }}</b><span>teams</span></div>
{% if d.teams %}<div class="figure"><b>{{ "%.1f"|format(d.teams[0].score) }}</b><span>best score: {{ d.teams[0].team }}</span></div>
<div class="figure"><b>{{ "%.2f"|format(median_vs) }}x</b><span>median valuation against the rival</span></div>
<div class="figure"><b>{{ "%.0f"|format(100 * good_share) }}%</b><span>survived or better</span></div>{% endif %}
</div>
<div class="charts">{{ outcome_chart }}{{ objective_chart }}</div>
<div class="podium">
<div><b>Top by score</b><ol>{% for t in d.teams[:3] %}<li>{{ t.team }}: {{ "%.1f"|format(t.score) }}, {{ t.outcome_title }}</li>{% endfor %}</ol></div>
{% if d.decisions %}<div><b>Top by decisions</b> <span class="muted">(points against the reference player)</span><ol>{% for q in d.decisions[:3] %}<li>{{ q.team }}: {{ "%+.1f"|format(q.decisions) }}</li>{% endfor %}</ol></div>{% endif %}
{% if d.divergences %}<div><b>Where the paths pulled apart</b><ol>{% for v in d.divergences %}<li>{{ v.quarter }}: {{ v.leaders[0][0] }} ahead, {{ v.laggards[0][0] }} behind</li>{% endfor %}</ol></div>{% endif %}
</div>
</section>

<h2>Leaderboard</h2>
<table>
<tr><th>#</th><th class="left">Team</th><th class="left">Outcome</th><th>Score</th>{% for p in d.score_parts %}<th>{{ p }} (pts)</th>{% endfor %}<th>mult.</th><th>vs rival</th><th>objectives met</th><th>reloads</th></tr>
{% for t in d.teams %}<tr><td class="left">{{ loop.index }}</td><td class="left">{{ t.team }}</td><td class="left">{{ t.outcome_title }}</td><td>{{ "%.1f"|format(t.score) }}{{ "" if t.outcome else " now" }}</td>{% for p in d.score_parts %}<td>{{ "%.1f"|format(t.parts.get(p, 0)) }}</td>{% endfor %}<td>{{ "%.2f"|format(t.multiplier) }}</td><td>{{ "%.2f"|format(t.vs_rival[-1]) }}x</td><td>{{ t.objectives_met }}</td><td>{{ t.reloads }}{% if t.played_score is not none %} (saved line {{ "%.1f"|format(t.played_score) }}){% endif %}</td></tr>
{% endfor %}</table>
<p class="muted">{{ d.scale }} Each part's column is its points before the multiplier. For a team still playing, the score if its game ended now. A team that reloaded is scored by the line it played first.</p>{% for t in d.teams if t.loads %}<p class="muted">{{ t.team }}: {{ t.loads|join("; ") }}</p>{% endfor %}

<h2>Outcomes</h2>
<table>
{% for o in outcome_order %}<tr><td class="left">{{ outcome_titles[o] }}</td><td>{{ "%.0f"|format(100 * d.outcome_shares[o]) }}%</td><td class="left"><span class="bar" style="width: {{ (300 * d.outcome_shares[o])|int }}px"></span></td></tr>
{% endfor %}</table>

<h2>Decision quality</h2>
{% if d.decisions %}
<p class="muted">Teams by what their decisions added to the expected score, judged by the engine against its reference player on up to {{ "{:,}".format(d.decisions[0].rollouts) }} futures a plan each quarter. Score = expected at the start + decisions + dice{% if d.decisions|selectattr("over", "false")|list %}; ~ marks a game in progress, scored by the engine's expected final score{% endif %}.</p>
<p class="baseline">{{ baseline }}</p>
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
{% for o in d.objectives %}{% set k = loop.index0 %}
<h3>{{ loop.index }}. {{ o }}</h3>
<p class="muted">Met by {{ met_count(k) }} of {{ d.teams|length }} team(s).</p>
<table>
<tr><th class="left">Team</th><th class="left">Mark</th><th class="left">Evidence</th></tr>
{% for t in d.teams %}{% if t.objectives|length > k %}{% set m = t.objectives[k] %}<tr><td class="left">{{ t.team }}</td><td class="left {{ 'met' if m.met else 'missed' }}">{{ m.word }}</td><td class="left">{{ m.label ~ ": " if m.label }}{{ m.evidence }}</td></tr>
{% endif %}{% endfor %}</table>
{% endfor %}

{% if d.flagged %}<h2>Files flagged</h2>
<p class="muted">These saves replay, but do not hold up against the workshop's content or against themselves, so they are not ranked.</p>
<ul>{% for name, reason in d.flagged %}<li>{{ name }}: {{ reason }}</li>{% endfor %}</ul>{% endif %}
{% if d.skipped %}<h2>Files skipped</h2>
<ul>{% for name, reason in d.skipped %}<li>{{ name }}: {{ reason }}</li>{% endfor %}</ul>{% endif %}
{% for t in team_pages %}
<section class="team">
<h2>{{ t.team }}</h2>
<p class="world">#{{ loop.index }} by score &middot; {{ t.outcome_title }} &middot; score {{ "%.1f"|format(t.score) }} &middot; {{ "%.2f"|format(t.vs_rival[-1]) }}x the rival &middot; objectives met {{ t.objectives_met }}</p>
<table><tr>{% for p in d.score_parts %}<th>{{ p }}</th>{% endfor %}<th>mult.</th></tr>
<tr>{% for p in d.score_parts %}<td>{{ "%.1f"|format(t.parts.get(p, 0)) }}</td>{% endfor %}<td>{{ "%.2f"|format(t.multiplier) }}</td></tr></table>
{% set q = d.decision_for(t.file) %}{% if q %}<p>Score {{ "%.1f"|format(q.score) }} = expected at the start {{ "%.1f"|format(q.start) }} + decisions {{ "%+.1f"|format(q.decisions) }} + dice {{ "%+.1f"|format(q.dice) }}; worst decision: {{ worst(q) }}.</p>{% endif %}
<h3>Learning objectives</h3>
<ul>{% for m in t.objectives %}<li><span class="{{ 'met' if m.met else 'missed' }}">{{ m.word }}</span> {{ m.text }} <span class="muted">({{ m.label ~ ": " if m.label }}{{ m.evidence }})</span></li>{% endfor %}</ul>
{{ team_chart(t) }}
<h3>Quarter by quarter</h3>
<table><tr><th class="left">Quarter</th><th class="left">Decisions</th><th class="left">Events</th><th>vs rival after</th></tr>
{% for acts in t.actions %}<tr><td class="left">{{ d.quarters[loop.index] }}</td><td class="left">{{ acts|join("; ") if acts else "no decisions" }}</td><td class="left">{{ t.events[loop.index0]|join("; ") }}</td><td>{{ "%.2f"|format(t.vs_rival[loop.index]) }}x</td></tr>
{% endfor %}</table>
</section>
{% endfor %}
</body>
</html>
"""


def _finalize(value: object) -> object:
    """Every value the template prints, with control characters made safe (autoescape does the rest)."""
    return value if isinstance(value, Markup) else plain(value) if isinstance(value, str) else value


_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True), finalize=_finalize)


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


def met_count(d: ClassDebrief, k: int) -> int:
    """How many teams met objective `k`."""
    return sum(1 for t in d.teams if len(t.objectives) > k and t.objectives[k].met)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return 0.0 if not n else ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2])


def median_path(d: ClassDebrief) -> list[float]:
    """The class's median valuation against the rival at each point that some team reached."""
    length = max((len(t.vs_rival) for t in d.teams), default=0)
    return [_median([t.vs_rival[i] for t in d.teams if len(t.vs_rival) > i]) for i in range(length)]


def outcome_chart(d: ClassDebrief) -> str:
    counts = {o: sum(1 for t in d.teams if t.outcome == o) for o in OUTCOME_ORDER}
    return bar_chart(
        [
            (OUTCOME_TITLES[o], d.outcome_shares[o], f"{counts[o]} ({100 * d.outcome_shares[o]:.0f}%)")
            for o in OUTCOME_ORDER
        ],
        "Outcomes",
    )


def objective_chart(d: ClassDebrief) -> str:
    n = max(len(d.teams), 1)
    bars = [
        (
            f"{k + 1}. {d.teams[0].objectives[k].label if d.teams and len(d.teams[0].objectives) > k else ''}",
            met_count(d, k) / n,
            f"{met_count(d, k)} of {len(d.teams)}",
        )
        for k in range(len(d.objectives))
    ]
    return bar_chart(bars, "Learning objectives met")


def team_chart(d: ClassDebrief, team: TeamResult) -> str:
    return line_chart(
        [(team.team, team.vs_rival), ("class median", median_path(d))],
        d.quarters,
        f"{team.team}: valuation against the top rival",
        "valuation / rival's (log scale)",
        reference=1.0,
        height=320,
    )


def to_html(d: ClassDebrief, team_pages: bool = False) -> str:
    """The report; `team_pages` adds one page per team (printed on a page of its own)."""
    template = _ENV.from_string(_HTML)
    good = sum(1 for t in d.teams if t.outcome in ("survivor", "fortress", "ipo"))
    return template.render(
        d=d,
        median_vs=_median([t.vs_rival[-1] for t in d.teams]),
        good_share=good / max(len(d.teams), 1),
        outcome_chart=Markup(outcome_chart(d)),
        objective_chart=Markup(objective_chart(d)),
        team_pages=d.teams if team_pages else [],
        team_chart=lambda t: Markup(team_chart(d, t)),
        met_count=lambda k: met_count(d, k),
        baseline=BASELINE,
        chart=Markup(vs_rival_chart(d)),
        outcome_order=OUTCOME_ORDER,
        outcome_titles=OUTCOME_TITLES,
        worst=worst_text,
        dice=dice_text,
    )


def to_markdown(d: ClassDebrief) -> str:
    def cell(text: str) -> str:
        return plain(text).replace("|", "\\|")

    lines = [f"# {cell(d.title)}", "", f"{cell(d.world)}; {plural(len(d.teams), 'team')}.", "", "## Leaderboard", ""]
    head = [
        "#",
        "Team",
        "Outcome",
        "Score",
        *(f"{p} (pts)" for p in d.score_parts),
        "mult.",
        "vs rival",
        "objectives met",
        "reloads",
    ]
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
        reloads = str(t.reloads) + (f" (saved line {t.played_score:.1f})" if t.played_score is not None else "")
        row += [f"{t.multiplier:.2f}", f"{t.vs_rival[-1]:.2f}x", t.objectives_met, reloads]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        f"{d.scale} Each part's column is its points before the multiplier. For a team still playing, "
        "the score if its game ended now. A team that reloaded is scored by the line it played first; "
        "its saved line's score is shown beside its reloads.",
    ]
    loaded = [t for t in d.teams if t.loads]
    if loaded:
        lines += ["", "## Loads and branches", ""]
        for t in loaded:
            lines += [f"- {cell(t.team)}: " + "; ".join(cell(w) for w in t.loads)]
    lines += ["", "## Outcomes", ""]
    lines += [f"- {OUTCOME_TITLES[o]}: {100 * d.outcome_shares[o]:.0f}%" for o in OUTCOME_ORDER]
    lines += ["", "## Decision quality", ""]
    if d.decisions:
        lines += [
            f"Teams by what their decisions added to the expected score (up to {d.decisions[0].rollouts:,} futures "
            "a plan each quarter). Score = expected at the start + decisions + dice; ~ marks a game in progress, "
            "scored by the engine's expected final score.",
            "",
            BASELINE,
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
    lines += ["## Learning objectives", ""]
    for k, text in enumerate(d.objectives):
        lines += [f"### {k + 1}. {cell(text)}", "", f"Met by {met_count(d, k)} of {len(d.teams)} team(s).", ""]
        lines += ["| Team | Mark | Evidence |", "|---|---|---|"]
        for t in d.teams:
            if len(t.objectives) > k:
                m = t.objectives[k]
                lines.append(
                    f"| {cell(t.team)} | {m.word} | {cell(m.label + ': ' if m.label else '')}{cell(m.evidence)} |"
                )
        lines.append("")
    if d.flagged:
        lines += ["", "## Files flagged", ""] + [f"- {cell(n)}: {cell(r)}" for n, r in d.flagged]
    if d.skipped:
        lines += ["", "## Files skipped", ""] + [f"- {cell(n)}: {cell(r)}" for n, r in d.skipped]
    return "\n".join(lines) + "\n"


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
            "objectives_met",
            *(f"objective_{k}" for k in range(1, len(d.objectives) + 1)),
            "reloads",
            "saved_line_score",
            "file",
        ]
    )
    for i, t in enumerate(d.teams, start=1):
        q = d.decision_for(t.file)
        judged = (
            [q.rank, f"{q.start:.2f}", f"{q.decisions:.2f}", f"{q.dice:.2f}", for_csv(worst_text(q))]
            if q
            else ["", "", "", "", ""]
        )
        writer.writerow(
            [
                i,
                for_csv(t.team),
                t.outcome or "in progress",
                f"{t.score:.2f}",
                *(f"{t.parts.get(p, 0):.2f}" for p in d.score_parts),
                f"{t.multiplier:.2f}",
                f"{t.vs_rival[-1]:.4f}",
                f"{t.valuation:.1f}",
                f"{t.cash:.2f}",
                t.quarters_played,
                *judged,
                sum(1 for m in t.objectives if m.met),
                *(m.word for m in t.objectives),
                *([""] * (len(d.objectives) - len(t.objectives))),
                t.reloads,
                "" if t.played_score is None else f"{t.played_score:.2f}",
                for_csv(t.file),
            ]
        )
    return out.getvalue()
