"""docs/calibration.md shows the model's figures as the content makes them today."""

from __future__ import annotations

from pathlib import Path

from game.analysis.calibration import table
from game.content.models import Pack

DOC = Path(__file__).resolve().parents[1] / "docs" / "calibration.md"


def test_the_calibration_table_is_the_one_the_content_gives(pack: Pack) -> None:
    assert table(pack) in DOC.read_text(encoding="utf-8"), (
        "docs/calibration.md is out of date: paste the output of `python -m game.analysis.calibration`"
    )
