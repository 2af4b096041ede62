"""`fortress serve`: the game in a browser for a whole class, through textual-serve.

Every browser tab is its own game: its websocket starts `fortress play --workshop ... --saves ...`
as a separate process (through `exec`, so no shell lingers), and when the tab closes the process
is asked to quit, then terminated, then killed, so none is left running. On top of textual-serve's
`Server` this module adds what a classroom needs:

- **Access.** Bound to loopback unless `--host` says otherwise. On any other address the server
  makes an access token and prints the address with it; the page and the websocket refuse anyone
  without it.
- **Its own address only.** A request whose Host is not this server's (a web page that had its
  own name point at this machine, "DNS rebinding") is refused, and so is a websocket or any
  request a page of another origin makes.
- **A cap.** Past `--max-sessions` games at once a newcomer gets a plain page saying the game is
  full (it retries by itself), not a hang or a blank terminal. A place is taken when a tab's
  websocket starts its game and freed when that game's process has ended, so the cap holds
  however many pages load at once, and a page that never starts a game takes no place.
- **Bounded terminals.** A tab's terminal is at most `MAX_COLUMNS` x `MAX_ROWS` cells, whatever
  size the browser (or a hand-made websocket message) asks for; resizes are passed on at most
  every `RESIZE_INTERVAL` seconds, the latest one last.
- **Games end with their server.** Each game runs through `game.ui.lifeline`, which has the kernel
  stop it when the server's process ends, even by `kill -9`.
- **Reachable addresses.** The page's websocket address is built from the address the browser
  used (or `--public-url`), so it works from students' machines whatever the server is bound to.
- **A page with no network needs.** textual-serve's own page fetches a web font from the
  internet; this one uses the font textual-serve ships.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import math
import os
import secrets
import shlex
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from aiohttp import WSMsgType, web
from aiohttp.typedefs import Handler
from jinja2 import Environment, select_autoescape
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

from game.analysis.parallel import ENV as PROCESSES_ENV
from game.ui.lifeline import PARENT_ENV

log = logging.getLogger("fortress.serve")

STOP_GRACE = 10.0
"""Seconds a session's process has to quit by itself after its tab closed."""
TERM_GRACE = 5.0
"""Seconds between terminating a lingering session's process and killing it."""
TICKET_SECONDS = 60.0
"""How long a served page keeps its place for its websocket."""
FULL_RETRY = 20
"""Seconds between the "game is full" page's own retries."""
HEARTBEAT = 15.0
"""Websocket heartbeat (as textual-serve's): a tab that vanished without closing is noticed."""
TICKETS_PER_PLACE = 10
"""Pages served whose websocket has not arrived yet, kept per place of the cap (the oldest go
first): a flood of page loads cannot fill the server's memory."""

MAX_COLUMNS = 400
"""The widest terminal a tab may ask for: a 4K screen at the page's default font. A game's
memory and drawing time grow with its cells; a larger window shows the game at this width."""
MAX_ROWS = 150
"""The tallest terminal a tab may ask for (with `MAX_COLUMNS`, 60,000 cells)."""
MIN_COLUMNS = 20
"""The narrowest terminal a game is drawn in (the game itself wants 80 x 24)."""
MIN_ROWS = 8
"""The shortest terminal a game is drawn in."""
DEFAULT_SIZE = (80, 24)
"""A tab's terminal when its page did not say (or said nonsense)."""
RESIZE_INTERVAL = 0.1
"""Seconds between two resizes passed on to a game: a window dragged (or a storm of resize
messages) lays the game out ten times a second at most, the last size always last."""


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reachable_host(host: str) -> str:
    """The address other machines use to reach a server bound to `host`: the host itself, or for
    a wildcard (0.0.0.0, ::) this machine's address on its main network."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    family = socket.AF_INET6 if host == "::" else socket.AF_INET
    probe = ("2001:db8::1", 9) if family == socket.AF_INET6 else ("192.0.2.1", 9)
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.connect(probe)  # UDP: no packet is sent; the OS picks the outgoing interface
            address = str(s.getsockname()[0])
        if not is_loopback(address):
            return address
    except OSError:
        pass
    return socket.gethostname()


def url_host(host: str) -> str:
    """`host` as it appears in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def bounded_size(width: object, height: object) -> tuple[int, int] | None:
    """The columns and rows of a tab's terminal from what its page asked for, each clamped to
    `MIN_*`..`MAX_*`; None when the two are not numbers (a hand-made message)."""
    size = []
    for value, low, high in ((width, MIN_COLUMNS, MAX_COLUMNS), (height, MIN_ROWS, MAX_ROWS)):
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return None
        size.append(max(low, min(high, int(value))))
    return size[0], size[1]


def session_command(*, saves: Path, workshop: str | None, content: str | None = None, python: str | None = None) -> str:
    """The shell command each browser session runs: `exec` the game itself, so the process
    textual-serve watches is the game and not a shell around it (`env` execs the lifeline, which
    has the game end with the server, and the lifeline execs the game: one process throughout).

    Each session plays its evaluations in its own process (FORTRESS_PROCESSES=1): a classroom
    of sessions already shares the cores, and helpers would double each session's memory. A
    FORTRESS_PROCESSES set for the server is passed on instead."""
    helpers = os.environ.get(PROCESSES_ENV, "1")
    python = python or sys.executable
    argv = ["env", f"{PROCESSES_ENV}={helpers}", python, "-m", "game.ui.lifeline", python, "-m", "game.cli"]
    if content:
        argv += ["--content", content]
    argv += ["--saves", str(saves), "play"]
    if workshop:
        argv += ["--workshop", workshop]
    return "exec " + shlex.join(argv)


@dataclass(frozen=True)
class ServeOptions:
    """How `fortress serve` was asked to run."""

    command: str
    """The shell command of one session (see `session_command`)."""
    host: str = "127.0.0.1"
    port: int = 8000
    title: str = "Fortress"
    max_sessions: int = 40
    token: str | None = None
    """Required on the page's address (`?token=`) when set; None: open (loopback only)."""
    public_url: str | None = None
    """The address students use, when it is not the server's own (a proxy, a tunnel)."""
    saves: Path | None = None
    """Shown in the startup message."""
    about: str = ""
    """One line about the world being played, shown in the startup message."""


_PAGE = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="stylesheet" href="{{ static }}css/xterm.css">
<script src="{{ static }}js/textual.js"></script>
<style>
@font-face { font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{{ static }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
@font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{{ static }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
body { background: #15181D; }
.dialog-container { position: absolute; width: 100vw; height: 100vh; display: flex;
  align-items: center; justify-content: center; z-index: 10; }
.shade { position: absolute; width: 100%; height: 100%; background: #15181D; }
.intro { width: 640px; min-height: 200px; font-size: 16px; z-index: 20; font-family: "Roboto Mono", menlo, monospace;
  text-align: center; color: #E2E4E8; background-color: #1D2128; display: flex; flex-direction: column;
  align-items: center; justify-content: center; margin: 32px; padding: 16px; }
.intro b { color: #E8B04B; font-size: 20px; }
body.-first-byte .intro-dialog, body.-first-byte .intro-dialog .shade { opacity: 0; transition: opacity 0.3s ease-out; display: none; }
body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; transition: opacity 0.3s ease-out; }
button { padding: 12px 28px; background-color: #2B6A94; color: #fff; border: none;
  font-family: "Roboto Mono", menlo, monospace; margin: 16px; display: block; cursor: pointer; }
button:hover { background: #4A9FD8; }
.closed-dialog { opacity: 0; display: none; }
body.-closed .closed-dialog { opacity: 1; display: flex; }
#start { display: none; }
#start.-delay { display: flex; }
</style>
<script>
function getStartUrl() {
  const url = new URL(window.location.href);
  const params = new URLSearchParams(url.search);
  params.delete("delay");
  return url.pathname + "?" + params.toString();
}
function refresh() { window.location.href = getStartUrl(); }
</script>
</head>
<body data-pingurl="">
<div class="dialog-container intro-dialog"><div class="shade"></div>
<div class="intro"><b>{{ title }}</b><p>Starting your game…</p>
<button type="button" onClick="refresh()" id="start">Start</button></div></div>
<div class="dialog-container closed-dialog"><div class="shade"></div>
<div class="intro"><b>Session ended</b>
<p>Your game is saved every quarter. To play on, start a new session, press Esc for the title
screen and Load your team's save.</p>
<button type="button" onClick="refresh()">New session</button></div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{{ websocket_url }}" data-font-size="{{ font_size }}"></div>
</body>
</html>
"""
)

_NOTICE = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{% if retry %}<meta http-equiv="refresh" content="{{ retry }}">{% endif %}
<title>{{ heading }}</title>
<style>
body { background: #15181D; color: #E2E4E8; font-family: menlo, monospace; display: flex;
  align-items: center; justify-content: center; height: 100vh; margin: 0; }
main { max-width: 560px; background: #1D2128; padding: 24px 32px; }
h1 { color: #E8B04B; font-size: 22px; }
</style>
</head>
<body><main><h1>{{ heading }}</h1>{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}</main></body>
</html>
"""
)


def notice_page(heading: str, paragraphs: Sequence[str], retry: int = 0, retry_url: str = "") -> str:
    """A small self-contained HTML page (full, refused), loading `retry_url` (else itself) every
    `retry` seconds."""
    refresh = f"{retry}; url={retry_url}" if retry and retry_url else str(retry) if retry else ""
    return _NOTICE.render(heading=heading, paragraphs=list(paragraphs), retry=refresh)


class BoundedAppService(AppService):
    """textual-serve's app service with a bounded terminal, resizes passed on at a steady pace,
    and the server's process id for the game's lifeline (see `game.ui.lifeline`)."""

    def __init__(
        self,
        command: str,
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
        debug: bool = False,
    ) -> None:
        super().__init__(
            command,
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
            debug=debug,
        )
        self.size = DEFAULT_SIZE
        """The terminal size the game was last told."""
        self.wanted_size = DEFAULT_SIZE
        """The terminal size the page asked for last (bounded)."""
        self._resizer: asyncio.Task[None] | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(*(bounded_size(width, height) or DEFAULT_SIZE))
        environment[PARENT_ENV] = str(os.getpid())
        return environment

    async def start(self, width: int, height: int) -> None:
        self.size = self.wanted_size = bounded_size(width, height) or DEFAULT_SIZE
        await super().start(*self.size)

    async def set_terminal_size(self, width: int, height: int) -> None:
        """Ask for a new size: bounded, and passed on now or, when one was passed on less than
        `RESIZE_INTERVAL` ago, at the end of that interval (only the latest of those asked)."""
        size = bounded_size(width, height)
        if size is None:
            return
        self.wanted_size = size
        if self._resizer is None or self._resizer.done():
            self._resizer = asyncio.create_task(self._pass_on_resizes())

    async def _pass_on_resizes(self) -> None:
        while self.wanted_size != self.size:
            self.size = self.wanted_size
            await super().set_terminal_size(*self.size)
            await asyncio.sleep(RESIZE_INTERVAL)

    async def stop(self) -> None:
        if self._resizer is not None:
            self._resizer.cancel()
        await super().stop()


def authority(value: str, origin: bool = False) -> tuple[str, int | None] | None:
    """The host (lower case, IPv6 without brackets, no trailing dot) and port of a Host header
    (`host[:port]`, the port None when missing) or of an origin (`scheme://host[:port]`, the
    port the scheme's when missing); None when `value` is not one."""
    try:
        parts: SplitResult = urlsplit(value if origin else "//" + value)
        port = parts.port
    except ValueError:
        return None
    if origin:
        if parts.scheme not in ("http", "https"):
            return None
        port = port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    if not host or parts.username is not None or parts.path or parts.query or parts.fragment:
        return None
    return host.rstrip("."), port


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class ClassroomServer(Server):
    """textual-serve's server with an access token, a cap on sessions and sessions that end."""

    def __init__(self, options: ServeOptions) -> None:
        base = f"http://{url_host(reachable_host(options.host))}:{options.port}"
        super().__init__(options.command, options.host, options.port, options.title, options.public_url or base)
        self.options = options
        self.printed_url = (options.public_url or base).rstrip("/") + "/"
        """The address to give students (with the token, if any)."""
        if options.token:
            self.printed_url += f"?token={options.token}"
        self.tickets: dict[str, float] = {}
        """One-time websocket tickets of pages served, and when each expires (they take no place)."""
        self.places = 0
        """Places of the cap taken: tabs whose game is starting, running or ending."""
        self.peak_places = 0
        """The most places ever taken at once (for the log)."""
        self.sessions: dict[int, asyncio.subprocess.Process] = {}
        """The game process of each live session, by process id."""
        self.sockets: set[web.WebSocketResponse] = set()
        self.started_sessions = 0
        """Sessions started since the server began (for the log)."""
        self.loopback = is_loopback(options.host)
        self.names = {"localhost", options.host.strip("[]").lower()}
        """The host names this server answers to (besides IP addresses)."""
        if not self.loopback:
            hostname = socket.gethostname().lower()
            self.names |= {reachable_host(options.host).lower(), hostname, f"{hostname}.local"}
        public = urlsplit(options.public_url or "")
        self.public = authority(f"{public.scheme}://{public.netloc}", origin=True) if options.public_url else None
        """The host and port of `--public-url`, which the server answers to as well."""

    # ---- the aiohttp application --------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._own_address_only])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{ticket}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # ---- its own address only ------------------------------------------------------------------

    def answers_to(self, host: str | None) -> bool:
        """Whether a request with this Host header is meant for this server: this server's port
        (or `--public-url`'s host and port), and an IP address (loopback ones only on loopback)
        or one of this server's names. A web page can have its own name point at this machine
        ("DNS rebinding"), but never an IP address. A Host without a port is for port 80, or
        for `--public-url` (a proxy passing on its own Host)."""
        found = authority(host) if host else None
        if found is None:
            return False
        name, port = found
        if self.public is not None and name == self.public[0] and port in (None, self.public[1]):
            return True
        if (port or 80) != self.port:
            return False
        if is_ip_literal(name):
            return not self.loopback or ipaddress.ip_address(name).is_loopback
        return name in self.names

    def same_origin(self, origin: str, host: str) -> bool:
        """Whether a request's Origin header is this server's page as the browser reached it
        (its Host) or as `--public-url` says."""
        found = authority(origin, origin=True)
        if found is None:
            return False
        if found == self.public:
            return True
        own = authority(host)
        return own is not None and own[0] == found[0] and own[1] in (found[1], None)

    @web.middleware
    async def _own_address_only(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a request for another address (Host) and one a page of another origin made."""
        host = request.headers.get("Host")
        if not self.answers_to(host):
            log.warning("Refused a request for another address (Host: %r)", host)
            return self._notice(
                400 if host is None else 403,
                "Wrong address",
                [
                    f"This game server does not answer to the address {host or '(none)'}.",
                    "Open the address your facilitator gave you.",
                ],
            )
        origin = request.headers.get("Origin")
        if origin is not None and not self.same_origin(origin, host or ""):
            log.warning("Refused a request from a page of another origin (Origin: %r)", origin)
            return self._notice(
                403,
                "Refused",
                [f"A page of another address ({origin}) cannot use this game. Open the game's own address."],
            )
        return await handler(request)

    # ---- pages -----------------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        token = self.options.token
        return token is None or secrets.compare_digest(request.query.get("token", ""), token)

    def _drop_expired_tickets(self) -> None:
        now = time.monotonic()
        for ticket in [t for t, expires in self.tickets.items() if expires < now]:
            del self.tickets[ticket]

    def _new_ticket(self) -> str:
        """A one-time ticket for a served page's websocket (at most `TICKETS_PER_PLACE` a place
        outstanding: the oldest go first)."""
        self._drop_expired_tickets()
        while len(self.tickets) >= TICKETS_PER_PLACE * self.options.max_sessions:
            del self.tickets[next(iter(self.tickets))]
        ticket = secrets.token_urlsafe(16)
        self.tickets[ticket] = time.monotonic() + TICKET_SECONDS
        return ticket

    @property
    def full(self) -> bool:
        return self.places >= self.options.max_sessions

    def _notice(self, status: int, heading: str, paragraphs: Sequence[str]) -> web.Response:
        return web.Response(status=status, content_type="text/html", text=notice_page(heading, paragraphs))

    def _refused(self) -> web.Response:
        return self._notice(
            403,
            "This game needs its full address",
            [
                "The address you opened is missing its access token (or has a wrong one).",
                "Use the full address your facilitator gave you: it ends in ?token= and a code.",
            ],
        )

    def _start_url(self, **query: str) -> str:
        """The game's page (with the token, if any), as a path."""
        if self.options.token:
            query = {"token": self.options.token, **query}
        return "/" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def _full(self) -> web.Response:
        cap = self.options.max_sessions
        return web.Response(
            status=503,
            content_type="text/html",
            headers={"Retry-After": str(FULL_RETRY), "Cache-Control": "no-store"},
            text=notice_page(
                "The game is full",
                [
                    (f"All {cap} places in this game are taken" if cap > 1 else "The one place in this game is taken")
                    + ": no new game can start right now.",
                    f"This page tries again by itself every {FULL_RETRY} seconds, and opens the game "
                    "as soon as a place frees up (a place frees up when a team closes its tab). "
                    "Or ask your facilitator.",
                ],
                retry=FULL_RETRY,
                retry_url=self._start_url(),
            ),
        )

    def _websocket_base(self, request: web.Request) -> str:
        """`ws://host:port` as the browser reached this server (or as `--public-url` says)."""
        if self.options.public_url:
            base = self.options.public_url.rstrip("/")
            return ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        scheme = "wss" if request.scheme == "https" else "ws"
        return f"{scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refused()
        if self.full or "full" in request.query:
            # "full": a tab the websocket turned away, shown the full page until its next retry
            log.info("Full (%d places): refused a newcomer", self.options.max_sessions)
            return self._full()
        try:
            font_size = max(8, min(40, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        page = _PAGE.render(
            title=self.title,
            static="/static/",
            websocket_url=f"{self._websocket_base(request)}/ws/{self._new_ticket()}",
            font_size=font_size,
        )
        return web.Response(
            text=page,
            content_type="text/html",
            headers={
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": "frame-ancestors 'none'",
                "X-Frame-Options": "DENY",
            },
        )

    # ---- sessions -------------------------------------------------------------------------------------

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's loop over the page's messages, ignoring any that is malformed instead
        of ending the session on it, with every size bounded."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                size = bounded_size(data.get("width"), data.get("height"))
                if size is not None:
                    await app_service.set_terminal_size(*size)
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _turn_away(self, request: web.Request) -> web.WebSocketResponse:
        """A tab whose page was served while a place was free, but whose websocket comes when
        none is: its page is sent to the "game is full" page."""
        log.info("Full (%d places): turned a tab away", self.options.max_sessions)
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        with contextlib.suppress(Exception):
            await websocket.send_str(json.dumps(["open_url", {"url": self._start_url(full="1"), "new_tab": False}]))
            await websocket.close()
        return websocket

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        ticket = request.match_info["ticket"]
        self._drop_expired_tickets()
        if self.tickets.pop(ticket, None) is None:
            # no page of ours was served for this socket (or it is stale): a reload fixes it
            raise web.HTTPForbidden(text="Open the game's page again to start a session.")
        if self.full:
            return await self._turn_away(request)
        # the place is taken before anything is awaited, and freed once the game has ended
        self.places += 1
        self.peak_places = max(self.peak_places, self.places)
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT)
        width, height = bounded_size(request.query.get("width"), request.query.get("height")) or DEFAULT_SIZE
        service: AppService | None = None
        process: asyncio.subprocess.Process | None = None
        watcher: asyncio.Task[None] | None = None
        self.sockets.add(websocket)

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            service = BoundedAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            process = service._process
            if process is not None:
                self.sessions[process.pid] = process
                self.started_sessions += 1
                log.info(
                    "Session %d started (process %d; %d live)", self.started_sessions, process.pid, len(self.sessions)
                )
                watcher = asyncio.create_task(self._close_when_ended(process, websocket))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("Session failed")
        finally:
            self.sockets.discard(websocket)
            if watcher is not None:
                watcher.cancel()
            with contextlib.suppress(Exception):
                await websocket.close()
            # in a task of its own: a cancelled handler still ends the game, then frees the place
            await asyncio.shield(asyncio.ensure_future(self._finish(service, process)))
        return websocket

    async def _finish(self, service: AppService | None, process: asyncio.subprocess.Process | None) -> None:
        try:
            if service is not None:
                await self._end_session(service, process)
        finally:
            self.places -= 1

    async def _close_when_ended(self, process: asyncio.subprocess.Process, websocket: web.WebSocketResponse) -> None:
        """Close the tab's websocket when its game ends by itself (quit or crash), so the page
        says the session ended instead of freezing."""
        await process.wait()
        await asyncio.sleep(0.5)  # let the last frames and the exit message through
        with contextlib.suppress(Exception):
            await websocket.close()

    async def _end_session(self, service: AppService, process: asyncio.subprocess.Process | None) -> None:
        """Make sure a closed tab's game process ends: ask it to quit, then terminate, then kill."""
        try:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(service.stop(), STOP_GRACE)
            if process is None:
                return
            if process.returncode is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), STOP_GRACE)
            if process.returncode is None:
                log.warning("Session process %d did not quit; terminating it", process.pid)
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), TERM_GRACE)
            if process.returncode is None:
                log.warning("Session process %d ignored SIGTERM; killing it", process.pid)
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
            if service._task is not None and not service._task.done():
                service._task.cancel()
        finally:
            if process is not None:
                self.sessions.pop(process.pid, None)
                log.info("Session process %d ended (%d live)", process.pid, len(self.sessions))

    # ---- start and stop ---------------------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to announce yet: the port is not open until every startup hook has run."""

    def announce(self, _aiohttp_message: object = None) -> None:
        """Print the address to give students, once the server is listening."""
        o = self.options
        lines = [f"Fortress is serving {o.about or 'the game'} in the browser.", "", f"    {self.printed_url}", ""]
        if o.token:
            lines.append("Give students this address, token included: anyone without the token is turned away.")
        else:
            lines.append("Only this machine can open it (add --host 0.0.0.0 to let students' machines in).")
        if o.saves is not None:
            lines.append(f"Saves go to {o.saves}. Watch the class with: fortress workshop status {o.saves} --watch")
        lines.append(f"Up to {o.max_sessions} game{'' if o.max_sessions == 1 else 's'} at once. Press Ctrl+C to stop.")
        print("\n".join(lines), flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.sockets):
            with contextlib.suppress(Exception):
                await websocket.close(message=b"server stopping")
        await self._stop_all()

    async def _stop_all(self) -> None:
        """Terminate every session still running (the server is stopping)."""
        processes = [p for p in self.sessions.values() if p.returncode is None]
        for p in processes:
            with contextlib.suppress(ProcessLookupError):
                p.terminate()
        for p in processes:
            try:
                await asyncio.wait_for(p.wait(), TERM_GRACE)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    p.kill()
                await p.wait()

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM); every session's process is ended on the way out."""
        self.debug = debug
        self.initialize_logging()
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            access_log=None,  # the token is in the page's address: keep it out of the log
            print=self.announce,
            shutdown_timeout=5.0,
        )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def run(options: ServeOptions) -> int:
    """Serve until stopped; the exit code of `fortress serve`."""
    server = ClassroomServer(options)
    server.serve()
    return 0
