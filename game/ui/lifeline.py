"""Run a command that ends when the server that started it goes away.

`python -m game.ui.lifeline COMMAND [ARG...]` asks the kernel (Linux: prctl PR_SET_PDEATHSIG) to
send this process SIGTERM when its parent dies, then replaces itself with COMMAND: the same
process, so the command keeps the request across `exec` and the server still watches the
process it started. A `fortress serve` killed outright (`kill -9`, the out-of-memory killer, a
crash) thus takes every browser session's game with it instead of leaving it running.

The parent the process must have is the one in `$FORTRESS_SERVER_PID` (set by the server), else
the parent it has when it starts; a parent that is gone already (the server died while the
session was starting) ends it at once. The signal comes when the thread that started the process
ends: the server starts its sessions from its one event-loop thread.

Elsewhere than on Linux there is no such request and the command simply runs.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Sequence

PARENT_ENV = "FORTRESS_SERVER_PID"
"""The process id of the server the command belongs to."""
DEATH_SIGNAL = signal.SIGTERM
"""What the process gets when its server goes away: the game exits as if asked to stop."""
PR_SET_PDEATHSIG = 1
"""The prctl option (linux/prctl.h)."""


def ask_to_die_with_parent(sig: int = DEATH_SIGNAL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent ends; whether it can."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return int(prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0


def expected_parent() -> int:
    """The server's process id: `$FORTRESS_SERVER_PID`, else the parent at hand."""
    try:
        return int(os.environ[PARENT_ENV])
    except (KeyError, ValueError):
        return os.getppid()


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m game.ui.lifeline COMMAND [ARG...]", file=sys.stderr)
        return 2
    parent = expected_parent()
    if ask_to_die_with_parent() and os.getppid() != parent:
        return 1  # the server went away before the request was in place: nothing to serve
    try:
        os.execvp(argv[0], list(argv))
    except OSError as exc:
        print(f"Cannot run {argv[0]}: {exc.strerror or exc}", file=sys.stderr)
        return 127
    return 0  # not reached: exec replaced this process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
