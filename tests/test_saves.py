"""Saves that never lose a game: exact replays, atomic writes, strict loading, migrations."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from game.analysis.policies import POLICIES, random_policy
from game.content.models import Pack
from game.saves.digest import state_digest
from game.saves.errors import SaveError
from game.saves.format import SCHEMA_VERSION
from game.saves.load import MAX_BYTES, read_save
from game.saves.replay import check, load_game, restore
from game.saves.store import AUTOSAVES_KEPT, SaveStore, default_folder, safe_name
from game.session.actions import OrderCapacity, SetSplit
from game.session.game import Game

DATA = Path(__file__).parent / "data" / "saves"


PLAYERS = [random_policy, *POLICIES.values()]


def finished(pack: Pack, seed: int, scenario: str = "fortress-2026") -> Game:
    """A finished game, played by the random player or one of the bots (by seed)."""
    game = Game.new(pack, scenario, "normal", seed)
    policy = PLAYERS[seed % len(PLAYERS)]
    while not game.over:
        policy(game)
        game.end_turn()
    return game


def test_two_hundred_games_replay_to_identical_digests(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    quarters = 0
    for seed in range(200):
        game = finished(pack, seed)
        path = store.save(game, f"game {seed}")
        again = load_game(path)
        assert len(again.turns) == len(game.turns)
        for i in range(len(game.turns) + 1):
            assert state_digest(again, i) == state_digest(game, i)
        assert again.outcome == game.outcome
        quarters += len(game.turns)
    assert quarters > 1500


def test_save_and_continue_mid_quarter(pack: Pack, tmp_path: Path) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 3)
    POLICIES["multicloud"](game)
    game.end_turn()
    game.apply(SetSplit(train_share=0.4))
    game.apply(OrderCapacity(option="reserved", gw=0.3, provider="keel", term=8))
    path = SaveStore(tmp_path).save(game, "mid quarter")
    again = load_game(path)
    assert again.turn == game.turn == 1
    assert again.pending == game.pending
    assert state_digest(again) == state_digest(game)
    assert again.game_id == game.game_id
    assert again.end_turn().cash_after == game.end_turn().cash_after


def test_a_crash_between_write_and_rename_keeps_the_old_save(
    pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SaveStore(tmp_path)
    game = Game.new(pack, "tutorial", "normal", 1)
    path = store.save(game, "precious")
    before = path.read_bytes()
    game.end_turn()

    def crash(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error (simulated crash)")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SaveError, match="could not be written"):
        store.save(game, "precious")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["precious.json"]  # no temporary file left behind
    assert load_game(path).turn == 0


def test_autosaves_rotate(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    game = Game.new(pack, "tutorial", "normal", 1)
    other = Game.new(pack, "tutorial", "normal", 2)
    for _ in range(6):
        game.end_turn()
        store.autosave(game)
    store.autosave(other)
    mine = sorted(p.name for p in tmp_path.glob(f"autosave-*-{game.game_id}-*.json"))
    assert len(mine) == AUTOSAVES_KEPT
    assert mine[-1].endswith("q06.json")
    assert len(list(tmp_path.glob(f"autosave-*-{other.game_id}-*.json"))) == 1
    latest = store.latest()
    assert latest is not None and latest.save is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("My Lab", "My-Lab"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "save"),
        ("a/b\\c", "a-b-c"),
        ("bell\x07and\nnewline\ttab", "bellandnewlinetab"),
        ("   ", "save"),
        ("CON", "CON-save"),
        ("Équipe Rouge", "Équipe-Rouge"),
        ("x" * 300, "x" * 60),
        ("\u202eevil", "evil"),
    ],
)
def test_save_names_are_made_safe(name: str, expected: str) -> None:
    assert safe_name(name) == expected
    assert "/" not in safe_name(name) and ".." not in safe_name(name)


def test_save_folder_option_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FORTRESS_SAVES", raising=False)
    assert default_folder() == Path("saves")
    monkeypatch.setenv("FORTRESS_SAVES", str(tmp_path / "env"))
    assert default_folder() == tmp_path / "env"
    assert default_folder(tmp_path / "opt") == tmp_path / "opt"


class TestBadFiles:
    """Every bad file gets its own message, and the other saves stay listed and loadable."""

    @pytest.fixture
    def folder(self, pack: Pack, tmp_path: Path) -> Path:
        game = Game.new(pack, "tutorial", "normal", 4)
        POLICIES["multicloud"](game)
        game.end_turn()
        SaveStore(tmp_path).save(game, "good")
        return tmp_path

    def good(self, folder: Path) -> dict:  # type: ignore[type-arg]
        return json.loads((folder / "good.json").read_text())

    def write(self, folder: Path, name: str, content: str | bytes) -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def cases(self, folder: Path) -> dict[str, tuple[Path, str]]:
        text = (folder / "good.json").read_text()
        newer = self.good(folder) | {"schema_version": SCHEMA_VERSION + 1}
        unknown = self.good(folder) | {"cheat_mode": True}
        missing = self.good(folder)
        del missing["settings"]
        nan = text.replace('"score":', '"score": NaN, "x":', 1)
        edited = self.good(folder)
        edited["turns"][0]["actions"] = []
        illegal = self.good(folder)
        illegal["turns"][0]["actions"] = [{"kind": "raise", "investor": "vc", "amount": 500.0, "pre_money": 1.0}]
        return {
            "not json": (self.write(folder, "notjson.json", "hello, world"), "not valid JSON"),
            "truncated": (self.write(folder, "truncated.json", text[: len(text) // 2]), "cut short"),
            "empty": (self.write(folder, "empty.json", ""), "is empty"),
            "binary": (self.write(folder, "binary.json", b"\xff\xd8\xff\xe0JFIF"), "not a text file"),
            "too large": (self.write(folder, "huge.json", b" " * (MAX_BYTES + 1)), "larger than any save"),
            "newer": (self.write(folder, "newer.json", json.dumps(newer)), "newer version of Fortress"),
            "unknown field": (
                self.write(folder, "unknown.json", json.dumps(unknown)),
                "`cheat_mode` is not part of a save",
            ),
            "missing field": (self.write(folder, "missing.json", json.dumps(missing)), "`settings` is missing"),
            "nan": (self.write(folder, "nan.json", nan), "NaN"),
            "not a save": (self.write(folder, "list.json", "[1, 2, 3]"), "not a Fortress save"),
            "no schema": (self.write(folder, "noschema.json", '{"name": "x"}'), "no schema version"),
            "digest": (self.write(folder, "edited.json", json.dumps(edited)), "digest does not match"),
            "illegal": (self.write(folder, "illegal.json", json.dumps(illegal)), "rules refuse"),
        }

    def test_each_bad_file_has_its_own_message(self, folder: Path) -> None:
        before = (folder / "good.json").read_bytes()
        messages = set()
        for name, (path, expected) in self.cases(folder).items():
            with pytest.raises(SaveError) as info:
                load_game(path)
            message = str(info.value)
            assert expected in message, (name, message)
            assert path.name in message
            assert "Traceback" not in message and "\n" not in message
            messages.add(info.value.problem)
        assert len(messages) == len(self.cases(folder))
        assert (folder / "good.json").read_bytes() == before
        assert load_game(folder / "good.json").turn == 1

    def test_the_list_keeps_good_saves_and_names_bad_ones(self, folder: Path) -> None:
        self.cases(folder)
        entries = SaveStore(folder).entries()
        good = [e for e in entries if e.ok]
        bad = [e for e in entries if not e.ok]
        assert [e.path.name for e in good][:1] == ["good.json"] or any(e.path.name == "good.json" for e in good)
        assert all(e.problem for e in bad)
        assert len(bad) >= 9


def test_an_old_schema_one_save_is_migrated_and_replays(tmp_path: Path) -> None:
    source = DATA / "v1-tutorial.json"
    raw = json.loads(source.read_text())
    assert raw["schema"] == 1 and "settings" not in raw
    save = read_save(source)
    assert save.schema_version == SCHEMA_VERSION
    assert save.settings.scenario == "tutorial" and save.settings.seed == 11
    assert save.summary.turn == 3 and save.summary.quarter == "Q4 2026"
    assert save.game_version == "0.1.0"
    game = restore(save, source, verify=False)  # its decisions replay on this version's economy
    assert game.turn == 3 and game.lab_name == save.settings.lab_name
    ok, line = check(source)  # but not to the same digests: the economy changed after 0.1.0
    assert not ok and "older rules of the game (by Fortress 0.1.0, rules version 1)" in line
    assert source.read_text() == json.dumps(raw, indent=1)  # reading never rewrites the file


def test_replay_stops_at_any_quarter(pack: Pack, tmp_path: Path) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 9)
    while not game.over:
        POLICIES["multicloud"](game)
        game.end_turn()
    assert len(game.turns) == 16
    path = SaveStore(tmp_path).save(game, "done")
    save = read_save(path)
    for upto in (0, 1, 5):
        partial = restore(save, path, upto=upto)
        assert partial.turn == upto
        assert state_digest(partial) == state_digest(game, upto)


def test_a_save_replays_where_the_content_folder_differs(pack: Pack, tmp_path: Path) -> None:
    game = finished(pack, 12, "tutorial")
    path = SaveStore(tmp_path).save(game, "portable")
    save = read_save(path)
    assert save.content.scenarios[0].id == "tutorial"
    shutil.copy(path, tmp_path / "copy.json")
    assert load_game(tmp_path / "copy.json").outcome == game.outcome


def test_a_save_is_an_ordinary_readable_file_and_a_file_is_no_folder(pack: Pack, tmp_path: Path) -> None:
    game = Game.new(pack, "tutorial", "normal", 1)
    path = SaveStore(tmp_path).save(game, "hand in")
    mask = os.umask(0o022)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    assert read_save(path).summary.turns == 8
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(SaveError, match="is a file, not a folder"):
        SaveStore(blocker).save(game, "x")
