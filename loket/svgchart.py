"""Bar charts as SVG text, drawn on the server: no chart library, no CDN, the same picture in
the dashboard and in the printed monthly report."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 36, 34, 24


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if value <= step * 4:
            return float(step * 4)
    return float(value)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float],
              colour: str = "#0b6e4f", unit: str = "") -> str:
    """A titled bar chart; every bar carries its value, every fourth label at most is shown
    when there are many bars."""
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    n = max(1, len(values))
    slot = plot_w / n
    every = 1 if n <= 16 else (2 if n <= 32 else 4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" '
             f'font-size="11">',
             f'<text x="{PAD_LEFT}" y="15" font-size="13" font-weight="bold">'
             f'{escape(title)}</text>']
    for i in range(5):
        y = PAD_TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{PAD_LEFT - 4}" y="{y + 4:.1f}" '
                     f'text-anchor="end" fill="#555">{top * i / 4:g}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = PAD_LEFT + i * slot + slot * 0.15
        y = PAD_TOP + plot_h - h
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}: {value:g}'
                     f'{escape(unit)}</title></rect>')
        if value and n <= 32:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" '
                         f'text-anchor="middle" font-size="9">{value:g}</text>')
        if i % every == 0:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" '
                         f'text-anchor="middle" fill="#333">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
