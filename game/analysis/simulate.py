"""Batch runs of bot policies, summarised per policy.

`simulate` plays `games` games per policy, seeds `seed .. seed + games - 1`, as vectorised
batches of worlds (each bot is written once on the rules' batched plan: world i of a batch is the
game a session plays with that bot alone), and returns one `PolicySummary` each: outcome
shares, mean and spread of the score, final valuation against the top rival, bankruptcy and
down-round rates, and the count of regulatory events (the regulator's actions and the content
events that raise scrutiny).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from game.analysis.parallel import chunks, processes, run_shares, shares
from game.analysis.policies import ANSWERS_OFFERS, NAMES, TRIALS, bot
from game.content.models import OUTCOMES, Pack
from game.engine import draws, rng
from game.engine.init import Start, initial_state
from game.engine.outcome import score, valuation_vs_rival
from game.engine.params import Params
from game.engine.step import step
from game.session.build import build, load_content


@dataclass(frozen=True)
class GameResult:
    """The few numbers a batch keeps from one game."""

    seed: int
    outcome: str
    score: float
    vs_rival: float
    bankrupt: bool
    down_rounds: int
    scrutiny_events: int
    quarters: int


@dataclass(frozen=True)
class PolicySummary:
    policy: str
    games: int
    outcome_shares: dict[str, float]
    score_mean: float
    score_sd: float
    vs_rival_mean: float
    vs_rival_median: float
    bankruptcy_rate: float
    down_rounds_per_game: float
    scrutiny_events_per_game: float
    results: list[GameResult] = field(default_factory=list, repr=False)

    def to_json(self, with_games: bool = False) -> dict[str, object]:
        data = asdict(self)
        if not with_games:
            data.pop("results")
        return data


def scrutiny_event_ids(pack: Pack) -> set[str]:
    """Content events that raise scrutiny or open a regulatory process."""
    ids = set()
    for e in pack.events:
        for eff in e.effects:
            if (eff.target == "scrutiny" and eff.value > 0) or eff.target in ("investigation", "info_request"):
                ids.add(e.id)
    return ids


BATCH_SHARE_MIN = 500
"""The fewest games of a batch worth giving a helper process (`analysis.parallel`)."""


def play_batch(
    pack: Pack, scenario: str, difficulty: str, policy: str, seeds: list[int], quarters: int | None = None
) -> list[GameResult]:
    """Play one game per seed as batches of worlds through the engine, a share of the seeds per
    process for big runs (the same games however they are shared); `quarters` shortens them."""
    parts = [
        (pack, scenario, difficulty, policy, seeds[lo:hi], quarters)
        for lo, hi in shares(len(seeds), processes(), BATCH_SHARE_MIN)
    ]
    return [r for part in run_shares(_play_batch_share, parts) for r in part]


def _play_batch_share(job: tuple[Pack, str, str, str, list[int], int | None]) -> list[GameResult]:
    """Play one game per seed, a chunk of worlds at a time, through the engine (in any process)."""
    pack, scenario, difficulty, policy, seeds, quarters = job
    params, start = build(pack, pack.scenario(scenario), pack.difficulty(difficulty), quarters=quarters)
    return [r for lo, hi in chunks(len(seeds)) for r in _play_worlds(pack, params, start, policy, seeds[lo:hi])]


def _play_worlds(pack: Pack, params: Params, start: Start, policy: str, seeds: list[int]) -> list[GameResult]:
    """Play one game per seed as a single batch of worlds through the engine."""
    s = initial_state(params, start, rng.seed_keys(seeds))
    decide = bot(policy, pack.rules)
    n = len(seeds)
    watched = [k for k, eid in enumerate(params.event_ids) if eid in scrutiny_event_ids(pack)]
    down = np.zeros(n, dtype=np.int64)
    events = np.zeros(n, dtype=np.int64)
    quarters = np.zeros(n, dtype=np.int64)
    # a policy that never signs a cloud offer needs no quarter's next offers drawn
    offers = policy in ANSWERS_OFFERS
    while not s.done.all():
        playing = ~s.done
        s, info = step(params, s, decide(params, s), draws.draw(params, s, offers=offers), in_place=True)
        down += info.round_down[:, 0] & playing
        events += (info.reg_action[:, 0] > 0) & playing
        events += info.fired[:, watched].sum(axis=-1)
        quarters += playing
    scores = score(params, s, s.outcome)
    vs = valuation_vs_rival(s)[:, 0]
    return [
        GameResult(
            seed=seed,
            outcome=OUTCOMES[int(s.outcome[i])],
            score=float(scores[i]),
            vs_rival=float(vs[i]),
            bankrupt=bool(int(s.outcome[i]) == OUTCOMES.index("forced_sale") and float(s.cash[i, 0]) <= 0.0),
            down_rounds=int(down[i]),
            scrutiny_events=int(events[i]),
            quarters=int(quarters[i]),
        )
        for i, seed in enumerate(seeds)
    ]


def summarise(policy: str, results: list[GameResult]) -> PolicySummary:
    n = len(results)
    counts = Counter(r.outcome for r in results)
    scores = np.array([r.score for r in results])
    vs = np.array([r.vs_rival for r in results])
    return PolicySummary(
        policy=policy,
        games=n,
        outcome_shares={o: counts.get(o, 0) / n for o in OUTCOMES},
        score_mean=float(scores.mean()),
        score_sd=float(scores.std(ddof=1)) if n > 1 else 0.0,
        vs_rival_mean=float(vs.mean()),
        vs_rival_median=float(np.median(vs)),
        bankruptcy_rate=sum(r.bankrupt for r in results) / n,
        down_rounds_per_game=sum(r.down_rounds for r in results) / n,
        scrutiny_events_per_game=sum(r.scrutiny_events for r in results) / n,
        results=results,
    )


def simulate(
    scenario: str,
    policies: list[str],
    games: int,
    seed: int = 0,
    difficulty: str = "normal",
    content: Path | str | None = None,
    pack: Pack | None = None,
    quarters: int | None = None,
) -> list[PolicySummary]:
    """Play `games` games per policy as vectorised batches and summarise each policy (`pack`
    overrides `content`; `quarters` shortens the games). The batches play in
    `analysis.parallel.processes()` processes."""
    seeds = list(range(seed, seed + games))
    if pack is None:
        pack = load_content(None if content is None else str(content))
    summaries = []
    for policy in policies:
        if policy not in NAMES and policy not in TRIALS:
            raise KeyError(policy)
        summaries.append(summarise(policy, play_batch(pack, scenario, difficulty, policy, seeds, quarters)))
    return summaries


def save_games(
    pack: Pack,
    scenario: str,
    policies: list[str],
    seeds: list[int],
    folder: Path | str,
    difficulty: str = "normal",
    quarters: int | None = None,
    workshop: str | None = None,
) -> list[Path]:
    """Play one session game per policy and seed (the same games as the batches: world i of a
    batch is the game played alone) and write each as an ordinary save in `folder`, named after
    its bot and seed, with the join code `workshop` if given, as a team's save would carry it."""
    from game.analysis.policies import for_game, play
    from game.saves.store import SaveStore
    from game.session.game import Game

    store = SaveStore(Path(folder))
    paths = []
    for policy in policies:
        for seed in seeds:
            game = Game.new(pack, scenario, difficulty, seed, f"{policy} bot {seed}", quarters)
            game.workshop = workshop
            paths.append(store.save(play(game, for_game(policy)), f"{policy}-{seed}"))
    return paths


def table(summaries: list[PolicySummary]) -> str:
    """A plain-text table of the summaries."""
    head = f"{'policy':<11} {'games':>5} " + " ".join(f"{o[:8]:>8}" for o in OUTCOMES)
    head += f" {'score':>6} {'sd':>5} {'vs rival':>8} {'bankrupt':>8} {'down/g':>6} {'reg/g':>5}"
    lines = [head, "-" * len(head)]
    for s in summaries:
        row = f"{s.policy:<11} {s.games:>5} " + " ".join(f"{s.outcome_shares[o]:>8.0%}" for o in OUTCOMES)
        row += f" {s.score_mean:>6.1f} {s.score_sd:>5.1f} {s.vs_rival_median:>7.2f}x {s.bankruptcy_rate:>8.0%}"
        row += f" {s.down_rounds_per_game:>6.2f} {s.scrutiny_events_per_game:>5.2f}"
        lines.append(row)
    lines.append("")
    lines.append(
        "Outcome columns are shares of games. score: mean (sd) in points (the parts give up to 100, times the outcome multiplier)."
    )
    lines.append("vs rival: median final valuation over the top rival's. bankrupt: ran out of cash or defaulted.")
    lines.append("down/g: down rounds per game. reg/g: regulatory actions and scrutiny events per game.")
    return "\n".join(lines)


class SweepError(ValueError):
    """A sweep setting that names no content value, or a value the content models refuse."""


def with_setting(pack: Pack, scenario: str, key: str, value: str) -> Pack:
    """A copy of `pack` with one value changed and validated again.

    `key` is a dotted path into the rules (`rounds.ask_slope`, or `rules.rounds.ask_slope`) or into
    the scenario being played (`scenario.market.growth`).
    """
    data = pack.model_dump()
    parts = key.split(".")
    if parts[0] == "scenario":
        index = next(i for i, s in enumerate(data["scenarios"]) if s["id"] == scenario)
        node, path = data["scenarios"][index], parts[1:]
    else:
        node, path = data["rules"], parts[1:] if parts[0] == "rules" else parts
    for name in path[:-1]:
        if not isinstance(node, dict) or name not in node:
            raise SweepError(f"{key!r} names no content value ({name!r} is not there).")
        node = node[name]
    if not isinstance(node, dict) or not path or path[-1] not in node:
        raise SweepError(f"{key!r} names no content value.")
    old = node[path[-1]]
    try:
        node[path[-1]] = type(old)(value) if isinstance(old, (int, float)) and not isinstance(old, bool) else value
    except ValueError:
        raise SweepError(f"{key}={value!r}: expected a number like the current {old!r}.") from None
    try:
        return Pack.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SweepError(f"{key}={value!r} is refused by the content rules: {first['msg']}.") from None


def sweep(
    scenario: str,
    policies: list[str],
    games: int,
    key: str,
    values: list[str],
    seed: int = 0,
    difficulty: str = "normal",
    pack: Pack | None = None,
) -> list[tuple[str, list[PolicySummary]]]:
    """Simulate every policy once per value of one setting (`difficulty` or a content value)."""
    base = pack if pack is not None else load_content()
    out = []
    for value in values:
        if key == "difficulty":
            out.append((value, simulate(scenario, policies, games, seed, value, pack=base)))
        else:
            changed = with_setting(base, scenario, key, value)
            out.append((value, simulate(scenario, policies, games, seed, difficulty, pack=changed)))
    return out


def sweep_table(key: str, rows: list[tuple[str, list[PolicySummary]]]) -> str:
    """A balance table: one row per value and policy."""
    head = f"{key:<24} {'policy':<11} {'score':>6} {'sd':>5} {'bankrupt':>8} {'forced':>7} {'dependent':>9} {'fortress':>8} {'ipo':>5} {'vs rival':>8}"
    lines = [head, "-" * len(head)]
    for value, summaries in rows:
        for s in summaries:
            o = s.outcome_shares
            lines.append(
                f"{value:<24} {s.policy:<11} {s.score_mean:>6.1f} {s.score_sd:>5.1f} {s.bankruptcy_rate:>8.0%} "
                f"{o['forced_sale']:>7.0%} {o['dependent']:>9.0%} {o['fortress']:>8.0%} {o['ipo']:>5.0%} {s.vs_rival_median:>7.2f}x"
            )
        lines.append("")
    return "\n".join(lines)
