"""The engine's evaluation and judgement in words and tables, as Rich renderables.

The analysis layer answers in numbers: the chance of each outcome and the expected score of a
position (`Evaluation`), and the label, cost and reasons of each quarter's decisions
(`TurnJudgement`, `GameJudgement`). These functions turn them into what a student reads: the
odds as bars, the score with its error, the plan against the plan plus one action, a quarter's
verdict with its reasons in full sentences and the engine's preferred alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from game.analysis.evaluate import Evaluation
from game.analysis.judge import BASELINE, LABELS, GameJudgement, TurnJudgement
from game.session.report import OUTCOME_TEXT
from game.session.wording import SCORE_EXPECTED
from game.ui import text as t
from game.ui.render.tables import Row, bar, grid, heading, lines, stack, styled
from game.ui.theme import Palette

OUTCOME_LABELS = {key: title for key, (title, _) in OUTCOME_TEXT.items()}
"""Each outcome's name for a student, as the game-over screen spells it."""

GOOD_OUTCOMES_TEXT = "survivor, fortress or IPO"

LABEL_MARKS = {"best": "!", "good": "", "inaccuracy": "?!", "mistake": "?", "blunder": "??"}
"""A chess annotator's marks for each label."""


def label_style(label: str, pal: Palette) -> str:
    """The colour of a decision label: good news, a warning or bad news."""
    if label in ("best", "good"):
        return pal.good
    if label == "inaccuracy":
        return pal.warn
    return pal.bad


def label_text(label: str, pal: Palette, *, upper: bool = False) -> Text:
    """`mistake ?` in the label's colour."""
    mark = LABEL_MARKS.get(label, "")
    word = label.upper() if upper else label
    return Text(f"{word} {mark}".strip(), style=label_style(label, pal))


def points(x: float) -> str:
    """A change in expected score, signed: `+4.1`, `-2.7` (`0.0` for no change)."""
    return t.signed(x)


def futures(n: int) -> str:
    return f"{n:,} future" + ("" if n == 1 else "s")


# ---- the live evaluation ------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationView:
    """What the evaluation displays show now."""

    status: str
    """`off`, `working`, `ready`, `over` (the game has ended) or `failed`."""
    rollouts: int
    evaluation: Evaluation | None = None
    """The latest evaluation (while working: the previous one, if any)."""
    seconds: float = 0.0
    note: str = ""
    """The final result when the game is over, or what went wrong."""


def _odds_rows(e: Evaluation, pal: Palette, width: int) -> list[Row]:
    rows: list[Row] = []
    for key, label in OUTCOME_LABELS.items():
        p = e.outcome_odds.get(key, 0.0)
        style = pal.good if key in ("survivor", "fortress", "ipo") else pal.bad if key == "forced_sale" else pal.warn
        rows.append((label, Text.assemble((bar(p, width), style), f" {t.pct(p):>4}")))
    return rows


def score_text(e: Evaluation, pal: Palette) -> Text:
    return Text.assemble((f"{e.expected_score:.1f}", pal.strong), f" ± {e.score_se:.1f}")


def good_style(p: float, pal: Palette) -> str:
    return pal.good if p >= 0.6 else pal.warn if p >= 0.3 else pal.bad


def evaluation_panel(view: EvaluationView, pal: Palette, *, full: bool = False) -> RenderableType:
    """The evaluation of this quarter's plan: expected score, the outcome odds, the risks.

    `full` adds what the numbers mean (for the dashboard's Engine tab)."""
    if view.status == "off":
        return Text("The engine's evaluation is switched off for this game.", style=pal.muted)
    if view.status == "over":
        return stack(
            Text(view.note or "The game is over."), Text("Press a for the engine's analysis.", style=pal.muted)
        )
    if view.status == "failed":
        return Text(f"The engine could not evaluate this plan: {view.note}", style=pal.bad)
    e = view.evaluation
    working = view.status == "working"
    parts: list[RenderableType] = []
    if working:
        parts.append(Text(f"Evaluating {futures(view.rollouts)} of this plan...", style=pal.warn))
    if e is None:
        if not working:
            parts.append(Text("No evaluation yet.", style=pal.muted))
        return stack(*parts)
    rows: list[Row] = [
        (SCORE_EXPECTED, score_text(e, pal)),
        ("Good outcome", styled(t.pct(e.good_odds), good_style(e.good_odds, pal))),
    ]
    parts.append(grid(rows, pal))
    parts.append(grid(_odds_rows(e, pal, 10), pal))
    risk: list[Row] = [
        ("You ÷ rival at the end", f"{e.vs_rival_median:.2f}x"),
        (f"Runway under {e.alarm_runway:g} quarters", t.pct(e.runway_alarm)),
    ]
    if full:
        risk.append(("Regulator acts next qtr", t.pct(e.hazard_next)))
        risk[0] = (
            "You ÷ rival at the end",
            f"{e.vs_rival_p10:.2f}x-{e.vs_rival_p90:.2f}x, median {e.vs_rival_median:.2f}x",
        )
        risk.append(("Cash runs out", t.pct(e.bankrupt)))
        risk.append(("Top dependency at the end", t.pct(e.dependency_end)))
        risk.append(("Founders' stake at the end", t.pct(e.founders_end, 1)))
    parts.append(grid(risk, pal))
    if full:
        parts.append(Text(""))
        parts.append(
            Text(
                f"How the engine knows: it plays the rest of the game {e.rollouts:,} times from here, each "
                "time with different dice (market shocks, events, whether rounds close). This quarter it "
                "follows your plan; after that a steady reference player decides for you. The expected "
                f"score is the average final score, ± its margin of error; a good outcome is ending as a "
                f"{GOOD_OUTCOMES_TEXT}. Change the plan and it evaluates again. Press a for its judgement "
                "of the quarters you have played.",
                style=pal.muted,
            )
        )
    return stack(*parts)


def evaluation_line(view: EvaluationView, pal: Palette, width: int = 200) -> Text:
    """The evaluation in one line of at most `width` cells, for a narrow dashboard."""
    head = ("Engine: ", pal.accent)
    if view.status == "off":
        return Text.assemble(head, ("evaluation off", pal.muted))
    if view.status == "over":
        return Text.assemble(head, view.note or "the game is over", ("  a: analysis", pal.muted))
    if view.status == "failed":
        return Text.assemble(head, (f"could not evaluate: {view.note}", pal.bad))
    e = view.evaluation
    if view.status == "working" or e is None:
        was = f" (was {e.expected_score:.1f})" if e is not None else ""
        return Text.assemble(head, (f"evaluating {futures(view.rollouts)} of this plan...{was}", pal.warn))
    worst = e.outcome_odds.get("forced_sale", 0.0)
    line = Text.assemble(
        head,
        f"{SCORE_EXPECTED.lower()} ",
        score_text(e, pal),
        " · good outcome ",
        (t.pct(e.good_odds), good_style(e.good_odds, pal)),
        " · forced sale ",
        (t.pct(worst), pal.bad if worst >= 0.1 else pal.muted),
    )
    full = line + Text(f" · {futures(e.rollouts)}", style=pal.muted)
    if full.cell_len <= width:
        return full
    return line + Text(" (6: more)", style=pal.muted) if line.cell_len + 10 <= width else line


def comparison(
    before: Evaluation | None, after: Evaluation | None, pal: Palette, *, rollouts: int, working: bool, note: str = ""
) -> RenderableType:
    """The plan as it is against the plan plus this action, on the same futures."""
    if note:
        return Text(note, style=pal.muted)
    if before is None or after is None:
        return Text(f"Evaluating {futures(rollouts)} with and without this action...", style=pal.warn)
    d_score = after.expected_score - before.expected_score
    d_good = after.good_odds - before.good_odds
    paired = _paired_se(before, after)
    score_style = pal.good if d_score > paired else pal.bad if d_score < -paired else pal.muted
    good_change = pal.good if d_good > 0.005 else pal.bad if d_good < -0.005 else pal.muted
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(style=pal.muted, ratio=1, overflow="fold")
    table.add_column(justify="right", no_wrap=True)
    table.add_row(
        SCORE_EXPECTED,
        Text.assemble(f"{before.expected_score:.1f} → ", (f"{after.expected_score:.1f}", score_style)),
    )
    table.add_row("· change", Text.assemble((points(d_score), score_style), f" ± {paired:.1f}"))
    table.add_row(
        "Good outcome",
        Text.assemble(f"{t.pct(before.good_odds)} → ", (t.pct(after.good_odds), good_change)),
    )
    foot = "updating..." if working else f"the same {after.rollouts:,} futures for both"
    return stack(table, Text(foot, style=pal.warn if working else pal.muted))


def _paired_se(a: Evaluation, b: Evaluation) -> float:
    """The standard error of b - a on the same futures (common random numbers)."""
    if a.scores.shape != b.scores.shape or a.scores.size < 2:
        return float((a.score_se**2 + b.score_se**2) ** 0.5)
    diff = b.scores - a.scores
    return float(diff.std(ddof=1) / diff.size**0.5)


# ---- the judgement of a game --------------------------------------------------------------------


def split_line(j: GameJudgement, pal: Palette) -> Text:
    """`Your decisions: +4.1 · the dice: -2.7` in colour."""

    def style(x: float) -> str:
        return pal.good if x >= 0 else pal.bad

    return Text.assemble(
        ("Your decisions: ", pal.strong),
        (points(j.decisions_total), style(j.decisions_total)),
        ("   the dice: ", pal.strong),
        (points(j.luck_total), style(j.luck_total)),
        (f"   (± {j.error:.1f})", pal.muted),
    )


def summary(j: GameJudgement, pal: Palette, *, final_label: str, note: str = "") -> RenderableType:
    """The split of the score: start + decisions + dice, and how many quarters got each label."""
    counts = {label: sum(1 for turn in j.turns if turn.label == label) for label in LABELS}
    tally = Text()
    for label in LABELS:
        if counts[label]:
            if tally:
                tally.append(" · ")
            tally.append(f"{counts[label]} ")
            tally.append(label_text(label, pal))
    parts: list[RenderableType] = [
        Text.assemble((f"{final_label} {j.final_score:.1f}", pal.strong), f" (expected at the start: {j.start:.1f})"),
        split_line(j, pal),
        Text.assemble(("Quarters: ", pal.muted), tally),
    ]
    if note:
        parts.append(Text(note, style=pal.warn))
    parts.append(Text(BASELINE, style=pal.muted))
    return stack(*parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def reason_lines(reasons: Sequence[str], pal: Palette, lead: str = "With your decisions, ") -> list[Text]:
    """The judge's reasons as full sentences, one a line."""
    out: list[Text] = []
    for reason in reasons:
        out.append(Text.assemble(("· ", pal.muted), _sentence(lead + reason) if lead else _sentence(reason)))
    return out


def actions_lines(actions: Sequence[str], pal: Palette) -> list[Text]:
    if not actions:
        return [Text("· nothing: no new decisions that quarter", style=pal.muted)]
    return [Text(f"· {a}") for a in actions]


def preferred_text(turn: TurnJudgement) -> str:
    """The engine's preferred alternative, as a sentence."""
    if turn.label == "best":
        return "The engine agrees with your decisions."
    name, _, what = turn.preferred.partition(": ")
    best = f"expected score {turn.after_decisions + turn.cost:.1f}"
    if name.startswith("leaving out"):
        return f"The engine prefers {name} and keeping the rest of your decisions ({best})."
    if what and what != "no new commitments this quarter":
        return f"The engine prefers {name}: {what} ({best})."
    if name == "the reference plan":
        return f"The engine prefers the reference plan, which makes no new commitments this quarter ({best})."
    return f"The engine prefers {name} ({best})."


def turn_detail(turn: TurnJudgement, pal: Palette, *, heading_line: bool = True) -> RenderableType:
    """One quarter: what was decided, its label and cost, the reasons, the engine's preference."""
    parts: list[RenderableType] = []
    if heading_line:
        parts.append(
            Text.assemble(
                (f"{turn.quarter}  ", pal.accent),
                label_text(turn.label, pal, upper=True),
                f"  gave up {turn.cost:.1f} points (± {turn.cost_se:.1f})" if turn.cost > 0.05 else "",
            )
        )
    parts.append(Text("You decided:", style=pal.muted))
    parts.extend(actions_lines(turn.actions, pal))
    rows: list[Row] = [
        (f"{SCORE_EXPECTED} before", f"{turn.before:.1f}"),
        ("· after your decisions", Text(f"{turn.after_decisions:.1f} ({points(turn.skill)})")),
    ]
    if turn.after_dice == turn.after_dice:  # not NaN
        rows.append(("· after the dice", Text(f"{turn.after_dice:.1f} ({points(turn.luck)})")))
    other = "next best" if turn.label == "best" else "engine's"
    rows.append((f"Good outcome: yours / {other}", f"{t.pct(turn.good_odds[0])} / {t.pct(turn.good_odds[1])}"))
    parts.append(grid(rows, pal))
    if turn.reasons:
        parts.append(Text("Why:", style=pal.muted))
        parts.extend(reason_lines(turn.reasons, pal))
    parts.append(Text(preferred_text(turn), style=pal.strong))
    return stack(*parts)


def worst_list(j: GameJudgement, pal: Palette, *, limit: int = 8) -> RenderableType:
    """The decisions that gave up the most expected score, worst first."""
    worst = [turn for turn in j.worst_first() if turn.label != "best"][:limit]
    if not worst:
        return Text(
            "The engine agrees with every quarter's decisions: no decision gave up more than half a point.",
            style=pal.good,
        )
    parts: list[RenderableType] = []
    for n, turn in enumerate(worst, start=1):
        if n > 1:
            parts.append(Text(""))
        parts.append(
            Text.assemble(
                (f"{n}. {turn.quarter}  ", pal.accent),
                label_text(turn.label, pal, upper=True),
                f"  gave up {turn.cost:.1f} points (± {turn.cost_se:.1f})",
            )
        )
        parts.append(turn_detail(turn, pal, heading_line=False))
    return stack(*parts)


def verdict_new(turn: TurnJudgement, pal: Palette) -> RenderableType:
    """The engine's judgement of a new choice, before anything else is revealed."""
    if turn.cost <= 0.05:
        behind = Text("No alternative the engine tried did better.", style=pal.good)
    elif turn.label == "best":
        behind = Text(
            f"Within {turn.cost:.1f} points of the best alternative the engine tried: that counts as best.",
            style=pal.good,
        )
    else:
        behind = Text(
            f"It gives up {turn.cost:.1f} points (± {turn.cost_se:.1f}) against the best alternative the engine tried.",
            style=label_style(turn.label, pal),
        )
    return stack(
        Text.assemble(("Your new plan: ", pal.strong), label_text(turn.label, pal, upper=True)),
        Text.assemble(
            f"{SCORE_EXPECTED} ",
            (f"{turn.after_decisions:.1f}", pal.strong),
            ", good outcome ",
            (t.pct(turn.good_odds[0]), good_style(turn.good_odds[0], pal)),
            ".",
        ),
        behind,
    )


def reveal(new: TurnJudgement, old: TurnJudgement, pal: Palette) -> RenderableType:
    """The engine's preferred alternative, and how the original and the new choice compare."""
    best = old.after_decisions + old.cost
    gain = new.after_decisions - old.after_decisions
    style = pal.good if gain > 0.05 else pal.bad if gain < -0.05 else pal.muted
    rows: list[Row] = [
        ("The engine's choice", Text(f"{best:.1f}", style=pal.strong)),
        ("Your new plan", Text.assemble(f"{new.after_decisions:.1f} ", label_text(new.label, pal))),
        ("Your first plan", Text.assemble(f"{old.after_decisions:.1f} ", label_text(old.label, pal))),
        ("New against first", Text(points(gain), style=style)),
    ]
    if gain > 0.05:
        verdict = "Better than the first time."
    elif gain < -0.05:
        verdict = "Not better than the first time: look at the reasons below."
    else:
        verdict = "About the same as the first time."
    parts: list[RenderableType] = [
        heading(f"{SCORE_EXPECTED}, on the same futures", pal),
        lines(rows, pal),
        Text(verdict, style=style),
        Text(preferred_text(old), style=pal.strong),
        Text("The first time you decided:", style=pal.muted),
        *actions_lines(old.actions, pal),
    ]
    if old.reasons:
        parts.append(Text("Why the engine marked it:", style=pal.muted))
        parts.extend(reason_lines(old.reasons, pal))
    if new.reasons and new.label != "best":
        parts.append(Text("About your new plan:", style=pal.muted))
        parts.extend(reason_lines(new.reasons, pal))
    return stack(*parts)
