"""Steps 1 to 3 in one call: read a file, check every row, diff it with the store.

:func:`check_return` writes nothing. It collects every problem at once (errors block the
commit, warnings ask for confirmation) and works out, row by row, whether each value is
new, a revision of a stored one, or unchanged.
"""

from __future__ import annotations

from datetime import date

from jwmetrics.db.engine import Database
from jwmetrics.problems import Problem
from jwmetrics.returns import read
from jwmetrics.returns.cells import partner_too_long
from jwmetrics.returns.diff import diff, live_return_with
from jwmetrics.returns.listing import Listing, list_layout_problems, trim_warnings
from jwmetrics.returns.lookups import Catalogue
from jwmetrics.returns.model import ReturnCheck
from jwmetrics.returns.read import Limits, sha256_of
from jwmetrics.returns.validate import check_rows
from jwmetrics.returns.warn import bound_warnings, change_warnings
from jwmetrics.steps import Progress, quiet, step
from jwmetrics.store.known import KnownAt
from jwmetrics.tabular import shorten


def check_return(
    db: Database,
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    partner: str = "",
    limits: Limits | None = None,
    today: date | None = None,
    published_on: date | None = None,
    progress: Progress = quiet,
) -> ReturnCheck:
    """Read and check a return; list every problem and every change. Writes nothing.

    ``published_on`` is the day the return's figures became public (default: today; a
    day in the future is an error). The changes are worked out against what was known on
    that day, so a return of old, already published figures slots into the history.
    ``progress`` hears of each step (reading, checking, comparing) as it starts and ends.
    """
    limits = limits or Limits.from_environment()
    today = today or date.today()
    read_done = step(progress, f"Reading {file_name}", len(data), "bytes")
    table = read.read_return(data, file_name, sheet, limits)
    read_done()
    check = ReturnCheck(
        file_name=file_name,
        sha256=sha256_of(data),
        partner=partner,
        table=table,
        published_on=published_on or today,
    )
    _check_form(check, today)
    list_layout_problems(check.problems, table)
    if any(problem.row is None for problem in table.errors) or (
        check.errors and not table.row_count
    ):
        return check  # the file as a whole is unreadable; row-level checks would only mislead
    with db.session() as session:
        listing = Listing(check.problems, file_name)
        rows_done = step(progress, "Checking rows", table.row_count)
        rows = check_rows(table, Catalogue.load(session), today, partner, listing)
        rows_done()
        check.rows = rows
        listing.summarise()
        if check.errors:
            return check
        check.already_imported = live_return_with(session, check.sha256)
        compared = step(progress, "Comparing with the stored figures", len(rows))
        check.changes = diff(session, rows, KnownAt.on(check.published_on))
        compared()
        bound_warnings(session, check)
    change_warnings(check)
    trim_warnings(check.problems, file_name)  # warnings about changes can be many too
    check.problems.sort(key=lambda p: (p.row or 0, p.severity != "error"))
    return check


def _check_form(check: ReturnCheck, today: date) -> None:
    """The problems with what was given beside the file: publication day and partner."""
    if check.published_on > today:
        message = (
            f"published on {check.published_on:%d/%m/%Y} is in the future; expected a day on "
            f"or before today ({today:%d/%m/%Y})"
        )
        check.problems.append(
            Problem(check.file_name, None, "published_on", check.published_on.isoformat(), message)
        )
    refusal = partner_too_long(check.partner)
    if refusal is not None:
        check.problems.append(
            Problem(check.file_name, None, "partner", shorten(check.partner), refusal)
        )
