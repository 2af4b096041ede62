"""Judgement at classroom speed: judged once (stored beside the save), and the sequential
judgement that stops early gives the full judgement's verdicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from game.analysis import judge, judged, parallel
from game.analysis.evaluate import evaluate, play_plans
from game.analysis.judge import LABELS, GameJudgement, Memo, judge_game, judge_turn
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.saves.replay import load_game
from game.saves.store import SaveStore
from game.session.game import Game


def played(pack: Pack, bots: tuple[str, str], seed: int, quarters: int | None, switch: int = 2) -> Game:
    game = Game.new(pack, "fortress-2026", "normal", seed, f"{bots[0]}-{bots[1]}", quarters)
    while not game.over:
        POLICIES[bots[0] if game.turn < switch else bots[1]](game)
        game.end_turn()
    return game


@pytest.fixture
def save(pack: Pack, tmp_path: Path) -> Path:
    return SaveStore(tmp_path).save(played(pack, ("reckless", "frugal"), 5, 3), "team")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Counts the games judged (rather than read back)."""
    calls: list[str] = []
    real = judged.judge_game

    def judge_and_count(game: Game, *args: object, **kwargs: object) -> GameJudgement:
        calls.append(game.lab_name)
        return real(game, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(judged, "judge_game", judge_and_count)
    yield calls


def test_a_stored_judgement_is_read_back_not_judged_again(save: Path, counted: list[str]) -> None:
    game = load_game(save)
    rules = game.pack.rules.judgement
    first, stored = judged.judged(game, save, rules, 40, 0)
    assert not stored and counted == [game.lab_name]
    assert judged.path_for(save).is_file() and judged.path_for(save).parent.name == ".judgements"
    again, stored = judged.judged(load_game(save), save, rules, 40, 0)
    assert stored and len(counted) == 1
    assert asdict(again) == asdict(first)


def test_a_changed_save_version_or_setting_judges_again(
    pack: Pack, save: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    game = load_game(save)
    rules = game.pack.rules.judgement
    judged.judged(game, save, rules, 40, 0)
    judged.judged(game, save, rules, 50, 0)  # other rollouts
    judged.judged(game, save, rules, 50, 1)  # another seed
    judged.judged(game, save, rules.model_copy(update={"confidence": 0.9}), 50, 1)  # other settings
    assert len(counted) == 4
    judged.judged(game, save, rules.model_copy(update={"confidence": 0.9}), 50, 1)
    assert len(counted) == 4
    # the same file name now holds another game: other decisions
    SaveStore(save.parent).save(played(pack, ("frugal", "frugal"), 5, 3), "team")
    judged.judged(load_game(save), save, rules, 40, 0)
    assert len(counted) == 5
    monkeypatch.setattr(judged, "__version__", "99.0")
    judged.judged(load_game(save), save, rules, 40, 0)
    assert len(counted) == 6


def test_a_damaged_or_foreign_store_is_judged_again_and_replaced(
    pack: Pack, save: Path, counted: list[str], tmp_path: Path
) -> None:
    game = load_game(save)
    rules = game.pack.rules.judgement
    truth, _ = judged.judged(game, save, rules, 40, 0)
    stored = judged.path_for(save)
    good = stored.read_text(encoding="utf-8")
    data = json.loads(good)
    edited = {**data, "judgement": {**data["judgement"], "decisions_total": 99.0}}
    foreign = SaveStore(tmp_path / "other").save(played(pack, ("passive", "passive"), 5, 3), "team")
    judged.judged(load_game(foreign), foreign, rules, 40, 0)
    bad = [
        "",
        "{not json",
        "[1, 2]",
        json.dumps({"key": data["key"]}),
        json.dumps({**data, "judgement": {"lab": 3}}),
        json.dumps(edited),  # a figure edited: its digest no longer checks out
        judged.path_for(foreign).read_text(encoding="utf-8"),  # another game's judgement
        "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    ]
    for k, text in enumerate(bad, start=1):
        stored.write_text(text, encoding="utf-8")
        again, was_stored = judged.judged(game, save, rules, 40, 0)
        assert not was_stored and asdict(again) == asdict(truth)
        assert len(counted) == 2 + k
        assert stored.read_text(encoding="utf-8") == good  # replaced by the sound judgement
    stored.unlink()
    stored.mkdir()  # not even a file: judged, and nothing is stored
    again, was_stored = judged.judged(game, save, rules, 40, 0)
    assert not was_stored and asdict(again) == asdict(truth)


def test_the_debrief_command_judges_a_class_once(pack: Pack, tmp_path: Path) -> None:
    from game import cli

    store = SaveStore(tmp_path / "class")
    for i, bots in enumerate([("reckless", "frugal"), ("frugal", "frugal"), ("frugal", "multicloud")]):
        store.save(played(pack, bots, 8, 3), f"team {i}")
    argv = ["debrief", str(store.folder), "--judge", "--rollouts", "40", "--out"]
    assert cli.main([*argv, str(tmp_path / "report.html")]) == 0
    assert len(list((store.folder / ".judgements").glob("*.json"))) == 3
    before = {p.name: p.stat().st_mtime_ns for p in (store.folder / ".judgements").glob("*.json")}
    assert cli.main([*argv, str(tmp_path / "report.csv")]) == 0
    assert {p.name: p.stat().st_mtime_ns for p in (store.folder / ".judgements").glob("*.json")} == before
    rows = (tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 4 and all(row.split(",")[14] for row in rows[1:])  # every team ranked by decisions
    # without --judge, a report still carries the stored judgements
    assert cli.main(["debrief", str(store.folder), "--rollouts", "40", "--out", str(tmp_path / "plain.csv")]) == 0
    assert (tmp_path / "plain.csv").read_text(encoding="utf-8") == (tmp_path / "report.csv").read_text(encoding="utf-8")


def test_plans_in_one_batch_play_the_futures_each_plays_alone(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 3)
    game.end_turn()
    ref = pack.rules.judgement.reference
    plans = [game.plan([]), judge.reference_actions(game.params, game.state, ref)]
    for count in ("1", "2"):
        monkeypatch.setenv(parallel.ENV, count)
        first, second = play_plans(game.params, game.state, ref, plans, 0, 700, seed=4, salt="judge")
        later = play_plans(game.params, game.state, ref, plans, 300, 700, seed=4, salt="judge")[1]
        assert (first.scores == evaluate(game.params, game.state, ref, 700, 4, plans[0], "judge").scores).all()
        assert (second.scores == evaluate(game.params, game.state, ref, 700, 4, None, "judge").scores).all()
        assert (later.scores == second.scores[300:]).all()  # a later look adds the next futures
    parallel.shutdown()


def test_a_class_judges_each_shared_position_once(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = pack.rules.judgement
    one = played(pack, ("frugal", "reckless"), 9, 4, switch=2)
    two = played(pack, ("frugal", "multicloud"), 9, 4, switch=2)
    alone = [judge_game(g, rules, 60, 0) for g in (one, two)]
    calls: list[int] = []
    real = judge._quarter

    def count(game: Game, *args: object, **kwargs: object) -> object:
        calls.append(game.turn)
        return real(game, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(judge, "_quarter", count)
    memo: Memo = {}
    shared = [judge_game(g, rules, 60, 0, memo=memo) for g in (one, two)]
    assert calls == [0, 1, 2, 3, 2, 3]  # the two frugal quarters are judged once
    assert [asdict(j) for j in shared] == [asdict(j) for j in alone]


def test_a_quarter_without_a_different_alternative_is_best_without_a_comparison(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the content's reference player sets its training split every quarter; one that keeps the
    # split it finds commits to nothing in some positions
    judgement = pack.rules.judgement
    rules = judgement.model_copy(update={"reference": judgement.reference.model_copy(update={"train_share": None})})

    def idle(game: Game) -> bool:
        ref_plan = judge.reference_actions(game.params, game.state, rules.reference)
        return judge.plan_digest(ref_plan) == judge.plan_digest(game.plan([]))

    # a position where the reference player commits to nothing: doing nothing has no alternative
    found = None
    for scenario in ("fortress-2026", "tutorial", "chip-shock"):
        for seed in range(12):
            game = Game.new(pack, scenario, "normal", seed, quarters=4)
            while not game.over and not idle(game):
                game.end_turn()
            if not game.over:
                found = game
                break
        if found is not None:
            break
    assert found is not None, "no position found where the reference player does nothing"
    game = found
    batches: list[int] = []
    real = judge.play_positions

    def count(*args: object, **kwargs: object) -> list[list[object]]:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        batches.append(sum(len(plans) for plans in out))
        return out  # type: ignore[return-value]

    monkeypatch.setattr(judge, "play_positions", count)
    result, _ = judge_turn(game, [], rules, 2000, 0)
    assert result.label == "best" and result.cost == 0.0
    assert result.futures == rules.first_look and batches == [1]  # one plan, one look
    assert result.after_decisions == result.before


CORPUS = [
    (("reckless", "frugal"), 21, 2),
    (("loyalist", "multicloud"), 22, 3),
    (("multicloud", "reckless"), 23, 1),
    (("frugal", "loyalist"), 24, 4),
    (("passive", "reckless"), 25, 2),
    (("reference", "loyalist"), 26, 3),
    (("passive", "frugal"), 28, 3),  # with a real burn some games end early: still 40 quarters or more
]


def test_the_sequential_judgement_keeps_the_full_judgements_labels(pack: Pack) -> None:
    """On a fixed corpus, stopping once a label is settled changes at least 98% of no label and
    moves none by more than one step, while playing fewer futures than the full judgement."""
    rules = pack.rules.judgement.model_copy(update={"first_look": 60})
    rollouts = 480
    fast: list[str] = []
    full: list[str] = []
    futures: list[int] = []
    for bots, seed, switch in CORPUS:
        game = played(pack, bots, seed, 8, switch)
        a = judge_game(game, rules, rollouts, 0)
        b = judge_game(game, rules, rollouts, 0, sequential=False)
        fast += [t.label for t in a.turns]
        full += [t.label for t in b.turns]
        futures += [t.futures for t in a.turns]
    steps = [abs(LABELS.index(x) - LABELS.index(y)) for x, y in zip(fast, full, strict=True)]
    assert len(steps) >= 40
    assert sum(s == 0 for s in steps) >= 0.98 * len(steps), list(zip(fast, full, strict=True))
    assert max(steps) <= 1
    assert len(set(full)) >= 3  # a corpus of varied verdicts, not only "best"
    # the test is not vacuous: many judgements stop before the last look
    assert sum(f < rollouts for f in futures) >= len(futures) / 3
    assert sum(futures) < 0.8 * rollouts * len(futures)
