"""A workshop's save folder, read as a class: the latest save of every team.

Teams are told apart by game id, not by name, so two teams that chose the same name are both
listed. Reading uses each save's summary (no replay), so the facilitator's live view stays quick
while autosaves land; damaged files are listed with their reason and skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from game.saves.errors import SaveError
from game.saves.format import SaveFile
from game.saves.load import read_save
from game.saves.replay import restore
from game.session.game import Game
from game.session.wording import position

OUTCOME_WORDS = {
    "forced_sale": "Forced sale",
    "dependent": "Dependent",
    "survivor": "Survivor",
    "fortress": "Fortress",
    "ipo": "IPO",
}


@dataclass(frozen=True)
class TeamRow:
    """Where one team stands, from its latest save."""

    team: str
    game_id: str
    workshop: str | None
    scenario: str
    seed: int
    quarter: str
    turn: int
    turns: int
    cash: float | None
    valuation: float | None
    rival_valuation: float | None
    outcome: str | None
    score: float | None
    saved_at: str
    path: Path

    @property
    def vs_rival(self) -> float | None:
        if self.valuation is None or not self.rival_valuation:
            return None
        return self.valuation / self.rival_valuation


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def _row(save: SaveFile, path: Path) -> TeamRow:
    s, m = save.settings, save.summary
    scenario = next(sc for sc in save.content.scenarios if sc.id == s.scenario)
    return TeamRow(
        team=s.lab_name,
        game_id=save.game_id,
        workshop=s.workshop,
        scenario=s.scenario,
        seed=s.seed,
        quarter=m.quarter,
        turn=m.turn,
        turns=s.quarters or scenario.quarters,
        cash=m.cash,
        valuation=m.valuation,
        rival_valuation=m.rival_valuation,
        outcome=m.outcome,
        score=m.score,
        saved_at=save.saved_at,
        path=path,
    )


def latest_saves(folder: Path | str) -> tuple[dict[str, tuple[SaveFile, Path]], list[Skipped]]:
    """The most advanced save of each game in `folder` (by game id), and the files skipped."""
    best: dict[str, tuple[SaveFile, Path]] = {}
    skipped: list[Skipped] = []
    root = Path(folder)
    if not root.is_dir():
        return best, [Skipped(root, "is not a folder")]
    for path in sorted(root.glob("*.json")):
        if path.name.startswith("."):
            continue
        try:
            save = read_save(path)
        except SaveError as exc:
            skipped.append(Skipped(path, f"{exc.problem} {exc.advice}"))
            continue
        key = save.game_id
        if key not in best or (len(save.turns), save.saved_at) > (len(best[key][0].turns), best[key][0].saved_at):
            best[key] = (save, path)
    return best, skipped


def class_status(folder: Path | str) -> tuple[list[TeamRow], list[Skipped]]:
    """Every team's latest position, best valuation against the rival first."""
    best, skipped = latest_saves(folder)
    rows = [_row(save, path) for save, path in best.values()]
    rows.sort(key=lambda r: (-(r.vs_rival or 0.0), r.team))
    return rows, skipped


def status_table(rows: list[TeamRow], skipped: list[Skipped]) -> str:
    """The facilitator's live view as plain text."""
    head = f"{'team':<24} {'quarter':<31} {'cash $B':>9} {'valuation $B':>13} {'vs rival':>9}  outcome"
    lines = [head, "-" * len(head)]
    for r in rows:
        cash = "" if r.cash is None else f"{r.cash:,.1f}"
        val = "" if r.valuation is None else f"{r.valuation:,.0f}"
        vs = "" if r.vs_rival is None else f"{r.vs_rival:.2f}x"
        outcome = OUTCOME_WORDS.get(r.outcome or "", "playing")
        lines.append(
            f"{r.team[:24]:<24} {position(r.quarter, r.turn, r.turns, r.outcome is not None):<31} "
            f"{cash:>9} {val:>13} {vs:>9}  {outcome}"
        )
    if not rows:
        lines.append("(no saves yet)")
    for s in skipped:
        lines.append(f"skipped {s.path.name}: {s.reason}")
    return "\n".join(lines)


@dataclass(frozen=True)
class WorldKey:
    """What makes two games the same world."""

    scenario: str
    difficulty: str
    seed: int
    quarters: int | None

    def describe(self) -> str:
        extra = f", {self.quarters} quarters" if self.quarters else ""
        return f"{self.scenario}, {self.difficulty}, seed {self.seed}{extra}"


def world_of(save: SaveFile) -> WorldKey:
    s = save.settings
    return WorldKey(s.scenario, s.difficulty, s.seed, s.quarters)


def collect_games(folder: Path | str, world: WorldKey | None = None) -> tuple[list[tuple[Game, Path]], list[Skipped]]:
    """Every team's latest save in `folder`, replayed and checked, for a class debrief.

    Saves that fail to load or replay are skipped with their reason; so are saves of another
    world (another scenario, seed, difficulty or length) than `world`, or, if `world` is None,
    than the world most teams played.
    """
    best, skipped = latest_saves(folder)
    if world is None and best:
        counts = Counter(world_of(save) for save, _ in best.values())
        world = counts.most_common(1)[0][0]
    games: list[tuple[Game, Path]] = []
    for save, path in sorted(best.values(), key=lambda sp: sp[0].settings.lab_name.lower()):
        if world is not None and world_of(save) != world:
            skipped.append(
                Skipped(path, f"is from another workshop ({world_of(save).describe()}, not {world.describe()}).")
            )
            continue
        try:
            games.append((restore(save, path), path))
        except SaveError as exc:
            skipped.append(Skipped(path, f"{exc.problem} {exc.advice}"))
    return games, skipped
