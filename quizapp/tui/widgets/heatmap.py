"""A year of reviews as a calendar: one column per week, one row per weekday."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from rich.text import Text

#: Shades from no reviews to many; the style carries colour, the glyph carries meaning
#: so the calendar still reads under NO_COLOR.
SHADES = ("·", "░", "▒", "▓", "█")
STYLES = ("dim", "green", "green", "bold green", "bold green")


def heatmap_text(counts: Mapping[date, int], today: date, weeks: int = 53) -> Text:
    """The calendar for the ``weeks`` weeks ending with ``today``, with month labels."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    busiest = max(counts.values(), default=0)

    def shade(count: int) -> int:
        if count <= 0 or busiest <= 0:
            return 0
        return min(4, 1 + (count * 4 - 1) // busiest)

    text = Text()
    header = [" "] * (weeks + 3)
    last_month = -1
    free_from = 3
    for week in range(weeks):
        first = start + timedelta(weeks=week)
        if first.month != last_month:
            last_month = first.month
            column = week + 3
            if column >= free_from and column + 3 <= len(header):
                header[column : column + 3] = f"{first:%b}"
                free_from = column + 4
    text.append("".join(header).rstrip() + "\n", style="dim")
    for weekday, name in enumerate(("Mo", "  ", "We", "  ", "Fr", "  ", "Su")):
        text.append(f"{name} ", style="dim")
        for week in range(weeks):
            day = start + timedelta(weeks=week, days=weekday)
            if day > today:
                text.append(" ")
                continue
            level = shade(counts.get(day, 0))
            text.append(SHADES[level], style=STYLES[level])
        text.append("\n")
    text.append("   less " + "".join(SHADES) + " more", style="dim")
    return text


def sparkline(values: list[int]) -> str:
    """Counts as a one-line bar chart (the 30-day forecast)."""
    bars = " ▁▂▃▄▅▆▇█"
    top = max(values, default=0)
    if top <= 0:
        return bars[0] * len(values)
    return "".join(bars[min(8, round(value * 8 / top))] for value in values)
