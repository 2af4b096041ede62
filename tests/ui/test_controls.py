"""Keys do what a form says: Enter submits the form with focus, Tab visits only what can be
changed, the focus is drawn, and the borrow form starts from an amount lenders accept."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.session.actions import Borrow, OrderCapacity
from game.session.game import Game
from game.ui.app import FortressApp
from game.ui.screens.capacity import CapacityScreen
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.operations import OperationsScreen

from .helpers import start_tutorial


async def test_enter_on_the_capacity_list_adds_the_order(app: FortressApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CapacityScreen)
        names = [c.kind for c in app.screen.choices()]
        await pilot.press(*(["down"] * names.index("spot")), "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.game is not None
        order = app.game.pending[-1]
        assert isinstance(order, OrderCapacity) and order.option == "spot"


async def test_tab_visits_only_fields_and_the_focus_is_drawn(app: FortressApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("c")
        await pilot.pause()
        seen = []
        for _ in range(6):
            focused = app.focused
            assert isinstance(focused, Input | OptionList), focused
            seen.append(focused.id)
            await pilot.press("tab")
        assert "gw" in seen and "choices" in seen
        # the focused field looks unlike the same kind of field without focus
        choices = app.screen.query_one("#choices", OptionList)
        choices.focus()
        await pilot.pause()
        focused_bg = choices.styles.background
        app.screen.query_one("#gw", Input).focus()
        await pilot.pause()
        assert choices.styles.background != focused_bg
        assert app.screen.query_one("#gw", Input).styles.border_left[0] == "thick"


async def test_the_borrow_form_starts_legal_and_shows_the_loans_terms(pack: Pack) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 0)
    for _ in range(3):
        POLICIES["frugal"](game)
        game.end_turn()
    limit = game.dashboard().loan_limit
    assert round(limit, 1) > limit  # the rounding edge: to one decimal it would be refused
    app = FortressApp(pack)
    async with app.run_test(size=(100, 30)) as pilot:
        app.resume_game(game)
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OperationsScreen)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        field = app.screen.query_one("#borrow", Input)
        assert app.focused is field
        amount = float(field.value)
        assert game.check(Borrow(amount=amount)) is None
        terms = str(app.screen.query_one("#loan-terms").render())
        assert "a quarter" in terms and "Rate" in terms and "No fixed term" in terms
        assert f"${amount * pack.rules.debt.interest:.2f}B/qtr" in terms
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(game.pending[-1], Borrow)


async def test_the_operations_form_states_the_training_limit_a_calm_quarter_keeps(app: FortressApp) -> None:
    from textual.widgets import Static

    from game.session.preview import serving_limit

    async with app.run_test(size=(100, 30)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert app.game is not None
        limit, _ = serving_limit(app.game)
        blurbs = " ".join(str(s.render()) for s in app.screen.query("#form-split Static").results(Static))
        assert f"at most {limit}% can train" in blurbs


async def test_a_preview_that_does_not_fit_says_so_and_page_down_scrolls_it(app: FortressApp) -> None:
    from game.ui.widgets.panel import Panel

    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.press("d", "tab", "down")
        await pilot.pause()
        preview = app.screen.query_one("#preview", Panel)
        assert preview.max_scroll_y > 0
        assert "more" in str(preview.border_subtitle)
        await pilot.press("pagedown")
        await pilot.pause()
        assert preview.scroll_y > 0
        assert app.focused is not None and app.focused.id == "responses"


async def test_the_dashboard_at_80x24_shows_debt_mood_demand_served_and_the_whole_lab_name(app: FortressApp) -> None:
    from .helpers import screen_text

    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await pilot.pause()
        lines = screen_text(app, panels=False).splitlines()
        assert len(lines) == 24
        shown = "\n".join(lines)
        for figure in ("Debt", "Market mood", "Demand served", "Sprout Labs", "Cash", "Runway"):
            assert figure in shown, figure
        assert lines[-1].rstrip().endswith("Glossary")


async def test_the_title_screen_names_the_latest_save_whole(pack: Pack, save_folder: object) -> None:
    from pathlib import Path

    from game.saves.store import SaveStore
    from game.ui.app import make_app

    game = Game.new(pack, "fortress-2026", "normal", 2, quarters=4)
    while not game.over:
        POLICIES["frugal"](game)
        game.end_turn()
    SaveStore(Path(str(save_folder))).autosave(game)
    app = make_app(pack, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        menu = app.screen.query_one("#menu", OptionList)
        line = str(menu.get_option("continue").prompt).splitlines()[-1].strip()
        assert "…" not in line and line.endswith(game.summary().title)


async def test_restructure_with_nothing_to_end_says_so_and_adds_nothing(app: FortressApp) -> None:
    from textual.widgets import Static

    from game.ui.screens.operations import NOTHING_TO_RESTRUCTURE

    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        assert app.game is not None
        assert not [c for c in app.game.dashboard().contracts if c.exclusive or c.board_seat]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OperationsScreen)
        ops = app.screen.query_one("#ops", OptionList)
        ids = [ops.get_option_at_index(i).id for i in range(ops.option_count)]
        assert ids.count("restructure") == 1 and not any(str(i).startswith("restructure:") for i in ids)
        ops.focus()
        await pilot.press(*(["down"] * ids.index("restructure")))
        await pilot.pause()
        assert str(app.screen.query_one("#restructure-status", Static).render()) == NOTHING_TO_RESTRUCTURE
        await pilot.press("enter")
        await pilot.pause()
        assert app.game.pending == []


async def test_the_dashboard_footer_shows_every_key_whole_at_80_columns(app: FortressApp) -> None:
    """With every key of a quarter in play (a report to reread, a plan to undo), each shown key's
    label fits on the footer at 80 columns; it once ended in "f2 Glos"."""
    from .helpers import end_quarter, screen_text

    async with app.run_test(size=(80, 24)) as pilot:
        await start_tutorial(pilot)
        await end_quarter(pilot)
        await pilot.press("c", "enter")  # an order, so Undo is live
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        app.clear_notifications()
        await pilot.pause()
        footer = screen_text(app, panels=False).splitlines()[-1]
        shown = [b.binding.description for b in app.screen.active_bindings.values() if b.binding.show]
        assert {"Report", "Undo", "Glossary"} <= set(shown)
        for label in shown:
            assert f" {label}" in footer, (label, footer)
        assert footer.rstrip().endswith("Glossary"), footer
