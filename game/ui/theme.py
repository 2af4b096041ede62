"""The game's two Textual themes (the default and a high-contrast one) and the text palette.

Panels are drawn as Rich tables, which take Rich styles rather than Textual's CSS variables, so
`Palette.of(theme)` turns the active theme into the handful of styles the renderers use: good
news, bad news, a warning, a muted label and an emphasised figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.theme import Theme

FORTRESS_THEME = Theme(
    name="fortress",
    primary="#4A9FD8",
    secondary="#2B6A94",
    accent="#E8B04B",
    warning="#E8B04B",
    error="#E0636F",
    success="#5CC98A",
    foreground="#E2E4E8",
    background="#15181D",
    surface="#1D2128",
    panel="#262B33",
    dark=True,
)
"""The default theme: a dark background with calm blues, amber for warnings."""

HIGH_CONTRAST_THEME = Theme(
    name="fortress-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF5555",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#FFFFFF",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "border": "#FFFFFF",
        "border-blurred": "#FFFFFF",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-blurred-background": "#FFFFFF",
        "block-cursor-blurred-foreground": "#000000",
        "input-selection-background": "#FFFF00 60%",
    },
)
"""Pure black and white with saturated signal colours, for projectors and low vision."""

THEMES = (FORTRESS_THEME, HIGH_CONTRAST_THEME)


@dataclass(frozen=True)
class Palette:
    """Rich styles for figures, derived from the active theme."""

    good: str
    bad: str
    warn: str
    muted: str
    strong: str
    accent: str

    @classmethod
    def of(cls, theme: Theme | None) -> Palette:
        if theme is None or theme.name == HIGH_CONTRAST_THEME.name:
            return cls(
                good="bold #00FF00",
                bad="bold #FF5555",
                warn="bold #FFFF00",
                muted="#FFFFFF",
                strong="bold #FFFFFF",
                accent="bold #00FFFF",
            )
        return cls(
            good=f"bold {theme.success or 'green'}",
            bad=f"bold {theme.error or 'red'}",
            warn=f"bold {theme.warning or 'yellow'}",
            muted="#9AA3AF",
            strong="bold",
            accent=f"bold {theme.primary}",
        )
