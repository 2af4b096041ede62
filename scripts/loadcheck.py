"""Load check of `fortress serve`: a whole class of browser tabs against one server, a storm of
resizes, and the server killed outright.

Run: `.venv/bin/python scripts/loadcheck.py [--sessions 40] [--extra 5] [--over 0] [--browsers 4]`
(needs playwright and chromium: `pip install -e '.[test]'` and the system's chromium).

It starts `fortress serve --max-sessions SESSIONS` on a free loopback port with a workshop, opens
SESSIONS + EXTRA tabs in headless Chromium (spread over `--over` seconds, 0 = all at once, across
`--browsers` browser processes) while it counts the server's game processes five times a second,
and prints:

1. how many tabs reached the game's team-name screen and how many were shown the "game is full"
   page (there should be exactly SESSIONS and EXTRA), and how long they took;
2. the memory of the game processes (RSS, and PSS, which shares the libraries fairly) and the CPU
   they use together while idle;
3. a resize storm: every tab's window is resized `--resizes` times (to sizes beyond the bound
   among them) and sends forged resize messages of a billion cells; the memory after it;
4. closing half the tabs: how long until their game processes are gone;
5. `kill -9` of the server with the other half playing: how many of its processes (games and
   their helpers) are still running 10 seconds later;

and at the end the figures: peak sessions against the cap, peak memory per session, orphans after
10 s (the goal: the cap, a few hundred MB at most, 0). Exit code 1 when one of them is off.

Not a unit test: it takes a minute or two and most of a small machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))
from browser import ANSI, CHROMIUM_ARGS, chromium_path, free_port, session_pids

EXPECT = "Team name"
"""Text of the team-name screen: the tab has reached the game."""
FULL = "The game is full"
"""Text of the page a tab past the cap gets."""
KEEP_SOCKET = (
    "const send = WebSocket.prototype.send;"
    "WebSocket.prototype.send = function (data) { window.gameSocket = this; return send.call(this, data); };"
)
"""Keeps the page's websocket at hand, so that the check can send what a hostile student would."""
STORM_SIZES = [(2400, 1600), (640, 400), (1920, 1080), (1000, 640), (3000, 1000), (800, 600)]
"""Window sizes of the resize storm, in pixels (at font size 8 the largest ask for more than the
server's bound of cells)."""
ORPHAN_WAIT = 10.0
"""Seconds after `kill -9` of the server before its processes are counted."""


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB (0 when it is gone)."""
    rss = pss = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str, str]]:
    """Every live process: its parent, state and command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if fields[0] != "Z":
            found[int(entry.name)] = (int(fields[1]), fields[0], cmdline)
    return found


def descendants(root: int) -> set[int]:
    """The processes below `root` (its games and their helpers)."""
    table = processes()
    below: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, (parent, _, _) in table.items() if parent in frontier} - below
        below |= frontier
    return below


def chromium() -> str:
    return chromium_path() or sys.exit("chromium not found (install it, or set FORTRESS_CHROMIUM)")


@dataclass
class Watch:
    """The server's game processes, counted five times a second."""

    server: int
    peak_sessions: int = 0
    peak_rss: dict[int, float] = field(default_factory=dict)
    peak_pss: dict[int, float] = field(default_factory=dict)
    stopped: bool = False

    async def run(self) -> None:
        rounds = 0
        while not self.stopped:
            pids = session_pids(self.server)
            self.peak_sessions = max(self.peak_sessions, len(pids))
            for pid in pids:
                rss, pss = memory_mb(pid) if rounds % 5 == 0 else (memory_mb(pid)[0], 0.0)
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0.0), rss)
                self.peak_pss[pid] = max(self.peak_pss.get(pid, 0.0), pss)
            rounds += 1
            await asyncio.sleep(0.2)


@dataclass
class Tab:
    page: Any
    outcome: str
    """"game", "full" or "timeout"."""
    seconds: float


async def open_tab(context: Any, url: str, delay: float, timeout: float) -> Tab:
    """Open one tab after `delay` seconds; whether it reached the game or the full page, and when."""
    await asyncio.sleep(delay)
    page = await context.new_page()
    frames: list[str] = []
    reached = False

    def on_websocket(ws: Any) -> None:
        def received(payload: Any) -> None:
            if not reached:
                frames.append(
                    ANSI.sub("", payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload)
                )

        ws.on("framereceived", received)

    page.on("websocket", on_websocket)
    opened = time.monotonic()
    response = await page.goto(url, timeout=timeout * 1000)
    while time.monotonic() - opened < timeout:
        if EXPECT in "".join(frames[-50:]):
            reached = True
            frames.clear()
            return Tab(page, "game", time.monotonic() - opened)
        if (response is not None and response.status == 503) or "full=1" in page.url:
            with_text = await page.wait_for_selector(f"text={FULL}", timeout=timeout * 1000)
            if with_text is not None:
                return Tab(page, "full", time.monotonic() - opened)
        await asyncio.sleep(0.1)
    return Tab(page, "timeout", float("nan"))


async def storm(page: Any, resizes: int) -> None:
    """Resize one tab's window `resizes` times, with forged resize messages among them."""
    for i in range(resizes):
        width, height = STORM_SIZES[i % len(STORM_SIZES)]
        await page.set_viewport_size({"width": width, "height": height})
        if i % 4 == 3:
            await page.evaluate(
                "() => window.gameSocket && window.gameSocket.send(JSON.stringify(['resize', {width: 1e9, height: 1e9}]))"
            )
        await asyncio.sleep(0.05)
    await page.set_viewport_size({"width": 1000, "height": 640})


def start_server(work: Path, sessions: int) -> tuple[subprocess.Popen[str], str]:
    workshop = work / "class.toml"
    workshop.write_text('title = "Load check"\nscenario = "fortress-2026"\nseed = 4821\nquarters = 8\n')
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "game.cli", "serve", "--port", str(port), "--workshop", str(workshop)),
            *("--saves", str(work / "saves"), "--max-sessions", str(sessions)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        match = re.search(r"(http://\S+)", line)
        if match:
            return server, match.group(1)
    server.kill()
    sys.exit("fortress serve did not start")


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    work = Path(tempfile.mkdtemp(prefix="fortress-load-"))
    server, url = start_server(work, args.sessions)
    url += "?fontsize=8"
    tabs_in_all = args.sessions + args.extra
    print(
        f"fortress serve on {url} (cap {args.sessions}), {tabs_in_all} tabs over {args.over:g} s "
        f"in {args.browsers} browser(s), on {os.cpu_count()} cores"
    )
    watch = Watch(server.pid)
    watcher = asyncio.create_task(watch.run())
    problems: list[str] = []
    orphans: list[int] = []
    async with async_playwright() as p:
        contexts = [
            await p.chromium.launch_persistent_context(
                tempfile.mkdtemp(prefix="profile-", dir=work),
                executable_path=chromium(),
                args=CHROMIUM_ARGS,
                headless=True,
                viewport={"width": 1000, "height": 640},
            )
            for _ in range(args.browsers)
        ]
        for context in contexts:
            await context.add_init_script(KEEP_SOCKET)

        # 1. the whole class at once, and a few more than the cap
        started = time.monotonic()
        step = args.over / max(tabs_in_all - 1, 1)
        tabs = await asyncio.gather(
            *(open_tab(contexts[i % len(contexts)], url, i * step, args.timeout) for i in range(tabs_in_all))
        )
        all_in = time.monotonic() - started
        games = [t for t in tabs if t.outcome == "game"]
        full = [t for t in tabs if t.outcome == "full"]
        print(
            f"\n1. {len(games)} tabs reached the team-name screen, {len(full)} were shown the full page, "
            f"{tabs_in_all - len(games) - len(full)} neither; all in {all_in:.1f} s"
        )
        if games:
            times = [t.seconds for t in games]
            print(
                f"   per tab, from opening to the game: median {statistics.median(times):.1f} s, slowest {max(times):.1f} s"
            )
        print(f"   game processes at most: {watch.peak_sessions} (cap {args.sessions})")
        if len(games) != args.sessions or len(full) != args.extra:
            problems.append(f"{len(games)} games and {len(full)} full pages, not {args.sessions} and {args.extra}")
        for tab in full:
            await tab.page.close()  # the full page retries by itself: it would take the places freed below

        # 2. memory and idle CPU
        pids = session_pids(server.pid)
        mems = [memory_mb(pid) for pid in pids]
        if mems:
            rss, pss = [m[0] for m in mems], [m[1] for m in mems]
            print(
                f"\n2. {len(pids)} game processes: RSS {statistics.mean(rss):.0f} MB each on average "
                f"(max {max(rss):.0f}), PSS {statistics.mean(pss):.0f} MB each, {sum(pss):.0f} MB in all; "
                f"the server {memory_mb(server.pid)[0]:.0f} MB"
            )
        before = sum(cpu_seconds(pid) for pid in pids)
        await asyncio.sleep(5)
        idle = (sum(cpu_seconds(pid) for pid in pids) - before) / 5
        print(f"   all {len(pids)} games idle on their team-name screen use {100 * idle:.0f}% of one core together")

        # 3. the resize storm
        storm_started = time.monotonic()
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        await asyncio.gather(*(storm(t.page, args.resizes) for t in games))
        await asyncio.sleep(3)
        storm_cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        after = [memory_mb(pid)[0] for pid in session_pids(server.pid)]
        print(
            f"\n3. resize storm: {args.resizes} resizes in each of {len(games)} tabs "
            f"({args.resizes // 4} of them forged at 1e9 x 1e9 cells) in {time.monotonic() - storm_started:.1f} s; "
            f"the games used {storm_cpu:.0f} CPU-seconds for it"
        )
        if after:
            print(f"   RSS after it: {statistics.mean(after):.0f} MB each on average, max {max(after):.0f} MB")

        # 4. half the tabs close
        closing, playing = games[: len(games) // 2], games[len(games) // 2 :]
        closing_pids = set(session_pids(server.pid))
        closed = time.monotonic()
        for tab in closing:
            await tab.page.close()
        target = len(closing_pids) - len(closing)
        while len(session_pids(server.pid)) > target and time.monotonic() - closed < 60:
            await asyncio.sleep(0.25)
        left = len(session_pids(server.pid))
        print(
            f"\n4. closed {len(closing)} tabs: {left} game processes left for the {len(playing)} open tabs "
            f"after {time.monotonic() - closed:.1f} s"
        )
        if left != target:
            problems.append(f"{left - target} game processes outlived their closed tabs")

        # 5. the server killed outright, with half the class playing
        watch.stopped = True
        await watcher
        doomed = descendants(server.pid)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        await asyncio.sleep(ORPHAN_WAIT)
        alive = processes()
        orphans = sorted(pid for pid in doomed if pid in alive)
        # and any game of this server's class that escaped the count (it names the class's save folder)
        orphans += [pid for pid, (_, _, cmd) in alive.items() if str(work / "saves") in cmd and pid not in orphans]
        print(
            f"\n5. kill -9 of the server with {len(playing)} games playing ({len(doomed)} processes below it): "
            f"{len(orphans)} still running {ORPHAN_WAIT:g} s later"
        )
        for pid in orphans:
            print(f"   orphan {pid}: {alive[pid][2][:100]}")
        for context in contexts:
            await context.close()

    peak_rss = max(watch.peak_rss.values(), default=0.0)
    peak_pss = max(watch.peak_pss.values(), default=0.0)
    print(
        f"\nfigures: peak sessions {watch.peak_sessions} (cap {args.sessions}); "
        f"peak memory per session RSS {peak_rss:.0f} MB, PSS {peak_pss:.0f} MB; orphans after {ORPHAN_WAIT:g} s: {len(orphans)}"
    )
    if watch.peak_sessions > args.sessions:
        problems.append(f"{watch.peak_sessions} sessions at once with a cap of {args.sessions}")
    if orphans:
        problems.append(f"{len(orphans)} orphans")
    for pid in orphans:  # leave the machine as it was
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40, help="the server's cap, and the tabs that should play")
    parser.add_argument("--extra", type=int, default=5, help="tabs past the cap, opened with the others")
    parser.add_argument("--over", type=float, default=0.0, help="seconds over which to open the tabs (0: all at once)")
    parser.add_argument("--browsers", type=int, default=4, help="browser processes to spread the tabs over")
    parser.add_argument("--resizes", type=int, default=24, help="window resizes per tab in the storm")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a tab may take to reach the game")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
