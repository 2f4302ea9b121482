"""The CLI's progress bar: one line on stderr, redrawn in place, only on a terminal.

``python -m jwmetrics import`` and ``load-snapshot`` pass :func:`terminal_progress` to the
library (see :mod:`jwmetrics.steps`); when stderr is not a terminal (a pipe, a log file,
CI) it is :func:`~jwmetrics.steps.quiet`, so scripts see only the results.
"""

from __future__ import annotations

from typing import TextIO

from jwmetrics.steps import Progress, Step, quiet

BAR_CHARS = 24


def bar_line(step: Step) -> str:
    """One frame: "Recording figures [##########..............]  42% 84,000 of 200,000 rows"."""
    filled = round(step.fraction * BAR_CHARS)
    bar = "#" * filled + "." * (BAR_CHARS - filled)
    return f"{step.label} [{bar}] {step.fraction:4.0%} {step.done:,} of {step.total:,} {step.unit}"


def terminal_progress(stream: TextIO) -> Progress:
    """A progress callback drawing on ``stream`` if it is a terminal, else one that is quiet."""
    if not stream.isatty():
        return quiet
    width = [0]  # the longest frame drawn on the current line, to blank it out

    def draw(step: Step) -> None:
        line = bar_line(step)
        stream.write("\r" + line.ljust(width[0]))
        width[0] = max(width[0], len(line))
        if step.done >= step.total:  # the step is over: keep its last frame, start a line
            stream.write("\n")
            width[0] = 0
        stream.flush()

    return draw
