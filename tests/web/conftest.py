"""Browser tests: `fortress serve` in a subprocess, driven by headless Chromium through playwright.

Chromium is the system's (`/usr/bin/chromium`, or $FORTRESS_CHROMIUM); playwright never downloads
one. Without chromium or playwright the tests are skipped and say which is missing.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .browser import ANSI, CHROMIUM_ARGS, chromium_path, free_port, session_pids

REBINDING = "--host-resolver-rules=MAP *.test 127.0.0.1"
"""Every `*.test` name leads the browser to this machine: a web page whose own name was made to
point here (DNS rebinding)."""


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]' installs it)")
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed (apt-get install chromium; or set $FORTRESS_CHROMIUM)")
    return path


@pytest.fixture
def browser(chromium: str, tmp_path: Path) -> Iterator[Any]:
    """A fresh headless Chromium (its own profile folder). Playwright's synchronous API runs an
    event loop while it is open, so it is opened per test, never across the asyncio tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=chromium,
            args=[*CHROMIUM_ARGS, REBINDING],
            headless=True,
            viewport={"width": 1000, "height": 640},
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Served:
    """A running `fortress serve`."""

    process: subprocess.Popen[str]
    url: str
    port: int
    output: list[str] = field(default_factory=list)

    def sessions(self) -> list[int]:
        """Process ids of the server's live game processes (its children running the game)."""
        return session_pids(self.process.pid)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rfind(")") + 2] != "Z"


def start_server(args: list[str], cwd: Path, timeout: float = 30) -> Served:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "serve", "--port", str(port), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    output: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        output.append(line)
        match = re.search(r"(http://\S+)", line)
        if match:
            served = Served(process, match.group(1), port, output)
            threading.Thread(target=lambda: [output.append(x) for x in iter(lines.get, None)], daemon=True).start()
            return served
    process.kill()
    raise AssertionError("fortress serve did not start:\n" + "".join(output))


def stop_server(served: Served) -> None:
    served.process.send_signal(2)  # Ctrl+C
    try:
        served.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()


def open_game(
    browser: Any, url: str, expect: str = "Team name", timeout: float = 60, raw: list[str] | None = None
) -> tuple[Any, list[str]]:
    """Open the page in a new tab; wait until the game's text `expect` reaches it. The frames
    come without their escape codes; `raw` gets them as they came."""
    page = browser.new_page()
    frames: list[str] = []

    def on_websocket(ws: Any) -> None:
        def received(payload: Any) -> None:
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            frames.append(ANSI.sub("", text))
            if raw is not None:
                raw.append(text)

        ws.on("framereceived", received)

    page.on("websocket", on_websocket)
    page.goto(url)
    deadline = time.monotonic() + timeout
    while expect not in "".join(frames):
        assert time.monotonic() < deadline, f"{expect!r} never reached the page"
        page.wait_for_timeout(100)
    return page, frames


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The status and body of a GET."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
