"""The interface colours figures by the content's own thresholds, not numbers of its own."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console
from rich.style import Style

from game.content.models import Pack
from game.session.game import Game
from game.ui.render.dashboard import partners_panel
from game.ui.theme import Palette


def _dependency_style(game: Game, dependency: float, pal: Palette) -> Style | None:
    d = game.dashboard()
    contract = replace(d.contracts[0], dependency=dependency)
    panel = partners_panel(replace(d, contracts=(contract,)), pal)
    console = Console(width=60, record=True, color_system=None)
    text = next(seg for seg in console.render(panel) if seg.text.strip().endswith("%") and seg.style is not None)
    return text.style


def test_a_partners_dependency_is_coloured_by_the_contents_bars(pack: Pack) -> None:
    game = Game.new(pack, "fortress-2026", seed=3)
    model = pack.rules.outcomes
    assert game.dashboard().contracts, "the scenario starts with a partner"
    pal = Palette.of(None)
    just_dependent = model.dependent_threshold + 0.005
    just_below = model.dependent_threshold - 0.005
    assert _dependency_style(game, just_dependent, pal) == Style.parse(pal.bad)
    assert _dependency_style(game, just_below, pal) == Style.parse(pal.warn)
    assert _dependency_style(game, model.fortress_max_dependency - 0.005, pal) == Style.parse(pal.good)
