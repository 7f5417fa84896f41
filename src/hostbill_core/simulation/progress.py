r"""A text progress bar for long runs: shown on a terminal only, and only after a second.

>>> import io
>>> ticks = iter([0.0, 0.5, 1.5, 1.6, 3.0])
>>> stream = io.StringIO()
>>> bar = ProgressBar(stream, "days", clock=lambda: next(ticks), terminal=True)
>>> bar.update(1, 4)       # at 0.5 s: too early, nothing shown
>>> bar.update(2, 4)       # at 1.5 s: shown
>>> bar.update(4, 4)       # at 1.6 s: shown (the last step always is)
>>> bar.close()
>>> stream.getvalue().split("\r")[1:]
['[##########..........]  2/4 days', '[####################]  4/4 days\n']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["ProgressBar"]

_WIDTH = 20
_DELAY = 1.0  # seconds before the bar appears
_EVERY = 0.1  # seconds between redraws


class ProgressBar:
    """Draws ``[#####.....] done/total unit`` on one line of ``stream``, redrawn in place.

    Args:
        stream: where to draw (standard error for the CLI).
        unit: what is counted, e.g. ``"days"``.
        clock: seconds, monotonic (default :func:`time.monotonic`).
        terminal: whether ``stream`` is a terminal (default: ask it); no terminal, no bar.
    """

    def __init__(
        self,
        stream: TextIO,
        unit: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        terminal: bool | None = None,
    ) -> None:
        self._stream, self._unit, self._clock = stream, unit, clock
        self._on = stream.isatty() if terminal is None else terminal
        self._started = clock()
        self._drawn_at: float | None = None

    def update(self, done: int, total: int) -> None:
        """Record progress; draw when the run has lasted a second and a redraw is due."""
        if not self._on:
            return
        now = self._clock()
        if now - self._started < _DELAY:
            return
        if done < total and self._drawn_at is not None and now - self._drawn_at < _EVERY:
            return
        filled = _WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (_WIDTH - filled)
        width = len(str(total))
        self._stream.write(f"\r[{bar}] {done:>{width + 1}}/{total} {self._unit}")
        self._stream.flush()
        self._drawn_at = now

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._drawn_at is not None:
            self._stream.write("\n")
            self._stream.flush()
