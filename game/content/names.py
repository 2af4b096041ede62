"""Names typed by people (teams, saves, workshops, labs, scenarios): checked where typed, made
safe where shown.

A name is someone else's text on a facilitator's terminal, a classmate's screen, a projected web
page and a spreadsheet, so each place that shows one goes through one function here:

- `check_name` where a name is typed: printable characters only, at most a given length, with a
  message that says which name and what to change;
- `plain` for text output: control characters and terminal escapes become `?`, so a name can
  never move the cursor, change colours or retitle the facilitator's terminal;
- `for_markup` for the interface: square brackets are escaped so that a name is never read as
  Textual or Rich markup (`Team [/] Zed` shows as typed);
- `for_html` and `for_csv` for reports: HTML-escaped, and never read as a spreadsheet formula.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_NAME = 60
"""Longest team, lab or save name a player may type."""
MAX_TITLE = 120
"""Longest workshop title."""

_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
"""Control, format (bidirectional overrides, zero-width), surrogate, private and unassigned
characters, and line or paragraph separators: none belongs in a name."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


class BadName(ValueError):
    """A typed name that cannot be used, with the reason in one sentence."""


def unsafe(ch: str) -> bool:
    """True for a character that must never reach a terminal or a screen as it is."""
    return unicodedata.category(ch) in _UNSAFE_CATEGORIES


def check_name(text: str, what: str = "name", limit: int = MAX_NAME) -> str:
    """The name as it will be kept (spaces trimmed, Unicode normalised), or BadName saying why not."""
    name = unicodedata.normalize("NFC", text).strip()
    the = what if what.startswith("-") else f"The {what}"
    if not name:
        raise BadName(f"{the} is empty: type at least one letter or digit.")
    bad = sorted({ch for ch in name if unsafe(ch)})
    if bad:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad[:3])
        raise BadName(
            f"{the} holds characters that cannot be shown ({shown}): use letters, digits, spaces and punctuation."
        )
    if len(name) > limit:
        raise BadName(f"{the} is {len(name)} characters long; keep it to {limit} or fewer.")
    return name


def plain(text: object, limit: int | None = None) -> str:
    """`text` for a terminal or a plain-text report: every control character becomes `?`, and
    the result is cut to `limit` characters (with `…`) if given."""
    out = "".join("?" if unsafe(ch) else ch for ch in str(text))
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)] + "…"
    return out


def for_markup(text: object) -> str:
    """`text` (made plain) with every markup tag escaped, for a Textual or Rich markup string."""
    escaped = _MARKUP_TAG.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", plain(text))
    if escaped.endswith("\\") and not escaped.endswith("\\\\"):
        escaped += "\\"
    return escaped


def for_html(text: object) -> str:
    """`text` (made plain) HTML-escaped, quotes included."""
    return html.escape(plain(text), quote=True)


def for_csv(text: object) -> str:
    """`text` (made plain) for a spreadsheet cell: one that a spreadsheet would read as a formula
    (starting with `=`, `+`, `-`, `@` or a tab) gets a leading apostrophe."""
    out = plain(text)
    return "'" + out if out.startswith(_FORMULA_START) else out
