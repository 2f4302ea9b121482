"""Every table on the app's pages drawn one way: :func:`show_table`.

One style for the grids (``st.dataframe``) of every page, so a first-time reader meets the
same table everywhere:

* nothing reads "None": a missing value shows a dash (:data:`~jwmetrics.text.DASH`), or the
  words a caller gives ("not yet");
* the key columns (what a row is about: an area, a partner, a verdict) come first and stay
  pinned on the left while the rest scrolls sideways, so a narrow window never hides them;
* days read "7 December 2026" and moments "7 December 2026, 13:38", the British long form
  used in every sentence of the app (dates stay dates underneath, so columns still sort);
* long text columns get room, and numbers stay numbers, so a click on a header sorts them.

Cells are shown as text by the grid, never as Markdown, so no escaping is needed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from jwmetrics.text import DASH

DAY_FORMAT = "D MMMM YYYY"
"""A day in a grid, as :func:`jwmetrics.text.format_date` writes it: "7 December 2026"."""
MOMENT_FORMAT = "D MMMM YYYY, HH:mm"
"""A moment in a grid, as :func:`jwmetrics.text.moment` writes it: "7 December 2026, 13:38"."""
WIDE_TEXT_CHARS = 60  # a text column whose cells run longer than this gets a wide column
NARROW_TEXT_CHARS = 16  # longer text gets at least a medium column: Streamlit sizes a column
# by its first rows, so "Adur" and "Allerdale" left "Barking and Dagenham" clipped


def _is_moment(column: pd.Series) -> bool:
    """Whether a column holds moments (a time of day matters) rather than days."""
    values = column.dropna()
    if values.empty:
        return False
    stamps = pd.to_datetime(values, errors="coerce")
    return bool(((stamps.dt.hour != 0) | (stamps.dt.minute != 0)).any())


def _kind(column: pd.Series) -> str:
    """ "day", "moment", "number", "text" or "other": how a column is shown."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return "moment" if _is_moment(column) else "day"
    if pd.api.types.is_bool_dtype(column.dtype):
        return "other"
    if pd.api.types.is_numeric_dtype(column.dtype):
        return "number"
    values = column.dropna()
    if not values.empty and all(hasattr(v, "year") and hasattr(v, "month") for v in values):
        has_time = any(hasattr(v, "hour") for v in values)
        return "moment" if has_time and _is_moment(column) else "day"
    return "text"


def _config(
    frame: pd.DataFrame, key_columns: Iterable[str], given: Mapping[str, Any]
) -> dict[str, Any]:
    """Column settings: the caller's, else dates written the British way and wide text given
    room; the key columns pinned either way."""
    keys = set(key_columns)
    config: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        kind = _kind(column)
        if name in given:
            setting = dict(given[name])
        elif kind == "day":
            setting = dict(st.column_config.DateColumn(format=DAY_FORMAT))
        elif kind == "moment":
            setting = dict(st.column_config.DatetimeColumn(format=MOMENT_FORMAT))
        elif kind == "text":
            longest = column.dropna().astype(str).str.len().max()
            longest = 0 if pd.isna(longest) else int(longest)
            width: Literal["medium", "large"] | None
            if name in keys:  # a pinned column never scrolls: medium at most, never clipped
                width = "medium" if longest > NARROW_TEXT_CHARS else None
            elif longest > WIDE_TEXT_CHARS:
                width = "large"
            else:
                width = "medium" if longest > NARROW_TEXT_CHARS else None
            setting = dict(st.column_config.TextColumn(width=width))
        else:
            setting = {}
        if name in keys:
            setting["pinned"] = True
        if setting:
            config[name] = setting
    return config


def show_table(
    frame: pd.DataFrame | Styler | Iterable[Mapping[str, Any]],
    *,
    key_columns: Iterable[str] = (),
    column_config: Mapping[str, Any] | None = None,
    missing: str = DASH,
    **grid: Any,
) -> Any:
    """Draw ``frame`` (a frame, a pandas ``Styler`` of one, or rows as dicts) as a grid in the
    app's one table style; return what ``st.dataframe`` returns (the selection, when a picked
    row reruns the page).

    ``key_columns`` (those present) are moved to the front and pinned; ``column_config``
    overrides the style of any column; ``missing`` is what an empty cell shows (a dash,
    never "None"); anything else (``key``, ``height``, ``on_select``, ``selection_mode``)
    is passed to ``st.dataframe``. A ``Styler`` keeps its own number formats (numbers stay
    numbers, written the British way); its columns are put in order by ``column_order``.
    """
    if isinstance(frame, Styler):
        styler: Styler | None = frame
        frame = frame.data
    else:
        styler = None
        if not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame(list(frame))
    keys = [name for name in key_columns if name in frame.columns]
    order = [*keys, *(name for name in frame.columns if name not in keys)]
    config = _config(frame, keys, column_config or {})
    if styler is not None:
        return st.dataframe(
            styler,
            hide_index=True,
            width="stretch",
            column_order=order,
            column_config=config,
            placeholder=missing,
            **grid,
        )
    shown = frame[order] if order else frame
    return st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=config,
        placeholder=missing,
        **grid,
    )
