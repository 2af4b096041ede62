"""Frozen parameters of one world: every number the engine uses, grouped as the content is.

Params are built from a content pack by the session layer (`game.session.build`); the engine never
reads files. Each group is a frozen record whose fields carry the content's own names: `market`,
`demand`, `capability`, `costs`, `sentiment`, `valuation`, `rounds`, `deals`, `debt`, `scrutiny`,
`outcomes`, `rivals` and `ipo` mirror the sections of `model.toml`; `providers`, `investors` and
`options` hold one array entry per cloud provider (P), investor type (I) and owned-capacity option
(O) in the scenario's order; `cloud` the reserved and spot options; `score` the scenario's weights;
`events` the compiled event tables (E). Lab arrays are indexed by lab (L, the player first). The
cap-table holder axis (K) is: founders, each investor type, each provider, and "other holders"
(public shareholders after an IPO, or buyers of divested stakes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

BUST, NEUTRAL, BOOM = 0, 1, 2
SENTIMENT_NAMES = ("bust", "neutral", "boom")

PLAYING = -1
FORCED_SALE, DEPENDENT, SURVIVOR, FORTRESS, IPO = 0, 1, 2, 3, 4
OUTCOME_NAMES = ("forced_sale", "dependent", "survivor", "fortress", "ipo")

# deal responses (NO_ANSWER: the offer was not answered this quarter) and counter-offer terms
NO_ANSWER, DECLINE, ACCEPT, COUNTER = -1, 0, 1, 2
RULES_VERSION = 3
"""The version of the game's economics: raised whenever the same seed and actions would play out
differently. A save records it, and replays only under the rules that made it."""

COUNTER_TERMS = ("exclusivity", "board_seat", "commitment", "investment")
TERM_EXCLUSIVITY, TERM_BOARD_SEAT, TERM_COMMITMENT, TERM_INVESTMENT = range(len(COUNTER_TERMS))
"""What a counter-offer asks: drop exclusivity, drop the board seat, cut the commitment, raise the investment."""
NO_TERM = -1

# regulatory actions
REG_NONE, REG_INFO, REG_INVESTIGATION, REG_CONSENT, REG_FINE = 0, 1, 2, 3, 4
REG_NAMES = ("none", "info_request", "investigation", "consent_order", "fine")

# condition operators in event tables
OPS = ("<", "<=", ">", ">=", "==", "!=")
EFFECT_OPS = ("add", "mul", "set")

# own-capacity kinds
KIND_DC, KIND_CHIPS = 0, 1


@dataclass(frozen=True)
class Market:
    """`[market]` and the scenario's market: supply, scarcity, prices, lead times."""

    scarcity_floor: float
    scarcity_cap: float
    pipeline_weight: float
    cloud_price_elasticity: float
    spot_price_elasticity: float
    spot_discount: float
    reserved_fill_scarcity: float
    spot_fill_scarcity: float
    supply_noise_sd: float
    shock_recovery: float
    max_lead: int
    supply_growth: float
    other_demand_growth: float
    growth_decay: float


@dataclass(frozen=True)
class Demand:
    """`[demand]`: how the market's spending is shared and served."""

    revenue_per_gw_growth: float
    share_alpha: float
    share_inertia: float
    reliability_weight: float
    perception_weight: float
    perception_cap: float
    market_noise_sd: float
    others_share_floor: float


@dataclass(frozen=True)
class Capability:
    """`[capability]`: training compute into capability; morale; talent."""

    gain: float
    exponent: float
    diffusion: float
    morale_recovery: float
    talent_weight: float
    morale_max: float


@dataclass(frozen=True)
class Costs:
    """`[costs]`: running costs every lab pays."""

    opex_share_of_revenue: float
    opex_growth: float
    depreciation: float


@dataclass(frozen=True)
class Sentiment:
    """`[sentiment]`: the bust / neutral / boom regime, each array by regime."""

    transition_cdf: F  # (3, 3) cumulative rows of the transition matrix
    market_growth_mult: F  # (3,)
    multiple: F  # (3,)
    base_close: F  # (3,)


@dataclass(frozen=True)
class Valuation:
    """`[valuation]`: fair value = ARR x multiple."""

    growth_reference: float
    growth_weight: float
    capability_exponent: float
    perception_exponent: float
    scrutiny_discount: float
    drift: float
    min_multiple: float
    growth_factor_min: float
    growth_factor_max: float


@dataclass(frozen=True)
class Rounds:
    """`[rounds]` and the difficulty's closing chance: how priced rounds close or fail."""

    ask_slope: float
    size_exponent: float
    info_request_penalty: float
    max_new_money: float
    max_close: float
    confidence_down_round: float
    confidence_failed: float
    confidence_closed: float
    confidence_recovery: float
    down_round_morale: float
    full_mark_share: float
    mark_premium_cap: float
    breadth_step: float
    lead_min_share: float
    close_mult: float


@dataclass(frozen=True)
class Deals:
    """`[deals]`: cloud providers' offers and counter-offers."""

    reference_arr: float
    commit_over_reserved: float
    price_discount: float
    counter_base: float
    counter_scarcity_slope: float
    counter_commit_cut: float
    counter_invest_raise: float
    restructure_fee: float
    offer_pre_low: float
    offer_pre_high: float
    min_offer_scale: float


@dataclass(frozen=True)
class Debt:
    """`[debt]`: secured loans and convertible notes."""

    loan_to_value: float
    interest: float
    covenant_cash_ratio: float
    note_interest: float
    note_discount: float
    note_cap: float
    note_maturity: int
    note_default_price: float
    note_default_confidence: float


@dataclass(frozen=True)
class Scrutiny:
    """`[scrutiny]` and the difficulty's hazard: the regulator's attention and its actions."""

    decay: float
    stake_weight: float
    exclusive_weight: float
    board_weight: float
    share_weight: float
    share_threshold: float
    compliance_effect: float
    hazard_base: float
    hazard_slope: float
    hazard_mult: float
    band_split: float
    weight_low: F  # (4,) info request, investigation, consent order, fine
    weight_high: F
    info_request_quarters: int
    investigation_quarters: int
    legal_cost: float
    consent_divest: float
    consent_remedy_share_of_arr: float
    consent_monitor_quarters: int
    consent_monitor_cost: float
    consent_scrutiny: float
    consent_confidence: float
    fine_share_of_arr: float
    action_scrutiny_relief: float


@dataclass(frozen=True)
class Outcomes:
    """`[outcomes]` and the scenario's bars: dependency, the outcome tests, the multipliers."""

    dependent_threshold: float
    fortress_max_dependency: float
    fortress_min_runway: float
    fortress_min_valuation: float
    runway_cap: float
    survivor_min_runway: float
    absorbed_valuation: float
    start_vs_rival: float
    dependency_compute_weight: float
    dependency_stake_weight: float
    dependency_stake_reference: float
    dependency_exclusive: float
    dependency_board: float
    multiplier: F  # (5,) by outcome


@dataclass(frozen=True)
class Score:
    """The scenario's `[score]`: the weights of the five parts and the targets for full marks."""

    weights: F  # (5,) valuation, runway, independence, scrutiny, ownership
    valuation_target: float
    runway_target: float


@dataclass(frozen=True)
class Ipo:
    """`[ipo]` and the scenario's ARR bar: filing and listing."""

    quarters_to_list: int
    float_fraction: float
    discount_max: float
    max_scrutiny: float
    min_runway: float
    ready_growth: float
    unready_discount: float
    postpone_chance: float
    fee_share: float
    min_arr: float


@dataclass(frozen=True)
class Rivals:
    """`[rivals]` and the scenario's rivals: arrays by lab (L,), entry 0 (the player) unused."""

    aggression: F
    raise_below_runway: F
    home: I64
    investor: int
    """The investor type rivals raise from (the deepest non-cloud pool)."""
    min_inference: float
    overbuild: float
    own_share: float
    own_max: float
    reserve_term: int
    whim: float
    raise_quarters: float
    raise_floor: float
    raise_pool_share: float
    raise_min_aggression: float
    ask_premium: float
    rescue_discount: float


@dataclass(frozen=True)
class Providers:
    """`providers.toml`, one entry per provider of the scenario (P,)."""

    base_price: F
    offer_chance: F
    invest_min: F
    invest_max: F
    credits_share: F
    term_min: I64
    term_max: I64
    exclusive_chance: F
    board_chance: F
    convertible_chance: F
    stake_cap: F
    counter_flex: F
    commit_per_invest: F
    revenue_share: F


@dataclass(frozen=True)
class Investors:
    """`investors.toml`, one entry per investor type of the scenario (I,)."""

    pool: F
    premium_tolerance: F
    sentiment_sensitivity: F
    min_amount: F
    scrutiny_weight: F
    max_cheque: F
    mark_weight: F
    is_cloud: B


@dataclass(frozen=True)
class Options:
    """`capacity.toml`'s owned options (data centres and chips), one entry each (O,)."""

    kind: I64  # KIND_DC or KIND_CHIPS
    price: F
    upfront: F
    lead: F
    lead_slope: F
    price_elasticity: F
    opex: F
    min_order: F
    max_order: F


@dataclass(frozen=True)
class Cloud:
    """`capacity.toml`'s reserved and spot options."""

    reserve_min: float
    reserve_max: float
    reserve_terms: I64  # the contract terms on offer, quarters
    spot_min: float
    spot_max: float
    contract_horizon: int
    """The longest contract any lab can hold (the length of the contract schedules)."""


@dataclass(frozen=True)
class Events:
    """`events.toml` compiled: one row per event (E), conditions (C) and effect targets (T)."""

    chance: F
    once: B
    cond_metric: I64  # (E, C) metric index, -1 = unused slot
    cond_op: I64  # (E, C)
    cond_value: F  # (E, C)
    add: F  # (E, T) additive effect per target
    mul: F  # (E, T) multiplicative effect per target (1 = none)
    set: F  # (E, T) value to set
    has_set: B  # (E, T)


@dataclass(frozen=True)
class Params:
    """Everything constant during a game."""

    n_turns: int
    lab_names: tuple[str, ...]
    provider_names: tuple[str, ...]
    investor_names: tuple[str, ...]
    option_names: tuple[str, ...]
    event_ids: tuple[str, ...]
    market: Market
    demand: Demand
    capability: Capability
    costs: Costs
    sentiment: Sentiment
    valuation: Valuation
    rounds: Rounds
    deals: Deals
    debt: Debt
    scrutiny: Scrutiny
    outcomes: Outcomes
    score: Score
    ipo: Ipo
    rivals: Rivals
    providers: Providers
    investors: Investors
    options: Options
    cloud: Cloud
    events: Events

    @property
    def n_labs(self) -> int:
        return len(self.lab_names)

    @property
    def n_providers(self) -> int:
        return len(self.provider_names)

    @property
    def n_investors(self) -> int:
        return len(self.investor_names)

    @property
    def n_holders(self) -> int:
        return 1 + self.n_investors + self.n_providers + 1

    def investor_holder(self, i: int) -> int:
        return 1 + i

    def provider_holder(self, p: int) -> int:
        return 1 + self.n_investors + p

    @property
    def other_holder(self) -> int:
        return self.n_holders - 1

    def holder_names(self) -> tuple[str, ...]:
        return ("founders", *self.investor_names, *self.provider_names, "others")
