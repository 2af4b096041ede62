"""One game as a player plays it, above the engine: content mapped onto parameters (`build`), the
game's state and actions (`core`), the rules in the player's words (`rules`, `reasons`), and the
views the interface reads (`dashboard`, `preview`, `report`, `outcomes`, `wording`), joined in
`game.Game`. Nothing here imports Textual."""
