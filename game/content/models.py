"""Pydantic models of a Fortress content pack.

A content pack is a folder of TOML files: the rules of the economy (`model.toml`), the cloud
providers, investor types, capacity options, difficulty levels, events, the glossary and one file
per scenario. Every model forbids unknown keys, so a misspelt key is reported rather than ignored.
Units throughout: money in billions of US dollars ($B), compute in gigawatts (GW), time in
quarters.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from game.content.names import unsafe

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]


def printable(text: str) -> str:
    """`text` if it holds no control character, else a ValueError naming them."""
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if unsafe(ch)})
    if bad:
        raise ValueError(f"a name may not hold control characters ({', '.join(bad[:3])})")
    return text


def plain_name(text: str) -> str:
    """A content name: printable and free of square brackets, which screens would read as markup."""
    printable(text)
    if "[" in text or "]" in text:
        raise ValueError("a name may not hold square brackets (screens would read them as markup)")
    return text


Name = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(plain_name)]
"""A name from a content pack, shown on every screen and report: printable, no square brackets, at
most 80 characters. (Names players type may hold brackets: those are escaped where shown.)"""

SENTIMENTS = ("bust", "neutral", "boom")
Sentiment = Literal["bust", "neutral", "boom"]


MAX_MAGNITUDE = 100_000.0
"""No number in a content pack is larger than this ($B 100,000, 100,000 rollouts): a larger one is
a typing mistake, and would overflow the engine's arithmetic or its memory."""
MAX_TERM = 40
"""Longest contract term, lead time or build a pack may name (quarters: ten years)."""
Quarters = Annotated[int, Field(ge=1, le=MAX_TERM)]
MAX_ITEMS = 50
"""Most providers, investor types, capacity options, difficulty levels or scenarios in one pack."""
MAX_EVENTS = 1000
"""Most events, or glossary terms, in one pack."""


def _insane(value: object) -> float | None:
    """The first number in `value` (a number, or a list or table of them) that no pack may hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE else None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else ()
    for item in items:
        found = _insane(item)
        if found is not None:
            return found
    return None


class Strict(BaseModel):
    """Base for every content model: unknown keys are errors, values are immutable, and every
    number lies within ±MAX_MAGNITUDE (tighter ranges are declared field by field)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _sane_numbers(cls, value: object) -> object:
        found = _insane(value)
        if found is not None:
            raise ValueError(f"{found:g} is outside the range any content value may take (±{MAX_MAGNITUDE:,.0f})")
        return value


# --------------------------------------------------------------------------------------------
# model.toml: the rules of the economy
# --------------------------------------------------------------------------------------------


class MarketRules(Strict):
    """How the compute market turns supply and orders into scarcity, prices and lead times."""

    scarcity_floor: Positive
    """Lowest the scarcity index can fall (a glut)."""
    scarcity_cap: Positive
    """Highest the scarcity index can rise."""
    pipeline_weight: Fraction
    """Share of capacity under construction that counts as demand on the chip supply."""
    cloud_price_elasticity: NonNeg
    """Reserved cloud price = provider base price x scarcity ** this."""
    spot_price_elasticity: NonNeg
    """Spot price = spot discount x base price x scarcity ** this."""
    spot_discount: Positive
    """Spot price at scarcity 1, as a fraction of the average reserved base price."""
    reserved_fill_scarcity: Positive
    """Reserved orders fill completely below this scarcity, then fill this / scarcity."""
    spot_fill_scarcity: Positive
    """Spot requests fill completely below this scarcity, then (this / scarcity) squared."""
    supply_noise_sd: NonNeg
    """Quarterly noise on global cloud supply growth."""
    shock_recovery: Fraction
    """Share of a supply shock or an extra lead time that fades each quarter."""
    max_lead: Annotated[int, Field(ge=2, le=24)]
    """Longest lead time the order pipeline can hold, in quarters."""


class DemandRules(Strict):
    """How the AI market's spending is shared between labs and turned into revenue."""

    revenue_per_gw: Positive
    """Revenue ($B per quarter) one GW of inference capacity can serve at the start."""
    revenue_per_gw_growth: float
    """Quarterly growth of revenue per inference GW (efficiency gains)."""
    share_alpha: NonNeg
    """How strongly market share follows relative capability."""
    share_inertia: Fraction
    """Share of last quarter's market share carried into this one."""
    reliability_weight: Fraction
    """How much failing to serve demand last quarter costs in attractiveness."""
    perception_weight: NonNeg
    """How much valuation against the top rival sways enterprise buyers."""
    perception_cap: Annotated[float, Field(ge=1.0)] = 1e9
    """Valuation ratios against the top rival count only up to this (and down to its inverse) in
    every perception effect: buyers, recruits and the multiple. (Added after the first release;
    the default keeps packs and saves written before it playing exactly as they did.)"""
    market_noise_sd: NonNeg
    """Quarterly noise on market growth."""
    others_share_floor: Fraction = 0.01
    """Smallest share of the market that everyone outside the modelled labs holds at the start,
    however much the labs' own revenue adds up to."""


class CapabilityRules(Strict):
    """How training compute becomes capability."""

    gain: NonNeg
    """Capability points a quarter per (training GW) ** exponent."""
    exponent: Annotated[float, Field(gt=0.0, le=1.0)]
    """Diminishing returns on training compute."""
    diffusion: Fraction
    """Share of the gap to the leading lab a lab closes each quarter (ideas spread)."""
    morale_recovery: Fraction
    """Share of lost morale regained each quarter."""
    talent_weight: NonNeg
    """How much valuation against the top rival helps hiring (capability gain)."""
    morale_max: Positive = 1.5
    """Highest staff morale can rise (1 = normal), whatever good news an event brings."""


class CostRules(Strict):
    """Running costs that are the same for every lab."""

    opex_share_of_revenue: Fraction
    """Variable staff, sales and support costs as a share of revenue."""
    opex_growth: float
    """Quarterly growth of fixed staff costs (hiring)."""
    depreciation: Fraction
    """Quarterly depreciation of owned data centres and chips (sets their loan value)."""


class SentimentRules(Strict):
    """Investor sentiment: a Markov regime of bust, neutral and boom."""

    transition: list[list[Fraction]]
    """Rows bust, neutral, boom: the chance of moving to each regime next quarter."""
    market_growth_mult: list[NonNeg]
    """Multiplier on market growth in bust, neutral and boom."""
    multiple: list[Positive]
    """Base valuation multiple of ARR in bust, neutral and boom."""
    base_close: list[Fraction]
    """Base chance a fairly priced round closes in bust, neutral and boom."""

    @model_validator(mode="after")
    def _shapes(self) -> SentimentRules:
        if len(self.transition) != 3 or any(len(r) != 3 for r in self.transition):
            raise ValueError("transition must be 3 rows of 3 (bust, neutral, boom)")
        for i, row in enumerate(self.transition):
            if abs(sum(row) - 1.0) > 1e-6:
                raise ValueError(f"transition row {i} ({SENTIMENTS[i]}) sums to {sum(row)}, not 1")
        for name in ("market_growth_mult", "multiple", "base_close"):
            if len(getattr(self, name)) != 3:
                raise ValueError(f"{name} must list 3 values (bust, neutral, boom)")
        return self


class ValuationRules(Strict):
    """How the market values a lab: fair value = ARR x multiple."""

    growth_reference: float
    """Year-on-year ARR growth that earns the base multiple (1.0 = doubling)."""
    growth_weight: NonNeg
    """How much faster or slower growth moves the multiple."""
    capability_exponent: NonNeg
    """Multiple x (relative capability) ** this."""
    perception_exponent: NonNeg
    """Multiple x (valuation / top rival's valuation) ** this."""
    scrutiny_discount: Fraction
    """Multiple x (1 - this x scrutiny)."""
    drift: Fraction
    """Share of the gap between valuation and fair value closed each quarter between rounds."""
    min_multiple: Positive
    """Floor on the multiple (even a stressed lab is worth something)."""
    growth_factor_min: Positive
    growth_factor_max: Positive
    """Bounds on the growth factor of the multiple."""


class RoundRules(Strict):
    """How a priced funding round closes or fails."""

    ask_slope: Positive
    """Steepness of the fall in closing chance as the ask exceeds fair value."""
    size_exponent: Positive
    """Steepness of the fall in closing chance as the amount outruns the investor pool."""
    info_request_penalty: Fraction
    """Closing chance lost while a regulator's information request is open."""
    max_new_money: Fraction
    """Largest share of post-money that one round may sell."""
    max_close: Fraction
    """Highest closing chance any round can have (nothing is certain)."""
    confidence_down_round: float
    """Change in investor confidence after a down round."""
    confidence_failed: float
    """Change in investor confidence after a failed round."""
    confidence_closed: float
    """Change in investor confidence after a round closes at or above the last price."""
    confidence_recovery: Fraction
    """Share of the gap to normal confidence regained each quarter."""
    down_round_morale: Fraction
    """Staff morale lost in a down round."""
    # defaults: the shipped values, for packs (and the packs inside saves) written before these rules
    full_mark_share: Positive = 0.10
    """A round selling at least this share of post-money re-marks the valuation fully; a smaller one
    moves the mark in proportion to the share it sells."""
    mark_premium_cap: NonNeg = 0.10
    """The mark follows a round's price to at most this far above fair value."""
    breadth_step: NonNeg = 0.0
    """Weight a round's mark gains for each investor type beyond the first in its syndicate."""
    lead_min_share: Fraction = 0.0
    """Smallest share of a syndicated round the lead writes itself."""


class DealRules(Strict):
    """How cloud providers make offers and answer counter-offers."""

    reference_arr: Positive
    """ARR at which offers have their nominal size; offers scale with the lab's ARR."""
    commit_over_reserved: Positive
    """Committed spend per quarter as a multiple of the reserved capacity's price."""
    price_discount: Fraction
    """Discount on reserved price inside an investment deal."""
    counter_base: Fraction
    """Chance a provider accepts a counter-offer at scarcity 1."""
    counter_scarcity_slope: NonNeg
    """Chance lost per unit of scarcity above 1 (providers have leverage in a shortage)."""
    counter_commit_cut: Fraction
    """A counter on commitment asks for this share less."""
    counter_invest_raise: NonNeg
    """A counter on investment asks for this share more."""
    restructure_fee: NonNeg
    """Fee, in quarters of committed spend with the provider, to drop exclusivity and a board seat."""
    offer_pre_low: Positive
    offer_pre_high: Positive
    """Range of the pre-money an offer prices its stake at, as a share of fair value."""
    min_offer_scale: NonNeg = 0.05
    """Offers scale with the lab's ARR against `reference_arr`, but never below this share of
    their nominal size (a small lab still hears from the providers)."""


class DebtRules(Strict):
    """Loans secured on owned capacity and convertible notes."""

    loan_to_value: Fraction
    """Largest loan as a share of owned assets' value."""
    interest: NonNeg
    """Loan interest per quarter."""
    covenant_cash_ratio: NonNeg
    """Covenant: cash must stay at least this share of the loan, or it is called."""
    note_interest: NonNeg
    """Convertible note interest per quarter (accrues to the note)."""
    note_discount: Fraction
    """Discount to the round's (or listing's) price at which notes convert into shares."""
    # defaults: the shipped values, for packs (and the packs inside saves) written before these rules
    note_cap: Positive = 1.25
    """A note's valuation cap, as a multiple of the lab's valuation when the note is signed."""
    note_maturity: Quarters = 8
    """Quarters from signing until a note that has not converted falls due."""
    note_default_price: Fraction = 0.5
    """A note in default converts at this share of the lower of its cap and the valuation."""
    note_default_confidence: float = -0.3
    """Change in investors' confidence when a note defaults."""


class RegulatoryAction(Strict):
    """One kind of regulatory action the scrutiny hazard can draw."""

    weight_low: NonNeg
    """Relative chance when scrutiny is below the band split."""
    weight_high: NonNeg
    """Relative chance when scrutiny is above the band split."""


class ScrutinyRules(Strict):
    """Regulatory scrutiny: a level in [0, 1] and the hazard of actions it draws."""

    decay: Fraction
    """Share of scrutiny that fades each quarter."""
    stake_weight: NonNeg
    """Scrutiny added a quarter per unit of the largest partner stake."""
    exclusive_weight: NonNeg
    """Scrutiny added a quarter while a partner has exclusivity."""
    board_weight: NonNeg
    """Scrutiny added a quarter per partner board seat."""
    share_weight: NonNeg
    """Scrutiny added a quarter per unit of market share above the threshold."""
    share_threshold: Fraction
    """Market share above which size itself draws attention."""
    compliance_effect: NonNeg
    """Scrutiny removed a quarter per sqrt($B of compliance spend)."""
    hazard_base: Fraction
    """Chance of a regulatory action a quarter at zero scrutiny."""
    hazard_slope: NonNeg
    """Extra chance per unit of scrutiny squared."""
    band_split: Fraction
    """Scrutiny level separating the low and high bands of action weights."""
    info_request: RegulatoryAction
    investigation: RegulatoryAction
    consent_order: RegulatoryAction
    fine: RegulatoryAction
    info_request_quarters: Quarters
    """Quarters an information request slows rounds."""
    investigation_quarters: Quarters
    """Quarters an investigation freezes partner deals."""
    legal_cost: NonNeg
    """Legal costs per quarter under investigation ($B)."""
    consent_divest: Fraction
    """Share of the partner's stake a consent order makes it sell (to the other holders)."""
    consent_remedy_share_of_arr: NonNeg = 0.0
    """A consent order's remedies and legal costs, once, as a share of run-rate revenue (the consent
    order's costs default to none, as in a pack written before they were modelled)."""
    consent_monitor_quarters: Quarters = 1
    """Quarters a consent order's monitor and compliance programme run."""
    consent_monitor_cost: NonNeg = 0.0
    """The monitor and compliance programme's cost per quarter ($B), committed with the order."""
    consent_scrutiny: Fraction = 0.0
    """Scrutiny a consent order adds: the monitor reports to the regulator through the decree's term."""
    consent_confidence: float = 0.0
    """Change in investors' confidence when a consent order is entered (a finding against the lab)."""
    fine_share_of_arr: NonNeg
    """Fine as a share of ARR."""
    action_scrutiny_relief: Fraction
    """Share of scrutiny released once an action has been taken."""


class OutcomeRules(Strict):
    """Thresholds that classify how a game ended."""

    dependent_threshold: Fraction
    """Dependency on one partner at or above which the lab is in its orbit."""
    fortress_max_dependency: Fraction
    """Dependency on every partner must stay below this for a fortress."""
    fortress_min_runway: NonNeg
    """Runway (quarters) a fortress needs."""
    fortress_min_valuation: NonNeg
    """Valuation against the top rival a fortress needs."""
    runway_cap: Positive
    """Runway reported when a lab burns no cash (quarters)."""
    survivor_min_runway: NonNeg = 1.0
    """A lab that ends with less runway than this (quarters) cannot pay next quarter's committed
    bills: it ends in a forced sale, not as a survivor."""
    absorbed_valuation: NonNeg
    """A lab whose valuation against the top rival ends below this share of where it started is
    bought for its team (a forced sale)."""
    dependency_compute_weight: NonNeg
    """Weight of a partner's share of compute in dependency."""
    dependency_stake_weight: NonNeg
    """Weight of a partner's stake (relative to the stake reference) in dependency."""
    dependency_stake_reference: Positive
    """Stake at which the equity part of dependency is full."""
    dependency_exclusive: NonNeg
    """Dependency added by exclusivity."""
    dependency_board: NonNeg
    """Dependency added by a board seat."""
    multiplier: dict[str, NonNeg]
    """Score multiplier per outcome."""

    @model_validator(mode="after")
    def _outcomes(self) -> OutcomeRules:
        missing = set(OUTCOMES) - set(self.multiplier)
        extra = set(self.multiplier) - set(OUTCOMES)
        if missing or extra:
            raise ValueError(
                f"multiplier must name exactly the outcomes {', '.join(OUTCOMES)}"
                + (f"; missing {', '.join(sorted(missing))}" if missing else "")
                + (f"; unknown {', '.join(sorted(extra))}" if extra else "")
            )
        return self


class RivalRules(Strict):
    """The rivals' policy: how hard they buy compute and when they raise."""

    min_inference: Fraction
    """Smallest share of compute a rival keeps for serving customers."""
    overbuild: NonNeg
    """Extra capacity a rival buys per unit of aggression above 1."""
    own_share: NonNeg
    """Share of new capacity a rival builds itself, per unit of aggression."""
    own_max: Fraction
    """Largest share of new capacity a rival builds itself."""
    reserve_term: Quarters
    """Term of the reserved contracts rivals sign (quarters)."""
    whim: Fraction
    """Chance a quarter, per unit of aggression, that a rival raises in a boom anyway."""
    raise_quarters: NonNeg
    """Quarters of burn a rival raises for (times its aggression)."""
    raise_floor: Fraction
    """Even a rival that burns nothing raises at least this share of a quarter's costs per quarter."""
    raise_pool_share: NonNeg
    """Largest round a rival asks for, as a share of its investors' pool."""
    raise_min_aggression: NonNeg = 0.5
    """A cautious rival still sizes its rounds as if its aggression were at least this."""
    ask_premium: NonNeg
    """Premium over fair value a rival asks, per unit of aggression."""
    rescue_discount: Fraction
    """Discount to fair value of the emergency round that saves a rival that ran out of cash."""
    founders_share: Fraction = 0.5
    """Share of each rival its founders and staff hold at the start; its investors hold the rest."""


class IpoRules(Strict):
    """Going public."""

    quarters_to_list: Quarters
    """Quarters from filing to listing."""
    float_fraction: Fraction
    """Share of the company sold at listing."""
    discount_max: Fraction
    """Largest discount to fair value at listing (drawn uniformly from 0 to this)."""
    max_scrutiny: Fraction
    """Scrutiny above which a filing cannot proceed."""
    min_runway: NonNeg
    """Runway (quarters) needed to file."""
    # defaults: the shipped values, for packs written before listing was a decision
    ready_growth: Positive = 1.0
    """Year-on-year growth of run-rate revenue the public market takes as ready."""
    unready_discount: Fraction = 0.25
    """Extra discount at listing for a lab not ready at all (no growth, dependent on a partner)."""
    postpone_chance: Fraction = 0.25
    """Chance that a due listing's window does not hold in a neutral market (it waits a quarter)."""
    fee_share: Fraction = 0.04
    """Banks' fees, as a share of what the listing raises."""


class ReferencePolicy(Strict):
    """The player the evaluation imagines for the rest of a game (a steady multi-cloud builder)."""

    demand_growth: float = 0.15
    """Quarterly growth of demand it plans capacity for."""
    capacity_buffer: NonNeg = 0.1
    """Spare serving capacity it keeps."""
    reserve_term: Quarters = 8
    """Term of the reserved contracts it signs (quarters)."""
    train_growth: NonNeg = 0.0
    """Compute it adds each quarter beyond what serving needs, as a share of what it has, while
    its runway is above `build_runway` (more training: a better model, a larger share)."""
    build_share: Fraction = 0.3
    """Share of its compute it aims to own."""
    build_runway: NonNeg = 6.0
    """Runway (quarters) it needs before it starts a build."""
    raise_runway: NonNeg = 8.0
    """Runway (quarters) below which it raises, at fair value."""
    raise_quarters: NonNeg = 10.0
    """Quarters of burn a round is sized to cover."""
    raise_pool_share: Positive = 0.7
    """Largest round, as a share of the deepest investor pool."""
    alarm_runway: NonNeg = 2.0
    """Runway (quarters) below which the evaluation counts a future as in danger of running out."""
    serving_floor: Fraction = 0.05
    """It sizes compute as if at least this share of it served customers (however much it trains)."""
    round_margin: Fraction = 0.99
    """It asks for at most this share of the most new money one round may sell."""
    ipo_readiness: Fraction = 0.8
    """It files for a listing once the public market would take it as at least this ready."""
    train_share: Fraction | None = None
    """The share of its compute it trains with (None: it keeps the split it finds)."""
    bridge_runway: NonNeg = 0.0
    """Runway (quarters) below which it also borrows what lenders allow against its owned
    capacity, a bridge in case its round fails (0: it never borrows)."""
    urgent_discount: Fraction = 0.0
    """Below `bridge_runway` it asks this much under fair value, so that the round is likelier to
    close (a lab about to run out cannot hold out for its price)."""
    repay_runway: NonNeg = 40.0
    """Runway (quarters) above which it repays its debt from cash, keeping this much runway."""


class BotFunding(Strict):
    """How a bot raises: the investor types it asks in turn, and the round it asks each for."""

    investors: tuple[Ident, ...]
    """Investor types (`investors.toml` ids), asked in this order until one round is allowed."""
    premium: Annotated[float, Field(gt=-1.0)]
    """The ask: fair value x (1 + premium)."""
    quarters: NonNeg
    """A round covers this many quarters of burn plus the capital payments scheduled."""
    pool_share: Positive
    """At most this share of the investor type's pool."""


class BotServing(Strict):
    """How much compute a bot wants serving customers: last quarter's demand, grown and buffered."""

    demand_growth: float
    buffer: Annotated[float, Field(gt=-1.0)]


class RecklessHabits(Strict):
    """Raises every quarter at a premium, signs every offer, buys with both hands."""

    train_share: Fraction
    funding: BotFunding
    serving: BotServing
    reserve_term: Quarters
    campus_min_gw: NonNeg
    """It builds when its cash would pay for this many GW of campus outright..."""
    campus_cash_share: Fraction
    """...spending this share of its cash on the order..."""
    campus_upfront_margin: NonNeg
    """...sized as if the deposit were the campus's up-front share plus this margin."""


class LoyalistHabits(Strict):
    """Stays with its biggest partner, exclusivity and all."""

    serving: BotServing
    reserve_term: Quarters
    raise_below_runway: NonNeg
    funding: BotFunding


class MultiCloudHabits(Strict):
    """Spreads compute over providers, builds a campus, refuses exclusivity."""

    compliance: Fraction
    """Its compliance spend, a share of opex."""
    wanted: BotServing
    """The capacity a deal may bring at most."""
    max_dependency: Fraction
    """A deal is declined if the projected dependency on one provider reaches this."""
    max_commit_share: NonNeg
    """A deal is declined if its committed spend per quarter exceeds this share of revenue."""
    serving: BotServing
    reserve_providers: Annotated[int, Field(ge=1)]
    """It reserves from this many providers, those it depends on least."""
    reserve_term: Quarters
    own_share: Fraction
    """It builds its own campus up to this share of its compute (owned and on order)."""
    build_runway: NonNeg
    """It builds only with more runway than this, and keeps this many quarters of burn after."""
    raise_below_runway: NonNeg
    funding: BotFunding


class FrugalHabits(Strict):
    """Buys only what it must, declines partners, keeps a long runway."""

    train_share: Fraction
    serving: BotServing
    reserve_term: Quarters
    raise_below_runway: NonNeg
    funding: BotFunding


class BotRules(Strict):
    """`[bots]`: the habits of the bots `fortress simulate` plays and a class debrief rehearses."""

    serving_floor: Fraction
    """A bot sizes compute as if at least this share of it served customers."""
    order_floor: Positive
    """A bot never places a reserved order of less than this many GW with one provider."""
    round_floor_share: Fraction
    """A bot asks for at least this share of fair value in a round."""
    pre_money_floor: Positive
    """A bot never asks a pre-money below this ($B)."""
    ceiling_margin: Fraction
    """A bot stays this far inside the most new money one round may sell."""
    reckless: RecklessHabits
    loyalist: LoyalistHabits
    multicloud: MultiCloudHabits
    frugal: FrugalHabits

    def investors(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every investor id the habits name, with the key it sits at (for the content check)."""
        funding = {
            "reckless": self.reckless.funding,
            "loyalist": self.loyalist.funding,
            "multicloud": self.multicloud.funding,
            "frugal": self.frugal.funding,
        }
        return [
            (("bots", name, "funding", "investors", i), iid)
            for name, f in funding.items()
            for i, iid in enumerate(f.investors)
        ]


class Judgement(Strict):
    """How the engine's evaluation labels a decision, by the expected score it gave up.

    A decision is `best` if no alternative tried beats it by more than `best_margin` points,
    `good` up to `good` points behind the best, an `inaccuracy` up to `inaccuracy`, a `mistake`
    up to `mistake`, and a `blunder` beyond that.
    """

    best_margin: NonNeg = 0.5
    good: NonNeg = 2.0
    inaccuracy: NonNeg = 5.0
    mistake: NonNeg = 10.0
    rollouts: Annotated[int, Field(ge=10)] = 10_000
    """Rollouts of a full evaluation."""
    live_rollouts: Annotated[int, Field(ge=10)] = 1_000
    """Rollouts of the evaluation shown live in the game."""
    analyse_rollouts: Annotated[int, Field(ge=10)] = 2_000
    """Rollouts per evaluation when judging every quarter of a saved game (several evaluations a quarter)."""
    first_look: Annotated[int, Field(ge=10)] = 250
    """Futures per plan at the first look of a sequential judgement; each later look doubles them,
    up to the rollouts asked for."""
    confidence: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    """A sequential judgement stops once the decision's label is settled at this confidence (over
    all its looks and alternatives together)."""
    reference: ReferencePolicy = ReferencePolicy()

    @model_validator(mode="after")
    def _ordered(self) -> Judgement:
        if not self.best_margin <= self.good <= self.inaccuracy <= self.mistake:
            raise ValueError("thresholds must rise: best_margin <= good <= inaccuracy <= mistake")
        return self


class Rules(Strict):
    """`model.toml`: every constant the engine uses."""

    market: MarketRules
    demand: DemandRules
    capability: CapabilityRules
    costs: CostRules
    sentiment: SentimentRules
    valuation: ValuationRules
    rounds: RoundRules
    deals: DealRules
    debt: DebtRules
    scrutiny: ScrutinyRules
    outcomes: OutcomeRules
    rivals: RivalRules
    ipo: IpoRules
    judgement: Judgement = Judgement()
    """Added after the first release; absent from older packs and saves, which get the defaults."""
    bots: BotRules | None = None
    """Added with rules version 3's last release; absent from packs saved before, whose games a bot
    then plays with the installed pack's habits."""


OUTCOMES = ("forced_sale", "dependent", "survivor", "fortress", "ipo")

# --------------------------------------------------------------------------------------------
# providers.toml, investors.toml, capacity.toml, difficulty.toml
# --------------------------------------------------------------------------------------------


class Provider(Strict):
    """A fictional cloud provider that sells capacity and makes investment offers."""

    id: Ident
    name: Name
    blurb: str
    base_price: Positive
    """Reserved price per GW-quarter at scarcity 1 ($B)."""
    offer_chance: Fraction
    """Chance of an offer to a lab each quarter."""
    invest_min: NonNeg
    invest_max: NonNeg
    """Range of the investment in an offer, at the reference ARR ($B)."""
    credits_share: Fraction
    """Share of an investment paid as compute credits rather than cash."""
    term_min: Quarters
    term_max: Quarters
    """Range of the contract term (quarters)."""
    exclusive_chance: Fraction
    board_chance: Fraction
    convertible_chance: Fraction
    stake_cap: Fraction
    """Largest stake the provider may hold (its own policy, as regulators read it)."""
    counter_flex: float
    """Added to the chance of accepting a counter-offer (a flexible provider is positive)."""
    commit_per_invest: NonNeg
    """Committed spend over the contract per dollar invested (money that comes back as cloud bills)."""
    revenue_share: Fraction = 0.0
    """Share of the lab's revenue paid to the provider each quarter while a deal with it lasts (while
    the lab owes it committed spend)."""

    @model_validator(mode="after")
    def _ranges(self) -> Provider:
        if self.invest_max < self.invest_min:
            raise ValueError("invest_max must be at least invest_min")
        if self.term_max < self.term_min:
            raise ValueError("term_max must be at least term_min")
        return self


class Investor(Strict):
    """A type of investor in a priced round."""

    id: Ident
    name: Name
    kind: Literal["vc", "crossover", "sovereign", "strategic", "cloud"]
    blurb: str
    pool: Positive
    """Money ($B) this type can put into one round before the closing chance halves."""
    premium_tolerance: float
    """Ask above fair value (as a share) this type accepts without losing interest."""
    sentiment_sensitivity: NonNeg
    """How much more the type's closing chance swings with sentiment (1 = average)."""
    min_amount: NonNeg
    """Smallest cheque this type writes in a round, as lead or follower ($B)."""
    scrutiny_weight: NonNeg
    """Scrutiny added per unit of stake this type buys (strategic holders draw attention)."""
    # defaults: the shipped behaviour before syndicated rounds, for packs (and the packs inside saves)
    # written before these rules: no cheque limit, every type's price credited in full
    max_cheque: Positive = 1.0e6
    """Largest cheque this type writes in one round, as lead or follower ($B)."""
    mark_weight: Fraction = 1.0
    """How much of the price this type pays the market credits when a round re-marks the company
    (strategic money pays up for orders and access, and is discounted)."""


class CapacityOption(Strict):
    """A way to get compute."""

    id: Ident
    name: Name
    kind: Literal["own_dc", "chips", "reserved", "spot"]
    blurb: str
    price: NonNeg = 0.0
    """Own kinds: capital cost per GW ($B) at scarcity 1."""
    upfront: Fraction = 0.0
    """Own kinds: share of the price paid when ordering; the rest is spread to delivery."""
    lead: Annotated[int, Field(ge=0, le=MAX_TERM)] = 0
    """Own kinds: quarters from order to online at scarcity 1."""
    lead_slope: NonNeg = 0.0
    """Own kinds: extra quarters per unit of scarcity above 1."""
    price_elasticity: NonNeg = 0.0
    """Own kinds: price x scarcity ** this."""
    opex: NonNeg = 0.0
    """Own kinds: running cost per GW-quarter once online ($B)."""
    min_order: NonNeg = 0.0
    max_order: Positive = 10.0
    """Limits on one order (GW)."""
    terms: list[Quarters] = []
    """Reserved: the contract terms on offer (quarters)."""

    @model_validator(mode="after")
    def _kind_fields(self) -> CapacityOption:
        if self.kind in ("own_dc", "chips") and (self.price <= 0 or self.lead < 1):
            raise ValueError(f"an option of kind {self.kind} needs price > 0 and lead >= 1")
        if self.kind == "reserved" and not self.terms:
            raise ValueError("a reserved option needs at least one term")
        if self.max_order < self.min_order:
            raise ValueError("max_order must be at least min_order")
        return self


class Difficulty(Strict):
    """A difficulty level: multipliers on the scenario."""

    id: Ident
    name: Name
    blurb: str
    cash: Positive
    """Multiplier on starting cash."""
    market_growth: Positive
    """Multiplier on market growth."""
    close_chance: Positive
    """Multiplier on round closing chances."""
    hazard: NonNeg
    """Multiplier on the regulatory hazard."""
    rival_aggression: NonNeg
    """Multiplier on rivals' aggression."""
    event_chance: NonNeg
    """Multiplier on the chance of adverse events."""


# --------------------------------------------------------------------------------------------
# events.toml
# --------------------------------------------------------------------------------------------


class Condition(Strict):
    """A test on a named metric: `metric op value`."""

    metric: str
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    value: float


class Effect(Strict):
    """A change to a named target: add, multiply or set."""

    target: str
    op: Literal["add", "mul", "set"]
    value: float


class Event(Strict):
    """An event that may happen at the end of a quarter when its conditions hold."""

    id: Ident
    title: Name
    text: str
    """What the news feed says."""
    teaching: str
    """One line: what it teaches."""
    chance: Fraction
    """Chance a quarter while the conditions hold."""
    adverse: bool = False
    """Adverse events scale with the difficulty's event chance."""
    once: bool = True
    """Whether the event can happen at most once a game."""
    when: list[Condition] = []
    effects: list[Effect] = Field(min_length=1)


# --------------------------------------------------------------------------------------------
# glossary.toml
# --------------------------------------------------------------------------------------------


class Term(Strict):
    """A glossary entry."""

    term: str
    definition: str
    see_also: list[str] = []
    also: list[str] = []
    """Other words or marks on screen this entry explains ("run rate", "??"): the glossary's
    search finds the entry by them too."""

    def names(self) -> list[str]:
        """Every name the entry answers to, lower case: its term, the parts of a term written
        `Name (abbreviation)`, and `also`."""
        head, _, rest = self.term.partition(" (")
        names = [self.term, head] + ([rest.rstrip(")")] if rest else []) + self.also
        return [n.strip().lower() for n in names if n.strip()]


# --------------------------------------------------------------------------------------------
# scenarios/*.toml
# --------------------------------------------------------------------------------------------


class ScoreWeights(Strict):
    """How a scenario weighs the parts of the score, and the targets for full marks."""

    valuation: NonNeg
    runway: NonNeg
    independence: NonNeg
    scrutiny: NonNeg
    ownership: NonNeg
    valuation_target: Positive
    """Valuation against the top rival that earns full marks."""
    runway_target: Positive
    """Runway (quarters) that earns full marks."""
    fortress_valuation: Positive | None = None
    """Valuation against the top rival a fortress needs in this scenario (default: the model's
    `outcomes.fortress_min_valuation`), for a world where the player starts far behind."""

    @model_validator(mode="after")
    def _some_weight(self) -> ScoreWeights:
        total = self.valuation + self.runway + self.independence + self.scrutiny + self.ownership
        if total <= 0:
            raise ValueError("at least one score weight must be positive")
        return self


class MarketStart(Strict):
    """The AI market and the compute supply at the start."""

    arr: Positive
    """Yearly spending on frontier AI ($B); what the modelled labs do not earn goes to everyone else."""
    growth: float
    """Market growth per quarter at the start."""
    growth_decay: Fraction
    """Share of the growth rate kept each quarter (growth slows as the market matures)."""
    supply_gw: Positive
    """Global cloud AI capacity (GW)."""
    supply_growth: float
    """Quarterly growth of cloud supply (hyperscaler CapEx)."""
    other_demand_gw: NonNeg
    """Compute used by everyone else (GW)."""
    other_demand_growth: float
    """Quarterly growth of everyone else's demand."""
    sentiment: Sentiment


class Reserved(Strict):
    """A reserved-capacity contract held at the start."""

    provider: str
    gw: NonNeg
    price: Positive
    """Price per GW-quarter ($B)."""
    quarters: Quarters


class Commitment(Strict):
    """A committed-spend (take-or-pay) contract held at the start."""

    provider: str
    per_quarter: NonNeg
    quarters: Quarters


class LabStart(Strict):
    """The player's lab at the start."""

    arr: Positive
    growth: float
    """Year-on-year ARR growth behind the lab (sets its history)."""
    cash: NonNeg
    capability: Positive
    own_gw: dict[str, NonNeg] = {}
    """Owned capacity online, by capacity option id."""
    reserved: list[Reserved] = []
    commitments: list[Commitment] = []
    train_share: Fraction
    opex: NonNeg
    """Fixed staff and overhead costs per quarter ($B)."""
    valuation: Positive
    """Post-money valuation of the last round ($B)."""
    debt: NonNeg = 0.0
    cap_table: dict[str, Fraction]
    """Ownership by holder: `founders`, investor ids and provider ids. Must sum to 1."""
    board_seats: list[str] = []
    exclusive: str | None = None

    @model_validator(mode="after")
    def _cap_sums(self) -> LabStart:
        total = sum(self.cap_table.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"cap_table sums to {total:.6f}; ownership must sum to 1")
        if "founders" not in self.cap_table:
            raise ValueError("cap_table needs a `founders` entry (founders and staff)")
        return self


class Rival(Strict):
    """A rival lab run by a simple policy."""

    id: Ident
    name: Name
    blurb: str
    arr: Positive
    growth: float
    cash: NonNeg
    capability: Positive
    gw: NonNeg
    train_share: Fraction
    opex: NonNeg
    valuation: Positive
    aggression: NonNeg
    """0 cautious, 1 typical, 2 all-in: how hard it buys compute and raises."""
    raise_below_runway: NonNeg
    """Raises when its runway falls below this many quarters."""
    home_provider: str


class ObjectiveCheck(Strict):
    """How an objective is marked: a named metric of the player's lab against a threshold,
    after every quarter played (`all game`) or after the last one (`at end`)."""

    label: str = ""
    """What meeting it means, in a few words ("kept independence"); the objective's first check
    needs one."""
    metric: str
    """A metric event conditions may also test (`fortress content names`)."""
    op: Literal["<", "<=", ">", ">=", "==", "!="]
    value: float
    over: Literal["all game", "at end"]
    measure: str
    """The metric as the evidence names it ("dependency")."""
    unit: Literal["ratio", "percent", "quarters", "gw", "money", "times"] = "ratio"
    """How the evidence writes the figures: 0.31, 31%, 6.2 quarters, 1.4 GW, $12.0B, 0.92x."""


class Objective(Strict):
    """A learning objective and the check that marks it met or not met for a team."""

    text: str
    check: ObjectiveCheck | None = None
    """None only in saves written before objectives were marked (a content pack needs one)."""
    also: ObjectiveCheck | None = None
    """A second check that must hold too (doing nothing should not meet an objective)."""


class Scenario(Strict):
    """One playable world."""

    id: Ident
    name: Name
    briefing: str
    """The scenario in a paragraph; `{length}` stands for the game's length in words (a workshop
    may play fewer quarters than the scenario has)."""
    objectives: list[Objective] = Field(min_length=1)
    quarters: Annotated[int, Field(ge=4, le=24)]
    start_label: str
    """The calendar quarter the game starts in, e.g. `Q3 2026`."""
    lab_name: Name
    """Default name of the player's lab."""
    regulator: str
    """Name of the competition regulator."""
    scrutiny: Fraction
    """Scrutiny level at the start."""
    ipo_min_arr: Positive
    """ARR a lab needs before it may file for an IPO ($B)."""
    providers: list[str] = Field(min_length=1)
    investors: list[str] = Field(min_length=1)
    events: list[str] | Literal["all"] = "all"
    score: ScoreWeights
    market: MarketStart
    lab: LabStart
    rivals: list[Rival] = Field(min_length=1, max_length=4)

    @field_validator("objectives", mode="before")
    @classmethod
    def _plain_objectives(cls, value: object) -> object:
        """Saves written before objectives were marked hold each one as plain text."""
        if isinstance(value, list):
            return [{"text": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("briefing")
    @classmethod
    def _length_only(cls, text: str) -> str:
        try:
            text.format(length="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"the briefing may use only {{length}} (the game's length) in braces, not {exc}") from None
        return text


class Pack(Strict):
    """A whole content pack, cross-checked."""

    rules: Rules
    providers: list[Provider] = Field(max_length=MAX_ITEMS)
    investors: list[Investor] = Field(max_length=MAX_ITEMS)
    capacity: list[CapacityOption] = Field(max_length=MAX_ITEMS)
    difficulties: list[Difficulty] = Field(max_length=MAX_ITEMS)
    events: list[Event] = Field(max_length=MAX_EVENTS)
    glossary: list[Term] = Field(max_length=MAX_EVENTS)
    scenarios: list[Scenario] = Field(max_length=MAX_ITEMS)

    def scenario(self, scenario_id: str) -> Scenario:
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise KeyError(scenario_id)

    def difficulty(self, difficulty_id: str) -> Difficulty:
        for d in self.difficulties:
            if d.id == difficulty_id:
                return d
        raise KeyError(difficulty_id)
