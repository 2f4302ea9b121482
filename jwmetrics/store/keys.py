"""Many keys as one table for a join: (measure, area, day, day) rows bound as one parameter.

A query about many series at once (the stored figures for every row of a return, the
figures around every target date) joins a table of its keys instead of one condition per
key. SQLite reads them from one JSON parameter (``json_each``); PostgreSQL unnests four
array parameters. Either way one bound value per column, whatever the number of keys, and
the join uses the current-value table's primary key (measure, area, period end).
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    FromClause,
    Integer,
    String,
    bindparam,
    cast,
    func,
    select,
)
from sqlalchemy.orm import Session

KeyRow = tuple[int, str, date, date]
"""A measure id, an area code and two days (a period's start and end, or a window)."""


def keys_table(
    session: Session, rows: list[KeyRow], name: str, columns: tuple[str, str, str, str]
) -> FromClause:
    """``rows`` as a table called ``name`` with ``columns`` (measure, area, day, day)."""
    if session.connection().dialect.name == "sqlite":
        text = json.dumps([[m, a, d1.isoformat(), d2.isoformat()] for m, a, d1, d2 in rows])
        each = func.json_each(bindparam(f"{name}_rows", text, type_=String)).table_valued("value")
        return select(
            *(
                func.json_extract(each.c.value, f"$[{index}]").label(column)
                for index, column in enumerate(columns)
            )
        ).subquery(name)
    arrays: list[ColumnElement[object]] = [
        cast(bindparam(f"{name}_{column}", list(values), type_=ARRAY(kind)), ARRAY(kind))
        for column, kind, values in zip(
            columns, (Integer, String, Date, Date), zip(*rows, strict=True), strict=True
        )
    ]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=name)
