"""Every term of the game's vocabulary that a player or a teacher meets has a glossary entry.

The words are collected from every screen of a short workshop game played through the interface
(and the class debrief and its report, see `screen_words`), and from the content's own texts
that reach the screen when their moment comes (events, offers, options, briefings, objectives).
"""

from __future__ import annotations

import re

import pytest

from game.content.models import Pack

from .screen_words import play_and_read

VOCABULARY = (
    # money and funding
    "ARR", "annual recurring revenue", "run-rate", "revenue", "burn", "runway", "valuation",
    "fair value", "pre-money", "post-money", "dilution", "diluted", "cap table", "down round",
    "valuation multiple", "premium", "discount", "sentiment", "market mood", "boom", "bust",
    "investor confidence", "investor pool", "closing chance", "VC", "venture capital",
    "VC syndicate", "syndicate", "crossover fund", "sovereign wealth fund", "strategic investor",
    "secured loan", "covenant", "default", "convertible note", "interest", "IPO", "float",
    "CapEx", "capital expenditure", "founders' stake", "ownership", "fortress balance sheet",
    # compute
    "compute", "GW", "gigawatt", "GW-quarter", "GW-qtr", "scarcity index", "scarcity", "lead time",
    "data centre", "campus", "colocation", "accelerators", "GPU", "chips", "reserved capacity",
    "spot capacity", "training", "inference", "serving", "capability", "market share",
    "reliability", "demand served", "unserved demand", "hyperscaler", "export controls",
    "grid interconnect", "multi-cloud",
    # partners and the regulator
    "take-or-pay", "committed spend", "commitments", "compute credits", "exclusivity",
    "board seat", "dependency", "independence", "cloud deal", "counter-offer", "restructure",
    "restructuring", "scrutiny", "regulatory hazard", "FTC", "6(b) study", "information request",
    "info request", "investigation", "consent order", "civil penalty", "compliance",
    # the game and its analysis
    "outcome", "forced sale", "dependent", "survivor", "fortress", "score", "multiplier",
    "expected score", "engine evaluation", "futures", "Monte Carlo", "rollouts",
    "reference player", "decision label", "inaccuracy", "blunder", "??", "?!", "skill and luck",
    "dice", "seed", "join code", "workshop", "learning objective", "objectives",
    "decision quality", "morale",
)  # fmt: skip
"""The game's vocabulary: words a student may not know, which the glossary must explain."""

PLAIN_CAPITALS = frozenset({"AI", "HTML", "CSV", "SAVES", "DIR", "FILE", "CODE", "ID", "UTC", "US", "EU", "OK"})
"""Capitalised words on screen that are not terms of the game (file formats, command
placeholders, plain abbreviations)."""


def found(term: str, text: str) -> bool:
    if not term[0].isalnum():
        return term in text
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, flags) is not None


def content_texts(pack: Pack) -> str:
    parts: list[str] = []
    for s in pack.scenarios:
        parts += [s.briefing, *(o.text for o in s.objectives), *(r.blurb for r in s.rivals)]
    parts += [t for e in pack.events for t in (e.title, e.text, e.teaching)]
    parts += [t for o in pack.capacity for t in (o.name, o.blurb)]
    parts += [p.name for p in pack.providers] + [i.name for i in pack.investors]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def screens(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    import asyncio

    with pytest.MonkeyPatch.context() as env:
        env.setenv("FORTRESS_PROCESSES", "1")  # the engine's evaluations in this process: no helpers to start
        return asyncio.run(play_and_read(pack, tmp_path_factory.mktemp("class")))


def test_the_short_game_visits_every_screen(screens: dict[str, str]) -> None:
    names = " ".join(screens)
    for screen in ("title", "team name", "dashboard", "funding", "deals", "capacity", "operations", "report"):
        assert screen in names
    for screen in ("game over", "replay", "analysis", "learn from mistakes", "class debrief report"):
        assert screen in screens, screen
    assert "Objectives" in screens["class debrief tab 6"]


def test_every_term_on_screen_has_a_glossary_entry(pack: Pack, screens: dict[str, str]) -> None:
    text = "\n".join(screens.values()) + "\n" + content_texts(pack)
    names = {name for term in pack.glossary for name in term.names()}
    shown = [term for term in VOCABULARY if found(term, text)]
    missing = [term for term in shown if term.lower() not in names]
    assert not missing, f"terms on screen without a glossary entry: {missing}"
    assert len(shown) > 0.8 * len(VOCABULARY), [t for t in VOCABULARY if t not in shown]


def test_every_abbreviation_on_screen_is_in_the_vocabulary(pack: Pack, screens: dict[str, str]) -> None:
    """A new abbreviation on some screen (a capitalised word) must join the vocabulary, and so
    the glossary, or be named a plain word here."""
    text = "\n".join(screens.values()) + "\n" + content_texts(pack)
    capitals = set(re.findall(r"(?<![\w-])[A-Z][A-Z0-9]*[A-Z](?![\w-])", text))
    # a term's other words count in capitals too (decision labels are shown as BEST, GOOD, ...)
    also = {word.upper() for entry in pack.glossary for word in getattr(entry, "also", []) if word.isalpha()}
    known = {t for t in VOCABULARY if t.isupper()} | PLAIN_CAPITALS | also
    assert capitals - known == set()


def test_the_glossary_search_finds_a_term_by_another_of_its_names(pack: Pack) -> None:
    from game.ui.screens.glossary import ordered_terms

    sections = ordered_terms(list(pack.glossary), (), "??")
    assert sections and sections[0][0] == "Terms"
    assert any("??" in t.also for t in sections[0][1])


def test_no_fines_from_the_ftc_and_no_arr_for_a_run_rate(pack: Pack, screens: dict[str, str]) -> None:
    """The FTC's consent orders are not fines, and revenue x4 is a run-rate."""
    text = "\n".join(screens.values()) + content_texts(pack)
    assert not re.search(r"\bfine[sd]?\b", text, re.IGNORECASE), re.findall(r".{40}\bfine[sd]?\b.{20}", text)
    hazard = next(t for t in pack.glossary if t.term == "Regulatory hazard")
    assert "fine" not in hazard.definition
    arr = next(t for t in pack.glossary if t.term == "ARR")
    assert "run-rate" in arr.definition


def test_a_refused_counter_calls_compute_scarce_only_above_one() -> None:
    from game.session.report import counter_refused

    assert "stronger hand" in counter_refused("Stratus", "exclusivity", 1.25)
    for index in (0.94, 1.0, 1.004):
        text = counter_refused("Stratus", "exclusivity", index)
        assert "not scarce" in text and "stronger hand" not in text
