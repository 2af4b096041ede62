"""A workshop's save folder, read as a class: the latest save of every team.

Teams are told apart by game id, not by name, so two teams that chose the same name are both
listed. Every file is read by the one bounded reader (`game.saves.load.read_folder`); a file that
cannot be read, or whose replay fails, is listed as skipped with its reason; a save of another
world than the class's is skipped too. Nothing a save says about itself is trusted: the live view
and the debrief show what each save's replay gives, and a save whose seal, content or summary
does not hold up (`game.saves.trust.audit`) is listed as flagged with the reason, not ranked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from game.content.names import plain
from game.saves.errors import SaveError
from game.saves.format import SaveFile, seal_of
from game.saves.load import read_folder
from game.saves.replay import restore
from game.saves.store import summary_of
from game.saves.trust import Reference, audit
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
    """A file left out of the class: it cannot be used (skipped) or cannot be trusted (flagged)."""

    path: Path
    reason: str
    flagged: bool = False

    def line(self) -> str:
        """One line of plain text for a terminal or a report."""
        return f"{'flagged' if self.flagged else 'skipped'} {plain(self.path.name)}: {plain(self.reason)}"


def _row(save: SaveFile, game: Game, path: Path) -> TeamRow:
    s, m = save.settings, summary_of(game)
    return TeamRow(
        team=s.lab_name,
        game_id=save.game_id,
        workshop=s.workshop,
        scenario=s.scenario,
        seed=s.seed,
        quarter=m.quarter,
        turn=m.turn,
        turns=game.params.n_turns,
        cash=m.cash,
        valuation=m.valuation,
        rival_valuation=m.rival_valuation,
        outcome=m.outcome,
        score=m.score,
        saved_at=save.saved_at,
        path=path,
    )


def latest_saves(folder: Path | str) -> tuple[dict[str, tuple[SaveFile, Path]], list[Skipped]]:
    """The latest save of each game in `folder` (by game id), and the files skipped: the one whose
    history holds the most loads (the line the game went on with), then the most advanced."""
    best: dict[str, tuple[SaveFile, Path]] = {}
    skipped: list[Skipped] = []
    root = Path(folder)
    if not root.is_dir():
        return best, [Skipped(root, "is not a folder")]
    for entry in read_folder(root):
        save = entry.save
        if save is None:
            skipped.append(Skipped(entry.path, entry.reason))
            continue
        key = save.game_id
        if key not in best or (len(save.history), len(save.turns), save.saved_at) > (
            len(best[key][0].history),
            len(best[key][0].turns),
            best[key][0].saved_at,
        ):
            best[key] = (save, entry.path)
    return best, skipped


def class_status(
    folder: Path | str,
    reference: Reference | None = None,
    world: WorldKey | None = None,
    replays: Replays | None = None,
) -> tuple[list[TeamRow], list[Skipped]]:
    """Every team's latest position as its replay gives it, best valuation against the rival
    first, and the files skipped or flagged (see `collect_games`). `replays` carries the replays
    from one refresh of the live view to the next."""
    games, skipped = _collect(folder, world, reference, replays)
    rows = [_row(save, game, path) for game, save, path in games]
    rows.sort(key=lambda r: (-(r.vs_rival or 0.0), r.team))
    return rows, skipped


def status_table(rows: list[TeamRow], skipped: list[Skipped]) -> str:
    """The facilitator's live view as plain text (every name made safe for a terminal)."""
    head = f"{'team':<24} {'quarter':<31} {'cash $B':>9} {'valuation $B':>13} {'vs rival':>9}  outcome"
    lines = [head, "-" * len(head)]
    for r in rows:
        cash = "" if r.cash is None else f"{r.cash:,.1f}"
        val = "" if r.valuation is None else f"{r.valuation:,.0f}"
        vs = "" if r.vs_rival is None else f"{r.vs_rival:.2f}x"
        outcome = OUTCOME_WORDS.get(r.outcome or "", "playing")
        lines.append(
            f"{plain(r.team, 24):<24} {position(plain(r.quarter), r.turn, r.turns, r.outcome is not None):<31} "
            f"{cash:>9} {val:>13} {vs:>9}  {outcome}"
        )
    if not rows:
        lines.append("(no saves yet)")
    lines += [s.line() for s in skipped]
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


def collect_games(
    folder: Path | str, world: WorldKey | None = None, reference: Reference | None = None
) -> tuple[list[tuple[Game, Path]], list[Skipped]]:
    """Every team's latest save in `folder`, replayed and checked, for a class debrief.

    Saves that fail to load or replay are skipped with their reason; so are saves of another
    world (another scenario, seed, difficulty or length) than `world`, or, if `world` is None,
    than the world most teams played. A save that replays but does not hold up against
    `reference` (or against itself: its seal, its fingerprint, its summary) is flagged.
    """
    games, skipped = _collect(folder, world, reference)
    return [(game, path) for game, _, path in games], skipped


Replays = dict[str, "Game | str"]
"""Replays already done, by the hash of the save (`seal_of`): a game, or the reason it failed.
The live view keeps one between refreshes, so a save that has not changed is not replayed again."""


def _replay(
    save: SaveFile, path: Path, reference: Reference | None, replays: Replays | None, key: str = ""
) -> Game | Skipped:
    done = replays.get(key) if replays is not None else None
    if done is None:
        try:
            game = restore(save, path)
            flags = audit(save, game, reference)
            done = game if not flags else "flagged:" + "; ".join(flags) + "."
        except SaveError as exc:
            done = f"{exc.problem} {exc.advice}"
        except Exception:
            done = "could not be replayed: its content or actions break the game."
        if replays is not None:
            replays[key] = done
    if isinstance(done, Game):
        return done
    flagged = done.startswith("flagged:")
    return Skipped(path, done.removeprefix("flagged:"), flagged=flagged)


def _collect(
    folder: Path | str, world: WorldKey | None, reference: Reference | None, replays: Replays | None = None
) -> tuple[list[tuple[Game, SaveFile, Path]], list[Skipped]]:
    best, skipped = latest_saves(folder)
    if world is None and best:
        counts = Counter(world_of(save) for save, _ in best.values())
        world = counts.most_common(1)[0][0]
    games: list[tuple[Game, SaveFile, Path]] = []
    used: set[str] = set()
    for save, path in sorted(best.values(), key=lambda sp: (sp[0].settings.lab_name.lower(), sp[1].name)):
        if world is not None and world_of(save) != world:
            skipped.append(
                Skipped(path, f"is from another workshop ({world_of(save).describe()}, not {world.describe()}).")
            )
            continue
        key = f"{path.name}|{seal_of(save)}" if replays is not None else ""
        used.add(key)
        done = _replay(save, path, reference, replays, key)
        if isinstance(done, Skipped):
            skipped.append(done)
        else:
            games.append((done, save, path))
    if replays is not None:  # forget the saves that have been replaced since
        for key in set(replays) - used:
            del replays[key]
    skipped.sort(key=lambda s: (s.flagged, s.path.name))
    return games, skipped
