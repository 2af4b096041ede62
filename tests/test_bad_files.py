"""A class folder of more than sixty bad files beside three good saves, run through the real
`fortress` command: `workshop status`, `debrief` in every format and `replay --check` each list the
good saves and name every bad file with its reason, print no traceback and never hang."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import Corpus, make_corpus, shown

from game.content.models import Pack
from game.content.names import for_html
from game.saves.load import read_folder

TIMEOUT = 120


@pytest.fixture(scope="module")
def corpus(pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(pack, tmp_path_factory.mktemp("class"))


def fortress(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "game.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"{proc.args} hung: {out[-500:]} {err[-500:]}")
    return proc.returncode, out, err


def clean(text: str) -> None:
    assert "Traceback" not in text and "Error:" not in text and "\x1b" not in text and "\x07" not in text


def test_the_corpus_is_big_enough(corpus: Corpus) -> None:
    assert len(corpus.bad) >= 60, len(corpus.bad)
    names = {p.name for p in corpus.folder.iterdir()}
    assert set(corpus.bad) | set(corpus.good_files) <= names


def test_the_one_reader_names_every_unreadable_file(corpus: Corpus) -> None:
    entries = {e.path.name: e for e in read_folder(corpus.folder)}
    for name in corpus.unreadable:
        assert not entries[name].ok and entries[name].reason, name
    for name in corpus.good_files + corpus.unplayable + corpus.lying:
        assert entries[name].ok, (name, entries[name].problem)
    assert len({entries[n].reason for n in corpus.unreadable}) >= 25  # reasons are specific, not one catch-all


def listed(lines: list[str], name: str, words: tuple[str, ...]) -> str:
    """The line of `lines` that lists file `name` as skipped or flagged (with a reason after it)."""
    hits = [line for line in lines if any(f"{w} {shown(name)}: " in line for w in words)]
    assert hits, f"{name!r} is not listed"
    assert len(hits[0].split(": ", 1)[1]) > 10, hits[0]
    return hits[0]


def test_every_listing_shows_the_good_saves_and_names_every_bad_file(corpus: Corpus, tmp_path: Path) -> None:
    folder = str(corpus.folder)
    runs = {
        "status": fortress("workshop", "status", folder),
        "text": fortress("debrief", folder, "--text"),
        "check": fortress("replay", "--check", folder),
        **{fmt: fortress("debrief", folder, "--out", str(tmp_path / f"report.{fmt}")) for fmt in ("html", "md", "csv")},
    }
    results = {key: finish(proc) for key, proc in runs.items()}
    for key, (code, out, err) in results.items():
        clean(out + err)
        assert code == (1 if key == "check" else 0), (key, err)

    code, out, err = results["status"]
    lines = out.splitlines()
    for team in corpus.good_teams:
        assert any(line.startswith(team) for line in lines), team
    for name in corpus.bad:
        line = listed(lines, name, ("skipped", "flagged"))
        assert line.startswith("flagged") == (name in corpus.lying), line
    assert not any(line.startswith(("Liar", "Other Class", "Template")) for line in lines)

    for fmt in ("html", "md", "csv"):
        code, out, err = results[fmt]
        lines = [line.strip() for line in out.splitlines()]
        assert f": {len(corpus.good_teams)} teams, " in lines[0], lines[0]
        for name in corpus.bad:
            listed(lines, name, ("skipped", "flagged"))
    html = (tmp_path / "report.html").read_text()
    md = (tmp_path / "report.md").read_text()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text())))
    assert sorted(r["team"] for r in rows) == corpus.good_teams
    assert "Files flagged" in html and "Files skipped" in html and "Files flagged" in md
    for name in corpus.bad:
        assert for_html(name) in html, name
        assert shown(name).replace("|", "\\|") in md, name
    for team in corpus.good_teams:
        assert team in html and f"| {team} |" in md

    code, out, err = results["text"]
    for name in corpus.bad:
        assert shown(name) in out, name

    code, out, err = results["check"]
    lines = out.splitlines()
    for name in corpus.good_files:
        assert any(line.startswith("OK") and line.split(": ")[0].endswith(name) for line in lines), name
    for name in corpus.unreadable + [n for n in corpus.unplayable if n != "other-world.json"]:
        assert any(line.startswith("FAIL") and f"{shown(name)}: skipped: " in line for line in lines), name
    for name in corpus.lying:
        assert any(line.startswith("FLAG") and f"{shown(name)}: flagged: " in line for line in lines), name


def test_a_listing_of_only_bad_files_fails_in_one_line(corpus: Corpus, tmp_path: Path) -> None:
    for name in ("deep-list.json", "pipe.json", "zero.json", "folder.json"):
        target = tmp_path / name
        source = corpus.folder / name
        if source.is_symlink():
            target.symlink_to(source.readlink())
        elif source.is_dir():
            target.mkdir()
        elif name == "pipe.json":
            os.mkfifo(target)
        else:
            target.write_bytes(source.read_bytes())
    code, _, err = finish(fortress("debrief", str(tmp_path), "--out", str(tmp_path / "r.html")))
    assert code == 2 and err.count("\n") == 1 and err.startswith("fortress: No game in")
    for name in ("deep-list.json", "pipe.json", "zero.json", "folder.json"):
        assert name in err
    clean(err)
