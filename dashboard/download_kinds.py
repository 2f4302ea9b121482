"""Every download a signed link can fetch (:mod:`dashboard.downloads`), built from the database.

Each kind names the right the user must hold when the file is fetched, how to build it from
the face and the link's parameters (strings: days as ISO dates, lists comma-joined), and its
type. The files are the ones the pages offer, built by the same ``jwmetrics.present``
functions, and every CSV by :func:`jwmetrics.present.files.to_csv_bytes` (formulas
neutralised). Files that are one session's (a checked upload's report and problems) or that
record something when made (a briefing pack) stay ordinary download buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.governance import Action

if TYPE_CHECKING:
    import pandas as pd

    from jwmetrics.assess import Assessment
    from jwmetrics.metrics import Metrics

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Params = Mapping[str, str]


@dataclass(frozen=True)
class Download:
    """One kind of download: the right it needs, how to build it, its type."""

    action: Action
    build: Callable[[Metrics, Params], bytes]
    mime: str = CSV_MIME


def day(params: Params, name: str = "as_of") -> date | None:
    """The ISO day in ``params[name]``, or None when absent or empty."""
    text = params.get(name) or ""
    return date.fromisoformat(text) if text else None


def _csv(frame: Callable[[Metrics, Params], pd.DataFrame]) -> Callable[[Metrics, Params], bytes]:
    """A builder writing ``frame``'s table as CSV (the one CSV writer)."""
    from jwmetrics.present.files import to_csv_bytes

    return lambda metrics, params: to_csv_bytes(frame(metrics, params))


def _xlsx(
    sheet: str, frame: Callable[[Metrics, Params], pd.DataFrame], about: str
) -> Callable[[Metrics, Params], bytes]:
    """A builder writing ``frame``'s table as one Excel sheet with an "About" note."""
    from jwmetrics.present.files import to_xlsx_bytes

    return lambda metrics, params: to_xlsx_bytes({sheet: frame(metrics, params)}, {"About": about})


def returns_log(metrics: Metrics, _params: Params) -> pd.DataFrame:
    """Every return, newest first (as the returns log page shows it)."""
    from jwmetrics.present.returns_log import returns_log_frame

    return returns_log_frame(metrics.returns(), metrics.return_events())


def audit_log(metrics: Metrics, params: Params) -> pd.DataFrame:
    """The audit log with the page's filters: ``since`` (ISO day), ``actor``, ``action``."""
    from dashboard.sections.admin import audit_frame

    actor, action = params.get("actor") or None, params.get("action") or None
    return audit_frame(metrics.audit_events(day(params, "since"), actor=actor, action=action))


def _listed(params: Params, name: str) -> list[str]:
    """The comma-joined list in ``params[name]`` (empty when absent)."""
    return [item for item in (params.get(name) or "").split(",") if item]


def _status_rows(metrics: Metrics, params: Params) -> list[Assessment]:
    """The overview's rows: England as known on ``as_of`` (absent: the newest data), only the
    measures defined by then, with commentary when ``comments=1``, filtered by ``initiatives``
    and ``status`` (comma lists), as the overview shows them."""
    from jwmetrics.assess import filter_assessments

    as_of = day(params)
    rows = metrics.national_status(as_of)
    if as_of is not None:
        firsts = metrics.measure_first_days()
        rows = [r for r in rows if firsts.get(r.measure, as_of) <= as_of]
    if params.get("comments") == "1":
        rows = _with_commentary(metrics, rows)
    return filter_assessments(rows, _listed(params, "initiatives"), _listed(params, "status"))


def _with_commentary(metrics: Metrics, rows: list[Assessment]) -> list[Assessment]:
    """``rows`` carrying each one's newest commentary's first line (as the overview's Why)."""
    from dataclasses import replace

    from dashboard.sections.briefing import COMMENT_CHARS
    from jwmetrics.present.assessment import short_reason

    lines: dict[tuple[str, str], str] = {}
    for comment in sorted(metrics.comments(), key=lambda c: c.period_end):
        first = short_reason(comment.text.strip().splitlines()[0], COMMENT_CHARS)
        lines[(comment.measure, comment.area_code)] = f"Commentary ({comment.period}): {first}"
    return [replace(r, commentary=lines.get((r.measure, r.area_code), "")) for r in rows]


def status(metrics: Metrics, params: Params) -> pd.DataFrame:
    """The overview's status table (:func:`_status_rows`)."""
    from jwmetrics.present.files import assessments_frame

    return assessments_frame(_status_rows(metrics, params))


def status_xlsx(metrics: Metrics, params: Params) -> bytes:
    """The overview's status table as Excel, with when it was known in the "About" note."""
    from jwmetrics.present.assessment import known_on_text
    from jwmetrics.present.files import assessments_frame, to_xlsx_bytes

    rows = _status_rows(metrics, params)
    about = {"About": f"jwmetrics status table, {known_on_text(rows)}."}
    return to_xlsx_bytes({"Status": assessments_frame(rows)}, about)


def area_table(metrics: Metrics, params: Params) -> pd.DataFrame:
    """One measure in every area under ``parent``, with the ``status`` filter (comma list)."""
    from jwmetrics.assess import filter_assessments
    from jwmetrics.present.files import assessments_frame

    rows = metrics.area_status(params["measure"], params["parent"], day(params))
    return assessments_frame(filter_assessments(rows, statuses=_listed(params, "status")))


def figures(metrics: Metrics, params: Params) -> pd.DataFrame:
    """One series' figures and where each came from."""
    from jwmetrics.present.files import observations_frame

    return observations_frame(metrics.series(params["measure"], params["area"], day(params)))


def figures_xlsx(metrics: Metrics, params: Params) -> bytes:
    """One series' figures as Excel, with the series and its day in the "About" note."""
    from jwmetrics.present.assessment import as_of_text
    from jwmetrics.present.files import observations_frame, to_xlsx_bytes

    detail = metrics.series(params["measure"], params["area"], day(params))
    about = f"{detail.measure_name}, {detail.area_name}, {as_of_text(detail.assessment.as_of)}."
    return to_xlsx_bytes({"Figures": observations_frame(detail)}, {"About": about})


def comparison(metrics: Metrics, params: Params) -> pd.DataFrame:
    """Every area of a measure compared in the period labelled ``period`` (absent: newest)."""
    from jwmetrics.present.comparison_table import comparison_frame

    measure, label, as_of = params["measure"], params.get("period"), day(params)
    periods = {p.label: p for p in metrics.comparable_periods(measure, as_of)}
    return comparison_frame(metrics.comparison(measure, periods.get(label or ""), as_of))


def value(metrics: Metrics, params: Params) -> pd.DataFrame:
    """Value for money of one initiative (``initiative``) or, absent, every one."""
    from jwmetrics.present.value_tables import portfolio_frame, value_frame

    initiative = params.get("initiative") or None
    report = metrics.value_for_money(initiative, day(params))
    return value_frame(report.initiatives[0]) if initiative else portfolio_frame(report)


def scores(metrics: Metrics, params: Params) -> pd.DataFrame:
    """Every partnership's latest self-assessment scores as known on ``as_of``."""
    from jwmetrics.present.self_assessment_tables import portfolio_table

    return portfolio_table(metrics.self_assessment_scores(None, day(params)))


def answers(metrics: Metrics, params: Params) -> pd.DataFrame:
    """Every self-assessment answer as known on ``as_of``."""
    from jwmetrics.present.self_assessment_tables import answers_table

    return answers_table(metrics.self_assessments(None, day(params)))


def returns_due(metrics: Metrics, params: Params) -> pd.DataFrame:
    """The returns due per partner and initiative as of ``as_of``."""
    from jwmetrics.present.tables import schedule_table

    return schedule_table(metrics.schedule(day(params)))


def overdue(metrics: Metrics, params: Params) -> pd.DataFrame:
    """The overdue figures as of ``as_of``."""
    from jwmetrics.present.tables import overdue_table

    return overdue_table(metrics.schedule(day(params)))


def template(kind: str) -> Callable[[Metrics, Params], bytes]:
    """The return template of ``params["initiative"]`` as ``kind`` ("csv" or "xlsx")."""
    return lambda metrics, params: metrics.return_template(params["initiative"], kind)


def self_assessment_template(metrics: Metrics, params: Params) -> bytes:
    """The self-assessment template of one initiative (``every_area=1``: every area)."""
    every = params.get("every_area") == "1"
    return metrics.self_assessment_template(params["initiative"], every)


VIEW, USERS = Action.VIEW, Action.USERS
DOWNLOADS: dict[str, Download] = {
    "returns-log.csv": Download(VIEW, _csv(returns_log)),
    "returns-log.xlsx": Download(
        VIEW, _xlsx("Returns", returns_log, "jwmetrics returns log, newest first."), XLSX_MIME
    ),
    "audit-log.csv": Download(USERS, _csv(audit_log)),
    "status.csv": Download(VIEW, _csv(status)),
    "status.xlsx": Download(VIEW, status_xlsx, XLSX_MIME),
    "area-table.csv": Download(VIEW, _csv(area_table)),
    "figures.csv": Download(VIEW, _csv(figures)),
    "figures.xlsx": Download(VIEW, figures_xlsx, XLSX_MIME),
    "comparison.csv": Download(VIEW, _csv(comparison)),
    "value-for-money.csv": Download(VIEW, _csv(value)),
    "self-assessment-scores.csv": Download(VIEW, _csv(scores)),
    "self-assessment-answers.csv": Download(VIEW, _csv(answers)),
    "returns-due.csv": Download(VIEW, _csv(returns_due)),
    "overdue.csv": Download(VIEW, _csv(overdue)),
    "template.csv": Download(VIEW, template("csv")),
    "template.xlsx": Download(VIEW, template("xlsx"), XLSX_MIME),
    "self-assessment-template.csv": Download(VIEW, self_assessment_template),
}
"""Every download the route answers, by the last part of its path."""
