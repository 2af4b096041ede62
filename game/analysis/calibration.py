"""The calibration table: the model's figures, computed from the content and the engine, beside
the public figures they are meant to match (docs/calibration.md holds the table this module
writes; a test keeps the two the same, so the table stays true when the content changes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.analysis.policies import bot
from game.content.models import Pack
from game.engine import draws, market, rng
from game.engine.init import initial_state
from game.engine.params import Params
from game.engine.state import State
from game.engine.step import step
from game.session.build import build
from game.session.dashboard import gross_margin

SEEDS = 20
"""Games of the reference player each played figure is the mean of."""


@dataclass(frozen=True)
class Row:
    figure: str
    model: str
    real: str
    source: str


def _played(pack: Pack, scenario: str) -> tuple[Params, State, list[State]]:
    """The start of `scenario` at normal difficulty and the states of the reference player's games,
    quarter by quarter."""
    p, start = build(pack, pack.scenario(scenario), pack.difficulty("normal"))
    s = initial_state(p, start, rng.seed_keys(list(range(SEEDS))))
    decide = bot("reference", pack.rules)
    first, states = s.copy(), []
    while not s.done.all():
        s, _ = step(p, s, decide(p, s), draws.draw(p, s))
        states.append(s)
    return p, first, states


def rows(pack: Pack) -> list[Row]:
    """Every row of the table, the model's figures computed now."""
    p, s0, played = _played(pack, "fortress-2026")
    shock_p, _, shock = _played(pack, "chip-shock")
    arr0 = float(s0.arr_hist[0, 0, -1])
    year = played[min(3, len(played) - 1)]
    growth = float(np.mean(year.arr_hist[:, 0, -1] / arr0))
    peak = max(float(np.mean(x.scarcity)) for x in shock)
    one = np.array([peak])
    spot_vs_reserved = float(market.spot_price(shock_p, one)[0] / market.cloud_price(shock_p, one)[0].mean())
    calm = float(market.spot_price(p, np.ones(1))[0] / market.cloud_price(p, np.ones(1))[0].mean())
    campus = pack.capacity[[o.id for o in pack.capacity].index("campus")]
    return [
        Row(
            "Lab run-rate revenue at the start",
            f"${arr0:.0f}B",
            "$14B (Feb 2026) to >$47B (May 2026)",
            "Anthropic releases",
        ),
        Row(
            "Cash burn a quarter at the start, and over revenue",
            f"${float(s0.burn[0, 0]):.2f}B, {float(s0.burn[0, 0] / s0.revenue[0, 0]):.0%}",
            "burn ~70% of revenue in 2025, ~33% (Anthropic) to ~57% (OpenAI) planned for 2026",
            "WSJ 2025-11; The Information",
        ),
        Row(
            "Gross margin at the start (serving on reserved cloud)",
            f"{gross_margin(p, s0):.0%}",
            "OpenAI ~46%, Anthropic ~40% (2025)",
            "The Information 2026-01-21",
        ),
        Row(
            "Valuation over run-rate revenue at the start",
            f"{float(s0.valuation[0, 0]) / arr0:.1f}x",
            "20.5x (965/47) to 27x (380/14)",
            "derived from the Series G and H",
        ),
        Row(
            "Run-rate revenue after a year, over the start (reference player)",
            f"{growth:.2f}x",
            "3x to 10x a year",
            "Anthropic run-rates 2025-26",
        ),
        Row(
            "Reserved cloud price, a GW for a year",
            f"${4 * float(np.mean(p.providers.base_price)):.1f}B",
            "~$8B to ~$13B",
            "derived from Oracle and Google contracts",
        ),
        Row("A campus, a GW", f"${campus.price:.0f}B", "$35B to $60B all-in", "Bernstein; Nvidia"),
        Row(
            "A campus's lead time in a calm market", f"{campus.lead} quarters", "12-18 months to build", "Aria Research"
        ),
        Row("Spot over reserved in a calm market", f"{calm:.2f}x", "spot 50-90% below on-demand", "CompuX; Mercatus"),
        Row(
            "Chip shock: peak scarcity, and spot over reserved then",
            f"{peak:.2f}, {spot_vs_reserved:.2f}x",
            "rental prices moved 4-7x peak to trough",
            "SemiAnalysis index",
        ),
        Row(
            "A cloud partner's largest stake",
            f"{max(pr.stake_cap for pr in pack.providers):.0%}",
            "15% (Google in Anthropic); Amazon below 33%",
            "NYT court filings; FT",
        ),
        Row(
            "Largest share of post-money one round may sell",
            f"{p.rounds.max_new_money:.0%}",
            "4-15% in the large rounds",
            "Series E to H",
        ),
        Row(
            "Largest investor pool for one round",
            f"${max(i.pool for i in pack.investors):.0f}B",
            "$65B at $900B pre (Series H, several leads)",
            "Anthropic release 2026-05-28",
        ),
        Row(
            "A cloud partner's revenue share while its deal lasts",
            f"{max(pr.revenue_share for pr in pack.providers):.0%}",
            "20% of OpenAI's revenue to Microsoft ($494M in 2024)",
            "Microsoft filings; TechCrunch 2025-11",
        ),
        Row("IPO float", f"{p.ipo.float_fraction:.0%}", "2-5% for trillion-dollar listings", "content comment"),
    ]


def table(pack: Pack) -> str:
    """The table as Markdown."""
    lines = ["| figure | model | real | source |", "|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.model} | {r.real} | {r.source} |" for r in rows(pack)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m game.analysis.calibration: the table to paste into docs/calibration.md
    from game.session.build import load_content

    print(table(load_content()), end="")
