"""Write `v1-tutorial.json`: a game saved in the schema-1 layout (run once; the file is kept)."""

from __future__ import annotations

import json
from pathlib import Path

from game.analysis.policies import POLICIES
from game.saves.store import to_save
from game.session.build import load_content
from game.session.game import Game

game = Game.new(load_content(), "tutorial", "normal", 11)
for _ in range(3):
    POLICIES["multicloud"](game)
    game.end_turn()
data = json.loads(to_save(game, "Old tutorial").model_dump_json())
settings = data.pop("settings")
for key in ("schema_version", "digest_precision", "start_digest", "summary", "game_id", "kind"):
    data.pop(key)
v1 = {"schema": 1, **data, **settings}
Path(__file__).with_name("v1-tutorial.json").write_text(json.dumps(v1, indent=1))
