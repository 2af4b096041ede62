"""Agreement of the sequential judgement with the full one, on a fixed corpus of decisions.

Run: `.venv/bin/python benchmarks/agreement.py [--rollouts N] [--decisions D]`. Plays a fixed corpus
of bot games (six bots, each switching to another bot at a quarter of its own, in three
scenarios), judges every quarter of every game twice, with every future (`sequential=False`)
and with the sequential judgement that stops once a label is settled, and prints the share of
decisions whose labels agree, how far the others moved (in steps of the label scale), and the
futures each judgement played. The requirement: at least 98% agree, none moves more than one
step, on at least 300 decisions. Default: the content's full `judgement.rollouts`.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from game.analysis.judge import LABELS, GameJudgement, judge_game
from game.analysis.policies import POLICIES
from game.session.build import load_content
from game.session.game import Game

BOTS = ("passive", "reckless", "loyalist", "multicloud", "frugal", "reference")
SCENARIOS = ("fortress-2026", "chip-shock", "tutorial")


def corpus(decisions: int) -> list[Game]:
    """Finished bot games of a fixed corpus (the same every run), as many as hold `decisions`
    quarters between them."""
    pack = load_content()
    known = {s.id for s in pack.scenarios}
    scenarios = [s for s in SCENARIOS if s in known] or [pack.scenarios[0].id]
    out: list[Game] = []
    k = 0
    while sum(len(g.turns) for g in out) < decisions:
        first, then = BOTS[k % len(BOTS)], BOTS[(k * 5 + 2) % len(BOTS)]
        switch = 1 + (k * 3) % 9
        game = Game.new(pack, scenarios[k % len(scenarios)], "normal", 100 + k, f"{first}-{then}")
        while not game.over:
            POLICIES[first if game.turn < switch else then](game)
            game.end_turn()
        out.append(game)
        k += 1
    return out


def compare(fast: list[GameJudgement], full: list[GameJudgement]) -> tuple[int, int, Counter[int]]:
    """(decisions, decisions with the same label, how many moved by each number of steps)."""
    moves: Counter[int] = Counter()
    for a, b in zip(fast, full, strict=True):
        for x, y in zip(a.turns, b.turns, strict=True):
            moves[abs(LABELS.index(x.label) - LABELS.index(y.label))] += 1
    total = sum(moves.values())
    return total, moves[0], moves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rollouts", type=int, default=None, help="futures per plan (default: judgement.rollouts)")
    parser.add_argument("--decisions", type=int, default=300, help="decisions in the corpus (at least)")
    args = parser.parse_args()
    pack = load_content()
    rules = pack.rules.judgement
    rollouts = args.rollouts or rules.rollouts
    games = corpus(args.decisions)
    t = time.perf_counter()
    full = [judge_game(g, g.pack.rules.judgement, rollouts, 0, sequential=False) for g in games]
    full_s = time.perf_counter() - t
    t = time.perf_counter()
    fast = [judge_game(g, g.pack.rules.judgement, rollouts, 0) for g in games]
    fast_s = time.perf_counter() - t
    total, same, moves = compare(fast, full)
    played = sum(turn.futures for j in fast for turn in j.turns)
    print(f"corpus: {len(games)} games, {total} decisions, {rollouts:,} futures per plan in the full judgement")
    print(f"labels equal: {same}/{total} = {same / total:.1%} (requirement >= 98%)")
    print("label moves: " + ", ".join(f"{k} step(s) {v}" for k, v in sorted(moves.items())) + " (requirement: <= 1)")
    print(
        f"futures per plan, mean: sequential {played / total:,.0f} against {rollouts:,}; "
        f"time: full {full_s:.1f} s, sequential {fast_s:.1f} s ({full_s / fast_s:.1f}x)"
    )
    print(f"labels (full): {dict(Counter(t.label for j in full for t in j.turns))}")


if __name__ == "__main__":
    main()
