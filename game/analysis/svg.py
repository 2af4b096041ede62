"""A small inline-SVG line chart for reports that must open with no network and no scripts."""

from __future__ import annotations

import math

from game.content.names import for_html as escape

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
"""Distinct colours, cycled; lines also differ in dash pattern after the first ten."""


def line_chart(
    series: list[tuple[str, list[float]]],
    labels: list[str],
    title: str,
    y_label: str,
    reference: float | None = None,
    log_scale: bool = True,
    width: int = 900,
    height: int = 420,
) -> str:
    """An SVG element with one line per series over the shared x `labels`."""
    left, right, top, bottom = 70, 190, 40, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, ys in series for v in ys if v > 0] + ([reference] if reference else [])
    if not values:
        values = [1.0]

    def tf(v: float) -> float:
        return math.log10(max(v, 1e-9)) if log_scale else v

    lo, hi = tf(min(values)), tf(max(values))
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    n = max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + plot_w * i / n

    def y(v: float) -> float:
        return top + plot_h * (1 - (tf(v) - lo) / (hi - lo))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="24" font-size="16" font-family="sans-serif" font-weight="bold">{escape(title)}</text>',
        f'<text x="16" y="{top + plot_h / 2}" font-size="12" font-family="sans-serif" transform="rotate(-90 16 {top + plot_h / 2})" text-anchor="middle">{escape(y_label)}</text>',
    ]
    ticks = _ticks(lo, hi, log_scale)
    for t in ticks:
        yy = y(t)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#dddddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" font-size="11" font-family="sans-serif" text-anchor="end">{t:g}</text>'
        )
    step = max(1, math.ceil(len(labels) / 8))
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" font-size="11" font-family="sans-serif" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888888"/>')
    if reference is not None:
        yy = y(reference)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#000000" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{left + plot_w - 4}" y="{yy - 4:.1f}" font-size="11" font-family="sans-serif" text-anchor="end">rival = {reference:g}</text>'
        )
    for k, (name, ys) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        dash = "" if k < len(PALETTE) else ' stroke-dasharray="4 3"'
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(ys) if v > 0)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        ly = top + 14 + 16 * k
        if ly < top + plot_h:
            parts.append(
                f'<line x1="{left + plot_w + 12}" x2="{left + plot_w + 32}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="3"{dash}/>'
            )
            parts.append(
                f'<text x="{left + plot_w + 38}" y="{ly}" font-size="12" font-family="sans-serif">{escape(name[:22])}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _ticks(lo: float, hi: float, log_scale: bool) -> list[float]:
    if log_scale:
        candidates = [m * 10.0**e for e in range(math.floor(lo) - 1, math.ceil(hi) + 1) for m in (1, 2, 5)]
        return [c for c in candidates if lo <= math.log10(c) <= hi]
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / 5))
    for m in (1, 2, 5, 10):
        if span / (step * m) <= 6:
            step *= m
            break
    first = math.ceil(lo / step) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step) + 1)]


def bar_chart(
    bars: list[tuple[str, float, str]],
    title: str,
    width: int = 530,
    bar_height: int = 26,
) -> str:
    """An SVG element of horizontal bars, one per (label, share from 0 to 1, text at its end)."""
    left, right, top = 215, 70, 34
    plot_w = width - left - right
    height = top + bar_height * len(bars) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="4" y="20" font-size="15" font-family="sans-serif" font-weight="bold">{escape(title)}</text>',
    ]
    for k, (label, share, text) in enumerate(bars):
        y = top + k * bar_height
        w = max(0.0, min(1.0, share)) * plot_w
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_height * 0.65:.1f}" font-size="13" font-family="sans-serif" text-anchor="end">{escape(label[:34])}</text>'
        )
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="{bar_height - 8}" fill="#eeeeee"/>')
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{bar_height - 8}" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{left + plot_w + 6}" y="{y + bar_height * 0.65:.1f}" font-size="13" font-family="sans-serif">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
