"""Partners' returns: check a file, preview what it changes, commit it whole, withdraw it.

The flow is the same for the upload page and ``python -m jwmetrics import``, and one row
of a return goes through the modules of this package in order, never back:

1. :mod:`~jwmetrics.returns.read`: the file's bytes become a table of text cells
   (:func:`jwmetrics.tabular.read_table`), within the :class:`Limits`;
2. :mod:`~jwmetrics.returns.validate` (with :mod:`~jwmetrics.returns.cells` and
   :mod:`~jwmetrics.returns.lookups`): every cell is checked against the catalogue, a
   column at a time, each distinct text once; problems are listed by
   :mod:`~jwmetrics.returns.listing`;
3. :mod:`~jwmetrics.returns.diff`: the checked rows are compared in SQL with the figures
   stored for their own keys, which makes their :class:`Changes` (new, revised,
   unchanged); :mod:`~jwmetrics.returns.warn` adds the warnings that need them.
   :func:`check_return` (:mod:`~jwmetrics.returns.check`) runs steps 1 to 3 and writes
   nothing;
4. :mod:`~jwmetrics.returns.commit`: :func:`commit_return` works the diff out again in its
   transaction and writes the return and its new and revised figures
   (:mod:`~jwmetrics.returns.write`, the store's side) whole or not at all;
   :func:`withdraw_return` withdraws one, and the values it replaced count again; where
   returns need approval the commit keeps the return *submitted*, and
   :mod:`~jwmetrics.returns.approval` approves it (from then its figures count) or rejects it;
5. :mod:`~jwmetrics.returns.history`: the returns log and what a return changed, as the
   same :class:`Change` the check showed.

:mod:`~jwmetrics.returns.factor` judges each distinct text of a column once.
:mod:`~jwmetrics.returns.model` holds the types every step shares, and
:mod:`~jwmetrics.returns.cell_value` reads a value cell ("1,850", "55.4%", "over 50", "..").
:mod:`~jwmetrics.returns.schedule` says which returns are due, received, late or overdue.
The format is documented in ``docs/returns.md``.
"""

from __future__ import annotations

from jwmetrics.returns.cells import COUNT_UNITS, MAX_PARTNER_CHARS
from jwmetrics.returns.check import check_return
from jwmetrics.returns.commit import (
    COMMIT_LOCK_KEY,
    IMPORTED_MESSAGE,
    STALE_MESSAGE,
    CommitOutcome,
    commit_return,
    withdraw_return,
)
from jwmetrics.returns.diff import stored_current
from jwmetrics.returns.history import return_changes, return_observation_count, returns_log
from jwmetrics.returns.listing import MAX_PROBLEMS
from jwmetrics.returns.lookups import Catalogue, MeasureRef
from jwmetrics.returns.model import (
    Change,
    Changes,
    Key,
    RecordedChange,
    ReturnCheck,
    ReturnRefused,
    ReturnRow,
    ReturnRows,
    StoredFigure,
)
from jwmetrics.returns.read import (
    MAX_BYTES_ENV,
    MAX_RATIO_ENV,
    MAX_ROWS_ENV,
    MAX_UNCOMPRESSED_ENV,
    Limits,
    sha256_of,
)
from jwmetrics.returns.schedule import ReturnsSummary, ScheduleReport
from jwmetrics.returns.warn import CHANGE_WARNING_SHARE
from jwmetrics.returns.write import INSERT_COLUMNS, insert_rows

__all__ = [
    "CHANGE_WARNING_SHARE",
    "COMMIT_LOCK_KEY",
    "COUNT_UNITS",
    "IMPORTED_MESSAGE",
    "INSERT_COLUMNS",
    "MAX_BYTES_ENV",
    "MAX_PARTNER_CHARS",
    "MAX_PROBLEMS",
    "MAX_RATIO_ENV",
    "MAX_ROWS_ENV",
    "MAX_UNCOMPRESSED_ENV",
    "STALE_MESSAGE",
    "Catalogue",
    "Change",
    "Changes",
    "CommitOutcome",
    "Key",
    "Limits",
    "MeasureRef",
    "RecordedChange",
    "ReturnCheck",
    "ReturnRefused",
    "ReturnRow",
    "ReturnRows",
    "ReturnsSummary",
    "ScheduleReport",
    "StoredFigure",
    "check_return",
    "commit_return",
    "insert_rows",
    "return_changes",
    "return_observation_count",
    "returns_log",
    "sha256_of",
    "stored_current",
    "withdraw_return",
]
