"""Load check of `fortress serve`: a whole class of browser tabs against one server.

Run: `.venv/bin/python scripts/loadcheck.py [--sessions 40] [--over 0] [--browsers 4]`
(needs playwright and chromium: `pip install -e '.[test]'` and the system's chromium).

It starts `fortress serve` on a free loopback port with a workshop, opens `--sessions` tabs in
headless Chromium (spread over `--over` seconds, 0 = all at once, across `--browsers` browser
processes), and prints:

1. the time until every tab shows the game's team-name screen (each tab's own time too);
2. the memory of the game processes: RSS each (and PSS, which shares the libraries fairly), and
   the CPU they use together while idle;
3. after every tab has closed: how long until the server's game processes are gone, and how many
   are left after a minute (there should be none);
4. a tab past the cap: that it gets the "game is full" page.

Not a unit test: it takes about a minute and most of a small machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))
from browser import ANSI, CHROMIUM_ARGS, chromium_path, free_port, session_pids

EXPECT = "Team name"
"""Text of the team-name screen: the tab has reached the game."""


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB."""
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


def chromium() -> str:
    return chromium_path() or sys.exit("chromium not found (install it, or set FORTRESS_CHROMIUM)")


async def open_tab(context: Any, url: str, delay: float, started: float, timeout: float) -> tuple[Any, float]:
    """Open one tab after `delay` seconds; seconds from its opening until the game's text arrived."""
    await asyncio.sleep(delay)
    page = await context.new_page()
    frames: list[str] = []

    def on_websocket(ws: Any) -> None:
        ws.on(
            "framereceived",
            lambda payload: frames.append(
                ANSI.sub("", payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload)
            ),
        )

    page.on("websocket", on_websocket)
    opened = time.monotonic()
    await page.goto(url, timeout=timeout * 1000)
    while EXPECT not in "".join(frames):
        if time.monotonic() - opened > timeout:
            return page, float("nan")
        await asyncio.sleep(0.1)
    return page, time.monotonic() - opened


async def run(args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    work = Path(tempfile.mkdtemp(prefix="fortress-load-"))
    workshop = work / "class.toml"
    workshop.write_text('title = "Load check"\nscenario = "fortress-2026"\nseed = 4821\nquarters = 8\n')
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "game.cli",
            "serve",
            "--port",
            str(port),
            "--workshop",
            str(workshop),
            "--saves",
            str(work / "saves"),
            "--max-sessions",
            str(args.sessions),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    url = ""
    for line in server.stdout:
        match = re.search(r"(http://\S+)", line)
        if match:
            url = match.group(1)
            break
    if not url:
        server.kill()
        sys.exit("fortress serve did not start")
    print(f"fortress serve on {url}, {args.sessions} tabs over {args.over:g} s in {args.browsers} browser(s)")
    exe = chromium()
    code = 0
    async with async_playwright() as p:
        contexts = [
            await p.chromium.launch_persistent_context(
                tempfile.mkdtemp(prefix="profile-", dir=work),
                executable_path=exe,
                args=CHROMIUM_ARGS,
                headless=True,
                viewport={"width": 1000, "height": 640},
            )
            for _ in range(args.browsers)
        ]
        started = time.monotonic()
        step = args.over / max(args.sessions - 1, 1)
        results = await asyncio.gather(
            *(open_tab(contexts[i % len(contexts)], url, i * step, started, args.timeout) for i in range(args.sessions))
        )
        all_in = time.monotonic() - started
        times = [t for _, t in results]
        reached = [t for t in times if t == t]
        print(f"\n1. {len(reached)}/{args.sessions} tabs reached the team-name screen; all in {all_in:.1f} s")
        if reached:
            print(
                f"   per tab, from opening to the game's text: median {statistics.median(reached):.1f} s, "
                f"slowest {max(reached):.1f} s"
            )
        if len(reached) < args.sessions:
            code = 1
        pids = session_pids(server.pid)
        mems = [memory_mb(pid) for pid in pids]
        rss = [m[0] for m in mems]
        pss = [m[1] for m in mems]
        if rss:
            print(
                f"\n2. {len(pids)} game processes: RSS {statistics.mean(rss):.0f} MB each on average "
                f"(max {max(rss):.0f}), PSS {statistics.mean(pss):.0f} MB each, {sum(pss):.0f} MB in all"
            )
        server_rss, _ = memory_mb(server.pid)
        print(f"   the server itself: RSS {server_rss:.0f} MB")
        before = sum(cpu_seconds(pid) for pid in pids)
        print(
            f"   starting took the games {before:.0f} CPU-seconds in all ({before / max(len(pids), 1):.2f} each); "
            "the rest of the machine's work was the browsers"
        )
        await asyncio.sleep(5)
        idle = (sum(cpu_seconds(pid) for pid in pids) - before) / 5
        print(f"   all {len(pids)} games idle on their team-name screen use {100 * idle:.0f}% of one core together")

        extra = await contexts[0].new_page()
        response = await extra.goto(url)
        full = response is not None and response.status == 503 and "full" in (await extra.inner_text("body"))
        print(f"\n4. a tab past the cap of {args.sessions}: {'the game is full page' if full else 'NOT refused'}")
        await extra.close()
        if not full:
            code = 1

        closed = time.monotonic()
        for page, _ in results:
            await page.close()
        left = session_pids(server.pid)
        while left and time.monotonic() - closed < 60:
            await asyncio.sleep(0.25)
            left = session_pids(server.pid)
        gone = time.monotonic() - closed
        print(
            f"\n3. after closing every tab: {len(left)} game process(es) left"
            + ("" if left else f" (all gone {gone:.1f} s after the tabs closed)")
        )
        if left:
            code = 1
        for context in contexts:
            await context.close()
    server.send_signal(2)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    print(f"\ncores: {os.cpu_count()}; saves and profiles in {work}")
    shutil.rmtree(work, ignore_errors=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--over", type=float, default=0.0, help="seconds over which to open the tabs (0: all at once)")
    parser.add_argument("--browsers", type=int, default=4, help="browser processes to spread the tabs over")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a tab may take to reach the game")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
