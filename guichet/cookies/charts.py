"""Server-rendered SVG bar charts for the statistics page (REP-1): geometry computed here, drawn by the
template; no script and no external library. Every chart is also given as a table for screen readers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Colours with at least 3:1 contrast on white (WCAG 1.4.11, non-text contrast).
PALETTE = ("#0b4f8a", "#1d6b34", "#7a4b00", "#a3191f", "#5b2a86", "#4a5560")
WIDTH, HEIGHT, GAP = 640, 160, 2


@dataclass
class Segment:
    key: str
    count: int
    y: float
    height: float
    colour: str


@dataclass
class Column:
    day: datetime.date
    x: float
    width: float
    total: int
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    columns: list[Column]
    legend: list[tuple[str, str]]  # (key, colour)
    peak: int
    width: int = WIDTH
    height: int = HEIGHT


def days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def stacked_columns(days: list[datetime.date], rows: list[dict], keys: list[str] | None = None) -> Chart:
    """One column per day, stacked by key; `rows` are {"day", "key", "count"} (missing days are zero)."""
    keys = keys or sorted({row["key"] for row in rows})
    colours = {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(keys)}
    counts: dict[tuple[datetime.date, str], int] = {}
    for row in rows:
        counts[(row["day"], row["key"])] = counts.get((row["day"], row["key"]), 0) + row["count"]
    totals = {day: sum(counts.get((day, key), 0) for key in keys) for day in days}
    peak = max(totals.values(), default=0)
    slot = WIDTH / max(len(days), 1)
    columns = []
    for index, day in enumerate(days):
        column = Column(day=day, x=round(index * slot + GAP / 2, 2), width=round(max(slot - GAP, 1), 2),
                        total=totals[day])
        bottom = float(HEIGHT)
        for key in keys:
            count = counts.get((day, key), 0)
            if not count:
                continue
            height = round(HEIGHT * count / peak, 2)
            bottom -= height
            column.segments.append(Segment(key=key, count=count, y=round(bottom, 2), height=height,
                                           colour=colours[key]))
        columns.append(column)
    return Chart(columns=columns, legend=list(colours.items()), peak=peak)


def single_columns(days: list[datetime.date], values: dict[datetime.date, int], key: str) -> Chart:
    rows = [{"day": day, "key": key, "count": count} for day, count in values.items()]
    return stacked_columns(days, rows, [key])
