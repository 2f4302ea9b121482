"""Progress of long work: which step it is on and how much of it is done.

Checking and committing a large return, or loading the official snapshot, takes seconds to
minutes; the page and the CLI show where it has got to. The library reports a
:class:`Step` to a callback the caller passes (``progress=``); the page draws a progress bar
from it (``st.progress``), the CLI a bar on stderr when that is a terminal
(:func:`jwmetrics.present.progress_bar.terminal_progress`), and the default, :func:`quiet`,
ignores it. The library never prints and never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

TICK_ROWS = 10_000
"""Rows between two reports while rows are being written."""


@dataclass(frozen=True)
class Step:
    """One report: the step (``label``), ``done`` of ``total`` ``unit`` (rows, bytes)."""

    label: str
    done: int
    total: int
    unit: str = "rows"

    @property
    def fraction(self) -> float:
        """How much of the step is done, 0 to 1 (1 for an empty step)."""
        return 1.0 if self.total <= 0 else min(1.0, self.done / self.total)

    @property
    def text(self) -> str:
        """The step in words: "Recording figures: 120,000 of 200,000 rows"."""
        return f"{self.label}: {self.done:,} of {self.total:,} {self.unit}"


Progress = Callable[[Step], None]
"""What the library calls with each :class:`Step`."""


def quiet(_step: Step) -> None:
    """The default progress: nobody is watching."""


def step(progress: Progress, label: str, total: int, unit: str = "rows") -> Callable[[], None]:
    """Report ``label`` as started (0 of ``total``); the returned function reports it done."""
    progress(Step(label, 0, total, unit))
    return lambda: progress(Step(label, total, total, unit))


def counted(
    items: Iterable[T], progress: Progress, label: str, total: int, every: int = TICK_ROWS
) -> Iterator[T]:
    """Yield ``items`` unchanged, reporting every ``every`` of them and once at the end.

    For a generator fed straight to a driver (``executemany``, COPY): the count costs one
    comparison per row.
    """
    progress(Step(label, 0, total))
    done = 0
    next_report = every
    for item in items:
        yield item
        done += 1
        if done >= next_report:
            progress(Step(label, done, total))
            next_report += every
    progress(Step(label, done, total))
