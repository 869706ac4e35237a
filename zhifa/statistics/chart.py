"""A horizontal bar chart as SVG geometry, drawn by the page's template (no script, no CDN);
pure. Each bar carries its number as text beside it, and the page prints the same numbers in
its table, so the chart is never the only way to read a figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 220
BAR_AREA = 360
BAR_HEIGHT = 18
GAP = 8
VALUE_ROOM = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: int
    width: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def bar_chart(items: Sequence[tuple[str, int | Decimal]]) -> Chart:
    """Bars of ``items`` (label, value), longest for the largest; zero gives no bar."""
    top = max((v for _, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = int(Decimal(value) * BAR_AREA / Decimal(top)) if value else 0
        bars.append(
            Bar(
                label=label,
                value=str(value),
                y=y,
                width=width,
                text_x=LABEL_WIDTH + width + 6,
                text_y=y + BAR_HEIGHT - 4,
            )
        )
    height = GAP + len(items) * (BAR_HEIGHT + GAP)
    return Chart(LABEL_WIDTH + BAR_AREA + VALUE_ROOM, height, LABEL_WIDTH, bars)
