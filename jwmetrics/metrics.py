"""The one public face: everything the pages and the CLI show comes through :class:`Metrics`.

Like sqlite-utils' ``Database``: open one with :meth:`Metrics.open` (it migrates and, first
time, seeds the report's figures), then ask it for the status table, one series, a profile,
an SPC chart, a track record, or to check, commit and withdraw a return. Each method is a
thin call into the module that owns the work, so this file is also the map of where things
live. Those modules are imported inside the methods: the app's first page (the overview)
then loads only the status table's modules, which keeps its cold start near a bare app's.
Days are ``date`` values ("as known on"); ``None`` means the default each method names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jwmetrics.db import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor
from jwmetrics.portfolio import ENGLAND, Assessment, reporting_day, status_table
from jwmetrics.profiles import InitiativeProfile, all_profiles
from jwmetrics.seed import open_seeded
from jwmetrics.store.known import KnownAt

if TYPE_CHECKING:  # imported where used, so the overview's first run loads only what it needs
    from jwmetrics.changes import ChangeRecord
    from jwmetrics.commentary import Comment
    from jwmetrics.compare import Comparison
    from jwmetrics.detail import SeriesDetail
    from jwmetrics.governance.users import UserRecord
    from jwmetrics.models import AuditEvent, ChangePoint, Return, ReturnEvent
    from jwmetrics.models_briefing import BriefingPack
    from jwmetrics.packs import PackFile
    from jwmetrics.periods import Period
    from jwmetrics.returns import CommitOutcome, RecordedChange, ReturnCheck
    from jwmetrics.schedule import ScheduleReport
    from jwmetrics.spc import SpcResult
    from jwmetrics.track_record import TrackRecord


@dataclass(frozen=True)
class Metrics:
    """jwmetrics over one database: the entry the pages and the CLI call."""

    db: Database

    @classmethod
    def open(cls, url: str | None = None) -> Metrics:
        """Open the database at ``url`` (default: ``JWMETRICS_DATABASE_URL`` or the SQLite
        file under ``data/``), migrated and seeded."""
        return cls(open_seeded(url))

    def close(self) -> None:
        """Release the database's connections."""
        self.db.engine.dispose()

    def __enter__(self) -> Metrics:
        """``with Metrics.open(url) as metrics:`` closes it at the end."""
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def description(self) -> str:
        """Which database this is, without secrets."""
        return self.db.description

    # Commentary ----------------------------------------------------------------------------

    def write_comment(
        self,
        measure: str,
        area_code: str,
        period: str,
        text: str,
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> Comment:
        """Record commentary (:func:`jwmetrics.commentary.write_comment`)."""
        from jwmetrics.commentary import write_comment

        return write_comment(self.db, measure, area_code, period, text, actor=actor, by=by)

    def comments(
        self,
        measure: str | None = None,
        area_code: str | None = None,
        all_versions: bool = False,
    ) -> list[Comment]:
        """The newest version of each comment (commentary written now about the figures of
        any day, so ``as_of`` does not hide it), or every version of every comment."""
        from jwmetrics.commentary import comment_history, comments

        if all_versions:
            return comment_history(self.db)
        return comments(self.db, None, measure, area_code)

    def make_pack(
        self,
        initiative: str | None,
        as_of: date,
        *,
        since: date | None = None,
        file_format: str = "html",
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> PackFile:
        """Make and record a briefing pack (:func:`jwmetrics.packs.make_pack`)."""
        from jwmetrics.packs import make_pack

        return make_pack(
            self.db, initiative, as_of, since=since, file_format=file_format, by=by, actor=actor
        )

    def rebuild_pack(self, pack_id: int) -> PackFile:
        """Make a recorded pack again, exactly (:func:`jwmetrics.packs.rebuild_pack`)."""
        from jwmetrics.packs import rebuild_pack

        return rebuild_pack(self.db, pack_id)

    def packs(self) -> list[BriefingPack]:
        """Every briefing pack made, newest first."""
        from jwmetrics.packs import packs

        return packs(self.db)

    def last_pack_day(self, initiative: str | None = None) -> date | None:
        """The as-known-on day of the newest pack of this scope: "since the last pack"."""
        from jwmetrics.packs import last_pack_day

        return last_pack_day(self.db, initiative)

    # What is known, and when --------------------------------------------------------------

    def changes(
        self, since: date, as_of: date, initiative: str | None = None
    ) -> list[ChangeRecord]:
        """What changed between two days (:func:`jwmetrics.changes.changes_between`)."""
        from jwmetrics.changes import changes_between

        return changes_between(self.db, since, as_of, initiative)

    def latest_day(self) -> date:
        """The newest day anything became known: the default "as known on"."""
        with self.db.session() as session:
            return reporting_day(session)

    def status(
        self,
        as_of: date | None = None,
        initiative: str | None = None,
        area_codes: list[str] | None = None,
        measure: str | None = None,
    ) -> list[Assessment]:
        """The status table (:func:`jwmetrics.portfolio.status_table`)."""
        return status_table(self.db, as_of, initiative, area_codes, measure)

    def national_status(self, as_of: date | None = None) -> list[Assessment]:
        """The status of every measure for England: the overview."""
        return self.status(as_of, area_codes=[ENGLAND])

    def series(
        self, measure: str, area_code: str = ENGLAND, as_of: date | None = None
    ) -> SeriesDetail:
        """One series in full, with its assessment (:func:`jwmetrics.detail.series_detail`)."""
        from jwmetrics.detail import series_detail

        return series_detail(self.db, measure, area_code, as_of)

    def area_status(self, measure: str, parent: str, as_of: date | None) -> list[Assessment]:
        """The status of one measure in every area under ``parent``."""
        from jwmetrics.detail import area_table

        return area_table(self.db, measure, parent, as_of)

    def spc(self, measure: str, area_code: str, as_of: date | None = None) -> SpcResult:
        """The XmR chart of one series (:func:`jwmetrics.spc_series.spc_for_series`)."""
        from jwmetrics.spc_series import spc_for_series

        return spc_for_series(self.db, measure, area_code, as_of)

    def track_record(self, initiative: str) -> TrackRecord:
        """How past calls held up (:func:`jwmetrics.track_record.track_record`)."""
        from jwmetrics.track_record import track_record

        return track_record(self.db, initiative)

    # The catalogue ------------------------------------------------------------------------

    def profiles(self, as_of: date | None = None) -> list[InitiativeProfile]:
        """Every initiative's profile, partners and spend as known on ``as_of`` (None: all)."""
        return all_profiles(self.db, KnownAt.on(as_of) if as_of else None)

    def initiatives(self) -> list[dict[str, Any]]:
        """Every initiative as a plain record (id, name, client group, measures...)."""
        from jwmetrics import listings

        return listings.initiative_records(self.db)

    def measures(self) -> list[dict[str, Any]]:
        """Every measure as a plain record, with its targets in force today."""
        from jwmetrics import listings

        return listings.measure_records(self.db)

    def initiative_id(self, key: str) -> str:
        """The id of the initiative ``key`` names (id or name); InputError if none."""
        from jwmetrics.store.lookup import find_initiative

        with self.db.session() as session:
            return find_initiative(session, key).slug

    def areas_of(self, measure: str) -> dict[str, str]:
        """The areas with figures or targets for ``measure``: code -> name."""
        from jwmetrics.detail import areas_for_measure

        return areas_for_measure(self.db, measure)

    def area_choices(self) -> dict[str, str]:
        """Every area a page may offer: code -> name."""
        from jwmetrics.detail import area_choices

        return area_choices(self.db)

    def template(self, initiative: str, kind: str) -> bytes:
        """An initiative's return template, ``kind`` "csv" or "xlsx"."""
        from jwmetrics.return_template import template_csv, template_xlsx

        return (
            template_xlsx(self.db, initiative)
            if kind == "xlsx"
            else template_csv(self.db, initiative)
        )

    # Returns ------------------------------------------------------------------------------

    def check_return(self, data: bytes, file_name: str, **options: Any) -> ReturnCheck:
        """Read and check a return; writes nothing (:func:`jwmetrics.returns.check_return`)."""
        from jwmetrics.returns import check_return

        return check_return(self.db, data, file_name, **options)

    def commit_return(self, check: ReturnCheck, **options: Any) -> CommitOutcome:
        """Record a checked return whole, or refuse it (:func:`jwmetrics.returns.commit_return`)."""
        from jwmetrics.returns import commit_return

        return commit_return(self.db, check, **options)

    def withdraw_return(self, return_id: int, by: str = "", actor: Actor = LOCAL_USER) -> str:
        """Withdraw a return: its figures stop counting, the ones it replaced come back."""
        from jwmetrics.returns import withdraw_return

        return withdraw_return(self.db, return_id, by=by, actor=actor)

    def approve_return(self, return_id: int, by: str = "", actor: Actor = LOCAL_USER) -> str:
        """Approve a submitted return (:func:`jwmetrics.returns.approval.approve_return`)."""
        from jwmetrics.returns.approval import approve_return

        return approve_return(self.db, return_id, by=by, actor=actor)

    def reject_return(
        self, return_id: int, reason: str, by: str = "", actor: Actor = LOCAL_USER
    ) -> str:
        """Reject a submitted return with a reason; its figures never count."""
        from jwmetrics.returns.approval import reject_return

        return reject_return(self.db, return_id, reason=reason, by=by, actor=actor)

    def returns(self) -> list[Return]:
        """Every return, newest first."""
        from jwmetrics.returns import returns_log

        return returns_log(self.db)

    def return_changes(self, return_id: int) -> list[RecordedChange]:
        """What one return changed, row by row (for a submitted one: what it would change)."""
        from jwmetrics.returns import return_changes

        return return_changes(self.db, return_id)

    def return_events(self) -> dict[int, list[ReturnEvent]]:
        """Every return's moves (state, by, at, reason) by return id, oldest first."""
        from jwmetrics.returns.history import return_events

        return return_events(self.db)

    def may_approve(self, actor: Actor, return_id: int) -> bool:
        """True when ``actor``'s role and initiatives let them approve or reject the return."""
        from jwmetrics.returns.approval import may_approve

        return may_approve(self.db, actor, return_id)

    def load_snapshot(
        self, uploaded_by: str, published_on: date | None = None, actor: Actor = LOCAL_USER
    ) -> CommitOutcome:
        """Import the official snapshot through the return path (an administrator's job)."""
        from jwmetrics.snapshot import load_snapshot

        return load_snapshot(self.db, uploaded_by, published_on, actor)

    def load_catalogue(
        self, path: Path, by: str = "", actor: Actor = LOCAL_USER
    ) -> tuple[str, int]:
        """Add catalogue rows from a CSV in the ``data/`` format; (kind, rows added)."""
        from jwmetrics.catalogue import load_catalogue_file

        return load_catalogue_file(self.db, path, by=by, actor=actor)

    def add_change_point(
        self,
        measure: str,
        area_code: str,
        starts_on: date,
        note: str,
        by: str,
        actor: Actor = LOCAL_USER,
    ) -> ChangePoint:
        """Record a date a series' process changed (SPC limits restart there).

        A catalogue change (an administrator's); the audit event is added right after the
        change point, in a transaction of its own.
        """
        from jwmetrics.governance import audit
        from jwmetrics.governance.roles import Action, require
        from jwmetrics.spc_series import add_change_point

        require(actor, Action.CATALOGUE)
        row = add_change_point(self.db, measure, area_code, starts_on, note, by)
        detail = f"from {starts_on.isoformat()}" + (f": {note}" if note else "")
        audit.record(
            self.db, by or actor.name, "change-point", f"{measure} in {row.area_code}", detail
        )
        return row

    # Users and the audit log --------------------------------------------------------------

    def users(self) -> list[UserRecord]:
        """Every user with their role and assignments, by e-mail."""
        from jwmetrics.governance.users import list_users

        return list_users(self.db)

    def add_user(
        self,
        email: str,
        role: str,
        partners: tuple[str, ...] = (),
        initiatives: tuple[str, ...] = (),
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> UserRecord:
        """Add a user or change one's role and assignments (an administrator's job)."""
        from jwmetrics.governance.users import add_user

        return add_user(
            self.db, email, role, partners=partners, initiatives=initiatives, by=by, actor=actor
        )

    def remove_user(self, email: str, by: str = "", actor: Actor = LOCAL_USER) -> None:
        """Remove a user (an administrator's job)."""
        from jwmetrics.governance.users import remove_user

        remove_user(self.db, email, by=by, actor=actor)

    def first_user_refusal(self, role: str) -> str | None:
        """Why a first user with ``role`` would lock the database out, or None."""
        from jwmetrics.governance.users import first_user_refusal

        return first_user_refusal(self.db, role)

    def actor_named(self, name: str) -> Actor:
        """Who a command acts as: the local administrator while there are no users, else
        the user ``name`` (PermissionDenied when there is no such user)."""
        from jwmetrics.governance.users import actor_named

        return actor_named(self.db, name)

    def audit_events(
        self,
        since: date | datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
    ) -> list[AuditEvent]:
        """The audit log at or after ``since`` (a day means its start), oldest first."""
        from jwmetrics.governance.audit import events

        return events(self.db, since, actor=actor, action=action)

    def audit_actors(self) -> list[str]:
        """Everyone the audit log names, sorted."""
        from jwmetrics.governance.audit import actors

        return actors(self.db)

    # Comparing areas ----------------------------------------------------------------------

    def compare(
        self,
        measure: str,
        period: Period | None = None,
        as_of: date | None = None,
        within: str | None = None,
        denominator_measure: str | None = None,
    ) -> Comparison:
        """Every area compared fairly with England: rates, funnel limits, verdicts and the
        areas with no rate and why (:func:`jwmetrics.compare.compare_areas`)."""
        from jwmetrics.compare import compare_areas

        known = KnownAt.on(as_of) if as_of else None
        return compare_areas(self.db, measure, period, known, within, denominator_measure)

    def comparable_periods(self, measure: str, as_of: date | None = None) -> list[Period]:
        """The periods ``measure`` can be compared in, newest first."""
        from jwmetrics.compare import comparable_periods

        return comparable_periods(self.db, measure, KnownAt.on(as_of) if as_of else None)

    # The returns schedule ---------------------------------------------------------------

    def schedule(self, as_of: date | None = None) -> ScheduleReport:
        """What each partner owes each initiative by ``as_of`` (default today): expected,
        on time, late, overdue, completeness and timeliness
        (:func:`jwmetrics.schedule.schedule_report`)."""
        from jwmetrics.schedule import schedule_report

        return schedule_report(self.db, as_of)
