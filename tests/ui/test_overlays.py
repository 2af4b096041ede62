"""Glossary and help: reachable from every screen, even while typing; the palette and themes."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList

from game.content.models import Pack
from game.ui.app import FortressApp, make_app
from game.ui.screens.base import FortressScreen
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.funding import FundingScreen
from game.ui.screens.glossary import GlossaryScreen, ordered_terms
from game.ui.screens.help import HelpScreen
from game.ui.theme import HIGH_CONTRAST_THEME
from game.ui.widgets.panel import Panel

from .helpers import panel_text, start_tutorial


def glossary_entries(app: FortressApp) -> list[str]:
    terms = app.screen.query_one("#glossary-terms", OptionList)
    return [
        str(terms.get_option_at_index(k).prompt)
        for k in range(terms.option_count)
        if not terms.get_option_at_index(k).disabled
    ]


async def test_f2_opens_the_glossary_while_an_input_has_focus(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("f", "tab")
        assert isinstance(app.focused, Input)
        await pilot.press("g")  # typed into the amount, not a shortcut
        assert isinstance(app.screen, FundingScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        # This screen's terms come first.
        assert glossary_entries(app)[0] == FundingScreen.GLOSSARY[0]
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FundingScreen)


async def test_typing_searches_the_glossary(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press(*"take-or")
        await pilot.pause()
        assert glossary_entries(app)[0] == "Take-or-pay"
        assert "Take-or-pay" in panel_text(app, "#glossary-definition")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GlossaryScreen)


async def test_glossary_opens_on_the_focused_panels_term(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        app.screen.query_one(".role-money").focus()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert "How many quarters your cash lasts" in panel_text(app, "#glossary-definition")


def test_glossary_orders_this_screens_terms_first(pack: Pack) -> None:
    sections = ordered_terms(pack.glossary, ("Runway", "Not a term", "ARR"), "")
    assert [t.term for t in sections[0][1]] == ["Runway", "ARR"]
    assert len(sections[1][1]) == len(pack.glossary)
    names = [t.term for _, terms in ordered_terms(pack.glossary, (), "dilution") for t in terms]
    assert names[0] == "Dilution" and len(names) > 1


def test_every_screens_glossary_terms_exist(pack: Pack) -> None:
    from game.ui.screens import (
        capacity,
        dashboard,
        deals,
        funding,
        game_over,
        new_game,
        operations,
        report,
        title,
    )
    from game.ui.screens.dashboard import ROLES

    known = {t.term for t in pack.glossary}
    screens: list[type[FortressScreen[Any]]] = [
        title.TitleScreen,
        new_game.NewGameScreen,
        dashboard.DashboardScreen,
        funding.FundingScreen,
        deals.DealsScreen,
        capacity.CapacityScreen,
        operations.OperationsScreen,
        report.ReportScreen,
        game_over.GameOverScreen,
    ]
    for screen in screens:
        assert set(screen.GLOSSARY) <= known, (screen.__name__, set(screen.GLOSSARY) - known)
    assert {term for _, term in ROLES.values() if term} <= known


async def test_help_from_every_screen_with_f1_and_question_mark(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await start_tutorial(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen.below, DashboardScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_command_palette_runs_a_dashboard_action(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Funding round")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FundingScreen)


async def test_high_contrast_theme(pack: Pack) -> None:
    app = make_app(pack, seed=1, high_contrast=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == HIGH_CONTRAST_THEME.name
        await pilot.press("f3")
        assert app.theme != HIGH_CONTRAST_THEME.name


async def test_title_keys_for_missing_saves_are_disabled(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("c", "l", "r"):
            assert app.screen.check_action({"c": "continue", "l": "load", "r": "replay"}[key], ()) is None
        await pilot.press("c")
        await pilot.pause()
        assert app.game is None


async def test_a_see_also_name_is_a_link_to_its_term(app: FortressApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        await pilot.press(*"take-or")
        await pilot.pause()
        body = app.screen.query_one("#glossary-definition .panel-body")
        lines = app.screen.query_one("#glossary-definition", Panel).text.splitlines()
        row = next(k for k, line in enumerate(lines) if line.startswith("See also:"))
        column = lines[row].index("Default")
        await pilot.click(body, offset=(column + 2, row))  # the word "Default"
        await pilot.pause()
        assert app.screen.query_one("#glossary-search", Input).value == ""
        assert "Missing such a payment" not in panel_text(app, "#glossary-definition")
        assert panel_text(app, "#glossary-definition").startswith("Default")
