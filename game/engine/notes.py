"""Convertible notes: a partner's investment lent as a note instead of bought as shares.

Each provider's note with a lab has what it is owed (principal plus the interest it accrues), the
principal, a valuation cap set from the lab's mark when it is signed (`[debt] note_cap`) and the
quarter it matures (`note_maturity` after signing; a new note from the same provider rolls the
old one into it, on the new note's cap and maturity, its cap weighted by what each owes).
A note converts into shares at the next priced round or listing, at the lower of its cap and the
price less the discount. At maturity, with no such price since, it is repaid with its interest
from the cash if the cash covers it; otherwise it is in default and converts at a punitive price
(`note_default_price` of the lower of the cap and the mark), and investors' confidence falls.
Outstanding notes are owed like debt: runway counts those that fall due, and the business value
at the end counts them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine.params import Params
from game.engine.small import any_last, sum_last
from game.engine.state import State
from game.engine.valuation import convert_notes

F = NDArray[np.float64]
B = NDArray[np.bool_]
I64 = NDArray[np.int64]


def holders(p: Params) -> I64:
    """The cap-table holder of each provider, (P,)."""
    return np.array([p.provider_holder(j) for j in range(p.n_providers)], dtype=np.int64)


def sign(p: Params, s: State, invest: F, signed: B) -> None:
    """Lend `invest` (W, L, P) as notes where `signed` (in place): the cap is the lab's valuation
    times `note_cap`, the note matures `note_maturity` quarters from now; a provider's older note
    rolls into the new one."""
    new = signed & (invest > 0)
    if not new.any():
        return
    lent = np.where(new, invest, 0.0)
    owed = s.notes + lent
    cap_now = (s.valuation * p.debt.note_cap)[..., None]
    s.note_cap[...] = np.where(new, (s.note_cap * s.notes + cap_now * lent) / np.maximum(owed, 1e-12), s.note_cap)
    s.note_due[...] = np.where(new, s.turn[:, None, None] + p.debt.note_maturity, s.note_due)
    s.note_principal[...] += lent
    s.notes[...] = owed


def conversion_value(p: Params, s: State, price: F) -> F:
    """The valuation each note converts at when the lab is priced at `price` (W, L): the lower of
    its cap and the price less the discount, (W, L, P)."""
    return np.minimum(s.note_cap, (price * (1.0 - p.debt.note_discount))[..., None])


def _clear(s: State, gone: B) -> None:
    s.notes[...] = np.where(gone, 0.0, s.notes)
    s.note_principal[...] = np.where(gone, 0.0, s.note_principal)
    s.note_cap[...] = np.where(gone, 0.0, s.note_cap)
    s.note_due[...] = np.where(gone, -1, s.note_due)


def convert(p: Params, s: State, price: F, priced: B) -> None:
    """Convert every note of the labs `priced` (W, L) at a round or listing priced at `price`
    (its pre-money), in place."""
    converts = priced[..., None] & (s.notes > 0)
    if not converts.any():
        return
    s.cap[...] = convert_notes(s.cap, s.notes, conversion_value(p, s, price), converts, holders(p))
    _clear(s, converts)


def due_schedule(s: State, horizon: int, now: I64 | None = None) -> F:
    """What the notes owe now, by the quarter they fall due: (W, L, horizon), slot h for the
    quarter `now + h` (`now`, by default the quarter about to be played: the slots of `capex_due`);
    notes due beyond the horizon are left out."""
    ahead = s.note_due - (s.turn if now is None else now)[:, None, None]
    out = np.zeros((*s.notes.shape[:2], horizon))
    for h in range(horizon):
        out[..., h] = sum_last(np.where((s.note_due >= 0) & (ahead == h), s.notes, 0.0))
    return out


@dataclass(frozen=True)
class Matured:
    """The quarter's matured notes: what was repaid from cash (W, L), which labs defaulted on one
    (W, L), and which notes defaulted (W, L, P)."""

    repaid: F
    defaulted: B
    notes_defaulted: B


def mature(p: Params, s: State, cash: F) -> Matured:
    """Settle the notes due this quarter (in place on `s`), with `cash` (W, L) what the lab holds
    to pay them: repaid with their interest where it covers all of them, else in default."""
    due = (s.note_due >= 0) & (s.note_due <= s.turn[:, None, None]) & (s.notes > 0)
    if not due.any():
        none = np.zeros_like(s.cash, dtype=bool)
        return Matured(np.zeros_like(s.cash), none, np.zeros_like(due))
    owed = sum_last(np.where(due, s.notes, 0.0))
    pays = any_last(due) & (cash >= owed)
    repaid = np.where(pays, owed, 0.0)
    bad = due & ~pays[..., None]
    if bad.any():
        punitive = np.minimum(s.note_cap, s.valuation[..., None]) * p.debt.note_default_price
        s.cap[...] = convert_notes(s.cap, s.notes, punitive, bad, holders(p))
        s.confidence[...] += np.where(any_last(bad), p.debt.note_default_confidence, 0.0)
    _clear(s, due)
    return Matured(repaid, any_last(bad), bad)
