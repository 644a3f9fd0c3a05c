"""Server-rendered SVG bar charts: geometry computed here, drawn by ``web/publishing/_chart.html``.
Each chart has a title and a text description (``role="img"``), and its numbers are always in a table
beside it, so nothing is only in the picture."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# GOV.UK colours, each with at least 3:1 contrast against white.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92")
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str  # e.g. "RTA, March: 1,204"


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass
class Chart:
    ident: str
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT


def _nice_top(value: int) -> int:
    if value <= 4:
        return 4
    step = 1
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= step * factor:
            return step * factor
    return step * 10


def grouped_bars(
    ident: str, title: str, categories: Sequence[str], series: Mapping[str, Sequence[int]]
) -> Chart:
    """One group of bars per category (a month), one bar per series (a protocol)."""
    names = list(series)
    top = _nice_top(max([0, *(v for values in series.values() for v in values)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(names), 1)
    totals = {name: sum(values) for name, values in series.items()}
    description = f"{title}. " + "; ".join(f"{name}: {totals[name]:,} in total" for name in names)
    chart = Chart(ident, title, description)
    for i, category in enumerate(categories):
        x0 = LEFT + i * group_w + group_w * 0.1
        chart.x_ticks.append(Tick(LEFT + (i + 0.5) * group_w, category))
        for j, name in enumerate(names):
            value = series[name][i]
            h = plot_h * value / top
            chart.bars.append(
                Bar(
                    round(x0 + j * bar_w, 1),
                    round(TOP + plot_h - h, 1),
                    round(bar_w * 0.9, 1),
                    round(h, 1),
                    COLOURS[j % len(COLOURS)],
                    f"{name}, {category}: {value:,}",
                )
            )
    for k in range(5):
        value = top * k // 4
        chart.y_ticks.append(Tick(round(TOP + plot_h - plot_h * value / top, 1), f"{value:,}"))
    chart.legend = [(name, COLOURS[j % len(COLOURS)]) for j, name in enumerate(names)]
    return chart
