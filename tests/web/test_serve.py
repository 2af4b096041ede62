"""`fortress serve` in a real browser: a tab reaches the game, a closed tab frees its process, the
cap turns newcomers away with a page that says so, and a server open to the network wants its
token."""

from __future__ import annotations

import asyncio
import re
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from game.content.workshop import Workshop, join_code, workshop_toml
from game.ui import serve
from game.ui.serve import is_loopback, reachable_host, session_command

from .conftest import Served, alive, fetch, open_game, start_server, stop_server

WORKSHOP = Workshop(title="Browser class", scenario="tutorial", seed=77, quarters=4)


@pytest.fixture
def workshop_file(tmp_path: Path) -> Path:
    path = tmp_path / "class.toml"
    path.write_text(workshop_toml(WORKSHOP))
    return path


def test_a_tab_plays_the_workshop_and_closing_it_ends_its_process(
    browser: Any, workshop_file: Path, tmp_path: Path
) -> None:
    saves = tmp_path / "class-saves"
    served = start_server(["--workshop", str(workshop_file), "--saves", str(saves)], tmp_path)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", served.url)
        page, frames = open_game(browser, served.url)
        text = "".join(frames)
        assert "Join the workshop: Browser class" in text and join_code(WORKSHOP) in text
        (pid,) = served.sessions()
        # the session is the game itself (exec), not a shell around it
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"game.cli" in cmdline and b"--workshop" in cmdline
        page.focus(".xterm-helper-textarea")
        page.keyboard.type("Web Team", delay=20)
        page.keyboard.press("Enter")
        deadline = time.monotonic() + 30
        while not list(saves.glob("autosave-Web-Team-*.json")):
            assert time.monotonic() < deadline, "the browser team's game was never saved"
            page.wait_for_timeout(100)
        page.close()
        deadline = time.monotonic() + 60
        while alive(pid):
            assert time.monotonic() < deadline, f"game process {pid} still running a minute after its tab closed"
            time.sleep(0.2)
        assert served.sessions() == []
    finally:
        stop_server(served)


def test_past_the_cap_a_newcomer_is_told_the_game_is_full(browser: Any, workshop_file: Path, tmp_path: Path) -> None:
    served = start_server(["--workshop", str(workshop_file), "--max-sessions", "1"], tmp_path)
    try:
        first, _ = open_game(browser, served.url)
        second = browser.new_page()
        response = second.goto(served.url)
        assert response is not None and response.status == 503
        assert "The game is full" in second.inner_text("body")
        assert "one place in this game is taken" in second.inner_text("body")
        assert served.sessions() and len(served.sessions()) == 1
        first.close()
        second.close()
    finally:
        stop_server(served)


def test_a_server_open_to_the_network_wants_its_token(workshop_file: Path, tmp_path: Path) -> None:
    served: Served = start_server(["--host", "0.0.0.0", "--workshop", str(workshop_file)], tmp_path)
    try:
        match = re.fullmatch(r"http://(\S+):(\d+)/\?token=(\S+)", served.url)
        assert match, served.url
        host, port, token = match.groups()
        assert host not in ("0.0.0.0", "localhost", "127.0.0.1")
        local = f"http://127.0.0.1:{port}/"
        status, body = fetch(local)
        assert status == 403 and "access token" in body
        assert fetch(local + "?token=wrong")[0] == 403
        status, body = fetch(f"{local}?token={token}")
        assert status == 200
        # the page's websocket address is the one the browser used, with a one-time ticket
        ws = re.search(r'data-session-websocket-url="(ws://[^"]+)"', body)
        assert ws and ws.group(1).startswith(f"ws://127.0.0.1:{port}/ws/")
        assert fetch(f"{local}ws/not-a-ticket")[0] == 403
    finally:
        stop_server(served)


def test_each_session_runs_the_game_itself_with_its_paths_quoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORTRESS_PROCESSES", raising=False)
    saves = tmp_path / "class saves; rm -rf ~"
    command = session_command(saves=saves, workshop=str(tmp_path / "a b.toml"), content=None, python="/py thon")
    assert command.startswith("exec ")
    # each session evaluates in its own process unless the server was told otherwise
    assert shlex.split(command[5:]) == [
        "env",
        "FORTRESS_PROCESSES=1",
        "/py thon",
        "-m",
        "game.ui.lifeline",
        "/py thon",
        "-m",
        "game.cli",
        "--saves",
        str(saves),
        "play",
        "--workshop",
        str(tmp_path / "a b.toml"),
    ]
    monkeypatch.setenv("FORTRESS_PROCESSES", "3")
    assert shlex.split(session_command(saves=saves, workshop=None)[5:])[:2] == ["env", "FORTRESS_PROCESSES=3"]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
    ],
)
def test_only_loopback_addresses_go_without_a_token(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_wildcard_address_is_printed_as_one_students_can_reach() -> None:
    for wildcard in ("0.0.0.0", ""):
        assert reachable_host(wildcard) not in ("0.0.0.0", "")
    assert reachable_host("192.168.1.20") == "192.168.1.20"


async def test_a_session_that_will_not_quit_is_terminated_then_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "STOP_GRACE", 0.3)
    monkeypatch.setattr(serve, "TERM_GRACE", 0.3)
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"
    )
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", stubborn, stdout=asyncio.subprocess.PIPE)
    assert process.stdout is not None
    await process.stdout.readline()

    class Stuck:
        """An app service whose game never answers the quit message."""

        _task = None

        async def stop(self) -> None:
            await asyncio.sleep(60)

    server = serve.ClassroomServer(serve.ServeOptions(command="true"))
    server.sessions[process.pid] = process
    started = time.monotonic()
    await server._end_session(Stuck(), process)  # type: ignore[arg-type]
    assert process.returncode == -signal.SIGKILL
    assert process.pid not in server.sessions
    assert time.monotonic() - started < 5
