"""Names typed or read from files, shown safely everywhere; every bad command line a one-line
error with exit code 2; autosaves that rotate per game line; files written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from pathlib import Path

import pytest
from corpus import resealed

from game import cli
from game.analysis.debrief import class_debrief
from game.analysis.exports import to_csv, to_html, to_markdown
from game.analysis.policies import POLICIES
from game.content.fingerprint import data_fingerprint
from game.content.models import Pack
from game.content.names import BadName, check_name, for_csv, for_html, for_markup, plain
from game.content.workshop import Workshop, join_code, load_workshop, workshop_toml
from game.saves.classroom import class_status, collect_games, status_table
from game.saves.format import seal_of_data
from game.saves.load import read_save, validate
from game.saves.replay import restore
from game.saves.store import AUTOSAVES_KEPT, STALE_TMP_SECONDS, SaveStore, atomic_write, to_save
from game.saves.trust import Reference, audit
from game.session.build import load_content
from game.session.game import Game

ESCAPES = "\x1b]0;owned\x07\x1b[31mRed\x1b[0m\u202e"


# ---- the one sanitising module ------------------------------------------------------------------


def test_names_are_checked_where_typed() -> None:
    assert check_name("  Équipe Rouge ", "team name") == "Équipe Rouge"
    for bad, words in (("", "empty"), ("   ", "empty"), ("a\x1bb", "U\\+001B"), ("x" * 61, "60 or fewer")):
        with pytest.raises(BadName, match=words) as info:
            check_name(bad, "team name")
        assert "team name" in str(info.value)
    assert check_name("Team [/] Zed [b]x", "team name") == "Team [/] Zed [b]x"  # allowed, escaped where shown


def test_names_are_made_safe_where_shown() -> None:
    assert plain(ESCAPES) == "?]0;owned??[31mRed?[0m?"
    assert plain("x" * 30, 10) == "x" * 9 + "…"
    assert for_markup("Team [/] Zed [b]x") == "Team \\[/] Zed \\[b]x"
    assert for_markup("ends in \\") == "ends in \\\\"
    assert for_html('<b onclick="x">&') == "&lt;b onclick=&quot;x&quot;&gt;&amp;"
    for formula in ("=SUM(A1)", "+1", "-1+2", "@cmd", "\tx"):
        assert for_csv(formula).startswith("'") or not for_csv(formula).startswith(("=", "+", "-", "@"))
    assert for_csv("Team 1") == "Team 1"


@pytest.fixture(scope="module")
def hostile_class(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Honest saves (sealed by Fortress itself) of teams whose names are escapes, markup, formulas."""
    folder = tmp_path_factory.mktemp("hostile")
    store = SaveStore(folder)
    for name in (ESCAPES, '=HYPERLINK("http://x")', "<script>alert(1)</script>", "Plain"):
        game = Game.new(pack, "tutorial", "normal", 3, name, 2)
        while not game.over:
            POLICIES["frugal"](game)
            game.end_turn()
        store.save(game, "team")
    return folder


def test_status_and_reports_never_pass_a_name_through_raw(hostile_class: Path) -> None:
    rows, skipped = class_status(hostile_class, Reference(load_content()))
    assert len(rows) == 4 and not skipped
    text = status_table(rows, skipped)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "?]0;owned" in text
    games, _ = collect_games(hostile_class)
    debrief = class_debrief([(g, p.name) for g, p in games], [], "Period 3")
    md, html, table = to_markdown(debrief), to_html(debrief), to_csv(debrief)
    for text in (md, html, table):
        assert "\x1b" not in text and "\x07" not in text
    assert "<script>" not in html and "&lt;script&gt;" in html
    teams = [row["team"] for row in csv.DictReader(io.StringIO(table))]
    assert '\'=HYPERLINK("http://x")' in teams and not any(t.startswith(("=", "+", "@")) for t in teams)


def test_same_name_saves_of_two_teams_never_replace_each_other(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    one, two = Game.new(pack, "tutorial", "normal", 3, "A"), Game.new(pack, "tutorial", "normal", 3, "B")
    first = store.save(one, "our save")
    second = store.save(two, "our save")
    assert first != second and second.name == f"our-save-{two.game_id}.json"
    assert read_save(first).settings.lab_name == "A" and read_save(second).settings.lab_name == "B"
    one.end_turn()
    assert store.save(one, "our save") == first and read_save(first).turns  # a team replaces its own


# ---- autosaves per game line and atomic writes -------------------------------------------------


def test_playing_on_from_an_earlier_save_never_deletes_newer_autosaves(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    game = Game.new(pack, "tutorial", "normal", 9, "Lines")
    for _ in range(5):
        POLICIES["multicloud"](game)
        game.end_turn()
        store.autosave(game)
    line = sorted(p.name for p in tmp_path.glob("autosave-*.json"))
    assert [n[-8:-5] for n in line] == ["q03", "q04", "q05"]
    before = {p.name: p.read_bytes() for p in tmp_path.glob("autosave-*.json")}

    earlier = restore(read_save(tmp_path / line[0]))  # load quarter 3 and play on differently
    for _ in range(4):
        POLICIES["frugal"](earlier)
        earlier.end_turn()
        store.autosave(earlier)
    after = {p.name: p.read_bytes() for p in tmp_path.glob("autosave-*.json")}
    assert all(after.get(name) == data for name, data in before.items())  # untouched
    branch = sorted(set(after) - set(before))
    assert len(branch) == AUTOSAVES_KEPT and branch[-1].endswith("-q07.json")

    resumed = restore(read_save(tmp_path / line[-1]))  # continue the first line from its newest save
    POLICIES["multicloud"](resumed)
    resumed.end_turn()
    path = store.autosave(resumed)
    assert path.name == line[-1].replace("q05", "q06")
    assert not (tmp_path / line[0]).exists()  # the first line rotates as before


def test_a_failed_write_leaves_no_temporary_file_and_a_crash_is_cleaned_later(tmp_path: Path) -> None:
    target = tmp_path / "save.json"

    class Boom(Exception):
        pass

    def fail(*args: object) -> None:
        raise Boom

    real = os.fsync
    os.fsync = fail  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            atomic_write(target, b"{}")
    finally:
        os.fsync = real
    assert list(tmp_path.iterdir()) == []
    left = tmp_path / ".save.json.abc123.tmp"  # as a crash between write and rename leaves one
    left.write_bytes(b"half")
    old = time.time() - STALE_TMP_SECONDS - 5
    os.utime(left, (old, old))
    atomic_write(target, b"{}")
    assert [p.name for p in tmp_path.iterdir()] == ["save.json"]


def test_a_byte_order_mark_in_a_content_file_is_accepted(pack_dir: Path) -> None:
    path = pack_dir / "difficulty.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_content(pack_dir).difficulties


# ---- the command line --------------------------------------------------------------------------


def run(*args: str) -> int:
    """The exit code of `fortress ARGS`, run in this process (argument errors exit)."""
    try:
        return cli.main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture
def folder_with_a_workshop_save(pack: Pack, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A save folder holding one game of a workshop and one of another world; the workshop file."""
    workshop = Workshop(title="Period 3", scenario="tutorial", seed=41, quarters=2)
    ws_file = tmp_path / "ws.toml"
    ws_file.write_text(workshop_toml(workshop))
    (tmp_path / "deep.toml").write_text("title = " + "[" * 5000 + "1" + "]" * 5000 + "\n")
    saves = tmp_path / "saves"
    store = SaveStore(saves)
    for lab, seed in (("Ours", 41), ("Theirs", 42)):
        game = Game.new(pack, "tutorial", "normal", seed, lab, 2)
        game.workshop = join_code(workshop)
        game.end_turn()
        store.autosave(game)
    return saves, ws_file, tmp_path


BAD_ARGS: list[tuple[str, ...]] = [
    ("simulate",),
    ("simulate", "--scenario", "tutorial", "--games", "abc"),
    ("simulate", "--scenario", "atlantis", "--games", "1"),
    ("simulate", "--scenario", "tutorial", "--games", "0"),
    ("simulate", "--scenario", "tutorial", "--policy", "nobody", "--games", "1"),
    ("simulate", "--scenario", "tutorial", "--sweep", "=", "--games", "1"),
    ("play", "--lab", "x" * 81),
    ("play", "--lab", "bad\x1b[2Jname"),
    ("play", "--lab", "   "),
    ("play", "--seed", "-1"),
    ("play", "--seed", "1e999"),
    ("play", "--difficulty", "nightmare"),
    ("play", "--scenario", "\x1b[31m"),
    ("play", "--workshop", "NOTACODE"),
    ("play", "--workshop", "{tmp}/missing.toml"),
    ("play", "--workshop", "{tmp}/saves"),
    ("play", "--workshop", "{tmp}/deep.toml"),
    ("debrief", "{tmp}/saves", "--workshop", "{tmp}/deep.toml"),
    ("play", "--workshop", "{ws}", "--seed", "1"),
    ("workshop", "new", "--scenario", "tutorial", "--turns", "0", "--out", "{tmp}/x.toml"),
    ("workshop", "new", "--scenario", "tutorial", "--turns", "999", "--out", "{tmp}/x.toml"),
    ("workshop", "new", "--scenario", "tutorial", "--title", "x" * 500, "--out", "{tmp}/x.toml"),
    ("workshop", "new", "--scenario", "tutorial", "--title", "\x07", "--out", "{tmp}/x.toml"),
    ("workshop", "new", "--scenario", "tutorial", "--seed", "-3", "--out", "{tmp}/x.toml"),
    ("workshop", "new", "--scenario", "tutorial", "--seed", "99", "--out", "{tmp}"),
    ("workshop", "new", "--scenario", "tutorial", "--difficulty", "x y", "--out", "{tmp}/x.toml"),
    ("workshop", "new", "--scenario", "tutorial", "--notes", "n" * 5000, "--out", "{tmp}/x.toml"),
    ("workshop", "status", "{tmp}/nope"),
    ("workshop", "status", "{ws}"),
    ("workshop", "status", "{tmp}/saves", "--watch", "--interval", "nan"),
    ("workshop", "status", "{tmp}/saves", "--watch", "--interval", "-1"),
    ("workshop", "status", "{tmp}/saves", "--workshop", "ZZZZZ-ZZZZZ"),
    ("debrief", "{tmp}/nope"),
    ("debrief", "{tmp}/saves", "--out", "report.pdf"),
    ("debrief", "{tmp}/saves", "--title", "\x1b]0;x\x07", "--out", "{tmp}/r.md"),
    ("debrief", "{tmp}/saves", "--out", "{tmp}"),
    ("debrief", "{tmp}", "--out", "{tmp}/r.md"),
    ("analyse", "{tmp}/missing.json"),
    ("analyse", "{tmp}/saves"),
    ("replay", "{tmp}/missing.json", "--text"),
    ("replay", "a.json", "b.json", "c.json", "--text"),
    ("--content", "{tmp}/nonexistent", "scenarios"),
    ("--content", "/dev/null", "scenarios"),
    ("serve", "--port", "70000"),
    ("serve", "--max-sessions", "0"),
    ("nonsense",),
    ("content",),
]


def test_every_bad_command_line_is_one_line_with_exit_code_2(
    folder_with_a_workshop_save: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, ws_file, tmp = folder_with_a_workshop_save
    for template in BAD_ARGS:
        args = [a.replace("{tmp}", str(tmp)).replace("{ws}", str(ws_file)) for a in template]
        code = run(*args)
        out, err = capsys.readouterr()
        assert code == 2, (template, code, out, err)
        assert err.startswith("fortress: ") and err.count("\n") == 1, (template, err)
        for internal in ("Traceback", "Error:", "Exception", "pydantic", "errors.dev", "\x1b", "\x07", "<class"):
            assert internal not in err, (template, err)
    assert not (tmp / "x.toml").exists()


def test_an_unexpected_failure_is_one_line_unless_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise ZeroDivisionError("internal detail")

    monkeypatch.setattr(cli, "cmd_scenarios", broken)
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        action.choices["scenarios"].set_defaults(func=broken)  # type: ignore[index]
    assert cli.main(["scenarios"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal detail" not in err and "--debug" in err
    assert cli.main(["--debug", "scenarios"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_workshop_status_lists_only_the_workshops_saves(
    folder_with_a_workshop_save: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    saves, ws_file, _ = folder_with_a_workshop_save
    assert cli.main(["workshop", "status", str(saves), "--workshop", str(ws_file)]) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("Ours") for line in out.splitlines())
    assert not any(line.startswith("Theirs") for line in out.splitlines())
    assert "skipped autosave-Theirs" in out and "from another workshop" in out
    assert load_workshop(ws_file).fingerprint is None  # written before fingerprints: this copy's pack


def test_a_workshop_file_records_its_packs_fingerprint_and_flags_other_rules(
    pack: Pack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws_file = tmp_path / "ws.toml"
    assert (
        cli.main(["workshop", "new", "--scenario", "tutorial", "--seed", "5", "--turns", "2", "--out", str(ws_file)])
        == 0
    )
    workshop = load_workshop(ws_file)
    assert workshop.fingerprint is not None
    saves = tmp_path / "saves"
    store = SaveStore(saves)
    for lab in ("Honest", "Tripled"):
        game = Game.new(pack, "tutorial", "normal", 5, lab, 2)
        game.workshop = join_code(workshop)
        game.end_turn()
        game.end_turn()
        path = store.save(game, lab)
    data = json.loads(path.read_text())  # the second team edits its rules, and reseals the file
    for key in data["content"]["rules"]["outcomes"]["multiplier"]:
        data["content"]["rules"]["outcomes"]["multiplier"][key] *= 3
    path.write_text(json.dumps(resealed(data)))
    capsys.readouterr()
    assert cli.main(["debrief", str(saves), "--workshop", str(ws_file), "--out", str(tmp_path / "r.md")]) == 0
    out = capsys.readouterr().out
    assert (
        ": 1 team, " in out
        and "flagged Tripled.json: it plays with other rules or content than the workshop's pack: rules.outcomes differ"
        in out
    )
    report = (tmp_path / "r.md").read_text()
    assert "| Honest |" in report and "| Tripled |" not in report and "## Files flagged" in report
    assert to_save(Game.new(pack, "tutorial", "normal", 5), "x").fingerprint == workshop.fingerprint


def test_the_live_view_replays_only_the_saves_that_changed(pack: Pack, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    games = [Game.new(pack, "tutorial", "normal", 4, name, 3) for name in ("One", "Two")]
    for game in games:
        game.end_turn()
        store.autosave(game)
    replays: dict[str, Game | str] = {}
    rows, _ = class_status(tmp_path, replays=replays)
    assert [r.turn for r in rows] == [1, 1] and len(replays) == 2
    kept = dict(replays)
    games[0].end_turn()
    store.autosave(games[0])
    rows, _ = class_status(tmp_path, replays=replays)
    assert sorted(r.turn for r in rows) == [1, 2] and len(replays) == 2
    assert sum(replays.get(k) is v for k, v in kept.items()) == 1  # the unchanged team was not replayed


def test_a_field_added_later_with_a_default_never_makes_an_honest_save_look_edited(pack: Pack) -> None:
    """A save as an older Fortress wrote it (one defaulted field absent) keeps its seal and fingerprint."""
    game = Game.new(pack, "tutorial", "normal", 6, "Older", 2)
    game.end_turn()
    data = json.loads(to_save(game, "older").model_dump_json())
    del data["content"]["rules"]["demand"]["others_share_floor"]  # added after the first release
    data["fingerprint"] = data_fingerprint(data["content"])
    data["seal"] = seal_of_data(data)
    save = validate(Path("older.json"), data)
    assert audit(save, restore(save), None) == []
    data["summary"]["cash"] = 99.0
    assert any("seal" in flag for flag in audit(validate(Path("older.json"), data), restore(save), None))


def test_a_replay_printed_as_text_never_passes_a_name_through_raw(
    hostile_class: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in sorted(hostile_class.glob("*.json")):
        assert cli.main(["replay", str(path), "--text"]) == 0
        assert cli.main(["replay", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "?]0;owned" in out and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
