"""What a hostile tab (or web page) cannot do to `fortress serve`: grow its game without bound, start
more games than the cap, outlive a server killed outright, or reach the server through another
address or from another origin. Against the real server, with Chromium where a browser matters."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from game.content.workshop import Workshop, workshop_toml
from game.ui import serve
from game.ui.lifeline import PARENT_ENV
from game.ui.serve import MAX_COLUMNS, MAX_ROWS, BoundedAppService, ClassroomServer, ServeOptions, bounded_size

from .conftest import Served, alive, fetch, open_game, start_server, stop_server

WORKSHOP = Workshop(title="Guarded class", scenario="tutorial", seed=5, quarters=4)
SGR = re.compile(r"\x1b\[[0-9;]*m")
LINE = re.compile(r"\x1b\[(\d+);(\d+)H((?:[^\x1b]|\x1b\[[0-9;]*m)*)")


@pytest.fixture
def workshop_file(tmp_path: Path) -> Path:
    path = tmp_path / "class.toml"
    path.write_text(workshop_toml(WORKSHOP))
    return path


def drawn_size(raw: str) -> tuple[int, int]:
    """Rows and columns a game drew in: its lowest line, and its longest line's end."""
    rows = columns = 0
    for match in LINE.finditer(raw):
        rows = max(rows, int(match.group(1)))
        columns = max(columns, int(match.group(2)) - 1 + len(SGR.sub("", match.group(3)).rstrip("\r\n")))
    return rows, columns


def drawn_after(
    page: Any, raw: list[str], start: int, expected: tuple[int, int], timeout: float = 15
) -> tuple[int, int]:
    """The size the game drew in since frame `start`, once it is `expected` (or `timeout` passed),
    and half a second more: nothing it drew since is larger."""
    deadline = time.monotonic() + timeout
    while drawn_size("".join(raw[start:])) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    return drawn_size("".join(raw[start:]))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---- a bounded terminal -------------------------------------------------------------------------------


def test_a_huge_window_or_a_forged_resize_gets_a_bounded_terminal(
    browser: Any, workshop_file: Path, tmp_path: Path
) -> None:
    served = start_server(["--workshop", str(workshop_file)], tmp_path)
    try:
        # every websocket message the page sends goes through its one socket: keep it at hand
        browser.add_init_script(
            "const send = WebSocket.prototype.send;"
            "WebSocket.prototype.send = function (data) { window.gameSocket = this; return send.call(this, data); };"
        )
        raw: list[str] = []
        page, _ = open_game(browser, served.url + "?fontsize=8", raw=raw)
        (pid,) = served.sessions()
        # a window far larger than the bound: at font size 8 about 830 x 190 cells
        start = len(raw)
        page.set_viewport_size({"width": 4000, "height": 1900})
        assert drawn_after(page, raw, start, (MAX_ROWS, MAX_COLUMNS)) == (MAX_ROWS, MAX_COLUMNS)
        # a student's own messages: nonsense and a broken character (typed as a "?"), which the
        # game outlives; then a small size and a giant one
        for message in (
            "JSON.stringify(['resize', {width: 'wide', height: null}])",
            "'not json'",
            "JSON.stringify(['stdin', String.fromCharCode(0xD800)])",
        ):
            page.evaluate(f"() => window.gameSocket.send({message})")
        page.wait_for_timeout(1000)
        start = len(raw)
        page.evaluate("() => window.gameSocket.send(JSON.stringify(['resize', {width: 90, height: 30}]))")
        assert drawn_after(page, raw, start, (30, 90)) == (30, 90)
        start = len(raw)
        page.evaluate("() => window.gameSocket.send(JSON.stringify(['resize', {width: 1e9, height: 1e9}]))")
        assert drawn_after(page, raw, start, (MAX_ROWS, MAX_COLUMNS)) == (MAX_ROWS, MAX_COLUMNS)
        assert served.sessions() == [pid] and rss_mb(pid) < 400
        page.close()
    finally:
        stop_server(served)


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        ((80, 24), (80, 24)),
        ((10**9, 10**9), (MAX_COLUMNS, MAX_ROWS)),
        ((-5, 0), (serve.MIN_COLUMNS, serve.MIN_ROWS)),
        (("120", " 40 "), (120, 40)),
        ((120.9, 40.2), (120, 40)),
        ((float("inf"), 24), None),
        ((True, 24), None),
        (("wide", 24), None),
        ((None, None), None),
        (([80], {"h": 1}), None),
    ],
)
def test_a_terminal_size_is_bounded_or_refused(asked: tuple[object, object], given: tuple[int, int] | None) -> None:
    assert bounded_size(*asked) == given


async def test_a_storm_of_resizes_reaches_the_game_paced_and_latest_last(monkeypatch: pytest.MonkeyPatch) -> None:
    service = BoundedAppService(
        "true",
        write_bytes=None,  # type: ignore[arg-type]
        write_str=None,  # type: ignore[arg-type]
        close=None,  # type: ignore[arg-type]
        download_manager=None,  # type: ignore[arg-type]
    )
    told: list[tuple[float, int, int]] = []

    async def send_meta(data: dict[str, Any]) -> bool:
        told.append((time.monotonic(), data["width"], data["height"]))
        return True

    monkeypatch.setattr(service, "send_meta", send_meta)
    asked = [(100 + i % 300, 30 + i % 100) for i in range(250)]
    for width, height in asked:
        await service.set_terminal_size(width, height)
        await asyncio.sleep(0.002)
    await asyncio.sleep(2 * serve.RESIZE_INTERVAL)
    assert [(w, h) for _, w, h in told[:1]] == asked[:1]  # the first at once
    assert (told[-1][1], told[-1][2]) == asked[-1]  # the latest last
    assert 2 <= len(told) <= 10  # of 250 resizes in about half a second
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(told)]
    assert min(gaps) >= serve.RESIZE_INTERVAL * 0.9
    await service.set_terminal_size(10**9, 10**9)
    await service.set_terminal_size(MAX_COLUMNS + 1, MAX_ROWS + 1)  # the same size, once bounded
    await asyncio.sleep(2 * serve.RESIZE_INTERVAL)
    assert [(w, h) for _, w, h in told[-1:]] == [(MAX_COLUMNS, MAX_ROWS)]
    await service.stop()


# ---- the cap ------------------------------------------------------------------------------------------


async def start_game(client: aiohttp.ClientSession, url: str, hold: asyncio.Event, outcome: list[str]) -> None:
    """One tab as a script: load the page, open its websocket; 'game' (holding it until `hold`),
    'full' (the page), or 'turned away' (the websocket sends the page to the full page)."""
    async with client.get(url) as response:
        page = await response.text()
    if response.status == 503:
        outcome.append("full")
        return
    found = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert found, page
    async with client.ws_connect(found.group(1) + "?width=100&height=30") as websocket:
        message = await websocket.receive(timeout=30)
        if message.type == aiohttp.WSMsgType.TEXT:
            assert json.loads(message.data) == ["open_url", {"url": "/?full=1", "new_tab": False}]
            outcome.append("turned away")
            return
        assert message.type == aiohttp.WSMsgType.BINARY
        outcome.append("game")
        await hold.wait()


async def test_parallel_page_loads_never_start_more_games_than_the_cap(workshop_file: Path, tmp_path: Path) -> None:
    served = start_server(["--workshop", str(workshop_file), "--max-sessions", "2"], tmp_path)
    try:
        # pages that never open their websocket take no place
        for _ in range(3):
            assert (await asyncio.to_thread(fetch, served.url))[0] == 200
        counts: list[int] = []
        hold = asyncio.Event()
        outcome: list[str] = []
        async with aiohttp.ClientSession() as client:
            tabs = [asyncio.create_task(start_game(client, served.url, hold, outcome)) for _ in range(8)]
            while len(outcome) < 8:
                counts.append(len(served.sessions()))
                await asyncio.sleep(0.02)
                assert not any(t.done() and t.exception() for t in tabs), [t.exception() for t in tabs if t.done()]
            await asyncio.sleep(0.5)
            counts.append(len(served.sessions()))
            assert outcome.count("game") == 2, outcome
            assert max(counts) == 2
            status, body = await asyncio.to_thread(fetch, served.url + "?full=1")
            assert status == 503 and 'content="20; url=/"' in body
            hold.set()
            await asyncio.gather(*tabs)
        # the places free up once the games have ended
        deadline = time.monotonic() + 20
        while served.sessions() or (await asyncio.to_thread(fetch, served.url))[0] != 200:
            assert time.monotonic() < deadline, "the places never freed up"
            await asyncio.sleep(0.2)
    finally:
        stop_server(served)


def test_a_tab_turned_away_by_its_websocket_lands_on_the_full_page(
    browser: Any, workshop_file: Path, tmp_path: Path
) -> None:
    served = start_server(["--workshop", str(workshop_file), "--max-sessions", "1"], tmp_path)
    try:
        # the late tab's page is served while the place is free; its script (and so its
        # websocket) is held back until another tab has taken the place
        late = browser.new_page()
        held: list[Any] = []
        late.route("**/static/js/textual.js", lambda route: held.append(route))
        late.goto(served.url, wait_until="commit")
        first, _ = open_game(browser, served.url)
        deadline = time.monotonic() + 10
        while not held:
            assert time.monotonic() < deadline, "the late tab never asked for its script"
            late.wait_for_timeout(50)
        held[0].continue_()
        late.wait_for_url(re.compile(r"full=1"), timeout=20_000)
        late.wait_for_selector("text=The game is full", timeout=20_000)
        assert len(served.sessions()) == 1
        first.close()
        late.close()
    finally:
        stop_server(served)


# ---- games end with their server ----------------------------------------------------------------------


def test_killing_the_server_outright_ends_its_games(browser: Any, workshop_file: Path, tmp_path: Path) -> None:
    served = start_server(["--workshop", str(workshop_file)], tmp_path)
    try:
        page, _ = open_game(browser, served.url)
        (pid,) = served.sessions()
        served.process.kill()  # SIGKILL: no clean-up of its own
        served.process.wait()
        deadline = time.monotonic() + 5
        while alive(pid):
            assert time.monotonic() < deadline, f"game process {pid} outlived its server"
            time.sleep(0.1)
        page.close()
    finally:
        stop_server(served)


PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-m", "game.ui.lifeline", *sys.argv[1:]])
print(child.pid, flush=True)
time.sleep(60)
"""


def test_the_lifeline_ends_its_command_with_its_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, "sleep", "60"], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(0.3)
    assert alive(child) and b"sleep" in Path(f"/proc/{child}/cmdline").read_bytes()
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while alive(child):
        assert time.monotonic() < deadline, "the command outlived its parent"
        time.sleep(0.05)


def test_the_lifeline_runs_nothing_once_its_server_is_gone(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    gone = subprocess.run(
        [sys.executable, "-m", "game.ui.lifeline", "touch", str(marker)],
        env={**os.environ, PARENT_ENV: "999999999"},
        timeout=30,
    )
    assert gone.returncode == 1 and not marker.exists()
    here = subprocess.run(
        [sys.executable, "-m", "game.ui.lifeline", "touch", str(marker)],
        env={**os.environ, PARENT_ENV: str(os.getpid())},
        timeout=30,
    )
    assert here.returncode == 0 and marker.exists()


# ---- its own address only -----------------------------------------------------------------------------


def test_a_page_whose_own_name_points_here_is_refused(browser: Any, workshop_file: Path, tmp_path: Path) -> None:
    served = start_server(["--workshop", str(workshop_file)], tmp_path)
    try:
        page = browser.new_page()
        response = page.goto(f"http://rebinding.test:{served.port}/")
        assert response is not None and response.status == 403
        assert "does not answer to the address rebinding.test" in page.inner_text("body")
        # nor can it fetch the game's files; the game's own address works
        assert page.evaluate("u => fetch(u).then(r => r.status)", "/static/js/textual.js") == 403
        assert fetch(f"http://localhost:{served.port}/")[0] == 200
        assert served.sessions() == []
        page.close()
    finally:
        stop_server(served)


ATTACKER = """<!DOCTYPE html><html><body><script>
const socket = new WebSocket("{websocket}");
socket.onopen = () => {{ document.title = "open"; }};
socket.onclose = () => {{ document.title = document.title === "open" ? "open" : "refused"; }};
</script></body></html>"""


@contextlib.contextmanager
def web_page(html: str) -> Iterator[int]:
    """Another web server on this machine, serving one page: its port."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_of_another_origin_cannot_open_a_game(browser: Any, workshop_file: Path, tmp_path: Path) -> None:
    served = start_server(["--workshop", str(workshop_file)], tmp_path)
    try:
        status, body = fetch(served.url)
        found = re.search(r'data-session-websocket-url="([^"]+)"', body)
        assert status == 200 and found  # the worst case: the other page knows a fresh ticket
        with web_page(ATTACKER.format(websocket=found.group(1))) as port:
            page = browser.new_page()
            page.goto(f"http://elsewhere.test:{port}/")
            page.wait_for_function("document.title !== ''", timeout=20_000)
            assert page.title() == "refused"
        assert served.sessions() == []
        deadline = time.monotonic() + 5
        while not any("another origin" in line and f"elsewhere.test:{port}" in line for line in served.output):
            assert time.monotonic() < deadline, "".join(served.output)
            time.sleep(0.1)
        page.close()
    finally:
        stop_server(served)


def raw_request(port: int, head: str) -> int:
    """The status of a hand-written HTTP request."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.encode() + b"\r\n\r\n")
        return int(s.recv(200).split(b" ", 2)[1])


def test_requests_for_another_address_or_origin_are_refused(workshop_file: Path, tmp_path: Path) -> None:
    served: Served = start_server(["--workshop", str(workshop_file)], tmp_path)
    try:
        port = served.port
        assert raw_request(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}") == 200
        assert raw_request(port, f"GET / HTTP/1.1\r\nHost: [::1]:{port}") == 200
        assert raw_request(port, f"GET / HTTP/1.1\r\nHost: evil.example:{port}") == 403
        assert raw_request(port, f"GET / HTTP/1.1\r\nHost: localhost:{port + 1}") == 403
        assert raw_request(port, "GET / HTTP/1.0") == 400  # no Host at all
        status, body = fetch(served.url)
        assert status == 200
        ticket = re.search(r"/ws/([^\"]+)", body)
        assert ticket
        upgrade = (
            f"GET /ws/{ticket.group(1)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        )
        assert raw_request(port, upgrade + "Origin: http://evil.example") == 403
        assert raw_request(port, upgrade + f"Origin: http://127.0.0.1:{port + 1}") == 403
        assert raw_request(port, upgrade + "Origin: null") == 403
        assert served.sessions() == []
        # and no page of another origin can show the game's page inside its own
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(4096).decode().split("\r\n\r\n")[0].lower()
        assert "content-security-policy: frame-ancestors 'none'" in head and "x-frame-options: deny" in head
    finally:
        stop_server(served)


@pytest.mark.parametrize(
    ("options", "host", "answers"),
    [
        ({}, "127.0.0.1:8000", True),
        ({}, "localhost:8000", True),
        ({}, "LOCALHOST.:8000", True),
        ({}, "[::1]:8000", True),
        ({}, "10.0.0.7:8000", False),  # loopback only: never another machine's address
        ({}, "attacker.example:8000", False),
        ({}, "localhost:9000", False),
        ({}, "localhost", False),
        ({}, "localhost:8000@attacker.example", False),
        ({}, "", False),
        ({"host": "0.0.0.0", "token": "t"}, "10.0.0.7:8000", True),
        ({"host": "0.0.0.0", "token": "t"}, f"{socket.gethostname()}:8000", True),
        ({"host": "0.0.0.0", "token": "t"}, f"{socket.gethostname()}.local:8000", True),
        ({"host": "0.0.0.0", "token": "t"}, "attacker.example:8000", False),
        ({"public_url": "https://class.example.org/fortress/"}, "class.example.org", True),
        ({"public_url": "https://class.example.org/fortress/"}, "class.example.org:443", True),
        ({"public_url": "https://class.example.org/fortress/"}, "attacker.example", False),
        ({"port": 80}, "localhost", True),
    ],
)
def test_the_server_answers_to_its_own_addresses_only(options: dict[str, Any], host: str, answers: bool) -> None:
    server = ClassroomServer(ServeOptions(command="true", **{"port": 8000, **options}))
    assert server.answers_to(host) is answers


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://localhost:8000", "localhost:8000", True),
        ("http://localhost:8000", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
        ("http://attacker.example", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
        ("https://class.example.org", "class.example.org", True),  # through --public-url's proxy
    ],
)
def test_only_the_servers_own_pages_may_use_it(origin: str, host: str, same: bool) -> None:
    server = ClassroomServer(ServeOptions(command="true", port=8000, public_url="https://class.example.org/"))
    assert server.same_origin(origin, host) is same


def test_a_flood_of_page_loads_keeps_a_bounded_number_of_tickets() -> None:
    server = ClassroomServer(ServeOptions(command="true", max_sessions=2))
    tickets = [server._new_ticket() for _ in range(50)]
    assert len(server.tickets) == serve.TICKETS_PER_PLACE * 2
    assert list(server.tickets) == tickets[-len(server.tickets) :]  # the oldest went first
    assert server.places == 0  # and none of them took a place
