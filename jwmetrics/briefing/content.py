"""A briefing pack's content: what one initiative, or the portfolio, looked like on a day.

Built from the database as it stood at the pack's ``generated_at`` moment and judged as
known on its ``as_of`` day (:class:`~jwmetrics.store.known.KnownAt`), so a pack rebuilt
from the same request holds the same content: the revisions store never forgets.
For each measure (in England): its status and reason, the series behind the trend chart,
the latest figure with its period, publication day and source, progress, the commentary,
data-quality notes, the open remedial actions (overdue ones marked, as they stood at
``generated_at``), the delivery confidence rating that applies on ``as_of`` among those
recorded by ``generated_at`` (so a rating made after the pack leaves a rebuild unchanged),
and footnotes citing the report's paragraphs and the returns the figures
came from, each naming the partner who sent it and the people who uploaded and approved it.
The first page lists what changed since the previous pack
(:mod:`jwmetrics.briefing.changes`). A measure with no figure at all (Grey, nothing to
show) gets no page unless the request asks for every measure (``include_empty``); the
summary still lists it. The annex holds the passport of every measure of the pack
(:mod:`jwmetrics.passport`), as the database stood at ``generated_at``. Rendering is
:mod:`jwmetrics.present.pack.document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.assess.detail import SeriesDetail, series_detail
from jwmetrics.briefing.actions import ActionRecord, list_actions
from jwmetrics.briefing.changes import (
    KINDS,
    PAGE,
    ChangeCount,
    ChangeRecord,
    change_counts,
    change_page,
)
from jwmetrics.briefing.commentary import Comment, comments
from jwmetrics.briefing.ratings import Rating, judged_on
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Initiative, Measure, Return, ReturnEvent
from jwmetrics.events.record import EventView, applies_to, every_event
from jwmetrics.passport import Passport
from jwmetrics.passport.record import passports_at
from jwmetrics.periods import format_date
from jwmetrics.returns.commit import NO_APPROVAL_NEEDED
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND, find_initiative
from jwmetrics.store.names import catalogue_names
from jwmetrics.text import plural


@dataclass(frozen=True)
class PackRequest:
    """What a pack is of: one initiative (id) or the portfolio (None), as known on
    ``as_of``, changes since ``since`` (None: no earlier pack), made by whom and when;
    ``include_empty``: a page for every measure, also those with no figure yet."""

    initiative: str | None
    as_of: date
    since: date | None
    generated_by: str
    generated_at: datetime
    include_empty: bool = False

    @property
    def known(self) -> KnownAt:
        """The view of the pack: published by ``as_of``, recorded by ``generated_at``."""
        return KnownAt(self.as_of, self.generated_at)


@dataclass(frozen=True)
class MeasureBrief:
    """One measure's page: its series as known, with the commentary and notes beside it."""

    detail: SeriesDetail
    comments: list[Comment]
    quality: list[str]
    footnotes: list[str]
    synthetic: bool  # any figure of the series is synthetic (labelled wherever it shows)
    actions: list[ActionRecord] = field(default_factory=list)  # open ones, any area
    events: list[EventView] = field(default_factory=list)  # dated events drawn on its chart
    rating: Rating | None = None  # the delivery confidence judged, as the pack knew it

    @property
    def empty(self) -> bool:
        """Grey with no figure at all: a page would hold nothing but "no data yet"."""
        status = self.detail.assessment.status
        return status == "Grey" and all(v.value is None for v in self.detail.observations)


@dataclass(frozen=True)
class InitiativeBrief:
    """One initiative's section: its name, client group and measures."""

    slug: str
    name: str
    client_group: str
    measures: list[MeasureBrief]
    without_pages: list[MeasureBrief] = field(default_factory=list)  # empty, left out
    events: list[EventView] = field(default_factory=list)  # dated events that apply to it


@dataclass(frozen=True)
class PackContent:
    """Everything a pack shows, before it is rendered."""

    request: PackRequest
    title: str
    initiatives: list[InitiativeBrief]
    changes: list[ChangeRecord] = field(default_factory=list)  # the newest PAGE of each kind
    names: dict[str, str] = field(default_factory=dict)  # measure ids and area codes to names
    change_counts: list[ChangeCount] = field(default_factory=list)  # of each kind, in all
    passports: list[Passport] = field(default_factory=list)  # the annex: each measure's

    def changes_caption(self) -> str:
        """How many changes between the two days; by kind, saying only the newest are
        listed, when the pack lists fewer than there are."""
        shown, counts = len(self.changes), self.change_counts
        since = format_date(self.request.since) if self.request.since else ""
        days = f"between {since} and {format_date(self.request.as_of)}"
        if sum(c.count for c in counts) <= shown and not any(c.capped for c in counts):
            return f"{plural(shown, 'change')} {days}"
        kinds = ", ".join(f"{c.text} {c.kind} changes" for c in counts if c.count)
        return f"{kinds} {days}; the newest {PAGE} of each kind are listed"

    @property
    def synthetic(self) -> bool:
        """True when any figure in the pack is synthetic."""
        return any(m.synthetic for i in self.initiatives for m in i.measures)


def build_content(db: Database, request: PackRequest) -> PackContent:
    """Gather a pack's content for ``request``."""
    with db.session() as session:
        if request.initiative is None:
            chosen = list(session.scalars(select(Initiative).order_by(Initiative.name)))
        else:
            chosen = [find_initiative(session, request.initiative)]
        plan = [
            (i.slug, i.name, i.client_group.name, [m.slug for m in _measures(session, i.slug)])
            for i in chosen
        ]
    known_comments = comments(db, request.known, area_code=ENGLAND)
    known_actions = list_actions(db, open_only=True, moment=request.generated_at)
    known_events = every_event(db, request.known)  # as known on: a rebuild lists the same
    judged = judged_on(db, request.as_of, recorded_by=request.generated_at)
    sections = []
    for slug, name, group, slugs in plan:
        briefs = [
            _measure(db, m, request, known_comments, known_actions, judged.get((m, ENGLAND)))
            for m in slugs
        ]
        briefs = [
            replace(b, events=[x for x in known_events if applies_to(x, slug, m, ENGLAND)])
            for b, m in zip(briefs, slugs, strict=True)
        ]
        leave_out = not request.include_empty
        shown = [b for b in briefs if not (leave_out and b.empty)]
        left_out = [b for b in briefs if leave_out and b.empty]
        mine = [x for x in known_events if applies_to(x, slug, None, None)]
        sections.append(InitiativeBrief(slug, name, group, shown, left_out, mine))
    title = chosen[0].name if request.initiative is not None else "Joined-up initiatives"
    changes, counts = _changes(db, request)
    names = catalogue_names(db)
    passports = passports_at(db, [m for *_, slugs in plan for m in slugs], request.known)
    names_of = {**names.measures, **names.areas}
    return PackContent(request, title, sections, changes, names_of, counts, passports)


def _changes(db: Database, request: PackRequest) -> tuple[list[ChangeRecord], list[ChangeCount]]:
    """The newest :data:`PAGE` changes of each kind since ``request.since`` (statuses of
    England's series, as the pack shows), and how many there are of each: a pack stays a
    few pages whatever the size of the window."""
    since, as_of = request.since, request.as_of
    if since is None or since >= as_of:
        return [], []
    window = (since, as_of, request.initiative)
    counts = change_counts(db, *window, recorded_by=request.generated_at, headline=True)
    shown = [
        record
        for kind in KINDS
        for record in change_page(
            db, kind, *window, limit=PAGE, recorded_by=request.generated_at, headline=True
        ).records
    ]
    return shown, counts


def _measures(session: Session, initiative: str) -> list[Measure]:
    """The initiative's measures in catalogue order."""
    query = select(Measure).where(Measure.initiative_slug == initiative).order_by(Measure.id)
    return list(session.scalars(query))


def _measure(
    db: Database,
    slug: str,
    request: PackRequest,
    known_comments: list[Comment],
    known_actions: list[ActionRecord],
    rating: Rating | None = None,
) -> MeasureBrief:
    """One measure's page for England, with the open actions on it in any area and the
    delivery confidence rating that applies."""
    detail = series_detail(db, slug, ENGLAND, request.as_of, request.generated_at)
    mine = [c for c in known_comments if c.measure == slug]
    return MeasureBrief(
        detail=detail,
        comments=mine,
        quality=quality_notes(detail),
        footnotes=footnotes(db, detail, request.generated_at),
        synthetic=any(v.is_synthetic for v in detail.observations),
        actions=[a for a in known_actions if a.measure == slug],
        rating=rating,
    )


def quality_notes(detail: SeriesDetail) -> list[str]:
    """What to know about the figures behind the status: the status's own data-quality notes
    (an old figure, an overdue or late-approved return; :mod:`jwmetrics.assess.quality`), then
    provisional figures, bounds and missing markers in the series."""
    notes = [note[0].upper() + note[1:] + "." for note in detail.assessment.quality]
    provisional = [v.period.label for v in detail.observations if v.data_status != "final"]
    if provisional:
        notes.append("Provisional, may be revised: " + ", ".join(provisional) + ".")
    bounds = [v.period.label for v in detail.observations if v.is_bound]
    if bounds:
        notes.append(
            "Given only as a bound (over or under), not a value: " + ", ".join(bounds) + "."
        )
    missing = [f"{v.period.label} ({v.marker})" for v in detail.observations if v.value is None]
    if missing:
        notes.append(
            "Not available or suppressed, never counted as zero: " + ", ".join(missing) + "."
        )
    return notes


def footnotes(db: Database, detail: SeriesDetail, moment: datetime) -> list[str]:
    """Where the figures and target came from: report citations, and each return with who
    sent and approved it."""
    notes = []
    if detail.target_source:
        notes.append(f"Target: {detail.target_wording} ({detail.target_source}).")
    cited = [v.source for v in detail.observations if v.return_id is None and v.source]
    for source in dict.fromkeys(cited):
        periods = [v.period.label for v in detail.observations if v.source == source]
        notes.append(f"{', '.join(periods)}: {source}.")
    returns = sorted({v.return_id for v in detail.observations if v.return_id is not None})
    notes.extend(return_provenance(db, returns, moment))
    return notes


NOT_RECORDED = "not recorded"


def _named(name: str | None) -> str:
    """A recorded partner or person, or "not recorded" (a return from before they were
    asked for)."""
    return (name or "").strip() or NOT_RECORDED


def return_provenance(db: Database, return_ids: list[int], moment: datetime) -> list[str]:
    """One line per return, or per run of returns alike (the same partner, uploader, day and
    approval, such as a year-by-year history): file, the partner who sent it, who uploaded it
    and when, and who approved it (or that it needed no approval)."""
    if not return_ids:
        return []
    with db.session() as session:
        records = session.scalars(select(Return).where(Return.id.in_(return_ids)))
        approvals = {
            e.return_id: e
            for e in session.scalars(
                select(ReturnEvent).where(
                    ReturnEvent.return_id.in_(return_ids),
                    ReturnEvent.state == "approved",
                    ReturnEvent.at <= moment,
                )
            )
        }
        runs: list[tuple[str, list[Return]]] = []
        for record in sorted(records, key=lambda r: r.id):
            who = _who(record, approvals.get(record.id))
            if runs and runs[-1][0] == who:
                runs[-1][1].append(record)
            else:
                runs.append((who, [record]))
    return [_provenance_line(who, run) for who, run in runs]


def _who(record: Return, approval: ReturnEvent | None) -> str:
    """A return's partner, uploader, day and approval, in words."""
    words = (
        f"partner: {_named(record.partner)}; uploaded by {_named(record.uploaded_by)} on "
        f"{record.uploaded_at:%d/%m/%Y}"
    )
    if approval is not None and approval.reason == NO_APPROVAL_NEEDED:
        return words + "; counted on upload (no approval needed)"
    if approval is not None:
        return words + f"; approved by {_named(approval.by)} on {approval.at:%d/%m/%Y}"
    return words


def _provenance_line(who: str, run: list[Return]) -> str:
    """ "Return 3: file.csv; …" or "Returns 1 to 13 (13 files, a.csv to m.csv); …"."""
    if len(run) == 1:
        return f"Return {run[0].id}: {run[0].file_name}; {who}."
    first, last = run[0], run[-1]
    ids = ", ".join(str(r.id) for r in run)
    if [r.id for r in run] == list(range(first.id, last.id + 1)):
        ids = f"{first.id} to {last.id}"
    files = f"{len(run)} files, {first.file_name} to {last.file_name}"
    return f"Returns {ids} ({files}); {who}."
