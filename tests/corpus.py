"""A class folder full of bad files, made in a temporary folder: every way a file can break or
cheat a listing, beside good saves of one workshop world.

`make_corpus(pack, folder)` writes three good saves (one with a byte-order mark), then the bad
files: unreadable ones (depth bombs, pipes, links to devices, folders named like saves, broken
JSON, impossible numbers, every field wrong in turn, old schemas that cannot migrate), saves that
read but do not replay, and saves that replay but lie (edited rules, summary or fields). It
returns the good files' team names and the bad files' names; `shown(name)` is a name as a listing
prints it.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.analysis.policies import POLICIES
from game.content.fingerprint import data_fingerprint
from game.content.models import Pack
from game.content.names import plain
from game.saves.format import seal_of_data
from game.saves.load import MAX_BYTES
from game.saves.store import SaveStore, to_save
from game.session.game import Game

SCENARIO, DIFFICULTY, SEED, QUARTERS = "tutorial", "normal", 7, 3
Data = dict[str, Any]


@dataclass
class Corpus:
    folder: Path
    good_teams: list[str]
    good_files: list[str]
    unreadable: list[str]
    """Refused by the reader itself (every listing, the title screen's included, marks them)."""
    unplayable: list[str]
    """Read, but refused by the replay or the workshop's world."""
    lying: list[str]
    """Replay, but are flagged."""

    @property
    def bad(self) -> list[str]:
        return self.unreadable + self.unplayable + self.lying


def shown(name: str) -> str:
    return plain(name)


def played(pack: Pack, team: str, seed: int = SEED, policy: str = "multicloud") -> Game:
    game = Game.new(pack, SCENARIO, DIFFICULTY, seed, team, QUARTERS)
    while not game.over:
        POLICIES[policy](game)
        game.end_turn()
    return game


def save_data(pack: Pack, team: str, **kw: Any) -> Data:
    data: Data = json.loads(to_save(played(pack, team, **kw), team).model_dump_json())
    return data


def resealed(data: Data) -> Data:
    """`data` with its fingerprint and seal recomputed, as a student who read the code would."""
    out = copy.deepcopy(data)
    if isinstance(out.get("content"), dict):
        out["fingerprint"] = data_fingerprint(out["content"])
    out["seal"] = seal_of_data(out)
    return out


def nested(depth: int, leaf: str = "0") -> str:
    return "[" * depth + leaf + "]" * depth


def make_corpus(pack: Pack, folder: Path) -> Corpus:
    folder.mkdir(parents=True, exist_ok=True)
    store = SaveStore(folder)
    good_teams = ["Team Alpha", "Team Beta", "Team Gamma"]
    store.save(played(pack, "Team Alpha"), "alpha")
    store.save(played(pack, "Team Beta", policy="frugal"), "beta")
    gamma = to_save(played(pack, "Team Gamma", policy="loyalist"), "gamma").model_dump_json()
    (folder / "gamma.json").write_bytes(b"\xef\xbb\xbf" + gamma.encode())  # a byte-order mark is fine
    base = save_data(pack, "Template")
    text = json.dumps(base)

    unreadable: list[str] = []
    unplayable: list[str] = []
    lying: list[str] = []

    def raw(name: str, content: str | bytes, into: list[str] = unreadable) -> None:
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        into.append(name)

    def edited(name: str, change: Callable[[Data], object], into: list[str] = unreadable) -> None:
        data = copy.deepcopy(base)
        data["game_id"] = f"{len(unreadable) + len(unplayable):08x}"  # each file a game of its own
        change(data)
        raw(name, json.dumps(data), into)

    # ---- depth, size and kind of file --------------------------------------------------------
    raw("deep-list.json", nested(1000))
    raw("deep-dict.json", '{"a":' * 1000 + "0" + "}" * 1000)
    raw("deep-unclosed.json", "[" * 200_000)
    raw("deep-in-save.json", text.replace('"pending": []', f'"pending": {nested(5000, "[]")}', 1))
    raw("deep-33.json", nested(33))
    raw("brackets-in-strings.json", json.dumps({"x": "[" * 5000}))  # shallow: not a save, refused as such
    (folder / "huge.json").touch()
    os.truncate(folder / "huge.json", MAX_BYTES + 1)  # sparse: no disk used
    unreadable.append("huge.json")
    os.mkfifo(folder / "pipe.json")
    unreadable.append("pipe.json")
    os.symlink("/dev/zero", folder / "zero.json")
    unreadable.append("zero.json")
    os.symlink("/dev/urandom", folder / "urandom.json")
    unreadable.append("urandom.json")
    os.symlink(folder / "nowhere", folder / "dangling.json")
    unreadable.append("dangling.json")
    os.symlink(folder / "loop-b.json", folder / "loop-a.json")
    os.symlink(folder / "loop-a.json", folder / "loop-b.json")
    unreadable += ["loop-a.json", "loop-b.json"]
    (folder / "folder.json").mkdir()
    (folder / "folder.json" / "inside.json").write_text(gamma)
    unreadable.append("folder.json")

    # ---- not JSON, or JSON of the wrong shape ----------------------------------------------
    raw("empty.json", "")
    raw("blank.json", "  \n\t ")
    raw("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    raw("utf16.json", text[:200].encode("utf-16"))
    raw("bom-only.json", b"\xef\xbb\xbf")
    raw("notjson.json", "hello, world")
    raw("truncated.json", text[: len(text) // 2])
    raw("nan.json", text.replace('"score":', '"score": NaN, "x":', 1))
    raw("infinity.json", '{"schema_version": Infinity}')
    raw("minus-infinity.json", '{"schema_version": -Infinity}')
    raw("long-int.json", '{"schema_version": ' + "9" * 5000 + "}")
    raw("overflow-float.json", text.replace('"turn": ', '"turn": 1e400, "t": ', 1))
    raw("list.json", "[1, 2, 3]")
    raw("string.json", '"a save"')
    raw("null.json", "null")
    raw("number.json", "42")
    raw("lone-surrogate.json", '{"schema_version": 3, "name": "\\ud800"}')
    raw("trailing-garbage.json", text + " trailing")

    # ---- schema versions ---------------------------------------------------------------------
    raw("no-schema.json", '{"name": "x"}')
    edited("schema-string.json", lambda d: d.update(schema_version="3"))
    edited("schema-bool.json", lambda d: d.update(schema_version=True))
    edited("schema-zero.json", lambda d: d.update(schema_version=0))
    edited("schema-negative.json", lambda d: d.update(schema_version=-1))
    edited("schema-future.json", lambda d: d.update(schema_version=999))
    edited("schema-float.json", lambda d: d.update(schema_version=3.0))
    v1 = {k: v for k, v in base.items() if k not in ("schema_version", "settings", "summary")}
    v1 |= {"schema": 1, **{k: base["settings"][k] for k in ("lab_name", "difficulty", "seed")}}
    raw("v1-no-scenario.json", json.dumps(v1))
    raw("v1-unknown-scenario.json", json.dumps(v1 | {"scenario": "atlantis"}))
    raw("v1-no-content.json", json.dumps({k: v for k, v in v1.items() if k != "content"} | {"scenario": SCENARIO}))
    raw("v1-content-list.json", json.dumps(v1 | {"scenario": SCENARIO, "content": [1]}))
    bad_label = copy.deepcopy(v1) | {"scenario": SCENARIO}
    bad_label["content"]["scenarios"][0]["start_label"] = "soon"
    raw("v1-bad-label.json", json.dumps(bad_label))
    raw("v1-turns-dict.json", json.dumps(v1 | {"scenario": SCENARIO, "turns": {"a": 1}}))

    # ---- fields ------------------------------------------------------------------------------
    edited("unknown-field.json", lambda d: d.update(cheat_mode=True))
    edited("no-settings.json", lambda d: d.pop("settings"))
    edited("no-content.json", lambda d: d.pop("content"))
    edited("no-turns.json", lambda d: d.pop("turns"))
    edited("turns-not-list.json", lambda d: d.update(turns={"1": []}))
    edited("digest-not-hex.json", lambda d: d["turns"][0].update(digest="z" * 32))
    edited("unknown-action.json", lambda d: d["turns"][0].update(actions=[{"kind": "teleport"}]))
    edited("negative-seed.json", lambda d: d["settings"].update(seed=-5))
    edited("empty-lab.json", lambda d: d["settings"].update(lab_name=""))
    edited("long-lab.json", lambda d: d["settings"].update(lab_name="x" * 10_000))
    edited("bad-game-id.json", lambda d: d.update(game_id="../../etc"))
    edited("content-price-huge.json", lambda d: d["content"]["providers"][0].update(base_price=1e308))
    edited("content-term-huge.json", lambda d: d["content"]["providers"][0].update(term_max=10_000_000))
    edited("quarters-zero.json", lambda d: d["settings"].update(quarters=0))
    split = {"kind": "split", "train_share": 0.5}
    edited("many-pending.json", lambda d: d.update(pending=[split] * 20_000))
    edited("many-turns.json", lambda d: d.update(turns=d["turns"] * 30))
    edited("save-name-huge.json", lambda d: d.update(name="n" * 100_000))
    edited("many-events.json", lambda d: d["content"].update(events=d["content"]["events"] * 60))
    edited("amount-negative.json", lambda d: d.update(pending=[{"kind": "raise", "investor": "vc", "amount": -1}]))

    # ---- read, but do not replay ------------------------------------------------------------
    def edit_actions(d: Data) -> None:
        d["turns"][0]["actions"] = []

    edited("digest-mismatch.json", edit_actions, unplayable)
    illegal = [{"kind": "raise", "investor": "vc", "amount": 500.0, "pre_money": 1.0}]
    edited("illegal-action.json", lambda d: d["turns"][0].update(actions=illegal), unplayable)
    provider_round = [{"kind": "raise", "investor": "vc", "amount": 1.0, "pre_money": 100.0, "provider": "stratus"}]
    edited("vc-round-names-provider.json", lambda d: d["turns"][0].update(actions=provider_round), unplayable)
    edited("unknown-scenario.json", lambda d: d["settings"].update(scenario="atlantis"), unplayable)
    edited("unknown-difficulty.json", lambda d: d["settings"].update(difficulty="nightmare"), unplayable)
    edited("after-the-end.json", lambda d: d.update(turns=d["turns"] * 4), unplayable)
    edited("start-digest.json", lambda d: d.update(start_digest="0" * 32), unplayable)
    edited("seed-changed.json", lambda d: d["settings"].update(seed=SEED + 1), unplayable)  # another world
    edited("quarters-huge.json", lambda d: d["settings"].update(quarters=1_000_000), unplayable)
    other = save_data(pack, "Other Class", seed=SEED + 100)
    raw("other-world.json", json.dumps(other), unplayable)

    # ---- replay, but lie ---------------------------------------------------------------------
    def cheat(d: Data) -> None:
        multipliers = d["content"]["rules"]["outcomes"]["multiplier"]
        for key in multipliers:
            multipliers[key] *= 3
        d["summary"]["score"] = (d["summary"]["score"] or 0) * 3

    for i, (name, change, seal) in enumerate(
        [
            ("cheat-tripled.json", cheat, False),
            ("cheat-tripled-resealed.json", cheat, True),
            ("cheat-summary-resealed.json", lambda d: d["summary"].update(score=99.9), True),
            ("cheat-cash-summary.json", lambda d: d["summary"].update(cash=1000.0), False),
            ("terminal-escape-name.json", lambda d: d["settings"].update(lab_name="\x1b]0;owned\x07\x1b[2J"), False),
            ("glossary-edited-resealed.json", lambda d: d["content"]["glossary"][0].update(definition="x"), True),
            ("fingerprint-edited.json", lambda d: d.update(fingerprint="0" * 32), False),
        ]
    ):
        data = save_data(pack, f"Liar {i}")
        change(data)
        raw(name, json.dumps(resealed(data) if seal else data), lying)
    older = save_data(pack, "Liar old")
    cheat(older)
    older = {k: v for k, v in older.items() if k not in ("fingerprint", "seal")} | {"schema_version": 2}
    raw("cheat-schema-2.json", json.dumps(older), lying)

    # ---- names that are markup or escapes, on bad files ---------------------------------------
    raw("[b]markup [i] name.json", "[not a save")
    raw("esc\x1b[31mred\x07.json", "{}")
    raw("ünïcode ☃.json", "{")
    raw("x" * 200 + ".json", "{}")
    raw(os.fsdecode(b"not-utf8-\xff.json"), "{}")
    raw("two\nlines.json", "[]")
    return Corpus(folder, good_teams, ["alpha.json", "beta.json", "gamma.json"], unreadable, unplayable, lying)
