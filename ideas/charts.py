"""Geometry of horizontal bar charts drawn as SVG by the server (no chart library, no
JavaScript). Phones first: the drawing is narrow (320 units) and scales to the width of the
page, so its text stays legible on a small screen; each bar has its label above it and its
value beside it, so nothing depends on colour."""

from dataclasses import dataclass

WIDTH = 320
VALUE_ROOM = 64  # room right of the longest bar for its value
LABEL_HEIGHT = 22
BAR_HEIGHT = 20
NOTE_HEIGHT = 20
ROW_GAP = 10


@dataclass
class Bar:
    label: str
    value: int
    colour: str
    notes: list[tuple[int, str]]  # (y of the text's baseline, text)
    label_y: int
    bar_y: int
    bar_width: int
    value_x: int
    value_y: int


@dataclass
class Chart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int = BAR_HEIGHT


def bar_chart(rows) -> Chart:
    """Place one bar per row (anything with `label`, `count`, `colour` and `notes`), scaled
    to the largest count."""
    largest = max((row.count for row in rows), default=0) or 1
    room = WIDTH - VALUE_ROOM
    bars = []
    y = 0
    for row in rows:
        label_y = y + LABEL_HEIGHT - 4
        bar_y = y + LABEL_HEIGHT
        width = round(room * row.count / largest)
        if row.count and width < 2:
            width = 2  # a small count stays visible
        notes = []
        note_y = bar_y + BAR_HEIGHT
        for text in row.notes:
            note_y += NOTE_HEIGHT
            notes.append((note_y - 4, text))
        bars.append(
            Bar(
                label=row.label,
                value=row.count,
                colour=row.colour,
                notes=notes,
                label_y=label_y,
                bar_y=bar_y,
                bar_width=width,
                value_x=width + 6,
                value_y=bar_y + BAR_HEIGHT - 4,
            )
        )
        y = note_y + ROW_GAP
    return Chart(bars=bars, width=WIDTH, height=max(y - ROW_GAP, 1))
