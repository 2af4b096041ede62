"""One game's state and the actions applied to it: the player's plan this quarter, undo, the
quarter resolved, the turns played.

`GameCore` holds the engine state of a single world (W = 1) and the actions chosen so far this
quarter. Nothing happens to the state until the quarter is resolved: actions only change the plan,
so undo is simply forgetting the last one. Resolving runs the engine on the plan with the keyed
draws of this quarter. The views (`dashboard`, `preview`, `report`, `outcomes`, `wording`) read a
`GameCore` and are not imported here; `game.session.game.Game` joins the two for the interface.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Self

import numpy as np

from game.content.models import Pack, Scenario
from game.engine import draws as engine_draws
from game.engine import rng
from game.engine.actions import Actions, hold
from game.engine.init import initial_state
from game.engine.legality import Plan
from game.engine.params import OUTCOME_NAMES, RULES_VERSION, Params
from game.engine.state import State
from game.engine.step import Info, step
from game.session import rules
from game.session.actions import (
    Action,
)
from game.session.build import build
from game.session.views import QuarterReport

__all__ = ["RULES_VERSION", "GameCore", "IllegalAction", "Load", "TurnRecord"]


class IllegalAction(ValueError):
    """An action that the rules do not allow now; the message says why."""


@dataclass
class TurnRecord:
    """What happened in one finished quarter."""

    actions: list[Action]
    report: QuarterReport
    state_after: State
    info: Info


@dataclass(frozen=True)
class Load:
    """A load (or branch) of this game from a save: it plays on from quarter `turn` with the
    negotiated dice keyed on `nonce`, a fresh random number, so a reload is a new draw that no
    save predicts, and the record shows the teacher it happened."""

    kind: str
    """`load` (from a save) or `branch` (a new game from a replay's stop)."""
    turn: int
    """Quarters finished in the save loaded: the quarter play went on from."""
    nonce: str
    """16 hex digits keying the negotiated draws from `turn` on (`game.engine.draws`)."""
    at: str
    """UTC time of the load, ISO 8601."""
    source: str
    """The name of the save loaded."""
    game_id: str
    """The game id of the save loaded (a branch gets an id of its own)."""
    line: bool = True
    """Whether this game descends from this load (its nonce keys this game's dice); False for a
    load of another line of the same game, kept so that the history lists every load."""
    left_turn: int | None = None
    """Quarters finished on the line left behind by the load (None: no later point was found)."""
    left_score: float | None = None
    """The score of the line left behind, where it was left."""
    first_line: tuple[tuple[Action, ...], ...] | None = None
    """Every quarter's actions of the line left, when it was the game's first line (no load before)."""

    @property
    def went_back(self) -> bool:
        """A reload: the game had been played further than the save loaded, or was branched."""
        return self.kind == "branch" or (self.left_turn is not None and self.left_turn > self.turn)


@dataclass
class GameCore:
    """A single game in progress."""

    pack: Pack
    scenario: Scenario
    difficulty_id: str
    seed: int
    lab_name: str
    params: Params
    state: State
    start_state: State
    pending: list[Action] = field(default_factory=list)
    turns: list[TurnRecord] = field(default_factory=list)
    game_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    """Tells this game apart from others with the same lab name; no effect on play."""
    quarters: int | None = None
    """The shortened length of a workshop game, or None for the scenario's own length."""
    workshop: str | None = None
    """The join code of the workshop this game was started from, if any."""
    loads: list[Load] = field(default_factory=list)
    """Every load and branch of this game, oldest first (the save's history)."""
    _plan_cache: Plan | None = field(default=None, repr=False, compare=False)
    _plan_key: tuple[int, tuple[Action, ...]] | None = field(default=None, repr=False, compare=False)

    # ---- creation --------------------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        pack: Pack,
        scenario_id: str,
        difficulty_id: str = "normal",
        seed: int = 0,
        lab_name: str | None = None,
        quarters: int | None = None,
    ) -> Self:
        """A new game. Raises KeyError for an unknown scenario or difficulty.

        `quarters` shortens the scenario (a workshop with less time); it cannot lengthen it.
        """
        scenario = pack.scenario(scenario_id)
        difficulty = pack.difficulty(difficulty_id)
        name = (lab_name or scenario.lab_name).strip() or scenario.lab_name
        params, start = build(pack, scenario, difficulty, name, quarters)
        state = initial_state(params, start, np.array([rng.seed_key(seed)], dtype=np.uint64))
        return cls(pack, scenario, difficulty_id, int(seed), name, params, state, state, quarters=quarters)

    # ---- names -------------------------------------------------------------------------------------

    @property
    def turn(self) -> int:
        return int(self.state.turn[0])

    @property
    def over(self) -> bool:
        return bool(self.state.done[0])

    @property
    def outcome(self) -> str | None:
        code = int(self.state.outcome[0])
        return OUTCOME_NAMES[code] if code >= 0 else None

    def quarter_label(self, turn: int | None = None) -> str:
        """The calendar quarter of `turn` (default: the current one), e.g. `Q3 2026`."""
        t = self.turn if turn is None else turn
        q, year = self.scenario.start_label.split()
        index = int(q[1:]) - 1 + t
        return f"Q{index % 4 + 1} {int(year) + index // 4}"

    def provider_index(self, provider_id: str) -> int:
        return self.params.provider_names.index(provider_id)

    def provider_name(self, provider_id: str) -> str:
        return next(p.name for p in self.pack.providers if p.id == provider_id)

    def investor_name(self, investor_id: str) -> str:
        return next(i.name for i in self.pack.investors if i.id == investor_id)

    def option_name(self, option_id: str) -> str:
        return next(o.name for o in self.pack.capacity if o.id == option_id)

    # ---- actions -----------------------------------------------------------------------------------

    def check(self, action: Action) -> str | None:
        """Why `action` is illegal now, given the state and this quarter's plan so far, or None if
        it may be applied (the rules: `game.engine.legality`; the words: `game.session.reasons`)."""
        verdict = rules.submit(self._plan(), self.pack, action, fold=False)
        return rules.explain(self.pack, self.params, self.scenario.regulator, action, verdict)

    def apply(self, action: Action) -> None:
        """Add `action` to this quarter's plan, or raise IllegalAction with the reason."""
        reason = self.check(action)
        if reason is not None:
            raise IllegalAction(reason)
        rules.submit(self._plan(), self.pack, action, fold=True)
        self.pending.append(action)
        self._plan_key = (id(self.state), tuple(self.pending))

    def undo(self) -> Action | None:
        """Take back the last action of this quarter (None if there is none)."""
        return self.pending.pop() if self.pending else None

    def _plan(self) -> Plan:
        """The rules' plan of the pending actions (kept while neither they nor the state change)."""
        key = (id(self.state), tuple(self.pending))
        if self._plan_cache is None or self._plan_key != key:
            self._plan_cache = self._plan_of(self.pending)
            self._plan_key = key
        return self._plan_cache

    def _plan_of(self, actions: list[Action]) -> Plan:
        plan = Plan(self.params, self.state)
        for action in actions:
            rules.submit(plan, self.pack, action, fold=True)
        return plan

    def plan(self, actions: list[Action] | None = None) -> Actions:
        """The engine's decisions for this quarter from `actions` (default: the pending ones)."""
        plan = self._plan() if actions is None else self._plan_of(actions)
        return plan.actions.copy()

    def play_plan(self, actions: Actions) -> list[Action]:
        """Apply the player's decisions `actions` (world 0, built through the rules' `Plan`, as a
        bot builds them) as session actions; returns them."""
        taken = rules.actions_of(self.params, self.pack, actions, hold(self.params, self.state))
        for action in taken:
            self.apply(action)
        return taken

    def project(self, actions: list[Action] | None = None) -> tuple[State, Info]:
        """The end of this quarter if `actions` (default: pending) are taken and nothing unusual
        happens: no events, no regulatory action, average noise, rounds and counters succeed."""
        plan = self.plan(actions)
        return step(self.params, self.state, plan, engine_draws.neutral(self.params, self.state))

    # ---- the turn ----------------------------------------------------------------------------------

    def resolve(self) -> tuple[State, Info, list[Action]]:
        """Resolve the quarter with the pending actions: the state before it, what happened and
        the actions taken. The caller records the turn (`Game.end_turn` words its report)."""
        if self.over:
            raise IllegalAction("The game is over.")
        before = self.state
        attempt = np.array([self.attempt_key()], dtype=np.uint64)
        after, info = step(self.params, before, self.plan(), engine_draws.draw(self.params, before, attempt=attempt))
        self.state = after
        actions, self.pending = list(self.pending), []
        return before, info, actions

    def attempt_key(self, turn: int | None = None) -> int:
        """The key of the negotiated dice of quarter `turn` (default: this one): the nonce of the
        latest load on this game's line from which that quarter was played, 0 for none."""
        t = self.turn if turn is None else turn
        key = 0
        for load in self.loads:
            if load.line and load.turn <= t:
                key = int(load.nonce, 16)
        return key

    def state_arrays(self, after_turn: int | None = None) -> dict[str, np.ndarray]:
        """The state as named arrays: now, or after finished turn `after_turn` (0 = the start)."""
        if after_turn is None:
            state = self.state
        elif after_turn == 0:
            state = self.start_state
        else:
            state = self.turns[after_turn - 1].state_after
        return dict(state.arrays())
