import sys
import time
from typing import TextIO


class Progress:
    """A plain-text progress bar for management commands: works in a terminal and in logs."""

    def __init__(self, *, total: int, label: str, stream: TextIO | None = None, width: int = 30):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stdout
        self.width = width
        self.done = 0
        self._last_draw = 0.0
        self._drawn = -1
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __enter__(self):
        self._draw(force=True)
        return self

    def __exit__(self, *exc):
        self._draw(force=True)
        if self._tty:
            self.stream.write("\n")

    def update(self, done: int) -> None:
        self.done = min(done, self.total)
        self._draw()

    def advance(self, step: int = 1) -> None:
        self.update(self.done + step)

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.done == self._drawn or (
            not force and now - self._last_draw < 0.2 and self.done < self.total
        ):
            return
        self._last_draw, self._drawn = now, self.done
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label}: [{bar}] {self.done}/{self.total}"
        # In a terminal the bar redraws in place; in a log each update is one line.
        self.stream.write("\r" + line if self._tty else line + "\n")
        if hasattr(self.stream, "flush"):
            self.stream.flush()
