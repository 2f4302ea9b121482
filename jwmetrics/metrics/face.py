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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jwmetrics.assess.portfolio import Assessment, reporting_day, status_table
from jwmetrics.catalogue.profiles import InitiativeProfile, all_profiles
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor
from jwmetrics.metrics.actions import ActionMethods
from jwmetrics.metrics.briefing import BriefingMethods
from jwmetrics.metrics.events import EventMethods
from jwmetrics.metrics.governance import GovernanceMethods
from jwmetrics.metrics.passport import PassportMethods
from jwmetrics.metrics.returns import ReturnMethods
from jwmetrics.metrics.self_assessment import SelfAssessmentMethods
from jwmetrics.metrics.value import ValueMethods
from jwmetrics.steps import Progress, quiet
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND

if TYPE_CHECKING:  # imported where used, so the overview's first run loads only what it needs
    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.assess.track_record import TrackRecord
    from jwmetrics.compare.available import ComparableMeasure
    from jwmetrics.compare.types import Comparison
    from jwmetrics.db.models import ChangePoint
    from jwmetrics.periods import Period
    from jwmetrics.returns import CommitOutcome
    from jwmetrics.returns.schedule import ScheduleReport
    from jwmetrics.spc.xmr import SpcResult
    from jwmetrics.store.names import CatalogueNames


@dataclass(frozen=True)
class Metrics(
    BriefingMethods,
    GovernanceMethods,
    SelfAssessmentMethods,
    ValueMethods,
    ActionMethods,
    EventMethods,
    PassportMethods,
    ReturnMethods,
):
    """jwmetrics over one database: the entry the pages and the CLI call.

    The briefing methods (commentary, packs, changes) and the governance ones (users, the
    audit log) are kept in :mod:`jwmetrics.metrics.briefing` and
    :mod:`jwmetrics.metrics.governance`, so each file stays one concern's map.
    """

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

    # What is known, and when --------------------------------------------------------------

    def latest_day(self) -> date:
        """The newest day anything became known: the default "as known on"."""
        with self.db.session() as session:
            return reporting_day(session)

    def data_version(self) -> tuple[int, ...]:
        """A value that changes with every write, by any process: caches are keyed by it."""
        from jwmetrics.store.data_version import data_version

        with self.db.session() as session:
            return data_version(session)

    def status(
        self,
        as_of: date | None = None,
        initiative: str | None = None,
        area_codes: list[str] | None = None,
        measure: str | None = None,
    ) -> list[Assessment]:
        """The status table (:func:`jwmetrics.assess.portfolio.status_table`)."""
        return status_table(self.db, as_of, initiative, area_codes, measure)

    def national_status(self, as_of: date | None = None) -> list[Assessment]:
        """The status of every measure for England: the overview."""
        return self.status(as_of, area_codes=[ENGLAND])

    def series(
        self, measure: str, area_code: str = ENGLAND, as_of: date | None = None
    ) -> SeriesDetail:
        """One series in full, with its assessment
        (:func:`jwmetrics.assess.detail.series_detail`)."""
        from jwmetrics.assess.detail import series_detail

        return series_detail(self.db, measure, area_code, as_of)

    def area_status(self, measure: str, parent: str, as_of: date | None) -> list[Assessment]:
        """The status of one measure in every area under ``parent``."""
        from jwmetrics.assess.detail import area_table

        return area_table(self.db, measure, parent, as_of)

    def spc(self, measure: str, area_code: str, as_of: date | None = None) -> SpcResult:
        """The XmR chart of one series (:func:`jwmetrics.spc.series.spc_for_series`)."""
        from jwmetrics.spc.series import spc_for_series

        return spc_for_series(self.db, measure, area_code, as_of)

    def track_record(self, initiative: str) -> TrackRecord:
        """How past calls held up (:func:`jwmetrics.assess.track_record.track_record`)."""
        from jwmetrics.assess.track_record import track_record

        return track_record(self.db, initiative)

    # The catalogue ------------------------------------------------------------------------

    def profiles(self, as_of: date | None = None) -> list[InitiativeProfile]:
        """Every initiative's profile, partners and spend as known on ``as_of`` (None: all)."""
        return all_profiles(self.db, KnownAt.on(as_of) if as_of else None)

    def initiatives(self) -> list[dict[str, Any]]:
        """Every initiative as a plain record (id, name, client group, measures...)."""
        from jwmetrics.catalogue import listings

        return listings.initiative_records(self.db)

    def measures(self) -> list[dict[str, Any]]:
        """Every measure as a plain record, with its targets in force today."""
        from jwmetrics.catalogue import listings

        return listings.measure_records(self.db)

    def initiative_id(self, key: str) -> str:
        """The id of the initiative ``key`` names (id or name); InputError if none."""
        from jwmetrics.store.lookup import find_initiative

        with self.db.session() as session:
            return find_initiative(session, key).slug

    def measure_areas(self, measure: str) -> dict[str, str]:
        """The areas with figures or targets for ``measure``: code -> name."""
        from jwmetrics.assess.detail import areas_for_measure

        return areas_for_measure(self.db, measure)

    def areas(self) -> dict[str, str]:
        """Every area a page may offer: code -> name."""
        from jwmetrics.assess.detail import area_choices

        return area_choices(self.db)

    def return_template(self, initiative: str, kind: str) -> bytes:
        """An initiative's return template, ``kind`` "csv" or "xlsx"."""
        from jwmetrics.present.templates import template_csv, template_xlsx

        return (
            template_xlsx(self.db, initiative)
            if kind == "xlsx"
            else template_csv(self.db, initiative)
        )

    def catalogue_names(self) -> CatalogueNames:
        """Every measure's and every area's name, so tables can show names rather than ids."""
        from jwmetrics.store.names import catalogue_names

        return catalogue_names(self.db)

    def measure_first_days(self) -> dict[str, date]:
        """The first day each measure covers: a view of an earlier day leaves it out."""
        from jwmetrics.store.names import measure_first_days

        return measure_first_days(self.db)

    # Loads: the snapshot, the catalogue, change points ------------------------------------

    def add_snapshot(
        self,
        uploaded_by: str,
        published_on: date | None = None,
        actor: Actor = LOCAL_USER,
        progress: Progress = quiet,
    ) -> CommitOutcome:
        """Import the official snapshot through the return path (an administrator's job): one
        return a year, each published on its own day, unless ``published_on`` is given."""
        from jwmetrics.catalogue.snapshot import load_snapshot

        return load_snapshot(self.db, uploaded_by, published_on, actor, progress)

    def add_catalogue(self, path: Path, by: str = "", actor: Actor = LOCAL_USER) -> tuple[str, int]:
        """Add catalogue rows from a CSV in the ``data/`` format; (kind, rows added)."""
        from jwmetrics.catalogue.load import load_catalogue_file

        return load_catalogue_file(self.db, path, by=by, actor=actor)

    def add_change_point(
        self,
        measure: str,
        area_code: str,
        starts_on: date,
        note: str,
        by: str,
        actor: Actor = LOCAL_USER,
        *,
        event: int | None = None,
        no_known_cause: bool = False,
    ) -> ChangePoint:
        """Record a date a series' process changed (SPC limits restart there), citing its
        cause: a dated ``event`` (its id) or ``no_known_cause`` (one of them, not both).

        A catalogue change (an administrator's); the audit event is added right after the
        change point, in a transaction of its own.
        """
        from jwmetrics.governance import audit
        from jwmetrics.governance.roles import Action
        from jwmetrics.governance.users import authorise
        from jwmetrics.spc.series import add_change_point

        authorise(self.db, actor, Action.CATALOGUE)
        row = add_change_point(
            self.db, measure, area_code, starts_on, note, by, event, no_known_cause
        )
        cause = f"event {event}" if event is not None else "no known cause"
        detail = f"from {starts_on.isoformat()}" + (f": {note}" if note else "") + f" ({cause})"
        audit.record(
            self.db, by or actor.name, "change-point", f"{measure} in {row.area_code}", detail
        )
        return row

    # Comparing areas ----------------------------------------------------------------------

    def comparison(
        self,
        measure: str,
        period: Period | None = None,
        as_of: date | None = None,
        within: str | None = None,
        denominator_measure: str | None = None,
    ) -> Comparison:
        """Every area compared fairly with England: rates, funnel limits, verdicts and the
        areas with no rate and why (:func:`jwmetrics.compare.areas.compare_areas`)."""
        from jwmetrics.compare.areas import compare_areas

        known = KnownAt.on(as_of) if as_of else None
        return compare_areas(self.db, measure, period, known, within, denominator_measure)

    def comparable_periods(self, measure: str, as_of: date | None = None) -> list[Period]:
        """The periods ``measure`` can be compared in, newest first."""
        from jwmetrics.compare.areas import comparable_periods

        return comparable_periods(self.db, measure, KnownAt.on(as_of) if as_of else None)

    def comparable_measures(self, as_of: date | None = None) -> list[ComparableMeasure]:
        """The measures whose areas can be compared (figures in areas other than England,
        with populations), each with its periods
        (:func:`jwmetrics.compare.available.comparable_measures`)."""
        from jwmetrics.compare.available import comparable_measures

        return comparable_measures(self.db, KnownAt.on(as_of) if as_of else None)

    # The returns schedule ---------------------------------------------------------------

    def schedule(self, as_of: date | None = None) -> ScheduleReport:
        """What each partner owes each initiative by ``as_of`` (default today): expected,
        on time, late, overdue, completeness and timeliness
        (:func:`jwmetrics.returns.schedule.schedule_report`)."""
        from jwmetrics.returns.schedule import schedule_report

        return schedule_report(self.db, as_of)

    # Earlier names, kept working for scripts that call them (see CHANGELOG.md).
    areas_of = measure_areas
    area_choices = areas
    template = return_template
    load_snapshot = add_snapshot
    load_catalogue = add_catalogue
    compare = comparison
