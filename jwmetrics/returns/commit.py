"""Step 4, commit: record a checked return whole or not at all; withdraw one.

The commit runs in one transaction: the return record and its new and revised figures
(:func:`~jwmetrics.returns.write.insert_rows`) land together. Unchanged rows are not
written again, and a revision is a new row: nothing stored is ever overwritten. Before
writing, the diff is worked out again inside the transaction; a check that has gone out
of date (another return recorded a figure for the same key meanwhile) is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Return, ReturnEvent
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor, require
from jwmetrics.governance.settings import approval_required
from jwmetrics.governance.users import authorise, email_key
from jwmetrics.returns.diff import diff, live_return_with
from jwmetrics.returns.model import Changes, ReturnCheck, ReturnRefused, ReturnRow, ReturnRows
from jwmetrics.returns.write import insert_rows
from jwmetrics.steps import Progress, quiet, step
from jwmetrics.store.known import KnownAt
from jwmetrics.store.writes import withdraw

STALE_MESSAGE = "the stored figures changed since this file was checked; check it again"
IMPORTED_MESSAGE = "{file_name} was imported by someone else a moment ago; nothing was written"
NO_APPROVAL_NEEDED = "no approval needed"  # the reason of a return approved on its commit
COMMIT_LOCK_KEY = 0x6A776D  # "jwm": pg_advisory_xact_lock key serialising return commits


@dataclass(frozen=True)
class Uploader:
    """Who sent a return: the name recorded (free text, shown) and the stored user who
    committed it (their e-mail as matched, :func:`email_key`; empty in local mode). Four
    eyes compares the stored user, never the free text."""

    name: str
    user: str


@dataclass(frozen=True)
class CommitOutcome:
    """What a commit did."""

    return_id: int | None
    message: str
    counts: dict[str, int]


def _row_partners(rows: Sequence[ReturnRow]) -> set[str]:
    """The partners a return's rows name in their own ``partner`` column: an uploader's
    partner scope applies to each of them, not only to the file's partner."""
    column = getattr(rows, "partners", None)  # ReturnRows keeps its columns
    names = column if column is not None else [row.partner for row in rows]
    return {name for name in names if name}


def commit_return(
    db: Database,
    check: ReturnCheck,
    *,
    uploaded_by: str = "",
    confirm_warnings: bool = False,
    actor: Actor = LOCAL_USER,
    needs_approval: bool | None = None,
    progress: Progress = quiet,
    on_commit: Callable[[Session, int], object] | None = None,
) -> CommitOutcome:
    """Record the return and its new and revised figures in one transaction.

    Refused (:class:`ReturnRefused`) when the check found errors, or warnings that were not
    confirmed; :class:`~jwmetrics.governance.roles.PermissionDenied` when ``actor`` may not
    send returns for its partner or initiatives. A file already imported, or one that
    changes nothing, writes nothing. When returns need approval (``needs_approval``, by
    default :func:`~jwmetrics.governance.settings.approval_required`) the return is kept as
    *submitted* and none of its figures counts until an approver approves it. ``progress``
    hears the re-check and the rows written. ``on_commit`` (session, return id) runs inside
    the same transaction after the return is recorded: the face passes the alerts' outbox
    writer (:func:`jwmetrics.alerts.timed.return_recorded`), so the alerts land with it.
    """
    _refuse_unconfirmed(check, confirm_warnings)
    with db.session() as session:  # refuse early, before the no-change answers below
        _require_upload(session, actor, check)
    waits = approval_required() if needs_approval is None else needs_approval
    uploaded_by = uploaded_by or actor.name
    counts = check.counts
    if check.already_imported is not None:
        message = (
            f"{check.file_name} was already imported as return {check.already_imported}; "
            "nothing changed"
        )
        return CommitOutcome(check.already_imported, message, counts)
    if not check.has_changes:
        return CommitOutcome(
            None, f"every value in {check.file_name} is already stored; nothing changed", counts
        )
    changes = Changes.of(check.changes)
    now = datetime.now()
    try:
        with db.session() as session, session.begin():
            rechecked = step(progress, "Checking nothing changed meanwhile", len(check.rows))
            _refuse_if_stale(session, check, changes)
            # Again inside the write's own transaction: the role as stored at this moment.
            current = _require_upload(session, actor, check)
            rechecked()
            uploader = Uploader(uploaded_by, "" if current.local else email_key(current.email))
            return_id = _record_return(session, check, counts, uploader, now, waits)
            rows = changes.to_record()
            insert_rows(
                session,
                return_id,
                check.file_name,
                rows,
                now,
                check.published_on,
                counting=not waits,
                progress=progress,
            )
            _record_commit(session, return_id, check, counts, uploaded_by, now, waits)
            if on_commit is not None:
                on_commit(session, return_id)
    except IntegrityError:
        raise ReturnRefused(IMPORTED_MESSAGE.format(file_name=check.file_name)) from None
    tally = f"{counts['new']} new, {counts['revised']} revised, {counts['unchanged']} unchanged"
    if waits:
        message = (
            f"return {return_id} submitted for approval: {tally}; its figures count once an "
            "approver approves it"
        )
    else:
        message = f"return {return_id} committed: {tally}"
    return CommitOutcome(return_id, message, counts)


def initiatives_of(db: Database, measure_ids: set[int]) -> list[str]:
    """The initiatives (ids) whose measures these are, sorted."""
    with db.session() as session:
        return _initiatives_of(session, measure_ids)


def _initiatives_of(session: Session, measure_ids: set[int]) -> list[str]:
    """:func:`initiatives_of`, read in the caller's session."""
    if not measure_ids:
        return []
    query = select(Measure.initiative_slug).where(Measure.id.in_(measure_ids)).distinct()
    return sorted(session.scalars(query))


def _require_upload(session: Session, actor: Actor, check: ReturnCheck) -> Actor:
    """Refuse unless ``actor``, as stored now (read in ``session``), may send this return:
    for the file's partner, every partner its rows name, and every initiative its measures
    are of. Returns that stored actor."""
    current = authorise(session, actor, Action.UPLOAD)
    for partner in sorted({check.partner} | _row_partners(check.rows)):
        require(current, Action.UPLOAD, partner=partner)
    for initiative in _initiatives_of(session, {row.measure_id for row in check.rows}):
        require(current, Action.UPLOAD, initiative=initiative)
    return current


def _record_commit(
    session: Session,
    return_id: int,
    check: ReturnCheck,
    counts: dict[str, int],
    by: str,
    now: datetime,
    waits: bool,
) -> None:
    """The return's first move (submitted, or approved when no approval is needed) and the
    audit event, in the commit's transaction."""
    state, reason = ("submitted", "") if waits else ("approved", NO_APPROVAL_NEEDED)
    session.add(ReturnEvent(return_id=return_id, state=state, by=by, at=now, reason=reason))
    detail = (
        f"{check.file_name} from {check.partner or 'a partner not recorded'}: {counts['new']} new, "
        f"{counts['revised']} revised, {counts['unchanged']} unchanged"
    )
    audit.append(session, by, "submit" if waits else "upload", f"return {return_id}", detail, now)


def _refuse_unconfirmed(check: ReturnCheck, confirm_warnings: bool) -> None:
    """Refuse a check with errors, or with warnings the user has not confirmed."""
    if check.errors:
        raise ReturnRefused(
            f"{len(check.errors)} error(s) in {check.file_name}; nothing was written"
        )
    if check.warnings and not confirm_warnings:
        raise ReturnRefused(
            f"{len(check.warnings)} warning(s) to confirm first; nothing was written"
        )


def _refuse_if_stale(session: Session, check: ReturnCheck, changes: Changes) -> None:
    """Work the changes out again inside the commit's transaction; refuse if they differ.

    A check can be held for a while (the upload page keeps it); meanwhile another return
    may have recorded a newer value for the same figure. Committing the old check would
    then record its rows as "new" or revise a value it never saw. Nothing is written.
    On PostgreSQL commits take a transaction-level advisory lock first, so two cannot
    interleave between this read and their inserts; on SQLite the second writer waits for
    the first (or is told the database is busy) and then sees its figures.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # one commit at a time: no interleaving
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": COMMIT_LOCK_KEY})
    if live_return_with(session, check.sha256) is not None:
        raise ReturnRefused(IMPORTED_MESSAGE.format(file_name=check.file_name))
    fresh = diff(session, ReturnRows.of(check.rows), KnownAt.on(check.published_on))
    if not fresh.same_as(changes):
        raise ReturnRefused(STALE_MESSAGE)


def _record_return(
    session: Session,
    check: ReturnCheck,
    counts: dict[str, int],
    uploader: Uploader,
    now: datetime,
    waits: bool,
) -> int:
    """Add the return's own record; its id."""
    record = Return(
        file_name=check.file_name,
        sha256=check.sha256,
        partner=check.partner,
        uploaded_by=uploader.name,
        uploaded_by_user=uploader.user,
        uploaded_at=now,
        rows_read=counts["read"],
        rows_new=counts["new"],
        rows_revised=counts["revised"],
        rows_unchanged=counts["unchanged"],
        outcome="committed",
        published_on=check.published_on,
        state="submitted" if waits else "approved",
        counts_from=None if waits else now,
    )
    session.add(record)
    session.flush()
    return record.id


def withdraw_return(
    db: Database, return_id: int, *, by: str = "", actor: Actor = LOCAL_USER
) -> str:
    """Withdraw a committed return: its figures stop counting and the ones it replaced return.

    Only an administrator withdraws (:class:`~jwmetrics.governance.roles.PermissionDenied`
    otherwise); a rejected return never counted and cannot be withdrawn.
    """
    by = by or actor.name
    now = datetime.now()
    with db.session() as session, session.begin():
        authorise(session, actor, Action.WITHDRAW)  # the role as stored at this moment
        record = session.get(Return, return_id)
        if record is None:
            raise ReturnRefused(f"there is no return {return_id}")
        if record.withdrawn_at is not None:
            raise ReturnRefused(
                f"return {return_id} was already withdrawn on {record.withdrawn_at:%d/%m/%Y}"
            )
        if record.state == "rejected":
            raise ReturnRefused(f"return {return_id} was rejected; its figures never counted")
        if not withdraw(session, return_id, by, now):
            raise ReturnRefused(
                f"return {return_id} was withdrawn by someone else a moment ago; nothing changed"
            )
        audit.append(session, by, "withdraw", f"return {return_id}", record.file_name, now)
    return f"return {return_id} withdrawn; the values it replaced count again"
