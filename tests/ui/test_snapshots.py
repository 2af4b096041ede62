"""Screenshots of the main screens at 80x24 and 120x40, compared with the accepted ones.

Run `pytest tests/ui --snapshot-update` to accept a deliberate change, then look at the SVGs in
`__snapshots__/`. Every app has seed 1, a steady cursor and no notifications on screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from game.content.models import Pack
from game.ui.app import make_app

from .helpers import end_quarter, settle, start_tutorial

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

SnapCompare = Callable[..., bool]


async def _title(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def _dashboard(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    await settle(pilot)


async def _funding(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    await pilot.press("f")
    await settle(pilot)


async def _report(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    await pilot.press("f", "enter", "enter")
    await pilot.press("d", "enter", "enter")
    await pilot.press("e")
    await settle(pilot)


async def _game_over(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    app: Any = pilot.app
    while not app.game.over:
        await end_quarter(pilot)
    await settle(pilot)


async def _deals(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    await pilot.press("d", "tab", "down")  # a counter-offer: its downside in words, then the figures
    await settle(pilot)


async def _capacity(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    await pilot.press("c")
    await settle(pilot)


async def _operations(pilot: Pilot[None]) -> None:
    await start_tutorial(pilot)
    await pilot.press("o")
    await settle(pilot)


FORMS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "deals": _deals,
    "capacity": _capacity,
    "operations": _operations,
}


@pytest.mark.parametrize("screen", list(FORMS))
def test_each_forms_preview_at_80x24(snap_compare: SnapCompare, pack: Pack, screen: str) -> None:
    """Each form and its preview at 80x24: the preview scrolls and says when there is more."""
    assert snap_compare(make_app(pack, seed=1, evaluation="off"), terminal_size=(80, 24), run_before=FORMS[screen])


SCREENS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "title": _title,
    "dashboard": _dashboard,
    "funding": _funding,
    "report": _report,
    "game_over": _game_over,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: SnapCompare, pack: Pack, screen: str, size: tuple[int, int]) -> None:
    """The screen looks as accepted."""
    assert snap_compare(make_app(pack, seed=1), terminal_size=size, run_before=SCREENS[screen])
