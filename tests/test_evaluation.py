"""The engine's evaluation and judgement: honest odds, reproducible, and fair to good play."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.analysis import parallel
from game.analysis.evaluate import Evaluation, evaluate
from game.analysis.judge import judge_game, judge_turn, label_for, reasons
from game.analysis.policies import POLICIES
from game.content.models import Pack
from game.session.actions import OrderCapacity
from game.session.game import Game


def test_outcome_odds_sum_to_one_and_repeat_exactly(pack: Pack) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 3)
    rules = pack.rules.judgement
    one = evaluate(game.params, game.state, rules.reference, 600, seed=4)
    two = evaluate(game.params, game.state, rules.reference, 600, seed=4)
    other = evaluate(game.params, game.state, rules.reference, 600, seed=5)
    assert sum(one.outcome_odds.values()) == pytest.approx(1.0)
    assert one.expected_score == two.expected_score and one.outcome_odds == two.outcome_odds
    assert (one.scores == two.scores).all()
    assert other.expected_score != one.expected_score
    assert 0 < one.score_se < 5
    assert one.vs_rival_p10 <= one.vs_rival_median <= one.vs_rival_p90


def test_a_finished_game_evaluates_to_its_score(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 1)
    while not game.over:
        game.end_turn()
    e = evaluate(game.params, game.state, pack.rules.judgement.reference, 100)
    assert e.rollouts == 1
    assert e.expected_score == pytest.approx(game.summary().score)


def test_a_ruinous_take_or_pay_contract_is_a_blunder(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 2)
    ruin = [OrderCapacity(option="reserved", gw=5.0, provider="northwind", term=12)]
    judged, _ = judge_turn(game, ruin, pack.rules.judgement, 400, seed=1)
    assert judged.label in ("mistake", "blunder")
    assert judged.cost > pack.rules.judgement.inaccuracy
    assert judged.after_decisions < judged.before
    assert any("cash ran out" in r or "runway fell" in r for r in judged.reasons)
    assert judged.preferred


def test_reasons_name_only_where_a_choice_falls_behind_or_gets_ahead(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 2)
    base = evaluate(game.params, game.state, pack.rules.judgement.reference, 300, seed=1)
    points = base.part_points
    mine = replace(
        base,
        bankrupt=base.bankrupt + 0.10,  # worse
        founders_end=base.founders_end + 0.05,  # better
        part_points={**points, "valuation": points["valuation"] - 2.0, "runway": points["runway"] + 2.0},
    )
    behind = " / ".join(reasons(mine, base, "the other plan"))
    ahead = " / ".join(reasons(mine, base, "the other plan", mine_is_worse=False))
    assert "cash ran out" in behind and "valuation against the rival earns" in behind
    assert "founders" not in behind and "runway earns" not in behind
    assert "founders and staff end with" in ahead and "runway earns" in ahead
    assert "cash ran out" not in ahead and "valuation against the rival" not in ahead
    assert reasons(base, base, "itself") == []


def test_the_reference_players_own_game_has_no_blunder(pack: Pack) -> None:
    game = Game.new(pack, "tutorial", "normal", 6)
    while not game.over:
        POLICIES["reference"](game)
        game.end_turn()
    result = judge_game(game, pack.rules.judgement, 300, seed=2)
    labels = [t.label for t in result.turns]
    assert set(labels) <= {"best", "good"}  # never an inaccuracy, a mistake or a blunder
    assert labels.count("best") >= len(labels) / 2


def test_skill_and_luck_add_up_to_the_score(pack: Pack) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 11, quarters=5)
    from game.analysis.policies import POLICIES

    while not game.over:
        POLICIES["multicloud"](game)
        game.end_turn()
    result = judge_game(game, pack.rules.judgement, 300, seed=3)
    assert len(result.turns) == 5
    total = result.start + result.decisions_total + result.luck_total
    assert total == pytest.approx(result.final_score, abs=1e-9)
    assert result.final_score == pytest.approx(game.summary().score)
    assert result.error > 0
    for t in result.turns:
        assert t.skill == pytest.approx(t.after_decisions - t.before)
        assert t.luck == pytest.approx(t.after_dice - t.after_decisions)


def test_labels_follow_the_content_thresholds(pack: Pack) -> None:
    rules = pack.rules.judgement
    assert label_for(0.0, rules) == "best"
    assert label_for(rules.good, rules) == "good"
    assert label_for(rules.inaccuracy, rules) == "inaccuracy"
    assert label_for(rules.mistake, rules) == "mistake"
    assert label_for(rules.mistake + 0.1, rules) == "blunder"


def test_the_glossary_states_the_label_thresholds(pack: Pack) -> None:
    rules = pack.rules.judgement
    text = next(t.definition for t in pack.glossary if t.term == "Decision label")
    assert f"within {rules.best_margin:g} points" in text
    assert f"up to {rules.good:g} points" in text
    assert f"up to {rules.inaccuracy:g})" in text and f"up to {rules.mistake:g})" in text
    assert f"more than {rules.mistake:g}" in text


def _same(a: Evaluation, b: Evaluation) -> bool:
    plain = [f.name for f in fields(Evaluation) if f.name != "scores"]
    return all(getattr(a, n) == getattr(b, n) for n in plain) and bool((a.scores == b.scores).all())


def test_helper_processes_change_no_number(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 3)
    game.end_turn()
    ref = pack.rules.judgement.reference
    runs = {}
    for count in ("1", "2", "3"):
        monkeypatch.setenv(parallel.ENV, count)
        runs[count] = evaluate(game.params, game.state, ref, 1500, seed=4)
    assert _same(runs["1"], runs["2"]) and _same(runs["1"], runs["3"])
    parallel.shutdown()


def test_the_chunk_size_changes_no_number(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    game = Game.new(pack, "fortress-2026", "normal", 3)
    ref = pack.rules.judgement.reference
    monkeypatch.setenv(parallel.ENV, "1")
    whole = evaluate(game.params, game.state, ref, 700, seed=4)
    monkeypatch.setattr(parallel, "CHUNK", 96)  # eight chunks of 87 or 88 futures
    assert _same(evaluate(game.params, game.state, ref, 700, seed=4), whole)


def test_a_helper_that_dies_costs_time_not_results(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    game = Game.new(pack, "tutorial", "normal", 5)
    ref = pack.rules.judgement.reference
    monkeypatch.setenv(parallel.ENV, "1")
    alone = evaluate(game.params, game.state, ref, 1000, seed=2)
    monkeypatch.setenv(parallel.ENV, "2")
    parallel.warm()
    pool = parallel._pool
    assert pool is not None
    for pid in list(pool._processes):  # the executor's own table of its processes
        os.kill(pid, signal.SIGKILL)
    assert _same(evaluate(game.params, game.state, ref, 1000, seed=2), alone)
    assert parallel._pool is None  # it noticed, and gave the helpers up
    assert _same(evaluate(game.params, game.state, ref, 1000, seed=2), alone)  # played here now
    parallel.shutdown()


@given(total=st.integers(0, 40_000), parts=st.integers(1, 9), unit=st.integers(1, 6_000))
def test_shares_cover_the_batch_in_order(total: int, parts: int, unit: int) -> None:
    cut = parallel.shares(total, parts, unit)
    assert [x for lo, hi in cut for x in range(lo, hi)] == list(range(total))
    assert len(cut) <= parts
    assert all(lo % unit == 0 for lo, _ in cut)  # every share but the last is whole units
    if total >= parts * unit:
        assert len(cut) == parts  # a batch big enough uses every process


@given(total=st.integers(0, 40_000), size=st.integers(1, 9_000))
def test_chunks_cover_the_batch_in_near_equal_parts(total: int, size: int) -> None:
    cut = parallel.chunks(total, size)
    assert [x for lo, hi in cut for x in range(lo, hi)] == list(range(total))
    assert len(cut) == -(-total // size)  # as few as the size allows
    lengths = [hi - lo for lo, hi in cut]
    assert all(n <= size for n in lengths)
    assert not lengths or max(lengths) - min(lengths) <= 1


def test_a_bad_process_count_is_refused_by_name() -> None:
    env = {**os.environ, parallel.ENV: "two"}
    done = subprocess.run(
        [sys.executable, "-m", "game.cli", "content", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "FORTRESS_PROCESSES" in done.stderr and "'two'" in done.stderr and "at least 1" in done.stderr
    assert done.stderr.count("\n") == 1  # one paragraph
