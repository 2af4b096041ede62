"""The vector code every test computes with, pinned so that recorded figures hold on any machine.

numpy picks its AVX-512 routines (exp, log, power, ...) where the processor has them, and their
last bits differ from the AVX2 ones: a digest or a snapshot recorded on one machine would fail on
another. Tests and the scripts that record their data switch AVX-512 off before numpy loads, so
any x86-64 processor with AVX2 computes the same bits. A player's game needs no such pin: saves
hash rounded figures (`game.saves.digest`).
"""

from __future__ import annotations

import os
import sys

VARIABLE = "NPY_DISABLE_CPU_FEATURES"
OFF = "X86_V4 AVX512_ICL AVX512_SPR"
"""numpy's names for the AVX-512 levels it dispatches to (names a processor lacks are ignored)."""


def pin() -> None:
    """Switch AVX-512 off for this process and its children; numpy must not be loaded yet."""
    if "numpy" in sys.modules and os.environ.get(VARIABLE) != OFF:
        raise RuntimeError(f"numpy was loaded before its vector code could be pinned ({VARIABLE}={OFF!r})")
    os.environ[VARIABLE] = OFF
