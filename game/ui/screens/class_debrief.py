"""The class debrief screen: every team's game of one workshop, compared, for the projector.

`fortress debrief SAVES_DIR` (without `--out`) opens here once the folder has been read and
checked. Five tabs: the leaderboard with the score's parts and the outcome shares; every team's
valuation-against-rival path on one chart; the quarters where the paths pulled apart, with the
decisions behind them; the decision quality of each team (on request, `j`: the engine judges
every quarter of every game in a worker, seconds per team, so a ranking by decisions sits beside
the ranking by outcome, with each team's split of its score into decisions and dice); and the
files left out, with their reasons. `h`, `m` and `c` write the HTML, Markdown and CSV report next
to the saves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, ProgressBar, Static, TabbedContent, TabPane
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from game.analysis.debrief import (
    OUTCOME_ORDER,
    OUTCOME_TITLES,
    ClassDebrief,
    ClassRoom,
    TeamResult,
    decision_quality,
    with_decisions,
)
from game.analysis.exports import to_csv, to_html, to_markdown, worst_text
from game.analysis.judge import BASELINE, GameJudgement, Memo
from game.analysis.judged import judged as judged_once
from game.content.names import for_markup, plain
from game.saves.store import atomic_write
from game.session.wording import SCORE_EXPECTED, SCORE_FINAL, SCORE_NOW, plural, signed
from game.ui.render.tables import heading, stack
from game.ui.screens.base import FortressScreen
from game.ui.widgets.panel import Panel

EXPORTS: dict[str, tuple[str, Callable[[ClassDebrief], str]]] = {
    "html": ("class-debrief.html", to_html),
    "markdown": ("class-debrief.md", to_markdown),
    "csv": ("class-results.csv", to_csv),
}
"""Each export: the file written into the saves folder, and how it is made."""

LABELLED_PATHS = 2
"""Leaders named on the chart's legend (with the last team and the selected one)."""


class JudgeProgress(Message):
    """The judging worker's progress: a flood of these collapses into the latest."""

    def __init__(self, team: str, index: int, teams: int, quarter: int, quarters: int) -> None:
        super().__init__()
        self.team = team
        self.index = index
        self.teams = teams
        self.quarter = quarter
        self.quarters = quarters

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JudgeProgress)


class TeamJudged(Message):
    """One team's game has been judged."""

    def __init__(self, file: str, result: GameJudgement, stored: bool) -> None:
        super().__init__()
        self.file = file
        self.result = result
        self.stored = stored
        """Read back from the judgement stored beside the save (not judged again)."""


class JudgingDone(Message):
    """Every team has been judged (or judging stopped)."""

    def __init__(self, judged: int, seconds: float) -> None:
        super().__init__()
        self.judged = judged
        self.seconds = seconds


class _Stop(Exception):
    """Raised inside the judging worker when the screen goes away."""


class ClassDebriefScreen(FortressScreen[None]):
    """The class debrief of one workshop."""

    GLOSSARY = (
        "Score",
        "Outcome",
        "Valuation against rival",
        "Expected score",
        "Decision label",
        "Skill and luck",
        "Reference player",
    )
    HELP = (
        "The class at a glance, one tab each (**1-5**):\n\n"
        "- **Leaderboard**: teams by score, with the score's parts and each outcome's share\n"
        "- **Paths**: every team's valuation against the top rival, quarter by quarter (the selected "
        "team is highlighted: pick one in the leaderboard)\n"
        "- **Divergences**: the quarters where the teams pulled apart, and what the leaders and the "
        "laggards did in them\n"
        "- **Decisions**: press **j** and the engine judges every team's decisions (seconds per "
        "team); the ranking by decisions then sits beside the ranking by outcome, and each score "
        "splits into the decisions' part and the dice's part (a score marked ~ is a game still in "
        "progress: the engine's expectation now)\n"
        "- **Skipped**: files left out (damaged, or from another workshop) and why\n"
        "- **Objectives**: each learning objective of the scenario, met or not met by each team, "
        "with the figures that decide it\n\n"
        "**h**, **m** and **c** write the report as HTML (for the projector), Markdown or CSV "
        "(for a grade book) into the saves folder. **q** quits."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "judge", "Judge decisions"),
        Binding("h", "export('html')", "HTML"),
        Binding("m", "export('markdown')", "Markdown"),
        Binding("c", "export('csv')", "CSV"),
        Binding("q", "quit", "Quit"),
        Binding("1", "tab('leaderboard')", "Leaderboard", show=False),
        Binding("2", "tab('paths')", "Paths", show=False),
        Binding("3", "tab('divergences')", "Divergences", show=False),
        Binding("4", "tab('decisions')", "Decisions", show=False),
        Binding("5", "tab('skipped')", "Skipped", show=False),
        Binding("6", "tab('objectives')", "Objectives", show=False),
    ]

    def __init__(self, classroom: ClassRoom) -> None:
        super().__init__()
        self.classroom = classroom
        self.debrief = classroom.debrief
        self.judged: dict[str, GameJudgement] = {}
        """Decision quality of each team judged so far, by save file name."""
        self.selected: str | None = classroom.debrief.teams[0].file if classroom.debrief.teams else None
        """The team highlighted on the chart and detailed under Decisions (its file name)."""
        self.judging = False
        self.quarters_judged = 0
        """Quarters judged so far in this run (the progress bar's position)."""
        self.unplayed: list[str] = []
        """Teams left out of judging because they have not played a quarter."""
        self.written: list[Path] = []
        """Reports written from this screen, in order."""
        self.memo: Memo = {}
        self.stored = 0
        """Teams whose judgement was read back from beside their save rather than judged again."""
        """Quarters judged so far, by position: the teams' shared openings are judged once."""

    # ---- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        d = self.debrief
        yield Static(f"Class debrief: {for_markup(d.title)}", classes="screen-title")
        yield Static(self._context_line(), classes="context", id="debrief-context")
        with TabbedContent(initial="leaderboard", id="debrief-tabs"):
            with TabPane("1 Leaderboard", id="leaderboard"), Vertical():
                yield Static(self._outcomes(), id="debrief-outcomes")
                yield DataTable(id="debrief-leaderboard", cursor_type="row", zebra_stripes=True)
                yield Static(self._scale_note(), id="debrief-scale", classes="blurb")
            with TabPane("2 Paths", id="paths"):
                plot = PlotextPlot(id="debrief-paths")
                plot.border_title = "Valuation against the top rival (log scale; 1 = level with the rival)"
                yield plot
            with TabPane("3 Divergences", id="divergences"):
                yield Panel("Where the paths diverged", term="Valuation against rival", id="debrief-divergences")
            with TabPane("4 Decisions", id="decisions"), Vertical():
                with Horizontal(id="judge-bar"):
                    yield Static(self._judge_hint(), id="judge-status")
                    yield ProgressBar(id="judge-progress", show_eta=False)
                yield DataTable(id="debrief-decisions", cursor_type="row", zebra_stripes=True)
                yield Panel("The selected team's decisions", term="Decision label", id="debrief-team")
            with TabPane("5 Skipped", id="skipped"):
                yield Panel(f"Files skipped ({len(d.skipped)})", id="debrief-skipped")
            with TabPane("6 Objectives", id="objectives"):
                yield Panel("Learning objectives, team by team", term="Learning objective", id="debrief-objectives")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._fill_leaderboard()
        self._fill_decisions()
        self.query_one("#debrief-divergences", Panel).show(self._divergences())
        self.query_one("#debrief-skipped", Panel).show(self._skipped())
        self.query_one("#debrief-objectives", Panel).show(self._objectives())
        self.query_one("#judge-progress", ProgressBar).display = False
        self._draw_paths()
        self._show_team()
        self.query_one("#debrief-leaderboard", DataTable).focus()
        if self.classroom.judge_now:
            self.call_after_refresh(self.action_judge)

    # ---- text ---------------------------------------------------------------------------------------

    def _context_line(self) -> str:
        d = self.debrief
        skipped = f"{plural(len(d.skipped), 'file')} skipped (tab 5)" if d.skipped else "no file skipped"
        if d.flagged:
            skipped += f", {len(d.flagged)} flagged (tab 5)"
        return f"{for_markup(d.world)} · {plural(len(d.teams), 'team')} · {skipped}"

    def _outcomes(self) -> Text:
        pal = self.palette
        counts = {o: sum(1 for t in self.debrief.teams if t.outcome == o) for o in OUTCOME_ORDER}
        playing = sum(1 for t in self.debrief.teams if t.outcome is None)
        text = Text("Outcomes: ", style=pal.muted)
        parts = [(OUTCOME_TITLES[o], counts[o], self.debrief.outcome_shares[o]) for o in OUTCOME_ORDER]
        for i, (title, n, share) in enumerate(parts):
            if i:
                text.append(" · ", style=pal.muted)
            text.append(f"{title} ", style=pal.strong if n else pal.muted)
            text.append(f"{n} ({100 * share:.0f}%)", style=pal.strong if n else pal.muted)
        if playing:
            text.append(f" · still playing {playing}", style=pal.warn)
        return text

    def _scale_note(self) -> str:
        return (
            f"{self.debrief.scale} The part columns are points before the multiplier. A team still "
            f"playing shows its {SCORE_NOW.lower()} (marked now); the Decisions tab shows the engine's "
            f"{SCORE_EXPECTED.lower()} (marked ~)."
        )

    def _judge_hint(self) -> str:
        n = len(self.debrief.teams)
        return (
            f"Press j to judge every team's decisions ({plural(n, 'team')}, a few seconds each): "
            "a ranking by decisions beside the ranking by outcome."
        )

    def _divergences(self) -> RenderableType:
        pal = self.palette
        d = self.debrief
        if not d.divergences:
            played = min((t.quarters_played for t in d.teams), default=0)
            behind = [t.team for t in d.teams if t.quarters_played == played]
            if d.teams and played < max(t.quarters_played for t in d.teams):
                return Text(
                    "Divergences compare the quarters every team has played, and "
                    f"{', '.join(behind)} played {played} so far: none to compare yet. "
                    "The Paths tab shows every team's path as far as it goes.",
                    style=pal.warn,
                )
            return Text("The teams' paths did not pull apart: every team stood about as far from the rival.")
        body: list[RenderableType] = []
        for v in d.divergences:
            body.append(
                heading(f"{v.quarter}: the spread grew from {v.spread_before:.2f} to {v.spread_after:.2f}", pal)
            )
            for label, group, style in (("ahead", v.leaders, pal.good), ("behind", v.laggards, pal.bad)):
                for name, vs, acts in group:
                    line = Text("  ")
                    line.append(plain(name), style=pal.strong)
                    line.append(f" ({label}, {vs:.2f}x the rival): ", style=style)
                    line.append("; ".join(acts) if acts else "no decisions")
                    body.append(line)
            body.append(Text(""))
        body.append(
            Text(
                "Spread: the standard deviation of the teams' log valuation against the rival, "
                "before and after the quarter.",
                style=pal.muted,
            )
        )
        return stack(*body)

    def _objectives(self) -> RenderableType:
        """Each objective with every team's mark and evidence."""
        pal = self.palette
        d = self.debrief
        if not d.teams:
            return Text("No team to mark.", style=pal.muted)
        body: list[RenderableType] = []
        for k, text in enumerate(d.objectives):
            met = sum(1 for t in d.teams if len(t.objectives) > k and t.objectives[k].met)
            body.append(heading(f"{k + 1}. {text}  ({met} of {len(d.teams)} met)", pal))
            for t in d.teams:
                if len(t.objectives) <= k:
                    continue
                m = t.objectives[k]
                line = Text("  ")
                line.append("✓ met     " if m.met else "✗ not met ", style=pal.good if m.met else pal.bad)
                line.append(t.team, style=pal.strong)
                line.append(f"  {m.label}: {m.evidence}" if m.label else f"  {m.evidence}")
                body.append(line)
            body.append(Text(""))
        return stack(*body)

    def _skipped(self) -> RenderableType:
        pal = self.palette
        if not self.debrief.skipped and not self.debrief.flagged:
            return Text("No file was skipped: every save in the folder is in this debrief.")
        lines: list[RenderableType] = [
            Text("These files were left out of the debrief (the other teams are unaffected):", style=pal.muted)
        ]
        for kind, files in (("flagged", self.debrief.flagged), ("skipped", self.debrief.skipped)):
            for name, reason in files:
                line = Text("• ")
                line.append(plain(name), style=pal.strong)
                line.append(f" ({kind}): {plain(reason)}")
                lines.append(line)
        return stack(*lines)

    # ---- the leaderboard ---------------------------------------------------------------------------

    def _outcome_rank(self) -> dict[str, int]:
        return {t.file: i for i, t in enumerate(self.debrief.teams, start=1)}

    def _decision_rank(self) -> dict[str, int]:
        return {q.file: q.rank for q in decision_quality(self.debrief, self.judged)}

    def _fill_leaderboard(self) -> None:
        d = self.debrief
        table = self.query_one("#debrief-leaderboard", DataTable)
        table.clear(columns=True)
        table.add_column("#", key="rank")
        table.add_column("Team", key="team")
        table.add_column("Outcome", key="outcome")
        table.add_column("Score", key="score")
        table.add_column("vs rival", key="vs")
        table.add_column("Decisions #", key="decision-rank")
        table.add_column("Objectives", key="objectives")
        table.add_column("Reloads", key="reloads")
        for part in d.score_parts:
            table.add_column(f"{part.capitalize()} pts", key=f"part-{part}")
        table.add_column("× outcome", key="mult")
        ranks = self._decision_rank()
        for i, t in enumerate(d.teams, start=1):
            table.add_row(
                str(i),
                Text(plain(t.team)),
                t.outcome_title,
                Text(f"{t.score:.1f}" if t.outcome else f"{t.score:.1f} now", style="bold", justify="right"),
                Text(f"{t.vs_rival[-1]:.2f}x", justify="right"),
                Text(str(ranks[t.file]) if t.file in ranks else "·", justify="right"),
                Text(t.objectives_met, justify="right"),
                # the score is the first line's; a team that reloaded shows the line it saved too
                Text(
                    f"{t.reloads} (saved line {t.played_score:.1f})" if t.played_score is not None else str(t.reloads),
                    justify="right",
                ),
                *(Text(f"{t.parts.get(p, 0.0):.1f}", justify="right") for p in d.score_parts),
                Text(f"{t.multiplier:.2f}", justify="right"),
                key=t.file,
            )
        self._cursor_to_selected(table)

    def _cursor_to_selected(self, table: DataTable[Any]) -> None:
        """Keep the table's cursor on the selected team (refilling a table must not move it)."""
        if self.selected is not None and self.selected in table.rows:
            table.move_cursor(row=table.get_row_index(self.selected), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A team picked in either table is highlighted on the chart and detailed under Decisions."""
        if event.row_key.value is None or event.row_key.value == self.selected:
            return
        self.selected = event.row_key.value
        for table in self.query(DataTable):
            if table is not event.data_table:
                self._cursor_to_selected(table)
        self._draw_paths()
        self._show_team()

    # ---- the chart ---------------------------------------------------------------------------------

    def _rgb(self, variable: str) -> tuple[int, int, int]:
        """A colour of the active theme, for the chart."""
        try:
            color = Color.parse(self.app.theme_variables.get(variable, "white"))
        except ColorParseError:
            color = Color(160, 160, 160)
        return (color.r, color.g, color.b)

    def _muted_rgb(self) -> tuple[int, int, int]:
        """Half-way between the background and the text: for the teams not named on the chart."""
        variables = self.app.theme_variables
        try:
            color = Color.parse(variables["background"]).blend(Color.parse(variables["foreground"]), 0.45)
        except (KeyError, ColorParseError):
            color = Color(128, 128, 128)
        return (color.r, color.g, color.b)

    def _draw_paths(self) -> None:
        d = self.debrief
        plot = self.query_one("#debrief-paths", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        if not d.teams:
            plot.refresh()
            return
        x = [float(k) for k in range(len(d.quarters))]
        muted = self._muted_rgb()
        accent = self._rgb("accent")
        second = self._rgb("primary") if self._rgb("primary") != accent else self._rgb("secondary")
        colours = [self._rgb("success"), second]
        leaders = {t.file: i for i, t in enumerate(d.teams[:LABELLED_PATHS])}
        last = d.teams[-1].file if len(d.teams) > LABELLED_PATHS else None

        def path(t: TeamResult) -> tuple[list[float], list[float]]:
            n = len(t.vs_rival)
            return x[:n], [max(v, 1e-3) for v in t.vs_rival]

        # the pack first, muted and unnamed; then the named teams on top of it
        for t in d.teams:
            if t.file not in leaders and t.file != last and t.file != self.selected:
                plt.plot(*path(t), color=muted, marker="braille")
        for t in d.teams:
            if t.file == self.selected:
                continue
            if t.file in leaders:
                plt.plot(
                    *path(t),
                    color=colours[leaders[t.file]],
                    marker="hd",
                    label=f"{leaders[t.file] + 1}. {plain(t.team)}",
                )
            elif t.file == last:
                plt.plot(*path(t), color=self._rgb("error"), marker="hd", label=f"{len(d.teams)}. {plain(t.team)}")
        selected = next((t for t in d.teams if t.file == self.selected), None)
        if selected is not None:
            rank = d.teams.index(selected) + 1
            plt.plot(*path(selected), color=accent, marker="hd", label=f"▶ {rank}. {plain(selected.team)}")
        plt.hline(1.0, color=muted)
        plt.yscale("log")
        low = min(min(t.vs_rival) for t in d.teams)
        high = max(max(t.vs_rival) for t in d.teams)
        ticks = [v for v in (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0) if low / 1.5 <= v <= high * 1.5] or [1.0]
        plt.yticks(ticks, [f"{v:g}x" for v in ticks])
        step = max(1, math.ceil(len(d.quarters) / 6))
        labels = [_short(q) for q in d.quarters]
        plt.xticks(x[::step], labels[::step])
        plot.refresh()

    # ---- decisions -----------------------------------------------------------------------------------

    def _fill_decisions(self) -> None:
        table = self.query_one("#debrief-decisions", DataTable)
        table.clear(columns=True)
        for key, label in (
            ("drank", "#"),
            ("team", "Team"),
            ("orank", "Score #"),
            ("score", "Score"),
            ("start", "At start"),
            ("skill", "Decisions"),
            ("luck", "Dice"),
            ("worst", "Worst decision"),
            ("dice", "Biggest dice swing"),
        ):
            table.add_column(label, key=key)
        pal = self.palette
        ranked = decision_quality(self.debrief, self.judged)
        for q in ranked:
            table.add_row(
                str(q.rank),
                Text(plain(q.team)),
                Text(str(q.score_rank or ""), justify="right"),
                # a game in progress: the engine's expected final score, marked ~
                Text(f"{q.score:.1f}" if q.over else f"~{q.score:.1f}", justify="right"),
                Text(f"{q.start:.1f}", justify="right"),
                Text(signed(q.decisions), style=pal.good if q.decisions >= 0 else pal.bad, justify="right"),
                Text(signed(q.dice), style=pal.good if q.dice >= 0 else pal.bad, justify="right"),
                Text(worst_text(q)),
                "" if q.biggest_dice is None else f"{q.biggest_dice[0]} ({signed(q.biggest_dice[1])})",
                key=q.file,
            )
        self._cursor_to_selected(table)
        table.display = bool(ranked)

    def _show_team(self) -> None:
        panel = self.query_one("#debrief-team", Panel)
        pal = self.palette
        team = next((t for t in self.debrief.teams if t.file == self.selected), None)
        if team is None:
            panel.show("")
            return
        panel.border_title = f"{for_markup(team.team)}: decisions, worst first"
        result = self.judged.get(team.file)
        if result is None:
            panel.show(
                Text(
                    f"{plain(team.team)} has not been judged yet. Press j to judge every team's decisions.",
                    style=pal.muted,
                )
            )
            return
        so_far = "" if result.over else " so far"
        body: list[RenderableType] = [
            Text.assemble(
                (f"{SCORE_FINAL} " if result.over else f"{SCORE_EXPECTED} ", pal.muted),
                (f"{result.final_score:.1f}", pal.strong),
                (" = expected at the start ", pal.muted),
                f"{result.start:.1f}",
                (f" + decisions{so_far} ", pal.muted),
                (signed(result.decisions_total), pal.good if result.decisions_total >= 0 else pal.bad),
                (f" + dice{so_far} ", pal.muted),
                (signed(result.luck_total), pal.good if result.luck_total >= 0 else pal.bad),
                (f"  (±{result.error:.1f})", pal.muted),
            ),
            Text(BASELINE, style=pal.muted),
        ]
        if not result.over:
            body.append(
                Text("The game is still in progress: its score is the engine's expectation now.", style=pal.warn)
            )
        for t in result.worst_first()[:3]:
            style = pal.good if t.label in ("best", "good") else pal.warn if t.label == "inaccuracy" else pal.bad
            body.append(
                Text.assemble(
                    (f"{t.quarter}  ", pal.strong),
                    (t.label.upper(), style),
                    f"  gave up {t.cost:.1f} points against the engine's best; "
                    f"decisions {signed(t.skill)}, dice {signed(t.luck)}",
                )
            )
            body.append(Text("    > " + ("; ".join(t.actions) if t.actions else "no decisions"), style=pal.muted))
            body.extend(Text(f"    - {reason}") for reason in t.reasons)
            if t.label != "best":
                body.append(Text(f"    the engine prefers {t.preferred}", style=pal.muted))
        panel.show(stack(*body))

    def action_judge(self) -> None:
        if self.judging:
            self.notify("Judging is under way: see the Decisions tab.", timeout=3)
            return
        games = self.classroom.games
        todo = [t for t in self.debrief.teams if t.file in games and games[t.file].turns and t.file not in self.judged]
        self.unplayed = [t.team for t in self.debrief.teams if t.file in games and not games[t.file].turns]
        if not todo:
            self.notify("Every team that played a quarter has been judged.", timeout=3)
            return
        self.judging = True
        quarters = sum(max(len(self.classroom.games[t.file].turns), 1) for t in todo)
        bar = self.query_one("#judge-progress", ProgressBar)
        self.quarters_judged = 0
        bar.update(total=quarters, progress=0)
        bar.display = True
        self.query_one(TabbedContent).active = "decisions"
        self._judge([(t.file, t.team) for t in todo])

    @work(thread=True, exclusive=True, group="judge")
    def _judge(self, todo: list[tuple[str, str]]) -> None:
        """Judge each team's game in turn (a worker thread; the screen hears by messages)."""
        import time

        worker = get_current_worker()
        classroom = self.classroom
        started = time.monotonic()
        judged = 0
        for index, (file, team) in enumerate(todo):
            game = classroom.games[file]
            rules = game.pack.rules.judgement
            rollouts = classroom.rollouts or rules.analyse_rollouts

            def progress(done: int, total: int, team: str = team, index: int = index) -> None:
                if worker.is_cancelled:
                    raise _Stop
                self.post_message(JudgeProgress(team, index, len(todo), done, total))

            try:
                result, stored = judged_once(
                    game, classroom.folder / file, rules, rollouts, 0, progress, memo=self.memo
                )
            except _Stop:
                return
            judged += 1
            self.post_message(TeamJudged(file, result, stored))
        self.post_message(JudgingDone(judged, time.monotonic() - started))

    def on_judge_progress(self, message: JudgeProgress) -> None:
        self.query_one("#judge-progress", ProgressBar).update(progress=self.quarters_judged + message.quarter)
        self.query_one("#judge-status", Static).update(
            f"Judging {for_markup(message.team)}: {message.quarter} of {message.quarters} quarters settled · "
            f"{message.index} of {message.teams} team(s) judged so far…"
        )

    def on_team_judged(self, message: TeamJudged) -> None:
        self.judged[message.file] = message.result
        self.stored += message.stored
        self.quarters_judged += max(len(message.result.turns), 1)
        self.query_one("#judge-progress", ProgressBar).update(progress=self.quarters_judged)
        self._fill_decisions()
        self._fill_leaderboard()
        if message.file == self.selected:
            self._show_team()
        pane = self.query_one("#decisions", TabPane)
        if self.query_one(TabbedContent).active == "decisions" and (
            self.focused is None or pane not in self.focused.ancestors
        ):
            self.query_one("#debrief-decisions", DataTable).focus()

    def on_judging_done(self, message: JudgingDone) -> None:
        self.judging = False
        self.query_one("#judge-progress", ProgressBar).display = False
        rollouts = (
            self.classroom.rollouts or next(iter(self.classroom.games.values())).pack.rules.judgement.analyse_rollouts
        )
        unplayed = f" Not judged (no quarter played): {', '.join(self.unplayed)}." if self.unplayed else ""
        stored = f" ({self.stored} read back from their stored judgements)" if self.stored else ""
        self.query_one("#judge-status", Static).update(
            f"Teams by what their decisions added (Score #: their place by score). {len(self.judged)} judged{stored}, "
            f"up to {rollouts:,} futures a plan, {message.seconds:.0f} s.{unplayed}"
        )
        self._show_team()

    # ---- keys ----------------------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    FOCUS: ClassVar[dict[str, str]] = {
        "leaderboard": "#debrief-leaderboard",
        "divergences": "#debrief-divergences",
        "decisions": "#debrief-decisions",
        "skipped": "#debrief-skipped",
        "objectives": "#debrief-objectives",
    }
    """What takes the keys (arrows, page up/down) in each tab."""

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        selector = self.FOCUS.get(event.pane.id or "")
        if selector is None:
            # a table left focused in a hidden tab would pull the view back to its own tab
            self.set_focus(None)
            return
        target = self.query_one(selector)
        if target.display:
            target.focus()
        else:
            self.set_focus(None)

    def action_export(self, kind: str) -> None:
        name, render = EXPORTS[kind]
        path = self.classroom.folder / name
        try:
            report = with_decisions(self.debrief, self.judged, self.unplayed) if self.judged else self.debrief
            atomic_write(path, render(report).encode("utf-8"))
        except OSError as exc:
            reason = (exc.strerror or "the system refused").lower()
            self.notify(f"Could not write {for_markup(path)}: {reason}", title="Not written", severity="error")
            return
        self.written.append(path)
        self.notify(f"Wrote {for_markup(path)}", title="Report written", timeout=8)

    async def action_quit(self) -> None:
        self.app.exit()


def _short(label: str) -> str:
    """`Q3 2026` as `Q3'26` so that tick labels fit."""
    q, _, year = label.partition(" ")
    return f"{q}'{year[-2:]}" if year else label
