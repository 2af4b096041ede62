"""The facilitator kit in docs/: every file linked from the README, every command it tells a
teacher to type accepted by `fortress`, every term the handout teaches in the glossary."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from game.cli import build_parser
from game.content.models import Pack

ROOT = Path(__file__).resolve().parent.parent
KIT = ("facilitator-guide.md", "student-handout.md", "reading.md", "grading.md", "homework.md")


def test_the_readme_links_every_file_of_the_kit() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in KIT:
        assert (ROOT / "docs" / name).is_file(), name
        assert f"(docs/{name})" in readme, name


def commands() -> list[tuple[str, str]]:
    found = []
    for name in KIT:
        text = (ROOT / "docs" / name).read_text()
        blocks = re.findall(r"```\n(.*?)```", text, re.S)
        lines = [line for block in blocks for line in block.splitlines()]
        lines += re.findall(r"`(fortress [^`]+)`", text)
        found += [(name, line.strip()) for line in lines if line.strip().startswith("fortress ") and "..." not in line]
    return found


@pytest.mark.parametrize(("doc", "command"), commands())
def test_every_command_in_the_kit_is_one_fortress_accepts(doc: str, command: str) -> None:
    words = shlex.split(re.sub(r"<[^>]+>", "X", command))[1:]
    try:
        build_parser().parse_args(words)
    except SystemExit as exc:
        pytest.fail(f"{doc}: `{command}` is refused ({exc})")


def test_the_kit_has_enough_commands_to_run_a_class() -> None:
    used = {c.split()[1] for _, c in commands()}
    assert {"workshop", "play", "simulate", "debrief", "analyse", "replay", "serve"} <= used


def test_the_handouts_ten_terms_are_in_the_glossary(pack: Pack) -> None:
    handout = (ROOT / "docs" / "student-handout.md").read_text()
    terms = re.findall(r"^\d+\. \*\*(.+?)\*\*", handout, re.M)
    assert len(terms) == 10
    names = {name for term in pack.glossary for name in term.names()}
    assert [t for t in terms if t.lower() not in names] == []


def test_the_guide_sends_no_one_to_a_glossary_that_does_not_ship() -> None:
    for name in KIT:
        assert "article's glossary" not in (ROOT / "docs" / name).read_text()
