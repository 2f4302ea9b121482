"""Caching for the app: the database handle and every cached library call.

Caching lives here, in the app layer, around library calls, and only here: each cached
function is a thin wrapper around the face (:func:`get_metrics`), and :func:`clear_caches`
is called after every write so pages show new figures at once. Every cached read is keyed
by the data version (:func:`versioned`), read once per run of the page
(:func:`refresh_data_version`), so a write by another server process or the CLI shows at
this process's next rerun; the time limit only bounds the memory the caches hold. A
checked upload is kept per session (:func:`checked_return`), not in the shared cache,
because it is one user's and goes out of date when a return is committed or withdrawn.
What is drawn from those results (plotly figures, the overview's status tables) is kept
by :mod:`dashboard.figures`, keyed by the data it is drawn from.

Only what every page needs is imported up front (the face, and the status of the
portfolio); the types of one page's data (a series in full, its SPC chart, the track
record, returns, comments, actions, self-assessment scores, value for money) are imported
for type checking only, and the library modules behind them load on the first call of the
face that needs them, so a server's first page does not wait for the others' modules.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import streamlit as st

from jwmetrics.assess import Assessment
from jwmetrics.catalogue import InitiativeProfile, MeasureLine
from jwmetrics.metrics import Metrics
from jwmetrics.passport import Passport

if TYPE_CHECKING:
    import pandas as pd

    from jwmetrics.alerts import InboxItem, WatchRecord
    from jwmetrics.assess import BalancingCheck, SeriesDetail
    from jwmetrics.briefing import (
        ActionRecord,
        ChangeCount,
        ChangePage,
        Comment,
        JudgementRecord,
        Rating,
    )
    from jwmetrics.compare import ComparableMeasure, Comparison
    from jwmetrics.events import EventView
    from jwmetrics.returns import RecordedChange, ReturnCheck, ScheduleReport
    from jwmetrics.self_assessment import MeasurementTimeliness, PartnershipScores
    from jwmetrics.spc import SpcResult
    from jwmetrics.store import CatalogueNames
    from jwmetrics.value import ValueReport

CACHE_SECONDS = 300
"""How long an unused cached result is kept: a bound on memory, not on freshness."""
_run = threading.local()  # this script run's data version (each run has its own thread)
P = ParamSpec("P")
R = TypeVar("R")
CHECKS_KEY = "upload_checks"
"""Session key of the checked upload: ``{"key": (sha256, name, sheet, partner, day), ...}``."""


@st.cache_resource(show_spinner=False)
def get_metrics() -> Metrics:
    """One handle per server process: the database opened, migrated and seeded once."""
    return Metrics.open()


def clear_caches() -> None:
    """Forget every cached result; call after any write."""
    st.cache_data.clear()


def refresh_data_version() -> tuple[int, ...]:
    """Read the data version (one cheap query) for this run; app.py calls it once per run."""
    version: tuple[int, ...] = get_metrics().data_version()
    _run.version = version
    return version


def data_version() -> tuple[int, ...]:
    """The data version this run reads under: read on the run's first cached read (a page
    run without app.py, as AppTest reruns one), else the one app.py read."""
    held: tuple[int, ...] | None = getattr(_run, "version", None)
    return held if held is not None else refresh_data_version()


def versioned(read: Callable[P, R]) -> Callable[P, R]:
    """``read`` cached per data version and arguments, for :data:`CACHE_SECONDS` at most.

    The cached function takes the version as its first argument, so a new version is a new
    key: the next run after any write reads afresh, whichever process wrote.
    """

    def keyed(version: tuple[int, ...], *args: P.args, **kwargs: P.kwargs) -> R:
        return read(*args, **kwargs)

    keyed.__module__ = read.__module__
    keyed.__qualname__ = f"{read.__qualname__}[versioned]"  # Streamlit keys caches by name
    cached = st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)(keyed)

    @functools.wraps(read)
    def current(*args: P.args, **kwargs: P.kwargs) -> R:
        return cached(data_version(), *args, **kwargs)

    return current


@versioned
def latest_data_date() -> date:
    """The newest day anything became known: the default reporting date."""
    return get_metrics().latest_day()


@versioned
def cached_national_status(as_of: date | None) -> list[Assessment]:
    """The status of every measure for England as at ``as_of`` (None: the newest data)."""
    return get_metrics().national_status(as_of)


@versioned
def cached_profiles(as_of: date | None = None) -> list[InitiativeProfile]:
    """Every initiative's profile: partners and spend as known on ``as_of`` (None: now)."""
    return get_metrics().profiles(as_of)


@versioned
def cached_detail(measure: str, area: str, as_of: date | None) -> SeriesDetail:
    """One series in full."""
    return get_metrics().series(measure, area, as_of)


@versioned
def cached_spc(measure: str, area: str, as_of: date | None) -> SpcResult:
    """The XmR chart of one series."""
    return get_metrics().spc(measure, area, as_of)


@versioned
def cached_balancing(measure: str, area: str, as_of: date | None) -> list[BalancingCheck]:
    """The balancing checks of one series (empty when the measure has none)."""
    return get_metrics().balancing(measure, area, as_of)


@versioned
def cached_judgement_record(initiative: str) -> JudgementRecord:
    """The track record of one initiative's targets, the rule's and the judgement's."""
    return get_metrics().judgement_record(initiative)


@versioned
def cached_areas(measure: str) -> dict[str, str]:
    """Areas to offer for a measure: code to name."""
    return get_metrics().measure_areas(measure)


@versioned
def cached_area_choices() -> dict[str, str]:
    """England, each region, or every local authority: what an area table can list."""
    return get_metrics().areas()


@versioned
def cached_area_table(measure: str, parent: str, as_of: date | None) -> list[Assessment]:
    """Each area under ``parent`` with its latest figure and status for ``measure``."""
    return get_metrics().area_status(measure, parent, as_of)


@versioned
def cached_comparable_periods(measure: str, as_of: date | None) -> list[str]:
    """The labels of the periods ``measure``'s areas can be compared in, newest first."""
    return [period.label for period in get_metrics().comparable_periods(measure, as_of)]


@versioned
def cached_comparable_measures(as_of: date | None) -> list[ComparableMeasure]:
    """The measures whose areas can be compared, each with its periods."""
    return get_metrics().comparable_measures(as_of)


@versioned
def cached_comparison(measure: str, period_label: str | None, as_of: date | None) -> Comparison:
    """Every area of ``measure`` in the period labelled ``period_label`` compared fairly
    (None: the newest period in which areas have rates, as the CLI chooses)."""
    metrics = get_metrics()
    if period_label is None:
        return metrics.comparison(measure, None, as_of)
    periods = {p.label: p for p in metrics.comparable_periods(measure, as_of)}
    return metrics.comparison(measure, periods[period_label], as_of)


@versioned
def cached_names() -> CatalogueNames:
    """Every measure's and area's name, so tables show names rather than ids."""
    return get_metrics().catalogue_names()


@versioned
def cached_first_days() -> dict[str, date]:
    """The first day each measure covers; a view of an earlier day hides the measure."""
    return get_metrics().measure_first_days()


def defined_by(rows: list[Assessment], as_of: date | None) -> list[Assessment]:
    """``rows`` without the measures not yet defined on ``as_of`` (None: keep all)."""
    if as_of is None:
        return rows
    firsts = cached_first_days()
    return [r for r in rows if firsts.get(r.measure, as_of) <= as_of]


def defined_measures(measures: Iterable[MeasureLine], as_of: date | None) -> dict[str, str]:
    """Id to name of the ``measures`` already defined on ``as_of`` (None: all of them)."""
    firsts = cached_first_days()
    return {m.slug: m.name for m in measures if as_of is None or firsts.get(m.slug, as_of) <= as_of}


@versioned
def cached_returns_log() -> pd.DataFrame:
    """Every return, newest first, as a frame with dates as values, states and last moves."""
    from jwmetrics.present.returns_log import returns_log_frame

    return returns_log_frame(get_metrics().returns(), get_metrics().return_events())


@versioned
def cached_return_changes(return_id: int) -> list[RecordedChange]:
    """What one return recorded, beside the values current just before it."""
    return get_metrics().return_changes(return_id)


@versioned
def cached_schedule(as_of: date | None) -> ScheduleReport:
    """The returns due per partner and initiative as of ``as_of`` (None: today)."""
    return get_metrics().schedule(as_of)


@versioned
def cached_comments() -> list[Comment]:
    """The newest version of every comment."""
    return get_metrics().comments()


@versioned
def cached_change_counts(since: date, day: date) -> list[ChangeCount]:
    """How many changes of each kind between two days (figures up to a cap): two status
    tables and a bounded walk of the newest figures, once per pair of days."""
    return get_metrics().change_counts(since, day)


@versioned
def cached_change_page(
    kind: str, since: date, day: date, after: tuple[str, int] | None
) -> ChangePage:
    """One page of changes of one kind, newest first, just after ``after``."""
    return get_metrics().change_page(kind, since, day, after)


@versioned
def cached_last_pack_day(initiative: str | None) -> date | None:
    """The day of the newest pack of this scope (cleared with every cache after a write)."""
    return get_metrics().last_pack_day(initiative)


@versioned
def cached_actions() -> list[ActionRecord]:
    """Every remedial action by due date, ``overdue`` as of today."""
    return get_metrics().actions()


@versioned
def cached_judged_ratings(day: date) -> dict[tuple[str, str], Rating]:
    """The delivery confidence rating that applies on ``day``, by (measure, area)."""
    return get_metrics().judged_ratings(day)


@versioned
def cached_ratings(measure: str, area: str) -> list[Rating]:
    """Every delivery confidence rating of one series, oldest first."""
    return get_metrics().ratings(measure, area)


@versioned
def cached_events(measure: str, area: str, as_of: date) -> list[EventView]:
    """The dated events that apply to one series as known on ``as_of``, oldest first."""
    return get_metrics().events(measure=measure, area=area, as_of=as_of)


@versioned
def cached_scores(initiative: str | None, as_of: date | None) -> list[PartnershipScores]:
    """Every assessed partnership's scores (of one initiative, or all) as known on ``as_of``."""
    return get_metrics().self_assessment_scores(initiative, as_of)


@versioned
def cached_timeliness(initiative: str, as_of: date | None) -> list[MeasurementTimeliness]:
    """Each assessed partnership's progress-measurement score beside its timeliness."""
    return get_metrics().measurement_timeliness(initiative, as_of)


@versioned
def cached_partnership_count(initiative: str, every_area: bool = False) -> int:
    """How many areas the self-assessment template of ``initiative`` covers."""
    return len(get_metrics().partnerships(initiative, every_area))


@versioned
def cached_passport(measure: str, as_of: date | None) -> Passport:
    """A measure's passport, with its revision statistics as known on ``as_of``."""
    return get_metrics().passport(measure, as_of)


@versioned
def cached_value(initiative: str | None, as_of: date | None) -> ValueReport:
    """Value for money of one initiative (None: every one), as known on ``as_of``."""
    return get_metrics().value_for_money(initiative, as_of)


@versioned
def cached_unread_alerts(user: str) -> int:
    """How many of ``user``'s alerts are unread: the sidebar bell (one indexed count)."""
    return get_metrics().unread_alerts(user)


@versioned
def cached_inbox(user: str) -> list[InboxItem]:
    """``user``'s alerts, newest first."""
    return get_metrics().inbox(user)


@versioned
def cached_watches(user: str) -> list[WatchRecord]:
    """``user``'s open follows."""
    return get_metrics().watches(user)


def checked_return(
    data: bytes, file_name: str, sheet: str | None, partner: str, published_on: date | None = None
) -> ReturnCheck:
    """Check an uploaded file once per content, sheet, partner and publication day.

    Held in ``st.session_state``, not ``st.cache_data``: a check is one user's and goes out of
    date when a return is committed or withdrawn (:func:`forget_checks`).
    """
    from jwmetrics.returns import sha256_of

    key = (sha256_of(data), file_name, sheet, partner, published_on)
    held = st.session_state.get(CHECKS_KEY)
    if held is not None and held["key"] == key:
        kept: ReturnCheck = held["check"]  # session state holds values of any type
        return kept
    from dashboard.progress import page_progress

    with page_progress(f"Checking {file_name}…") as progress:
        check = get_metrics().check_return(
            data,
            file_name,
            sheet=sheet,
            partner=partner,
            published_on=published_on,
            progress=progress,
        )
    st.session_state[CHECKS_KEY] = {"key": key, "check": check}
    return check


def forget_checks() -> None:
    """Drop the session's checked upload; call after a commit or a withdrawal."""
    st.session_state.pop(CHECKS_KEY, None)
