"""The answer key of a workshop's world: its key decisions, what the reference player does and
why, and the shocks every team meets, as Markdown for the teacher.

The key plays the workshop's world with the engine's own reference player (the player the
evaluation imagines) and judges each of its quarters with the same judgement `fortress analyse`
uses: what its choice is worth against doing nothing, and what taking each cloud offer on the
table would have been worth. The quarters where those choices are worth most are the world's key
decisions. Nothing here is a new model: the reference policy, the replay and the judge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from game.analysis.judge import BASELINE, judge_turn
from game.analysis.reference import reference_actions
from game.content.models import Pack, ReferencePolicy
from game.content.workshop import Workshop, join_code
from game.engine.actions import hold
from game.session import rules as session_rules
from game.session.actions import Action, OrderCapacity, RaiseRound, RespondDeal
from game.session.game import Game
from game.session.objectives import objective_marks
from game.session.views import Dashboard, Offer

SHOCK_TOPICS = ("event", "regulator", "rival")
"""Quarter-report topics that are shocks from outside the lab: content events, the regulator's
actions and the rivals' rounds and releases."""


@dataclass(frozen=True)
class DealValue:
    offer: Offer
    worth: float
    """Expected score of the reference plan with this offer accepted, minus without it."""
    reasons: list[str]


@dataclass(frozen=True)
class KeyQuarter:
    quarter: str
    turn: int
    before: Dashboard
    actions: list[str]
    why: list[str]
    plan_score: float
    """Expected score with the reference player's choice this quarter."""
    nothing_score: float | None
    """Expected score doing nothing this quarter (None: the reference player does nothing)."""
    deals: list[DealValue] = field(default_factory=list)
    shocks: list[tuple[str, str, str]] = field(default_factory=list)
    """(title, what happened, what it teaches) for each shock of the quarter."""
    scarcity: float = 0.0
    sentiment: str = ""

    @property
    def stake(self) -> float:
        """How much rides on this quarter's choices: the largest gap the key measured."""
        gaps = [abs(d.worth) for d in self.deals]
        if self.nothing_score is not None:
            gaps.append(abs(self.plan_score - self.nothing_score))
        return max(gaps, default=0.0)


def _why(game: Game, action: Action, d: Dashboard, ref: ReferencePolicy) -> str:
    """Why the reference player takes `action`, from its habits (content) and the lab's figures."""
    if isinstance(action, RaiseRound):
        return (
            f"its runway is {d.runway:.1f} quarters, under the {ref.raise_runway:g} below which it raises; "
            f"it asks fair value (${d.fair_value:,.0f}B) from the deepest investor pool that is not a cloud "
            f"partner, sized to about {ref.raise_quarters:g} quarters of burn"
        )
    if isinstance(action, OrderCapacity) and action.provider is not None:
        deps = ", ".join(f"{c.provider_name} {c.dependency:.0%}" for c in d.contracts) or "none yet"
        return (
            f"serving the demand it expects next quarter (+{ref.demand_growth:.0%}, with {ref.capacity_buffer:.0%} "
            f"spare) needs more than the capacity it will have; it reserves from the providers it depends on "
            f"least (dependency now: {deps})"
        )
    if isinstance(action, OrderCapacity):
        return (
            f"its runway ({d.runway:.1f} quarters) is above {ref.build_runway:g} and it owns less than "
            f"{ref.build_share:.0%} of its compute: it builds what it can pay for in full"
        )
    if isinstance(action, RespondDeal):
        return "it answers offers only by declining: taking one is a choice the key weighs below"
    return "one of its steady habits"


def _offer_text(o: Offer) -> str:
    money = f"${o.invest:.1f}B as a convertible note" if o.convertible else f"${o.invest:.1f}B for {o.stake:.1%}"
    strings = [f"{o.gw:.2f} GW at ${o.price:.1f}B per GW-quarter for {o.term} quarters"]
    if o.commit > 0:
        strings.append(f"${o.commit:.1f}B a quarter committed")
    if o.exclusive:
        strings.append("exclusivity")
    if o.board_seat:
        strings.append("a board seat")
    return f"{o.provider_name}: {money}, " + ", ".join(strings)


def play_key(
    pack: Pack, workshop: Workshop, rollouts: int, seed: int = 0, progress: Callable[[int, int], None] | None = None
) -> tuple[Game, list[KeyQuarter]]:
    """Play the workshop's world with the reference player, judging each quarter on the way."""
    judgement = pack.rules.judgement
    ref = judgement.reference
    game = Game.new(pack, workshop.scenario, workshop.difficulty, workshop.seed, "Reference player", workshop.quarters)
    quarters: list[KeyQuarter] = []
    while not game.over:
        if progress:
            progress(game.turn, game.params.n_turns)
        d = game.dashboard()
        plan = reference_actions(game.params, game.state, ref)
        actions = session_rules.actions_of(game.params, pack, plan, hold(game.params, game.state))
        judged, _ = judge_turn(game, actions, judgement, rollouts, seed)
        alternatives = dict(judged.alternatives)
        deals = []
        for offer in game.offers():
            accept = RespondDeal(provider=offer.provider, response="accept")
            if game.check(accept) is not None:
                continue
            with_deal, _ = judge_turn(game, [*actions, accept], judgement, rollouts, seed)
            deals.append(DealValue(offer, with_deal.after_decisions - judged.after_decisions, with_deal.reasons))
        report = game.replay_turn(actions)
        after = game.dashboard()
        quarters.append(
            KeyQuarter(
                quarter=report.quarter,
                turn=report.turn,
                before=d,
                actions=[game.describe(a) for a in actions],
                why=[_why(game, a, d, ref) for a in actions],
                plan_score=judged.after_decisions,
                nothing_score=alternatives.get("doing nothing"),
                deals=deals,
                shocks=[(i.title, i.text, i.teaching) for i in report.items if i.topic in SHOCK_TOPICS],
                scarcity=after.scarcity,
                sentiment=after.sentiment,
            )
        )
    if progress:
        progress(game.params.n_turns, game.params.n_turns)
    return game, quarters


def answer_key(
    pack: Pack,
    workshop: Workshop,
    rollouts: int,
    seed: int = 0,
    top: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """The answer key of the workshop's world, as Markdown."""
    game, quarters = play_key(pack, workshop, rollouts, seed, progress)
    ref = pack.rules.judgement.reference
    scenario = game.scenario
    summary = game.summary()
    lines = [
        f"# Answer key: {workshop.title}",
        "",
        f"{scenario.name} ({scenario.id}), {workshop.difficulty}, seed {workshop.seed}, "
        f"{game.params.n_turns} quarters; join code {join_code(workshop)}. For the teacher: not for the teams.",
        "",
        "## The reference player",
        "",
        "The engine judges every team against one steady player, the reference player. In this world it:",
        "",
        f"- keeps enough capacity to serve the demand it expects (+{ref.demand_growth:.0%} a quarter, "
        f"{ref.capacity_buffer:.0%} spare), reserved for {ref.reserve_term} quarters from the two providers "
        "it depends on least;",
        f"- builds its own campus, up to {ref.build_share:.0%} of its compute, while its runway is above "
        f"{ref.build_runway:g} quarters and it can pay in full;",
        f"- raises at fair value from the deepest investor pool that is not a cloud partner when its "
        f"runway falls under {ref.raise_runway:g} quarters;",
        "- keeps its training split and turns down every cloud offer.",
        "",
        BASELINE,
        "",
        f"Played through this world it ends **{summary.title}** with a score of {summary.score:.1f}. "
        "Its learning objectives:",
        "",
        *(f"- {m.word}: {m.text} ({m.label}: {m.evidence})" for m in objective_marks(game)),
        "",
        "## The key decisions of this world",
        "",
        f"The quarters where the choices are worth most, judged over {rollouts:,} futures each: the reference "
        "player's choice against doing nothing, and each cloud offer on the table taken on top of it.",
        "",
    ]
    ranked = sorted(quarters, key=lambda q: q.stake, reverse=True)[:top]
    for q in sorted(ranked, key=lambda q: q.turn):
        d = q.before
        lines += [
            f"### {q.quarter}",
            "",
            f"Before deciding: cash ${d.cash:.1f}B, runway {d.runway:.1f} quarters, demand served "
            f"{d.reliability:.0%}, compute {d.compute_gw:.2f} GW, largest dependency {d.max_dependency:.0%}, "
            f"scrutiny {d.scrutiny:.0%}, scarcity {d.scarcity:.2f}, valuation {d.vs_rival:.2f}x the rival.",
            "",
        ]
        if q.actions:
            lines.append("The reference player:")
            lines += [f"- {a}: {why}." for a, why in zip(q.actions, q.why, strict=True)]
        else:
            lines.append("The reference player does nothing this quarter.")
        if q.nothing_score is not None:
            lines += [
                "",
                f"Worth {q.plan_score - q.nothing_score:+.1f} points of expected score against doing nothing "
                f"({q.plan_score:.1f} against {q.nothing_score:.1f}).",
            ]
        for deal in q.deals:
            verdict = "costs" if deal.worth < 0 else "adds"
            lines += [
                "",
                f"Taking {_offer_text(deal.offer)} {verdict} {abs(deal.worth):.1f} points of expected score.",
            ]
            lines += [f"- {r}" for r in deal.reasons]
        lines += ["", "To ask the class: what did you do here, and what did it cost or earn you?", ""]
    lines += [
        "## The shocks of this world",
        "",
        "Every team meets the market's shocks in the same quarters; events that depend on a lab's own "
        "figures (its scrutiny, its runway, its partners) may come to some teams and not to others.",
        "",
        "| Quarter | Scarcity | Mood | What happened |",
        "|---|---|---|---|",
    ]
    for q in quarters:
        shocks = "; ".join(f"**{t}**: {text}" + (f" ({teach})" if teach else "") for t, text, teach in q.shocks)
        lines.append(f"| {q.quarter} | {q.scarcity:.2f} | {q.sentiment} | {shocks.replace('|', '/') or '-'} |")
    lines += [
        "",
        "## Quarter by quarter",
        "",
        "| Quarter | The reference player | Expected score after its choice | Doing nothing |",
        "|---|---|---|---|",
    ]
    for q in quarters:
        nothing = f"{q.nothing_score:.1f}" if q.nothing_score is not None else "-"
        lines.append(f"| {q.quarter} | {'; '.join(q.actions) or 'nothing'} | {q.plan_score:.1f} | {nothing} |")
    return "\n".join(lines) + "\n"
