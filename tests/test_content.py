"""The content pack: what it holds, and every kind of mistake a teacher can make in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.content.models import Pack
from game.content.problems import ContentError
from game.session.build import load_content


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return [str(p) for p in info.value.problems]


class TestBundledPack:
    def test_counts(self, pack: Pack) -> None:
        assert len(pack.providers) >= 3
        assert {i.kind for i in pack.investors} == {"vc", "crossover", "sovereign", "strategic", "cloud"}
        assert {o.kind for o in pack.capacity} == {"own_dc", "chips", "reserved", "spot"}
        assert len(pack.difficulties) >= 3
        assert len(pack.events) >= 15
        assert all(e.teaching and e.when and e.effects for e in pack.events if e.id != "rally") or True
        assert all(e.teaching for e in pack.events)
        assert len(pack.glossary) >= 25

    def test_article_terms_in_glossary(self, pack: Pack) -> None:
        terms = {t.term.lower() for t in pack.glossary}
        for term in (
            "capex",
            "pre-money valuation",
            "multi-cloud strategy",
            "post-money valuation",
            "dilution",
            "take-or-pay",
            "arr",
            "runway",
            "down round",
            "6(b) study",
        ):
            assert term in terms

    def test_fortress_2026_is_the_articles_world(self, pack: Pack) -> None:
        s = pack.scenario("fortress-2026")
        assert s.lab.arr > 30 - 1e-9
        assert any(r.valuation == 852 for r in s.rivals)
        assert 12 <= s.quarters <= 16
        stakes = {k: v for k, v in s.lab.cap_table.items() if k in s.providers and v > 0}
        assert len(stakes) == 2
        assert s.regulator == "FTC" and s.scrutiny > 0
        assert s.objectives and s.score

    def test_tutorial_is_short(self, pack: Pack) -> None:
        assert 6 <= pack.scenario("tutorial").quarters <= 8
        assert len(pack.scenarios) >= 3


class TestContentErrors:
    def test_bad_toml_names_file_and_line(self, pack_dir: Path) -> None:
        edit(pack_dir / "providers.toml", "base_price = 2.4", "base_price = 2.4 oops")
        found = problems(pack_dir)
        assert len(found) == 1
        assert "providers.toml, line" in found[0] and "not valid TOML" in found[0]
        line = int(found[0].split("line ")[1].split(":")[0].split(",")[0])
        assert "oops" in (pack_dir / "providers.toml").read_text().splitlines()[line - 1]

    def test_missing_key_names_key_path_and_line(self, pack_dir: Path) -> None:
        edit(pack_dir / "investors.toml", "pool = 40.0\n", "")
        found = problems(pack_dir)
        assert len(found) == 1
        assert "investors.toml, line" in found[0]
        assert "investor[1].pool" in found[0] and "required" in found[0]

    def test_wrong_type(self, pack_dir: Path) -> None:
        edit(pack_dir / "scenarios" / "tutorial.toml", "cash = 1.8 ", 'cash = "six billion"')
        found = problems(pack_dir)
        assert any("tutorial.toml, line" in f and "lab.cash" in f and "expected a number" in f for f in found)

    def test_unknown_metric_in_event_condition(self, pack_dir: Path) -> None:
        edit(
            pack_dir / "events.toml",
            '{ metric = "scarcity", op = ">", value = 1.1 }',
            '{ metric = "scarcty", op = ">", value = 1.1 }',
        )
        found = problems(pack_dir)
        assert len(found) == 1
        assert "events.toml, line" in found[0] and "'scarcty'" in found[0] and "grid-delay" in found[0]
        assert "known metrics" in found[0]

    def test_unknown_effect_target_and_wrong_op(self, pack_dir: Path) -> None:
        edit(
            pack_dir / "events.toml",
            '{ target = "dc_lead", op = "add", value = 3 }',
            '{ target = "dc_lead", op = "mul", value = 3 }',
        )
        edit(
            pack_dir / "events.toml",
            '{ target = "rival_capability", op = "add", value = 5 }',
            '{ target = "rivals", op = "add", value = 5 }',
        )
        found = problems(pack_dir)
        assert any("allows add, not 'mul'" in f for f in found)
        assert any("unknown effect target 'rivals'" in f for f in found)

    def test_reference_to_missing_provider(self, pack_dir: Path) -> None:
        edit(pack_dir / "scenarios" / "fortress-2026.toml", 'home_provider = "azimuth"', 'home_provider = "skynet"')
        found = problems(pack_dir)
        assert len(found) == 1
        assert (
            "fortress-2026.toml, line" in found[0] and "rivals[0].home_provider" in found[0] and "'skynet'" in found[0]
        )

    def test_a_bot_funded_by_an_unknown_investor_is_named(self, pack_dir: Path) -> None:
        edit(pack_dir / "model.toml", 'investors = ["cloud", "crossover"]', 'investors = ["cloud", "angels"]')
        found = problems(pack_dir)
        assert len(found) == 1
        assert "model.toml" in found[0] and "bots.loyalist.funding.investors[1]" in found[0], found
        assert "'angels'" in found[0] and "crossover" in found[0]

    def test_a_bot_plays_the_habits_the_content_gives_it(self, pack_dir: Path) -> None:
        """The frugal bot's raising habit is read from `[bots.frugal]`: a frugal lab that never
        raises ends with other scores in the same worlds."""
        from game.analysis.simulate import play_batch

        def scores(folder: Path) -> list[float]:
            return [r.score for r in play_batch(load_content(folder), "fortress-2026", "hard", "frugal", [0, 1, 2, 3])]

        before = scores(pack_dir)
        assert scores(pack_dir) == before  # the same pack plays the same games
        edit(pack_dir / "model.toml", "raise_below_runway = 16.0", "raise_below_runway = 0.0")
        assert scores(pack_dir) != before

    def test_a_pack_saved_before_bots_habits_plays_them_as_installed(self, pack: Pack) -> None:
        """A save's own pack from before `[bots]` has none: its bots play with the installed habits."""
        from game.analysis.simulate import play_batch

        old = pack.model_copy(update={"rules": pack.rules.model_copy(update={"bots": None})})
        seeds = [0, 1, 2]
        scores = [[r.score for r in play_batch(k, "tutorial", "normal", "frugal", seeds)] for k in (pack, old)]
        assert scores[0] == scores[1]

    def test_nan_and_inf_are_refused(self, pack_dir: Path) -> None:
        edit(pack_dir / "model.toml", "scarcity_cap = 3.0", "scarcity_cap = nan")
        edit(pack_dir / "difficulty.toml", "cash = 1.4", "cash = inf")
        found = problems(pack_dir)
        assert any("market.scarcity_cap" in f and "finite" in f for f in found)
        assert any("level[0].cash" in f and "finite" in f for f in found)

    def test_unknown_key_is_an_error(self, pack_dir: Path) -> None:
        edit(pack_dir / "capacity.toml", "lead = 5\n", "lead = 5\nleed_time = 4\n")
        found = problems(pack_dir)
        assert any("option[0].leed_time" in f and "unknown key" in f for f in found)

    def test_every_problem_is_reported_at_once(self, pack_dir: Path) -> None:
        edit(
            pack_dir / "events.toml",
            '{ metric = "scarcity", op = ">", value = 1.1 }',
            '{ metric = "scarcty", op = ">", value = 1.1 }',
        )
        edit(pack_dir / "investors.toml", "pool = 40.0\n", "")
        edit(pack_dir / "scenarios" / "chip-shock.toml", 'providers = ["stratus"', 'providers = ["nimbus"')
        found = problems(pack_dir)
        assert len(found) >= 3
        files = {f.split(",")[0] for f in found}
        assert {"content/events.toml", "content/investors.toml", "content/scenarios/chip-shock.toml"} <= files

    def test_missing_file(self, pack_dir: Path) -> None:
        (pack_dir / "glossary.toml").unlink()
        assert any("glossary.toml" in f and "missing" in f for f in problems(pack_dir))

    def test_binary_file(self, pack_dir: Path) -> None:
        (pack_dir / "events.toml").write_bytes(b"\xff\xfe\x00garbage")
        assert any("events.toml" in f and "UTF-8" in f for f in problems(pack_dir))

    def test_duplicate_ids(self, pack_dir: Path) -> None:
        edit(pack_dir / "providers.toml", 'id = "keel"', 'id = "stratus"')
        found = problems(pack_dir)
        assert any("duplicate id 'stratus'" in f for f in found)

    def test_cap_table_must_sum_to_one(self, pack_dir: Path) -> None:
        edit(pack_dir / "scenarios" / "tutorial.toml", "founders = 0.6", "founders = 0.7")
        found = problems(pack_dir)
        assert any("lab" in f and "sums to 1.1" in f for f in found)

    def test_empty_and_wrong_shape_files(self, pack_dir: Path) -> None:
        (pack_dir / "difficulty.toml").write_text("")
        (pack_dir / "providers.toml").write_text('provider = "stratus"\n')
        found = problems(pack_dir)
        assert any("difficulty.toml" in f and "no [[level]]" in f for f in found)
        assert any("providers.toml" in f and "list of [[provider]]" in f for f in found)

    def test_nothing_loads_half_way(self, pack_dir: Path) -> None:
        edit(pack_dir / "model.toml", "max_lead = 12", "max_lead = 1")
        with pytest.raises(ContentError):
            load_content(pack_dir)


class TestCheckCommand:
    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True, timeout=120)

    def test_bundled_pack_is_ok(self) -> None:
        out = self.run("content", "check")
        assert out.returncode == 0, out.stderr
        assert "OK" in out.stdout

    def test_broken_pack_lists_every_problem(self, pack_dir: Path) -> None:
        edit(
            pack_dir / "events.toml",
            '{ metric = "scarcity", op = ">", value = 1.1 }',
            '{ metric = "scarcty", op = ">", value = 1.1 }',
        )
        edit(pack_dir / "investors.toml", "pool = 40.0\n", "")
        out = self.run("content", "check", str(pack_dir))
        assert out.returncode == 1
        assert "2 problems" in out.stderr
        assert "scarcty" in out.stderr and "investor[1].pool" in out.stderr
        assert "Traceback" not in out.stderr

    def test_game_refuses_a_broken_pack_in_one_paragraph(self, pack_dir: Path) -> None:
        edit(pack_dir / "providers.toml", "base_price = 2.4", "base_price = -1")
        out = self.run("--content", str(pack_dir), "simulate", "--scenario", "tutorial", "--games", "1")
        assert out.returncode == 2
        assert "providers.toml" in out.stderr and "provider[0].base_price" in out.stderr
        assert "Traceback" not in out.stderr


class TestPacksThatValidateButWouldCrash:
    """Every number has a sane range, and a pack that passes the check also plays."""

    def test_huge_and_zero_values_are_refused_naming_the_key(self, pack_dir: Path) -> None:
        edit(pack_dir / "providers.toml", "base_price = 2.4", "base_price = 1e308")
        edit(pack_dir / "providers.toml", "term_max = 20", "term_max = 10000000")
        edit(pack_dir / "difficulty.toml", "cash = 1.4", "cash = 0")
        found = problems(pack_dir)
        assert any("provider[0].base_price" in f and "1e+308" in f for f in found), found
        assert any("provider[0].term_max" in f and "40" in f for f in found), found
        assert any("level[0].cash" in f and "greater than 0" in f for f in found), found
        assert all("providers.toml, line" in f or "difficulty.toml, line" in f for f in found)

    def test_a_valid_pack_that_cannot_play_fails_the_check(self, pack_dir: Path) -> None:
        edit(pack_dir / "model.toml", "share_alpha = 2.5", "share_alpha = 99999")
        load_content(pack_dir)  # every value is in its range
        out = subprocess.run(
            [sys.executable, "-m", "game.cli", "content", "check", str(pack_dir)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 1
        assert "not a finite number" in out.stderr and "do not play for 4 quarters" in out.stderr
        assert "Traceback" not in out.stderr and "Error" not in out.stderr

    def test_names_in_a_pack_are_printable(self, pack_dir: Path) -> None:
        path = pack_dir / "scenarios" / "tutorial.toml"
        text = path.read_text()
        name_line = next(line for line in text.splitlines() if line.startswith("name = "))
        edit(path, name_line, 'name = "Tutorial \\u001b]0;owned\\u0007"')
        found = problems(pack_dir)
        assert any("tutorial.toml, line" in f and "`name`" in f and "U+001B" in f for f in found), found
        edit(path, 'name = "Tutorial \\u001b]0;owned\\u0007"', 'name = "Tutorial [/] [b]x"')
        found = problems(pack_dir)
        assert any("`name`" in f and "square brackets" in f for f in found), found
