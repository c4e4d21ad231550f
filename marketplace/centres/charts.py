"""Small charts drawn on the server as SVG: they need no JavaScript and print well."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(
    points: list[tuple[str, float]], *, title: str, unit: str = "", width: int = 480, height: int = 160
) -> Markup:
    """A bar chart of (label, value) points with the values written on the bars; an accessible <svg>."""
    top = max((value for _, value in points), default=0) or 1
    n = max(len(points), 1)
    slot = (width - 20) / n
    bar = max(slot * 0.7, 2)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 30}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(points):
        h = (value / top) * (height - 20)
        x = 10 + index * slot + (slot - bar) / 2
        y = height - h
        shown = f"{value:g}{unit}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}"><title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{x + bar / 2:.1f}" y="{max(y - 4, 10):.1f}" text-anchor="middle">{escape(shown)}</text>'
            f'<text x="{x + bar / 2:.1f}" y="{height + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label and value above went through escape()
