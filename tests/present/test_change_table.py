"""The "Changes since" panel's rows: values in their units, statuses with symbols, reasons
cut in the table and listed in full below it (:mod:`jwmetrics.present.change_table`)."""

from __future__ import annotations

from datetime import date

from jwmetrics.briefing import ChangeRecord
from jwmetrics.present.change_table import change_rows, change_value, changes_in_full
from jwmetrics.store import CatalogueNames

NAMES = CatalogueNames({"cost": "Average cost of a place"}, {"E92000001": "England"})
UNITS = {"cost": "GBP", "share": "percent"}


def change(
    kind: str, before: float | str | None, after: float | str | None, **more: str
) -> ChangeRecord:
    """A change to the measure "cost" in England, known on 7 December 2001."""
    return ChangeRecord(
        kind, "init", "cost", "E92000001", before, after, date(2001, 12, 7), "Paragraph 18", **more
    )


def test_values_are_written_in_their_units_and_statuses_with_their_symbols() -> None:
    assert change_value(change("figure", None, 640.0), 640.0, "GBP") == "£640"
    assert change_value(change("figure", None, 75.0), 75.0, "percent") == "75%"
    assert change_value(change("figure", None, 1850.0), 1850.0, "people") == "1,850"
    assert change_value(change("figure", None, ".."), "..", "GBP") == "not available (..)"
    assert change_value(change("status", "Grey", "Amber"), "Amber", "") == "▲ Amber"
    assert change_value(change("status", None, "Amber"), None, "") == ""
    words = "provide a place (100% by March 2001)"
    assert change_value(change("target", None, words), words, "percent") == words


def test_a_row_names_the_measure_and_cuts_a_long_reason_which_is_listed_in_full() -> None:
    reason = "At risk: 700 is below the trajectory. The forecast says 535 by April 2002."
    status = change("status", "Grey", "Amber", after_reason=reason)
    figure = change("figure", None, 640.0, period="7 December 2001")
    rows = change_rows([status, figure], NAMES, UNITS)
    assert rows[0]["Measure"] == "Average cost of a place" and rows[0]["Area"] == "England"
    assert rows[0]["Why (after)"] == "At risk: 700 is below the trajectory."
    assert (rows[1]["After"], rows[1]["Period"]) == ("£640", "7 December 2001")
    (line,) = changes_in_full([status, figure], NAMES, UNITS)  # the figure is shown whole
    assert line.startswith("- **Average cost of a place**, England (status): ○ Grey → ▲ Amber.")
    assert line.endswith("The forecast says 535 by April 2002.")
