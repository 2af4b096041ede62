"""Every screen of a bot's game reads right: no `(s)`, no `$0.0B` for an amount that is not
zero, no `-0%`, no word twice in a row."""

from __future__ import annotations

from game.analysis.judge import judge_game
from game.analysis.policies import POLICIES, random_policy
from game.content.models import Pack
from game.session.game import Game
from game.session.wording import money, pct, plural, signed_pct
from game.ui.app import make_app
from game.ui.render import evaluation as render
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.report import ReportScreen

from .helpers import screen_text, start_tutorial, wording_problems


def test_the_formats_never_hide_an_amount_or_sign_a_zero() -> None:
    assert money(0.004) == "$0.004B" and money(0.05) == "$0.05B" and money(0.0) == "$0B"
    assert pct(-0.001) == "0%" and signed_pct(-0.001) == "0%" and signed_pct(-0.04) == "-4%"
    assert plural(1, "quarter") == "1 quarter" and plural(3, "quarter") == "3 quarters"
    assert wording_problems("1 quarter(s), $0.0B, -0% and and") and not wording_problems("2 quarters, $0.05B, 0%")


def test_the_session_words_every_quarter_of_bot_games_right(pack: Pack) -> None:
    texts: list[str] = []
    for seed, policy in enumerate((POLICIES["reckless"], POLICIES["loyalist"], random_policy)):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        while not game.over:
            for action in policy(game):
                texts.append(game.describe(action))
            for action in game.pending:
                texts.extend(game.preview(action).lines)
            report = game.end_turn()
            texts.extend(f"{i.title}: {i.text} {i.teaching}" for i in report.items)
            texts.extend(f"{line.label} {money(line.amount)}" for line in report.bridge)
        summary = game.summary()
        texts += [summary.explanation, summary.scale, *(f"{p.measure} {p.explanation}" for p in summary.parts)]
        texts.extend(f"{t.label} {t.need} {t.now}" for t in game.outcome_now().fortress)
    judged = judge_game(game, pack.rules.judgement, 40)
    for turn in judged.turns:
        texts.append(render.preferred_text(turn))
        texts.extend(turn.reasons)
    problems = [p for text in texts for p in wording_problems(text)]
    assert not problems, problems[:10]


async def test_every_screen_of_a_bot_game_reads_right(pack: Pack) -> None:
    app = make_app(pack, seed=1, evaluation="off")
    seen: dict[str, str] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await start_tutorial(pilot)
        game = app.game
        assert game is not None
        while not game.over:
            assert isinstance(app.screen, DashboardScreen)
            early = game.turn < 2  # every tab and form early on; later the tabs that change most
            for tab in "123456" if early else "14":
                await pilot.press(tab)
                await pilot.pause()
                seen[f"{game.quarter_label()} tab {tab}"] = screen_text(app)
            for key in "fdco" if early else "":
                await pilot.press(key)
                await pilot.pause()
                seen[f"{game.quarter_label()} {key}"] = screen_text(app)
                await pilot.press("escape")
                await pilot.pause()
            POLICIES["reckless"](game)
            await pilot.press("1", "e")
            await pilot.pause()
            assert isinstance(app.screen, ReportScreen)
            seen[f"{game.quarter_label()} report"] = screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
        seen["the end"] = screen_text(app)
    everything = "\n".join(seen.values())
    assert "Cash at the start" in everything and "Projected effect" in everything and "Outcome" in everything
    problems = [f"{where}: {p}" for where, text in seen.items() for p in wording_problems(text)]
    assert not problems, problems[:10]
