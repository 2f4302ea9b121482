"""The briefing part of :class:`jwmetrics.metrics.face.Metrics`: commentary, packs, changes.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; like the rest of the face, each method is a thin call into the module that owns
the work, imported where used.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.briefing.changes import ChangeCount, ChangePage, ChangeRecord
    from jwmetrics.briefing.commentary import Comment
    from jwmetrics.briefing.judgement_record import JudgementRecord
    from jwmetrics.briefing.packs import PackFile
    from jwmetrics.briefing.ratings import Rating
    from jwmetrics.db.briefing_models import BriefingPack


class BriefingMethods:
    """Commentary, briefing packs and what changed between two days."""

    db: Database

    def changes(
        self, since: date, as_of: date, initiative: str | None = None
    ) -> list[ChangeRecord]:
        """What changed between two days (:func:`jwmetrics.briefing.changes.changes_between`)."""
        from jwmetrics.briefing.changes import changes_between

        return changes_between(self.db, since, as_of, initiative)

    def add_rating(
        self,
        measure: str,
        area_code: str,
        rating: str,
        *,
        reason: str,
        evidence: str,
        as_of: date | None = None,
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> Rating:
        """Record a delivery confidence rating (:func:`jwmetrics.briefing.ratings.rate`)."""
        from jwmetrics.briefing.ratings import rate

        return rate(
            self.db,
            measure,
            area_code,
            rating,
            reason=reason,
            evidence=evidence,
            as_of=as_of,
            actor=actor,
            by=by,
        )

    def ratings(
        self,
        measure: str | None = None,
        area_code: str | None = None,
        initiative: str | None = None,
    ) -> list[Rating]:
        """Every delivery confidence rating, oldest first, optionally of one measure, area or
        initiative."""
        from jwmetrics.briefing.ratings import ratings

        return ratings(self.db, measure, area_code, initiative)

    def judged_ratings(self, as_of: date) -> dict[tuple[str, str], Rating]:
        """The rating that applies on ``as_of`` to each rated series, by (measure, area)."""
        from jwmetrics.briefing.ratings import judged_on

        return judged_on(self.db, as_of)

    def judgement_record(
        self,
        initiative: str | None = None,
        as_of: date | None = None,
        *,
        as_recorded: bool = False,
    ) -> JudgementRecord:
        """The rule's track record with the judgement's beside it, call by call, and which
        was borne out (:func:`jwmetrics.briefing.judgement_record.judgement_record`);
        ``as_recorded``: a rating counts on a day only if recorded by the end of it."""
        from jwmetrics.assess.track_record import track_record
        from jwmetrics.briefing.judgement_record import judgement_record
        from jwmetrics.briefing.ratings import ratings

        rule = track_record(self.db, initiative, as_of)
        return judgement_record(rule, ratings(self.db), as_recorded=as_recorded)

    def change_counts(
        self, since: date, as_of: date, initiative: str | None = None
    ) -> list[ChangeCount]:
        """How many changes of each kind between two days, figures counted up to a cap and
        statuses of England's series (:func:`jwmetrics.briefing.changes.change_counts`)."""
        from jwmetrics.briefing.changes import change_counts

        return change_counts(self.db, since, as_of, initiative, headline=True)

    def change_page(
        self,
        kind: str,
        since: date,
        as_of: date,
        after: tuple[str, int] | None = None,
        initiative: str | None = None,
    ) -> ChangePage:
        """The next page of changes of one kind, newest first, just after ``after``;
        statuses of England's series (:func:`jwmetrics.briefing.changes.change_page`)."""
        from jwmetrics.briefing.changes import change_page

        return change_page(self.db, kind, since, as_of, initiative, after, headline=True)

    def add_comment(
        self,
        measure: str,
        area_code: str,
        period: str,
        text: str,
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> Comment:
        """Record commentary (:func:`jwmetrics.briefing.commentary.write_comment`)."""
        from jwmetrics.briefing.commentary import write_comment

        return write_comment(self.db, measure, area_code, period, text, actor=actor, by=by)

    def comments(
        self,
        measure: str | None = None,
        area_code: str | None = None,
        all_versions: bool = False,
    ) -> list[Comment]:
        """The newest version of each comment (commentary written now about the figures of
        any day, so ``as_of`` does not hide it), or every version of every comment."""
        from jwmetrics.briefing.commentary import comment_history, comments

        if all_versions:
            return comment_history(self.db)
        return comments(self.db, None, measure, area_code)

    def add_pack(
        self,
        initiative: str | None,
        as_of: date,
        *,
        since: date | None = None,
        file_format: str = "html",
        by: str = "",
        actor: Actor = LOCAL_USER,
        include_empty: bool = False,
    ) -> PackFile:
        """Make and record a briefing pack (:func:`jwmetrics.briefing.packs.make_pack`);
        ``include_empty``: a page also for each measure with no figure yet."""
        from jwmetrics.briefing.packs import make_pack
        from jwmetrics.present.pack.document import pack_file  # plotly loads only here

        return make_pack(
            self.db,
            initiative,
            as_of,
            pack_file,
            since=since,
            file_format=file_format,
            by=by,
            actor=actor,
            include_empty=include_empty,
        )

    def rebuilt_pack(self, pack_id: int) -> PackFile:
        """Make a recorded pack again, exactly (:func:`jwmetrics.briefing.packs.rebuild_pack`)."""
        from jwmetrics.briefing.packs import rebuild_pack
        from jwmetrics.present.pack.document import pack_file

        return rebuild_pack(self.db, pack_id, pack_file)

    def packs(self) -> list[BriefingPack]:
        """Every briefing pack made, newest first."""
        from jwmetrics.briefing.packs import packs

        return packs(self.db)

    def last_pack_day(self, initiative: str | None = None) -> date | None:
        """The as-known-on day of the newest pack of this scope: "since the last pack"."""
        from jwmetrics.briefing.packs import last_pack_day

        return last_pack_day(self.db, initiative)

    def comment_versions(self, measure: str, area_code: str, period: str) -> list[Comment]:
        """Every version of one comment, oldest first."""
        from jwmetrics.briefing.commentary import comment_versions

        return comment_versions(self.db, measure, area_code, period)

    # Earlier names, kept working for scripts that call them (see CHANGELOG.md).
    write_comment = add_comment
    make_pack = add_pack
    rebuild_pack = rebuilt_pack
