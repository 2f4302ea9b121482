"""Words beside points of a chart, placed so that none prints over another: :func:`place_labels`.

Labels ("Latest 520 people", "Target 617 people", "Forecast 511 people") are placed in pixels
of the narrowest plot the chart is drawn in (``chart_style.MIN_PLOT_WIDTH_PX`` wide, at its
fixed height): each goes beside its point, or diagonally by it, or above or below it with a
leader line when that spot is taken, never over another label, a point or a note, and never
outside the plot. A wider plot only moves points further apart, so what does not collide at
the narrowest width does not collide at any. A label's box is white, so a line passing
behind it does not cross its words. Used by :mod:`jwmetrics.present.trend_marks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from jwmetrics.present.chart_style import FONT, text_width_px

LABEL_FONT_PX = 13
LABEL_HEIGHT_PX = 20  # a line of 13 px text and its box
LABEL_GAP_PX = 12  # from the centre of a point to the near edge of its label
POINT_PX = 8  # half the size of a marker, as an obstacle
STEP_PX = 22  # how far a label moves up or down at a time to find room
MAX_STEPS = 6


@dataclass(frozen=True)
class Label:
    """A few words beside one point of the chart."""

    x: date
    y: float
    text: str
    colour: str
    name: str  # the mark it labels, for tests and hover: "Actual", "Target", ...


@dataclass(frozen=True)
class PlotBox:
    """The plot area at its narrowest, in pixels, for placing labels."""

    x_range: tuple[date, date]
    y_range: tuple[float, float]
    width_px: float
    height_px: float

    def at(self, x: date, y: float) -> tuple[float, float]:
        """Pixels of a point from the plot's left and top edges."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        across = (x - x0).days / max((x1 - x0).days, 1) * self.width_px
        down = (y1 - y) / ((y1 - y0) or 1.0) * self.height_px
        return across, down


Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crossings(box: Box, lines: Sequence[Sequence[tuple[float, float]]]) -> int:
    """How many line segments pass through ``box`` (sampled along each segment)."""
    count = 0
    for line in lines:
        for (xa, ya), (xb, yb) in pairwise(line):
            steps = max(2, int(max(abs(xb - xa), abs(yb - ya)) // 4))
            if any(
                box[0] <= xa + (xb - xa) * k / steps <= box[2]
                and box[1] <= ya + (yb - ya) * k / steps <= box[3]
                for k in range(steps + 1)
            ):
                count += 1
    return count


def _candidates(point: tuple[float, float], width: float, side: str) -> list[tuple[Box, float]]:
    """Boxes a label of ``width`` could take near ``point``, each with how far (in pixels) it
    is moved up or down: beside the point (the preferred side first), diagonally above or
    below it, then further up or down, beside it or centred over it."""
    px, py = point
    half = LABEL_HEIGHT_PX / 2
    other = "left" if side == "right" else "right"

    def box(at: str, centre: float) -> Box:
        if at == "centre":
            return (px - width / 2, centre - half, px + width / 2, centre + half)
        left = px + LABEL_GAP_PX if at == "right" else px - LABEL_GAP_PX - width
        return (left, centre - half, left + width, centre + half)

    found: list[tuple[Box, float]] = [(box(side, py), 0.0), (box(other, py), 0.0)]
    for sign in (-1, 1):  # diagonally: the label's near corner by the point
        for at in (side, other):
            shift = sign * (half + 3)
            near = box(at, py + shift)
            nudge = -LABEL_GAP_PX + 3 if at == "right" else LABEL_GAP_PX - 3
            found.append(((near[0] + nudge, near[1], near[2] + nudge, near[3]), abs(shift)))
    for steps in range(1, MAX_STEPS + 1):
        for sign in (-1, 1):
            centre = py + sign * steps * STEP_PX
            found += [(box(at, centre), steps * STEP_PX) for at in (side, other, "centre")]
    return found


def place_labels(
    labels: Sequence[Label],
    plot: PlotBox,
    points: Sequence[tuple[date, float]],
    lines: Sequence[Sequence[tuple[date, float]]] = (),
    fixed: Sequence[Box] = (),
) -> list[dict[str, Any]]:
    """Plotly annotations for ``labels`` (most important first), none over another, a point
    or a ``fixed`` box, each inside the plot, preferring the spot beside its point facing the
    middle and free of ``lines``; a label moved off its point gets a leader line. A label
    that finds no room anywhere is left out (its value is in the hover and the tables)."""
    obstacles = [*fixed]
    for x, y in points:
        px, py = plot.at(x, y)
        obstacles.append((px - POINT_PX, py - POINT_PX, px + POINT_PX, py + POINT_PX))
    drawn = [[plot.at(x, y) for x, y in line if y is not None] for line in lines]
    annotations: list[dict[str, Any]] = []
    for label in labels:
        point = plot.at(label.x, label.y)
        width = text_width_px(label.text, LABEL_FONT_PX) + 6
        preferred = _side(label.x, plot.x_range)
        best: tuple[float, Box] | None = None
        for box, moved in _candidates(point, width, preferred):
            inside = box[0] >= 0 and box[2] <= plot.width_px
            inside = inside and box[1] >= 0 and box[3] <= plot.height_px
            if not inside or any(_overlaps(box, other) for other in obstacles):
                continue
            beside = box[1] < point[1] < box[3]
            cost = moved / 2 + (0 if beside else 4) + 12 * _crossings(box, drawn)
            cost += 3 if (box[0] > point[0]) != (preferred == "right") else 0
            if best is None or cost < best[0]:
                best = (cost, box)
        if best is None:
            continue
        box = best[1]
        obstacles.append(box)
        annotations.append(_annotation(label, point, box))
    return annotations


def _annotation(label: Label, point: tuple[float, float], box: Box) -> dict[str, Any]:
    """The plotly annotation drawing ``label`` in ``box``: beside its point as it is, or with a
    leader line from the point when it had to move up or down."""
    px, py = point
    centre_y = (box[1] + box[3]) / 2
    if box[0] >= px:
        anchor, dx = "left", box[0] - px
    elif box[2] <= px:
        anchor, dx = "right", box[2] - px
    else:
        anchor, dx = "center", (box[0] + box[2]) / 2 - px
    moved = not box[1] < py < box[3]
    annotation: dict[str, Any] = {
        "x": label.x,
        "y": label.y,
        "xref": "x",
        "yref": "y",
        "text": label.text,
        "name": f"label: {label.name}",
        "font": {"family": FONT, "size": LABEL_FONT_PX, "color": label.colour},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
        "borderpad": 1,
        "xanchor": anchor,
        "yanchor": "middle",
        "showarrow": moved,
        "captureevents": False,
    }
    if moved:
        annotation.update(
            ax=dx, ay=centre_y - py, axref="pixel", ayref="pixel", arrowhead=0, arrowwidth=1,
            arrowcolor=label.colour, standoff=POINT_PX, startstandoff=0,
        )  # fmt: skip
    else:
        annotation.update(xshift=dx, yshift=py - centre_y)
    return annotation


def _side(day: date, span: tuple[date, date]) -> str:
    """The side of its point a label prefers: the one facing the middle of the plot."""
    first, last = span
    return "right" if (day - first) < (last - first) / 2 else "left"
