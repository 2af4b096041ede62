"""The dashboard's cap table shows a convertible note the player signed: who holds it, what it
lent, its cap, its discount and the quarter it matures."""

from __future__ import annotations

import numpy as np

from game.content.models import Pack
from game.session.actions import RespondDeal
from game.session.game import Game
from game.ui import text as t
from game.ui.app import FortressApp

from .helpers import panel_text


def _game_with_a_note(pack: Pack) -> Game:
    for seed in range(1, 80):
        game = Game.new(pack, "fortress-2026", "normal", seed)
        offered = np.flatnonzero(game.state.offer_on[0, 0] & game.state.offer_convertible[0, 0])
        if offered.size:
            provider = game.params.provider_names[int(offered[0])]
            game.apply(RespondDeal(provider=provider, response="accept"))
            game.end_turn()
            return game
    raise AssertionError("no seed offers a note in the first quarter")


async def test_the_cap_table_panel_lists_the_players_notes(pack: Pack) -> None:
    game = _game_with_a_note(pack)
    (note,) = game.dashboard().notes
    app = FortressApp(pack)
    async with app.run_test(size=(120, 40)) as pilot:
        app.resume_game(game)
        await pilot.pause()
        await pilot.press("3")  # the partners tab, where the cap table is
        await pilot.pause()
        shown = panel_text(app, ".role-captable")
        assert "Convertible notes (not yet shares)" in shown
        assert f"{note.provider_name}: {t.money(note.principal)} lent" in shown
        assert f"cap {t.money(note.cap)}" in shown and f"{t.pct(note.discount)} discount" in shown
        assert f"matures {note.due}" in shown
