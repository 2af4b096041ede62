"""Frozen parameters of one world: every number the engine uses, as floats and numpy arrays.

Params are built from a content pack by the session layer; the engine never reads files. Arrays
are indexed by lab (L, the player first), provider (P), investor type (I), owned-capacity option
(O) and event (E). The cap-table holder axis (K) is: founders, each investor type, each provider,
and "other holders" (public shareholders after an IPO, or buyers of divested stakes).
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

# deal responses and counter-offer terms
DECLINE, ACCEPT, COUNTER = 0, 1, 2
COUNTER_TERMS = ("exclusivity", "board_seat", "commitment", "investment")

# regulatory actions
REG_NONE, REG_INFO, REG_INVESTIGATION, REG_CONSENT, REG_FINE = 0, 1, 2, 3, 4
REG_NAMES = ("none", "info_request", "investigation", "consent_order", "fine")

# condition operators in event tables
OPS = ("<", "<=", ">", ">=", "==", "!=")
EFFECT_OPS = ("add", "mul", "set")

# own-capacity kinds
KIND_DC, KIND_CHIPS = 0, 1


@dataclass(frozen=True)
class Params:
    """Everything constant during a game."""

    n_turns: int
    lab_names: tuple[str, ...]
    provider_names: tuple[str, ...]
    investor_names: tuple[str, ...]
    option_names: tuple[str, ...]
    event_ids: tuple[str, ...]

    # market
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
    market_growth_decay: float
    market_noise_sd: float
    market_growth_mult: F  # (3,) by sentiment
    transition_cdf: F  # (3, 3) cumulative rows

    # demand and capability
    revenue_per_gw_growth: float
    share_alpha: float
    share_inertia: float
    reliability_weight: float
    perception_weight: float
    perception_cap: float
    capability_gain: float
    capability_exponent: float
    diffusion: float
    morale_recovery: float
    talent_weight: float

    # costs
    opex_share: float
    opex_growth: float
    depreciation: float

    # valuation and rounds
    multiple: F  # (3,)
    base_close: F  # (3,)
    growth_reference: float
    growth_weight: float
    growth_factor_min: float
    growth_factor_max: float
    capability_val_exponent: float
    perception_exponent: float
    scrutiny_discount: float
    valuation_drift: float
    min_multiple: float
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
    close_mult: float

    # investors (I,)
    inv_pool: F
    inv_tolerance: F
    inv_sensitivity: F
    inv_min: F
    inv_is_cloud: B
    inv_scrutiny: F

    # providers (P,)
    prov_base_price: F
    prov_offer_chance: F
    prov_invest_min: F
    prov_invest_max: F
    prov_credits_share: F
    prov_term_min: I64
    prov_term_max: I64
    prov_exclusive_chance: F
    prov_board_chance: F
    prov_convertible_chance: F
    prov_stake_cap: F
    prov_counter_flex: F
    prov_commit_per_invest: F

    # deals
    deal_reference_arr: float
    commit_over_reserved: float
    deal_price_discount: float
    counter_base: float
    counter_scarcity_slope: float
    counter_commit_cut: float
    counter_invest_raise: float
    restructure_fee: float
    offer_pre_low: float
    offer_pre_high: float

    # own capacity options (O,)
    opt_kind: I64
    opt_price: F
    opt_upfront: F
    opt_lead: F
    opt_lead_slope: F
    opt_elasticity: F
    opt_opex: F
    opt_min: F
    opt_max: F
    reserve_max: float
    contract_horizon: int
    reserve_min: float
    spot_max: float

    # debt
    loan_to_value: float
    loan_interest: float
    covenant_ratio: float
    note_interest: float
    note_discount: float

    # scrutiny
    scr_decay: float
    scr_stake_weight: float
    scr_exclusive_weight: float
    scr_board_weight: float
    scr_share_weight: float
    scr_share_threshold: float
    scr_compliance: float
    hazard_base: float
    hazard_slope: float
    hazard_mult: float
    band_split: float
    reg_weight_low: F  # (4,) info, investigation, consent, fine
    reg_weight_high: F
    info_quarters: int
    investigation_quarters: int
    legal_cost: float
    consent_divest: float
    fine_share: float
    action_relief: float

    # outcomes and score
    dependent_threshold: float
    fortress_max_dependency: float
    fortress_min_runway: float
    fortress_min_valuation: float
    runway_cap: float
    absorbed_valuation: float
    start_vs_rival: float
    dep_compute_weight: float
    dep_stake_weight: float
    dep_stake_reference: float
    dep_exclusive: float
    dep_board: float
    outcome_multiplier: F  # (5,)
    score_weights: F  # (5,) valuation, runway, independence, scrutiny, ownership
    valuation_target: float
    runway_target: float

    # ipo
    ipo_quarters: int
    ipo_float: float
    ipo_discount_max: float
    ipo_max_scrutiny: float
    ipo_min_runway: float
    ipo_min_arr: float

    # rivals (L,): entry 0 is the player and unused
    rival_aggression: F
    rival_raise_runway: F
    rival_home: I64
    rival_investor: int
    rv_min_inference: float
    rv_overbuild: float
    rv_own_share: float
    rv_own_max: float
    rv_reserve_term: int
    rv_whim: float
    rv_raise_quarters: float
    rv_raise_floor: float
    rv_raise_pool_share: float
    rv_raise_min_aggression: float
    rv_ask_premium: float
    rv_rescue_discount: float

    # events (E,) and their condition / effect tables
    ev_chance: F
    ev_once: B
    ev_cond_metric: I64  # (E, C) metric index, -1 = unused slot
    ev_cond_op: I64  # (E, C)
    ev_cond_value: F  # (E, C)
    ev_add: F  # (E, T) additive effect per target
    ev_mul: F  # (E, T) multiplicative effect per target (1 = none)
    ev_set: F  # (E, T) value to set
    ev_has_set: B  # (E, T)

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


def empty_float(shape: tuple[int, ...]) -> F:
    return np.zeros(shape, dtype=np.float64)
