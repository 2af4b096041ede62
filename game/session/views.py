"""Plain data the session hands to the interface: the dashboard, previews, reports and the end.

These are frozen dataclasses of Python numbers and strings (no numpy), so that the interface and
the saves can use them without knowing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Offer:
    """A cloud provider's offer this quarter."""

    provider: str
    provider_name: str
    invest: float
    credits: float
    stake: float
    """Stake the provider would take (0 for a convertible note)."""
    pre_money: float
    convertible: bool
    gw: float
    price: float
    term: int
    commit: float
    """Committed spend per quarter."""
    exclusive: bool
    board_seat: bool
    counter_chance: float
    """Chance the provider accepts a counter-offer now."""


@dataclass(frozen=True)
class CapacityChoice:
    """One way to get compute, priced at today's scarcity."""

    option: str
    name: str
    kind: str
    price: float
    """Own kinds: $B per GW up front and over the build; reserved and spot: $B per GW-quarter."""
    lead: int
    """Quarters to arrive (0 = this quarter)."""
    fill: float
    """Share of an order that can be delivered now (reserved and spot)."""
    min_order: float
    max_order: float
    terms: tuple[int, ...] = ()
    provider: str | None = None
    blurb: str = ""
    provider_name: str | None = None
    upfront: float = 0.0
    """Own kinds: share of the price paid when ordering (the rest is spread to delivery)."""
    opex: float = 0.0
    """Own kinds: running cost per GW-quarter once online ($B)."""


@dataclass(frozen=True)
class PipelineItem:
    option: str
    gw: float
    quarters: int
    """Quarters until it comes online (0: during the quarter being played)."""
    label: str
    """The quarter it arrives, e.g. `Q2 2027`."""


@dataclass(frozen=True)
class Contract:
    provider: str
    provider_name: str
    gw: float
    price: float
    quarters_left: int
    """Quarters until the last reserved contract with this provider ends."""
    ending_next: float
    """GW of reserved capacity whose contract ends after the quarter being played."""
    commit: float
    commit_left: int
    credits: float
    notes: float
    stake: float
    dependency: float
    exclusive: bool
    board_seat: bool


@dataclass(frozen=True)
class NoteView:
    """A provider's convertible note, as the cap table shows it."""

    provider: str
    provider_name: str
    principal: float
    owed: float
    """Principal plus the interest accrued."""
    cap: float
    """The valuation cap it converts at, at most."""
    discount: float
    """The discount to a round's or listing's price it converts at, at most."""
    due: str
    """The quarter it matures, e.g. `Q2 2028`."""
    quarters_left: int
    """Quarters until it matures (0: during the quarter being played)."""


@dataclass(frozen=True)
class RivalView:
    name: str
    valuation: float
    arr: float
    capability: float
    share: float
    gw: float


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows, for the player's lab."""

    lab: str
    quarter: str
    turn: int
    turns: int
    cash: float
    burn: float
    """Operating burn last quarter: costs other than capital spending, minus revenue."""
    gross_margin: float
    """Revenue less the compute that served it (the inference share of the compute bills), over
    revenue (`session.dashboard.gross_margin`)."""
    capex_due: float
    """Capital payments already scheduled for the coming quarters (owned capacity on order)."""
    runway: float
    """Quarters until the cash runs out, paying the burn and the scheduled capital payments."""
    revenue: float
    arr: float
    growth: float
    demand: float
    reliability: float
    valuation: float
    fair_value: float
    last_post: float
    rival: str
    rival_valuation: float
    vs_rival: float
    """The lab's business value over the strongest rival's (`business` over `rival_business`)."""
    business: float
    """The valuation less net cash (cash minus debt and notes): what the outcome compares."""
    rival_business: float
    capability: float
    capability_rel: float
    share: float
    own_gw: float
    reserved_gw: float
    compute_gw: float
    train_share: float
    inference_gw: float
    needed_gw: float
    """Inference capacity that would have served all of last quarter's demand."""
    scarcity: float
    sentiment: str
    cloud_price: float
    spot_price: float
    chip_lead: int
    dc_lead: int
    scrutiny: float
    hazard: float
    max_dependency: float
    dependent_at: float
    """The dependency at which a lab is in a partner's orbit (the content's threshold)."""
    fortress_dependency: float
    """The dependency a fortress must stay below."""
    debt: float
    loan_limit: float
    commitments: float
    confidence: float
    morale: float
    compliance: float
    info_request: int
    investigation: int
    ipo_quarters: int
    listed: bool
    cap_table: tuple[tuple[str, float], ...]
    notes: tuple[NoteView, ...]
    """Convertible notes outstanding: not yet shares, they convert at the next round or listing."""
    contracts: tuple[Contract, ...]
    rivals: tuple[RivalView, ...]
    pipeline: tuple[PipelineItem, ...]
    score: float
    """The score if the game ended now, with the outcome it would end in (the final score once over)."""
    forecast: Forecast | None = None
    """This quarter in a calm market with the plan so far (None for a past quarter or a game over)."""


@dataclass(frozen=True)
class Forecast:
    """This quarter's customers and compute in a calm market (the dice at their middle), with the
    plan so far: what the quarter would serve if it ended now, the same projection previews use."""

    demand: float
    served: float
    needed_gw: float
    """Inference capacity that would serve all of this quarter's demand."""
    serving_gw: float
    """Inference capacity this quarter with the plan so far (deliveries and the split included)."""


@dataclass(frozen=True)
class Preview:
    """The projected effect of an action on the end of this quarter, before it is applied."""

    legal: bool
    reason: str | None
    chance: float | None = None
    """Chance the round closes, or the counter-offer is accepted."""
    cash: tuple[float, float] = (0.0, 0.0)
    burn: tuple[float, float] = (0.0, 0.0)
    runway: tuple[float, float] = (0.0, 0.0)
    founders: tuple[float, float] = (0.0, 0.0)
    new_stake: float = 0.0
    dependency: tuple[float, float] = (0.0, 0.0)
    scrutiny: tuple[float, float] = (0.0, 0.0)
    commitments: tuple[float, float] = (0.0, 0.0)
    compute: tuple[float, float] = (0.0, 0.0)
    cap_table: tuple[tuple[str, float], ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportItem:
    """One paragraph of a quarter report."""

    topic: str
    """money, round, deal, capacity, market, rival, regulator, event, warning"""
    title: str
    text: str
    teaching: str = ""


@dataclass(frozen=True)
class CashLine:
    """One line of a quarter's cash bridge."""

    kind: str
    """start, in, out or end"""
    label: str
    amount: float
    """The balance for start and end; the money that came in or went out (positive) otherwise."""


@dataclass(frozen=True)
class QuarterReport:
    quarter: str
    turn: int
    items: tuple[ReportItem, ...]
    revenue: float
    demand: float
    costs: float
    cost_parts: tuple[tuple[str, float], ...]
    raised: float
    repaid: float
    cash_before: float
    cash_after: float
    events: tuple[str, ...] = ()
    game_over: bool = False
    bridge: tuple[CashLine, ...] = ()
    """Cash at the start, each inflow, each outflow and cash at the end: start + ins - outs = end."""
    credits: float = 0.0
    """Cloud bills paid with compute credits (not cash, so outside the bridge)."""
    burn: float = 0.0
    """Operating burn: costs other than capital spending and events, minus revenue."""


@dataclass(frozen=True)
class ScorePart:
    name: str
    value: float
    weight: float
    points: float
    explanation: str
    measure: str = ""
    """The raw figure behind the value, e.g. `0.22x the rival's valuation (full marks at 0.50x)`."""


@dataclass(frozen=True)
class ObjectiveMark:
    """A learning objective marked for one game: met or not, and the figures that say so."""

    text: str
    label: str
    """What meeting it means ("kept independence")."""
    met: bool | None
    """None: the objective has no check (a save written before objectives were marked)."""
    evidence: str
    """The figures, e.g. `dependency 0.31, below 0.55 all game`."""
    final: bool
    """False while the game is in progress: the mark so far."""

    @property
    def word(self) -> str:
        return "not checked" if self.met is None else ("met" if self.met else "not met")

    @property
    def line(self) -> str:
        """The mark in one line: `met: kept independence: dependency 0.31, below 0.55 all game`."""
        return f"{self.word}: {self.label}: {self.evidence}" if self.label else f"{self.word}: {self.evidence}"


@dataclass(frozen=True)
class GameOver:
    outcome: str
    title: str
    explanation: str
    score: float
    multiplier: float
    parts: tuple[ScorePart, ...]
    objectives: tuple[ObjectiveMark, ...] = field(default_factory=tuple)
    """The scenario's learning objectives, each marked met or not met."""
    scale: str = ""
    """How the score is counted (`wording.score_scale`)."""


@dataclass(frozen=True)
class OutcomeTest:
    """One condition of an outcome: what it needs, where the lab stands, and whether it is met."""

    label: str
    short: str
    """One word for the test ("valuation", "runway", "dependency", "cash")."""
    need: str
    now: str
    met: bool


@dataclass(frozen=True)
class OutcomeNow:
    outcome: str
    """The outcome the game ends in (or would end in, were it to end now)."""
    title: str
    final: bool
    """True once the game is over."""
    fortress: tuple[OutcomeTest, ...]
    """Everything a fortress needs; all met and the lab is one."""
    safety: tuple[OutcomeTest, ...]
    """What keeps the lab out of a forced sale and out of a partner's orbit."""

    @property
    def missing(self) -> list[str]:
        """The fortress tests not met, one word each."""
        return [t.short for t in self.fortress if not t.met]
