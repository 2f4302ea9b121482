"""The overview's "Changes since" panel as a table: values in their units, reasons in short.

Why: the panel listed a figure's raw number ("640.0", "75.0") where every other part of the
app writes "£640" or "75%", and a status's full reason in a grid cell, which a grid cuts at
its width. Here each change becomes one row with its values written as the app writes them
(:func:`jwmetrics.text.value` in the measure's unit; a status as its symbol and word), the
reason cut to its first sentence or so, and the columns given widths that keep the measure,
the values and the reason on screen at 1366 px. What a cell cuts (a long reason, a target's
wording) is listed in full by :func:`changes_in_full`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jwmetrics.assess import Status
from jwmetrics.briefing import ChangeRecord
from jwmetrics.present.assessment import short_reason
from jwmetrics.present.status import badge
from jwmetrics.store import CatalogueNames
from jwmetrics.text import plain, value

WHY_CHARS = 90
"""A reason in the table: its first sentence, cut at about this many characters."""
AFTER_CHARS = 40
"""A value longer than this (a target's wording) is also listed in full below the table."""

COLUMN_WIDTHS: dict[str, int] = {
    "Change": 66,
    "Measure": 290,
    "Period": 116,
    "Before": 96,
    "After": 120,
    "Why (after)": 340,
    "Area": 110,
    "When": 130,
    "Source": 260,
}
"""Each column's width in pixels, in the table's order: the change, the measure (both
pinned), its period and values and the start of why are on screen at 1366 px and at 800
px (sidebar closed); area, day and source follow (the grid scrolls sideways, the pinned
columns staying). "7 December 2001", the longest period, fits its column."""

KEY_COLUMNS = ("Change", "Measure")

_STATUSES = {str(s): s for s in Status}


def change_value(change: ChangeRecord, shown: float | str | None, unit: str) -> str:
    """A before or after value as the app writes it: a figure in its ``unit`` ("£640",
    "75%", "1,850"), a marker in words ("not available (..)"), a status with its symbol
    ("▲ Amber"), a target's words as they are; nothing: ""."""
    if shown is None:
        return ""
    if isinstance(shown, float | int):
        return value(float(shown), unit)
    if change.kind == "figure":  # a figure without a value: its marker
        return value(None, unit, marker=shown)
    if change.kind == "status" and shown in _STATUSES:
        return badge(_STATUSES[shown])
    return shown


def change_rows(
    changes: Iterable[ChangeRecord], names: CatalogueNames, units: Mapping[str, str]
) -> list[dict[str, object]]:
    """One row per change, columns in :data:`COLUMN_WIDTHS`' order, with names not ids;
    ``units``: each measure's unit by id (a measure not in it: a plain number)."""
    rows: list[dict[str, object]] = []
    for change in changes:
        unit = units.get(change.measure, "")
        rows.append(
            {
                "Change": change.kind,
                "Measure": names.measure(change.measure),
                "Period": change.period,
                "Before": change_value(change, change.before, unit),
                "After": change_value(change, change.after, unit),
                "Why (after)": short_reason(change.after_reason, WHY_CHARS)
                if change.after_reason
                else "",
                "Area": names.area(change.area_code),
                "When": change.when,
                "Source": change.source,
            }
        )
    return rows


def changes_in_full(
    changes: Iterable[ChangeRecord], names: CatalogueNames, units: Mapping[str, str]
) -> list[str]:
    """Markdown lines (text escaped) for every change whose reason or value the table cuts:
    "**Measure**, Area (status): ○ Grey → ▲ Amber. At risk: …"."""
    lines = []
    for change in changes:
        unit = units.get(change.measure, "")
        before = change_value(change, change.before, unit)
        after = change_value(change, change.after, unit)
        cut_reason = short_reason(change.after_reason, WHY_CHARS) != change.after_reason
        if not (change.after_reason and cut_reason) and len(after) <= AFTER_CHARS:
            continue
        what = f"**{plain(names.measure(change.measure))}**, {plain(names.area(change.area_code))}"
        moved = f"{plain(before)} → {plain(after)}" if before else plain(after)
        why = f" {plain(change.after_reason)}" if change.after_reason else ""
        lines.append(f"- {what} ({change.kind}): {moved}.{why}")
    return lines
